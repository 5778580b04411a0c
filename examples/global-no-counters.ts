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
import { defineScenario } from '../src/scenario/index.js';
import { buildGlobalTeardown } from './global-teardown.js';

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
    buildGlobalTeardown(kernel, { counters: false });
  },
});

export default scenario;
