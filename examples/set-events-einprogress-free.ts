/**
 * Case (a) of the 2008 "asynchronous detach" thread: `utrace_set_events(task, engine, 0)`
 * returns `-EINPROGRESS`, and the tracer frees its data anyway.
 *
 * Roland McGrath proposed that a `utrace_set_events` call that disables event bits return
 * `-EINPROGRESS` "when some callback might be in progress": "a zero return tells you all is
 * well", anything else does not. This tracer clears every event and frees the data its
 * `report_syscall_entry` counts into without looking at the return value. When the traced
 * thread is inside the callback (after `start_callback`, before the body has touched the
 * data), the call returns `-EINPROGRESS`, the `kfree` runs, and the callback body then
 * writes to freed memory.
 *
 * Expected: the explorer finds the use-after-free with one preemption (the traced thread
 * preempted between `start_callback` and the callback body).
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
} from '../src/index.js';
import { defineScenario } from '../src/scenario/index.js';

/** The tracer's data: how many system calls it saw. */
interface Counts {
  syscalls: number;
}

/**
 * The scenario: one traced task making two system calls, one tracer that clears the events
 * and frees its data without checking for `-EINPROGRESS`.
 * @public
 */
export const scenario = defineScenario({
  name: 'set-events-einprogress-free',
  description:
    'utrace_set_events(task, engine, 0) returns -EINPROGRESS and the tracer frees its data anyway: a callback still running touches freed memory.',
  expect: 'unsafe',
  build(kernel) {
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    const data = kernel.kmalloc<Counts>('syscall counts', { syscalls: 0 });
    const ops = defineOps({
      report_syscall_entry: (_action: number, engine) => {
        (engine.data as KBox<Counts>).value.syscalls++;
        return UTRACE_RESUME;
      },
    });
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, data);
    if (IS_ERR(engine)) throw new Error('utrace_attach_task failed');
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));

    kernel.tracer('tracer', async () => {
      utrace_set_events(task, engine, 0);
      // The bug: the return value is ignored, and -EINPROGRESS means a callback may still be
      // running. The fix is to wait (utrace_barrier, or utrace_set_events_sync) first.
      kernel.kfree(data);
      const detached = utrace_control(task, engine, UTRACE_DETACH);
      utrace_engine_put(detached.engine);
    });
  },
});

export default scenario;
