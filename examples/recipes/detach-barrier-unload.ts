/**
 * The safe counterpart of `detach-einprogress-unload` (docs/safe-teardown.md shows this
 * code): the tracer detaches, and when `UTRACE_DETACH` returns -EINPROGRESS it waits with
 * `utrace_barrier` on its counted reference before unloading the module. The barrier returns
 * -ESRCH once the task has unlinked the engine: every callback has finished.
 *
 * Expected: no failure in any schedule within the preemption bound.
 * @packageDocumentation
 */
import {
  defineOps,
  EINPROGRESS,
  IS_ERR,
  module_unload,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_barrier,
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
  name: 'recipe-detach-barrier-unload',
  description: 'UTRACE_DETACH, utrace_barrier on -EINPROGRESS, one put, then module_unload. No schedule breaks a rule.',
  expect: 'safe',
  build(kernel) {
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    const mod = kernel.load_module('tracer_mod');
    const ops = defineOps({ owner: mod, report_syscall_entry: () => UTRACE_RESUME });
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
    if (IS_ERR(engine)) throw new Error('utrace_attach_task failed');
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));

    kernel.tracer('tracer', async () => {
      const r = utrace_control(task, engine, UTRACE_DETACH);
      if (r.ret === -EINPROGRESS) await utrace_barrier(task, r.engine); // -ESRCH once unlinked
      utrace_engine_put(r.engine);
      await module_unload(mod); // no callback of the module can be running now
    });
  },
});

export default scenario;
