/**
 * Case (g): Frank Ch. Eigler's global tracing without the per-CPU counters. The same
 * teardown as `global-counters`, but the ops name no counter vector, so `module_unload` has
 * nothing to wait on.
 *
 * Roland McGrath had noted that "not just your data structures, but your callbacks too
 * might be going away, i.e. unloading the kernel module". Detaching every engine of a
 * global tracer returns `-EINPROGRESS` for each task that is inside a callback, and without
 * a counter (or a `utrace_barrier` per engine) the module cannot know when those callbacks
 * have left its code. Unloading right after the detaches unloads code a callback is running.
 *
 * Expected: the explorer finds `module-code-after-unload`.
 * @packageDocumentation
 */
import {
  defineOps,
  module_unload,
  sys,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
} from '../src/index.js';
import { attachEach, defineScenario } from '../src/scenario/index.js';

/**
 * The scenario: `global-counters` without the counters.
 * @public
 */
export const scenario = defineScenario({
  name: 'global-no-counters',
  description:
    'The global-counters teardown without per-CPU counters: module_unload does not wait, and a callback still running executes unloaded code.',
  expect: 'unsafe',
  build(kernel) {
    const tasks = ['traced-a', 'traced-b', 'traced-c'].map((comm) => kernel.spawn(comm, [sys(1)]));
    const mod = kernel.load_module('global_tracer');
    const ops = defineOps({
      owner: mod,
      report_syscall_entry: () => UTRACE_RESUME,
    });
    const engines = attachEach(tasks, ops, null, UTRACE_EVENT('SYSCALL_ENTRY'));

    kernel.tracer('tracer', async () => {
      engines.forEach((engine, i) => {
        const detached = utrace_control(tasks[i]!, engine, UTRACE_DETACH);
        utrace_engine_put(detached.engine);
      });
      // The bug: nothing tells the module when callbacks that had started are done.
      await module_unload(mod);
    });
  },
});

export default scenario;
