/**
 * Case (d) of the 2008 "asynchronous detach" thread: a `*_sync` call on an engine whose own
 * callback may return `UTRACE_DETACH`.
 *
 * Roland McGrath's second wrinkle: "you can't call *_sync freely if any of your callbacks
 * ever use UTRACE_DETACH. When any callback returns UTRACE_DETACH, immediately the engine
 * pointer is only kept alive by RCU. You can't make a blocking call with rcu_read_lock()
 * held, so you can't be keeping it alive via RCU when you call *_sync."
 *
 * This tracer's `report_syscall_entry` is a one-shot probe: it returns `UTRACE_DETACH`.
 * The tracer, holding only the pointer `utrace_attach_task` gave it (no counted reference),
 * calls `utrace_detach_sync`. When the probe fires while the tracer waits in the call, or
 * before it, the engine is detached by its callback and freed one RCU grace period later:
 * the tracer's pointer is used outside any RCU read-side section (`PROVE_RCU`), or after
 * the free (`use-after-free`).
 *
 * The compiler rejects this code as written with types: the engine is `'rcu-only'` from
 * the moment it is attached (its ops may detach it), and `utrace_detach_sync` does not accept
 * an rcu-only engine ("engine may be detached by its own callbacks: it is rcu-only; take a
 * counted reference with utrace_engine_get first"). The cast below silences that, as a C
 * programmer would never have been stopped, so that the run time can show what goes wrong.
 *
 * Expected: the explorer finds `PROVE_RCU` (or `use-after-free`).
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
