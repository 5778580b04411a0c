/**
 * Case (c) of the 2008 "asynchronous detach" thread: the safe detach procedure.
 *
 * Roland McGrath's proposal: "the safe detach procedure would be just
 *
 *     ret = utrace_set_events_sync(task, engine, UTRACE_EVENT(REAP));
 *     if (!ret)
 *         ret = utrace_control(task, engine, UTRACE_DETACH);
 *
 * This can only return zero or -ESRCH. Zero says that all callbacks are definitely
 * finished. -ESRCH says that your report_reap callback is definitely happening (right now,
 * modulo preemption)."
 *
 * This tracer does exactly that. Its engine asks for `REAP` from the start, so that
 * `report_reap` is the place for the last cleanup when the task dies first: on 0 the tracer
 * frees its data itself; on `-ESRCH` `report_reap` frees it. Either way, exactly one of
 * them frees the data, and only once no callback can touch it.
 *
 * Expected: no failure in any schedule within the preemption bound.
 * @packageDocumentation
 */
import {
  defineOps,
  IS_ERR,
  type KBox,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
  utrace_set_events_sync,
} from '../src/index.js';
import { defineScenario } from '../src/scenario/index.js';

/** The tracer's data: how many system calls it saw. */
interface Counts {
  syscalls: number;
}

/**
 * The scenario: one traced task making two system calls, one tracer that syncs its events
 * down to REAP, detaches, and frees its data on 0 (`report_reap` frees it on `-ESRCH`).
 * @public
 */
export const scenario = defineScenario({
  name: 'safe-detach',
  description:
    'utrace_set_events_sync down to UTRACE_EVENT(REAP), then UTRACE_DETACH, then kfree (or report_reap frees on -ESRCH): no schedule breaks a rule.',
  expect: 'safe',
  build(kernel) {
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    const data = kernel.kmalloc<Counts>('syscall counts', { syscalls: 0 });
    const ops = defineOps({
      report_syscall_entry: (_action: number, engine) => {
        (engine.data as KBox<Counts>).value.syscalls++;
        return UTRACE_RESUME;
      },
      // The task died first: this is the last callback, and the cleanup is done here.
      report_reap: (engine) => {
        kernel.kfree(engine.data as KBox<Counts>);
      },
    });
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, data);
    if (IS_ERR(engine)) throw new Error('utrace_attach_task failed');
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY') | UTRACE_EVENT('REAP'));

    kernel.tracer('tracer', async () => {
      const synced = await utrace_set_events_sync(task, engine, UTRACE_EVENT('REAP'));
      const detached = synced.ret === 0 ? utrace_control(task, synced.engine, UTRACE_DETACH) : synced;
      // 0: every callback has finished and none will come; the data is the tracer's again.
      // -ESRCH: report_reap is running or about to run, and frees the data itself.
      if (detached.ret === 0) kernel.kfree(data);
      utrace_engine_put(detached.engine);
    });
  },
});

export default scenario;
