/**
 * Safe-teardown recipe: a global engine over many tasks, and module unload (docs/
 * safe-teardown.md shows this code). The ops name the module as owner and a per-CPU counter
 * vector that the kernel increments before every callback and decrements after it. Teardown
 * detaches each engine without waiting (an -EINPROGRESS is fine: the counters cover the
 * callback in progress), puts each counted reference, and `module_unload` waits until the
 * counters sum to zero. Two tasks keep the exhaustive search at bound 3 fast.
 *
 * Expected: no failure in any schedule within the preemption bound.
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
} from '../../src/index.js';
import { defineScenario } from '../../src/scenario/index.js';

/**
 * The recipe as a scenario.
 * @public
 */
export const scenario = defineScenario({
  name: 'recipe-global-engine',
  description: 'One engine on each of two tasks, per-CPU counters, detach each, put each, module_unload waits on the counters. No schedule breaks a rule.',
  expect: 'safe',
  build(kernel) {
    const mod = kernel.load_module('tracer_mod');
    const ops = defineOps({
      owner: mod,
      percpu_counters: kernel.alloc_percpu_counters(),
      report_syscall_entry: () => UTRACE_RESUME,
    });
    const tasks = [0, 1].map((i) => kernel.spawn(`worker${i}`, [sys(i)]));
    const engines = tasks.map((task) => {
      const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
      if (IS_ERR(e)) throw new Error('utrace_attach_task failed');
      utrace_set_events(task, e, UTRACE_EVENT('SYSCALL_ENTRY'));
      return e;
    });

    kernel.tracer('unloader', async () => {
      tasks.forEach((task, i) => {
        const r = utrace_control(task, engines[i]!, UTRACE_DETACH); // -EINPROGRESS is fine here
        utrace_engine_put(r.engine);
      });
      await module_unload(mod); // waits until no callback of the module is in flight
    });
  },
});

export default scenario;
