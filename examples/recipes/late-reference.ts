/**
 * The unsafe counterpart of the may-detach recipe: the advice of old, followed after the
 * events are enabled. The tracer enables the events through the RCU-kept pointer, and only
 * later, in its thread, takes a counted reference through it and blocks on that. By then the
 * probe may have detached the engine and a grace period freed it. Memory rule v2 refuses the
 * pointer from the call that enabled its events on (rule 7); on the schedules where the free
 * came first, the late `utrace_engine_get` is a use-after-free.
 *
 * Expected: the explorer finds the rule-7 refusal (an `oops` of the tracer) or a
 * `use-after-free`.
 * @packageDocumentation
 */
import {
  defineOps,
  IS_ERR,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  UTRACE_DETACH,
  utrace_detach_sync,
  utrace_engine_get,
  utrace_engine_put,
  UTRACE_EVENT,
  utrace_set_events,
} from '../../src/index.js';
import { defineScenario } from '../../src/scenario/index.js';

/**
 * The scenario.
 * @public
 */
export const scenario = defineScenario({
  name: 'late-reference',
  description: 'The counted reference is taken after the events were enabled: refused by rule 7, or a use-after-free where the probe and a grace period came first.',
  expect: 'unsafe',
  build(kernel) {
    const task = kernel.spawn('traced', [sys(0), sys(1)]);
    const ops = defineOps({ report_syscall_entry: () => UTRACE_DETACH }, 'may-detach');
    const pointer = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
    if (IS_ERR(pointer)) throw new Error('utrace_attach_task failed');
    utrace_set_events(task, pointer, UTRACE_EVENT('SYSCALL_ENTRY'));

    kernel.tracer('tracer', async () => {
      const got = utrace_engine_get(pointer); // too late: the probe may have freed the engine
      const r = await utrace_detach_sync(task, got.engine);
      utrace_engine_put(r.engine);
    });
  },
});

export default scenario;
