/**
 * Safe-teardown recipe: one task, callbacks that never detach (docs/safe-teardown.md shows
 * the code below the imports' header as it stands). The CREATE attach gives a counted
 * reference; the tracer syncs the events down to nothing and detaches in one blocking call,
 * `utrace_detach_sync`, which returns only 0 or -ESRCH: either way no callback of this engine
 * can touch the data any more. Then it frees the data and puts the reference.
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
  utrace_detach_sync,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
} from '../../src/index.js';
import { defineScenario } from '../../src/scenario/index.js';

/** What the callbacks count. */
interface Counts {
  entries: number;
}

/**
 * The recipe as a scenario.
 * @public
 */
export const scenario = defineScenario({
  name: 'recipe-never-detaches',
  description: 'Callbacks that never detach: a counted reference, utrace_detach_sync, kfree, one put. No schedule breaks a rule.',
  expect: 'safe',
  build(kernel) {
    const task = kernel.spawn('traced', [sys(0), sys(1)]);
    const counts = kernel.kmalloc<Counts>('counts', { entries: 0 });
    const ops = defineOps({
      report_syscall_entry: (_action: number, engine: callback_engine<KBox<Counts>>) => {
        engine.data.value.entries++;
        return UTRACE_RESUME;
      },
    });
    // Never-detaching ops: the engine is a counted reference ('attached'), owing one put.
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, counts);
    if (IS_ERR(engine)) throw new Error('utrace_attach_task failed');
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));

    kernel.tracer('tracer', async () => {
      const r = await utrace_detach_sync(task, engine); // 0 or -ESRCH, never -EINPROGRESS
      kernel.kfree(counts); // no callback of ours can touch it any more
      utrace_engine_put(r.engine); // the attach's counted reference
    });
  },
});

export default scenario;
