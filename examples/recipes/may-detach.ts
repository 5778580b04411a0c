/**
 * Safe-teardown recipe: a callback that may detach (docs/safe-teardown.md shows this code).
 * The ops say so (`'may-detach'`), so the CREATE attach gives an RCU-kept pointer, which the
 * tracer turns into a counted reference with `utrace_engine_get` before enabling any event
 * (SPEC §3 rule 7). The counted reference keeps the engine allocated whatever the callback
 * does, so the tracer may block on it: `utrace_detach_sync` returns 0 (it detached the
 * engine) or -ESRCH (the callback or the reap had detached it). Either way no callback can
 * touch the data any more; the tracer frees it and puts its one reference.
 *
 * Expected: no failure in any schedule within the preemption bound.
 * @packageDocumentation
 */
import {
  type callback_engine,
  defineOps,
  IS_ERR,
  type KBox,
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
 * The recipe as a scenario.
 * @public
 */
export const scenario = defineScenario({
  name: 'recipe-may-detach',
  description: 'A one-shot probe that detaches itself: a counted reference taken before enabling events, utrace_detach_sync, kfree, one put. No schedule breaks a rule.',
  expect: 'safe',
  build(kernel) {
    const task = kernel.spawn('traced', [sys(0), sys(1)]);
    const hits = kernel.kmalloc('hits', { n: 0 });
    const ops = defineOps(
      {
        report_syscall_entry: (_action: number, engine: callback_engine<KBox<{ n: number }>>) => {
          engine.data.value.n++;
          return UTRACE_DETACH; // one shot: the first report is the last
        },
      },
      'may-detach',
    );
    const pointer = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, hits); // 'rcu-only'
    if (IS_ERR(pointer)) throw new Error('utrace_attach_task failed');
    const { engine } = utrace_engine_get(pointer); // before any event: consumes the pointer
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));

    kernel.tracer('tracer', async () => {
      const r = await utrace_detach_sync(task, engine); // 0, or -ESRCH: the probe detached first
      kernel.kfree(hits);
      utrace_engine_put(r.engine); // the counted reference; the engine is freed when unlinked
    });
  },
});

export default scenario;
