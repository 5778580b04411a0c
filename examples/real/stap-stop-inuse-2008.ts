/**
 * SystemTap's task finder module exit after its 2008 fix: callbacks count themselves in
 * `__stp_inuse_count`, and the exit function polls the counter down to zero with
 * `schedule()` before the module goes. The fix narrows the race but does not close it: a
 * callback that utrace has started but that has not yet reached `__stp_tf_handler_start()`
 * (it is still reading the finder's state) is not counted, and the module is unloaded under it.
 *
 * Transcribed from the fix ee928e14 ("BZ 6755 fix. Wait until all callbacks are finished."):
 * - the counter and its macros, jav/systemtap@ee928e1461d33322e9485f4736ba2f979a3331b5:runtime/task_finder.c:26-29, and the callbacks bracketing their work with them
 *   (syscall entry, jav/systemtap@ee928e1461d33322e9485f4736ba2f979a3331b5:runtime/task_finder.c:858-920): see `stap-task-finder.ts`, `countInuse: true`;
 * - `stap_utrace_detach`, jav/systemtap@ee928e1461d33322e9485f4736ba2f979a3331b5:runtime/task_finder.c:205-263: unchanged from before the fix (`-EINPROGRESS` is
 *   still an error the caller ignores);
 * - `stap_stop_task_finder`, jav/systemtap@ee928e1461d33322e9485f4736ba2f979a3331b5:runtime/task_finder.c:1261-1288: the same steps, then
 *   `while (atomic_read(&__stp_inuse_count) != 0) schedule();`.
 * The commit that closed the window for good, jav/systemtap@9cb8092cf84d18e7435f03eef3963e01ea4e993f
 * ("Loop on utrace_barrier if utrace_control UTRACE_DETACH returns -EINPROGRESS"), says the
 * missing wait "might have caused PR11672 (utrace_report_syscall_exit crash)": it is
 * `stap-stop-barrier-2010.ts`.
 *
 * In this runtime a callback's body runs without preemption, so the counter is never seen
 * above zero and the polling loop ends at once; what the explorer finds is the window the
 * counter cannot cover, between utrace's `start_callback` and the callback's first statement.
 *
 * Left out: what `stap-stop-2008.ts` leaves out.
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
  atomic_read,
  atomic_set,
  delete_module,
  do_each_thread,
  IS_ERR,
  PTR_ERR,
  rcu_read_section,
  schedule,
  type task_struct,
  UTRACE_ATTACH_MATCH_OPS,
  utrace_attach_task,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
} from '../../src/index.js';
import { defineScenario } from '../../src/scenario/index.js';
import { startTaskFinder, STP_TF_STOPPED, STP_TF_STOPPING, type TaskFinder } from './stap-task-finder.js';

/** `stap_utrace_detach` (lines 205-263): 0 when detached or gone, else a positive errno. */
function stap_utrace_detach(tf: TaskFinder, tsk: task_struct): number {
  const engine = utrace_attach_task(tsk, UTRACE_ATTACH_MATCH_OPS, tf.ops, null);
  if (IS_ERR(engine)) {
    const rc = -PTR_ERR(engine);
    return rc === ENOENT ? 0 : rc;
  }
  const detached = utrace_control(tsk, engine, UTRACE_DETACH);
  let rc: number = detached.ret;
  switch (rc) {
    case 0:
      break;
    case -ESRCH:
    case -EALREADY:
      rc = 0;
      break;
    default: // -EINPROGRESS: reported and ignored, like before the fix
      rc = -rc;
      break;
  }
  utrace_engine_put(detached.engine);
  return rc;
}

/** `stap_stop_task_finder` (lines 1261-1288). */
async function stap_stop_task_finder(tf: TaskFinder): Promise<void> {
  atomic_set(tf.statics.state.value, STP_TF_STOPPING);
  rcu_read_section(() => {
    for (const tsk of do_each_thread()) stap_utrace_detach(tf, tsk);
  });
  atomic_set(tf.statics.state.value, STP_TF_STOPPED);
  // "Now that all the engines are detached, make sure all the callbacks are finished."
  while (atomic_read(tf.statics.inuse.value) !== 0) await schedule();
}

/**
 * The scenario: the one of `stap-stop-2008`, with the callbacks counted and the exit function polling.
 * @public
 */
export const scenario = defineScenario({
  name: 'stap-stop-inuse-2008',
  description:
    "SystemTap's task finder exit after the 2008 fix: it polls the callbacks' in-use counter, but a callback started and not yet counted still runs when the module goes.",
  expect: 'unsafe',
  build(kernel) {
    const tf = startTaskFinder(kernel, { countInuse: true });
    kernel.tracer('rmmod', async () => {
      await delete_module(tf.mod, () => stap_stop_task_finder(tf));
    });
  },
});

export default scenario;
