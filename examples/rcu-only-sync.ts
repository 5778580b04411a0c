/**
 * Case (d) of the 2008 "asynchronous detach" thread: a `*_sync` call on an engine whose own
 * callback may return `UTRACE_DETACH`.
 *
 * Roland McGrath's second wrinkle: "you can't call *_sync freely if any of your callbacks
 * ever use UTRACE_DETACH. When any callback returns UTRACE_DETACH, immediately the engine
 * pointer is only kept alive by RCU. You can't make a blocking call with rcu_read_lock()
 * held, so you can't be keeping it alive via RCU when you call *_sync."
 *
 * This tracer's `report_syscall_entry` is a one-shot probe: it returns `UTRACE_DETACH`, and
 * its ops say so (`'may-detach'`). The tracer, holding only the RCU-kept pointer
 * `utrace_attach_task` gave it (no counted reference), enables the events through it and
 * later calls `utrace_detach_sync` with it. Once the probe fires, the engine is detached by
 * its callback and freed one RCU grace period after the task unlinks it.
 *
 * The compiler rejects this code as written with types: the engine is `'rcu-only'` from the
 * moment it is attached, and `utrace_detach_sync` does not accept an rcu-only engine
 * ("engine may be detached by its own callbacks (report_syscall_entry may return
 * UTRACE_DETACH): it is rcu-only; take a counted reference with utrace_engine_get before
 * enabling events"). The cast below silences that, as a C programmer would never have been
 * stopped. The run time then refuses the pointer (SPEC §3 rule 7: no call takes an RCU-kept
 * pointer once its events are enabled), or, on the schedules where the free came first,
 * reports the use-after-free. The fix is `examples/recipes/may-detach.ts`.
 *
 * Expected: the explorer finds the rule-7 refusal (an `oops` of the tracer) or a
 * `use-after-free`, in every schedule.
 * @packageDocumentation
 */
import {
  defineOps,
  IS_ERR,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_detach_sync,
  UTRACE_DETACH,
  utrace_engine_put,
  UTRACE_EVENT,
  utrace_set_events,
} from '../src/index.js';
import { defineScenario } from '../src/scenario/index.js';

/**
 * The scenario: one traced task making two system calls, a one-shot probe that detaches
 * itself from its callback, and a tracer blocking in `utrace_detach_sync` on the RCU-kept
 * pointer.
 * @public
 */
export const scenario = defineScenario({
  name: 'rcu-only-sync',
  description:
    'A callback returns UTRACE_DETACH while the tracer sits in utrace_detach_sync holding only the RCU-kept pointer: the pointer outlives its protection.',
  expect: 'unsafe',
  build(kernel) {
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    const ops = defineOps({ report_syscall_entry: () => UTRACE_DETACH }, 'may-detach');
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
    if (IS_ERR(engine)) throw new Error('utrace_attach_task failed');
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));

    kernel.tracer('tracer', async () => {
      // The compiler rejects `utrace_detach_sync(task, engine)`: `engine` is 'rcu-only'.
      // The cast writes what the C code of the thread would have done.
      const detached = await utrace_detach_sync(task, engine as any);
      utrace_engine_put(detached.engine);
    });
  },
});

export default scenario;
