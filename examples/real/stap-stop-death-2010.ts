/**
 * SystemTap's task finder module exit after its 2010 fixes, on tasks that die: found by the
 * explorer while transcribing, not fixed in the history read for this gallery. When a task's
 * death report has begun, `UTRACE_DETACH` returns `-EALREADY`, which in the kernel means the
 * `report_death` (and `report_reap`) callbacks will still be made. `stap_utrace_detach` counts
 * `-EALREADY` for success, with no barrier, and the module is unloaded while the task finder's
 * death callback runs.
 *
 * The exit path is `stap-stop-barrier-2010.ts`'s, unchanged (transcribed from
 * jav/systemtap@514f3b061acde35e1fa5bcea5664d113b8688863:runtime/task_finder.c:262-341, the
 * `-EALREADY` case at lines 314-318); the engines also report death
 * (jav/systemtap@514f3b061acde35e1fa5bcea5664d113b8688863:runtime/task_finder.c:1059-1095).
 * What `-EALREADY` means: the kernel's `utrace_control_dead`, and this package's
 * `src/kernel/calls/control.ts`, which follows it.
 *
 * Left out: what `stap-task-finder.ts` and `stap-stop-barrier-2010.ts` list. The polling
 * loop on `__stp_inuse_count` is there, but the death callback that has started and not yet
 * counted itself is the window it cannot see (`stap-stop-inuse-2008.ts`).
 *
 * Expected: unsafe, `module-code-after-unload`, found by exhaustive search under a preemption
 * bound of 1 (test/gallery.test.ts).
 * @packageDocumentation
 */
import { delete_module } from '../../src/index.js';
import { defineScenario } from '../../src/scenario/index.js';
import { stap_stop_task_finder } from './stap-stop-barrier-2010.js';
import { startTaskFinder } from './stap-task-finder.js';

/**
 * The scenario: the one of `stap-stop-barrier-2010`, on tasks whose engines report death.
 * @public
 */
export const scenario = defineScenario({
  name: 'stap-stop-death-2010',
  description:
    "SystemTap's task finder exit after the 2010 fixes, on dying tasks: UTRACE_DETACH's -EALREADY is taken for done and the module is unloaded while report_death runs.",
  expect: 'unsafe',
  build(kernel) {
    const tf = startTaskFinder(kernel, { countInuse: true, death: true });
    kernel.tracer('rmmod', async () => {
      await delete_module(tf.mod, () => stap_stop_task_finder(tf));
    });
  },
});

export default scenario;
