/**
 * Case (f) of the 2008 thread, Frank Ch. Eigler's global tracing: one engine on each of many
 * tasks, torn down through per-CPU counters before the module unloads.
 *
 * Frank Eigler: "If having a per-cpu counter vector is sufficiently low weight for utrace
 * to update it around every callback, how about letting a utrace engine specify an
 * (optional?) percpu-integer vector? Then, the utrace client could use a similar
 * synchronization algorithm as that of module/refcount unloading to assure itself of a
 * complete and final utrace detach."
 *
 * This tracer module attaches one set of ops to three tasks. The ops name the module as
 * their owner and a per-CPU counter vector, which the kernel increments before every
 * callback and decrements after it. Teardown detaches each engine without waiting (an
 * `-EINPROGRESS` is fine: the counters still cover that callback), gives each pointer up,
 * then `module_unload` waits until the counters sum to zero, as `delete_module` waits on a
 * module's reference count. No engine is attached any more, so no callback can start; the
 * ones that had started have finished.
 *
 * Expected: no failure in any schedule within the preemption bound.
 * @packageDocumentation
 */
import { defineScenario } from '../src/scenario/index.js';
import { buildGlobalTeardown } from './global-teardown.js';

/**
 * The scenario: three traced tasks making one system call each, one global engine torn
 * down by detaching every engine and unloading the module, which waits on the counters.
 * @public
 */
export const scenario = defineScenario({
  name: 'global-counters',
  description:
    'A global engine on 3 tasks with per-CPU counters, torn down by detaching each engine and module_unload waiting on the counters: no schedule breaks a rule.',
  expect: 'safe',
  build(kernel) {
    buildGlobalTeardown(kernel, { counters: true });
  },
});

export default scenario;
