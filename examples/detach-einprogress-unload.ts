/**
 * Case (b) of the 2008 "asynchronous detach" thread: `utrace_control(UTRACE_DETACH)`
 * returns `-EINPROGRESS`, and the tracer unloads its module anyway.
 *
 * The thread's starting point: "a non-synchronizing record of the callback in progress ...
 * lets UTRACE_DETACH return -EINPROGRESS, which is after the horse has left the barn". The
 * detach completes only when the pending callback finishes. This tracer module detaches its
 * engine, gives its pointer up and unloads itself at once. Its ops name no per-CPU
 * counters, so `module_unload` has nothing to wait on: when the traced thread is inside
 * `report_syscall_entry`, the module's code is unloaded under the running callback.
 *
 * Expected: the explorer finds `module-code-after-unload` with one preemption.
 * @packageDocumentation
 */
import {
  defineOps,
  IS_ERR,
  module_unload,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
} from '../src/index.js';
import { defineScenario } from '../src/scenario/index.js';

/**
 * The scenario: one traced task making two system calls, one tracer module that detaches
 * and unloads without waiting for the callback `-EINPROGRESS` announced.
 * @public
 */
export const scenario = defineScenario({
  name: 'detach-einprogress-unload',
  description:
    'UTRACE_DETACH returns -EINPROGRESS and the tracer unloads its module anyway: the callback still running executes unloaded code.',
  expect: 'unsafe',
  build(kernel) {
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    const mod = kernel.load_module('tracer_mod');
    const ops = defineOps({
      owner: mod,
      report_syscall_entry: () => UTRACE_RESUME,
    });
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
    if (IS_ERR(engine)) throw new Error('utrace_attach_task failed');
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));

    kernel.tracer('tracer', async () => {
      const detached = utrace_control(task, engine, UTRACE_DETACH);
      utrace_engine_put(detached.engine);
      // The bug: after -EINPROGRESS the callback may still be running module code. The fix
      // is `await utrace_barrier(task, engine)` (holding a reference) before the unload.
      await module_unload(mod);
    });
  },
});

export default scenario;
