/**
 * Case (e) of the 2008 "asynchronous detach" thread: `report_death` returns
 * `UTRACE_DETACH` while the tracer detaches.
 *
 * Roland McGrath: "There are already special cases for the report_death callback using
 * UTRACE_DETACH. We can see that a death callback might be in progress just from the
 * task/utrace data structures, without actually looking at the engine pointer passed in.
 * So we can relax that rule to allow using UTRACE_DETACH in report_death without making
 * *_sync unsafe."
 *
 * This tracer's `report_death` records the exit in the tracer's data and detaches. The
 * tracer meanwhile calls `utrace_detach_sync`, then frees its data and unloads its module.
 * If the death report is in progress, the sync call waits it out (`-EALREADY` inside);
 * if `report_death` detached first, the call returns `-ESRCH`, and since an engine detached
 * by `report_death` gets no `report_reap`, every callback has finished either way. The
 * engine is not `'rcu-only'` (only `report_death` detaches), so the compiler accepts the
 * blocking call, and the engine detached by `report_death` stays allocated until the
 * tracer's `utrace_engine_put`.
 *
 * Expected: no failure in any schedule within the preemption bound.
 * @packageDocumentation
 */
import {
  defineOps,
  IS_ERR,
  type KBox,
  module_unload,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  UTRACE_DETACH,
  utrace_detach_sync,
  utrace_engine_put,
  UTRACE_EVENT,
  utrace_set_events,
} from '../src/index.js';
import { defineScenario } from '../src/scenario/index.js';

/** The tracer's data: the exit it saw, if any. */
interface Exits {
  died: boolean;
}

/**
 * The scenario: one traced task making a system call and exiting, a `report_death` that
 * detaches, and a tracer that detaches with `utrace_detach_sync`, frees and unloads.
 * @public
 */
export const scenario = defineScenario({
  name: 'death-detach',
  description:
    'report_death returns UTRACE_DETACH while the tracer detaches with utrace_detach_sync, then frees its data and unloads: no schedule breaks a rule.',
  expect: 'safe',
  build(kernel) {
    const task = kernel.spawn('traced', [sys(1)]);
    const mod = kernel.load_module('tracer_mod');
    const data = kernel.kmalloc<Exits>('exit record', { died: false });
    const ops = defineOps({
      owner: mod,
      report_death: (engine) => {
        (engine.data as KBox<Exits>).value.died = true;
        return UTRACE_DETACH;
      },
    });
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, data);
    if (IS_ERR(engine)) throw new Error('utrace_attach_task failed');
    utrace_set_events(task, engine, UTRACE_EVENT('DEATH'));

    kernel.tracer('tracer', async () => {
      // 0: detached before the death report; -ESRCH: report_death detached it and has
      // returned (no report_reap follows). Either way no callback can run any more.
      const detached = await utrace_detach_sync(task, engine);
      kernel.kfree(data);
      utrace_engine_put(detached.engine);
      await module_unload(mod);
    });
  },
});

export default scenario;
