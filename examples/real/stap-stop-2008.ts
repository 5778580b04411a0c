/**
 * SystemTap's task finder module exit before its 2008 fix: every engine is told to detach,
 * and the module is unloaded at once. A callback that had started when `UTRACE_DETACH` was
 * asked for is still running module code.
 *
 * Transcribed from the parent of the fix ee928e14:
 * - `stap_utrace_detach`, jav/systemtap@3a4e19b8a7d12cb7e3b82b523bd47b9ae9ff9487:runtime/task_finder.c:199-257: a lookup by ops, then
 *   `utrace_control(tsk, engine, UTRACE_DETACH)`; 0, `-ESRCH` and `-EALREADY` count for done
 *   and any other code (so `-EINPROGRESS`) is reported for an error and returned;
 * - `stap_utrace_detach_ops`, jav/systemtap@3a4e19b8a7d12cb7e3b82b523bd47b9ae9ff9487:runtime/task_finder.c:259-289: calls it for every thread and ignores what it
 *   returns;
 * - `stap_stop_task_finder`, jav/systemtap@3a4e19b8a7d12cb7e3b82b523bd47b9ae9ff9487:runtime/task_finder.c:1232-1241: state STOPPING, detach every engine, state
 *   STOPPED, return; the module's exit function then returns and the module is freed.
 * The fix, jav/systemtap@ee928e1461d33322e9485f4736ba2f979a3331b5 ("Wait until all
 * callbacks are finished"), is `stap-stop-inuse-2008.ts`.
 *
 * Left out (besides what `stap-task-finder.ts` lists): the error messages (`_stp_error`);
 * the kernel-thread and init checks (no such task here). The walk is the kernel's:
 * `do_each_thread` inside `rcu_read_lock()`, here `rcu_read_section`.
 * This revision ran against the utrace of mid-2008, whose lookup gave no reference: with the
 * final API's counted lookup, the transcription puts it.
 *
 * Expected: unsafe, `module-code-after-unload`, found by exhaustive search under a preemption
 * bound of 1 (test/gallery.test.ts).
 * @packageDocumentation
 */
import {
  EALREADY,
  EINPROGRESS,
  ENOENT,
  ESRCH,
  atomic_set,
  delete_module,
  do_each_thread,
  IS_ERR,
  PTR_ERR,
  rcu_read_section,
  type task_struct,
  UTRACE_ATTACH_MATCH_OPS,
  utrace_attach_task,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
} from '../../src/index.js';
import { defineScenario } from '../../src/scenario/index.js';
import { startTaskFinder, STP_TF_STOPPED, STP_TF_STOPPING, type TaskFinder } from './stap-task-finder.js';

/** `stap_utrace_detach` (lines 199-257): 0 when detached or gone, else a positive errno. */
function stap_utrace_detach(tf: TaskFinder, tsk: task_struct): number {
  const engine = utrace_attach_task(tsk, UTRACE_ATTACH_MATCH_OPS, tf.ops, null);
  if (IS_ERR(engine)) {
    const rc = -PTR_ERR(engine);
    return rc === ENOENT ? 0 : rc;
  }
  const detached = utrace_control(tsk, engine, UTRACE_DETACH);
  let rc: number = detached.ret;
  switch (rc) {
    case 0: // success
      break;
    case -ESRCH: // REAP callback already begun
    case -EALREADY: // DEATH callback already begun
      rc = 0;
      break;
    default: // -EINPROGRESS lands here: reported, returned, and ignored by the caller
      rc = -rc;
      break;
  }
  utrace_engine_put(detached.engine);
  return rc;
}

/** `stap_stop_task_finder` (lines 1232-1241). */
function stap_stop_task_finder(tf: TaskFinder): void {
  atomic_set(tf.statics.state.value, STP_TF_STOPPING);
  // stap_utrace_detach_ops: "we're purposefully ignoring errors".
  rcu_read_section(() => {
    for (const tsk of do_each_thread()) stap_utrace_detach(tf, tsk);
  });
  atomic_set(tf.statics.state.value, STP_TF_STOPPED);
}

/**
 * The scenario: two traced tasks making two system calls each; `rmmod` is `delete_module`:
 * the module's exit function runs, then the kernel frees the module's code and static data.
 * @public
 */
export const scenario = defineScenario({
  name: 'stap-stop-2008',
  description:
    "SystemTap's task finder exit before the 2008 fix: UTRACE_DETACH's -EINPROGRESS is ignored and the module is unloaded while a callback runs.",
  expect: 'unsafe',
  build(kernel) {
    const tf = startTaskFinder(kernel, { countInuse: false });
    kernel.tracer('rmmod', async () => {
      await delete_module(tf.mod, () => stap_stop_task_finder(tf));
    });
  },
});

export default scenario;
