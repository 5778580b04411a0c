/**
 * SystemTap's task finder module exit after its 2010 fixes: when `UTRACE_DETACH` returns
 * `-EINPROGRESS`, `stap_utrace_detach` waits in `utrace_barrier` (again while it returns
 * `-ERESTARTSYS`) until the callback in progress has returned, and treats a barrier's
 * `-ESRCH` / `-EALREADY` (the engine is already gone) like success. No callback runs module code
 * once the module is unloaded.
 *
 * Transcribed from 514f3b06 ("Don't panic on utrace_barrier failures because process already
 * ended."):
 * - `stap_utrace_detach`, jav/systemtap@514f3b061acde35e1fa5bcea5664d113b8688863:runtime/task_finder.c:262-341: the lookup by ops, `UTRACE_DETACH`, the barrier
 *   loop on `-EINPROGRESS` (lines 320-330), the put (line 338);
 * - `stap_utrace_detach_ops`, jav/systemtap@514f3b061acde35e1fa5bcea5664d113b8688863:runtime/task_finder.c:343-386: every thread, each error warned about;
 * - `stap_stop_task_finder`, jav/systemtap@514f3b061acde35e1fa5bcea5664d113b8688863:runtime/task_finder.c:1598-1631: STOPPING, detach, STOPPED, then the polling
 *   loop on `__stp_inuse_count` kept from 2008 (lines 1620-1621).
 * The barrier loop came with jav/systemtap@9cb8092cf84d18e7435f03eef3963e01ea4e993f; the
 * `-ESRCH` / `-EALREADY` case with 514f3b06.
 *
 * Left out (besides what `stap-task-finder.ts` lists):
 * - `rcu_read_lock()` around the `do_each_thread` walk (lines 364-384). The 2010 code calls
 *   `utrace_barrier`, which sleeps, inside that read-side section: this package's rule 5
 *   refuses a blocking call in `rcu_read_section` at compile time, so the walk is written
 *   without the section. In the kernel that is sleeping in an RCU read-side section
 *   (`might_sleep` fires on a kernel with atomic-sleep debugging).
 * - The `WARN_ON(rc != 0)` after each detach (line 382): nothing here makes `rc` nonzero
 *   (no kernel threads, no lookup errors but `-ENOENT`), so it is left out rather than
 *   stood in for.
 * - Deaths: the tasks here make system calls only, so this entry clears the syscall path. The
 *   death path is `stap-stop-death-2010.ts`: `-EALREADY` from `UTRACE_DETACH` ("DEATH callback
 *   already begun") is still counted for success without a barrier.
 *
 * Expected: safe, no failure in any schedule of exhaustive search under a preemption bound
 * of 2 (test/gallery.test.ts).
 * @packageDocumentation
 */
import {
  EALREADY,
  EINPROGRESS,
  ENOENT,
  ESRCH,
  ERESTARTSYS,
  atomic_read,
  atomic_set,
  delete_module,
  do_each_thread,
  IS_ERR,
  PTR_ERR,
  schedule,
  type task_struct,
  UTRACE_ATTACH_MATCH_OPS,
  utrace_attach_task,
  utrace_barrier,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
} from '../../src/index.js';
import { defineScenario } from '../../src/scenario/index.js';
import { startTaskFinder, STP_TF_STOPPED, STP_TF_STOPPING, type TaskFinder } from './stap-task-finder.js';

/** `stap_utrace_detach` (lines 262-341): 0 when detached or gone, else a positive errno. */
async function stap_utrace_detach(tf: TaskFinder, tsk: task_struct): Promise<number> {
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
    case -EINPROGRESS:
      do {
        rc = await utrace_barrier(tsk, detached.engine);
      } while (rc === -ERESTARTSYS);
      if (rc === 0 || rc === -ESRCH || rc === -EALREADY) rc = 0;
      else rc = -rc;
      break;
    default:
      rc = -rc;
      break;
  }
  utrace_engine_put(detached.engine);
  return rc;
}

/** `stap_stop_task_finder` (lines 1598-1631). */
export async function stap_stop_task_finder(tf: TaskFinder): Promise<void> {
  atomic_set(tf.statics.state.value, STP_TF_STOPPING);
  for (const tsk of do_each_thread()) await stap_utrace_detach(tf, tsk);
  atomic_set(tf.statics.state.value, STP_TF_STOPPED);
  while (atomic_read(tf.statics.inuse.value) !== 0) await schedule();
}

/**
 * The scenario: the one of `stap-stop-2008`, with the 2010 detach path.
 * @public
 */
export const scenario = defineScenario({
  name: 'stap-stop-barrier-2010',
  description:
    "SystemTap's task finder exit after the 2010 fixes: UTRACE_DETACH's -EINPROGRESS is waited out with utrace_barrier before the module goes; no schedule breaks a rule.",
  expect: 'safe',
  build(kernel) {
    const tf = startTaskFinder(kernel, { countInuse: true });
    kernel.tracer('rmmod', async () => {
      await delete_module(tf.mod, () => stap_stop_task_finder(tf));
    });
  },
});

export default scenario;
