/**
 * Safe-teardown recipe: a fire-and-forget engine (SPEC §3 rule 7; docs/safe-teardown.md shows
 * this code). The ops may detach, so the CREATE attach gives an RCU-kept pointer; the code
 * that attached it enables the events through it and never touches it again. The probe
 * detaches itself; the engine is freed one RCU grace period after the task unlinks it, and
 * `release` frees the data. The pointer owes no put, and no tracer thread waits for anything.
 *
 * Expected: no failure in any schedule within the preemption bound.
 * @packageDocumentation
 */
import {
  defineOps,
  IS_ERR,
  type KBox,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  UTRACE_DETACH,
  UTRACE_EVENT,
  utrace_set_events,
} from '../../src/index.js';
import { defineScenario } from '../../src/scenario/index.js';

/**
 * The recipe as a scenario.
 * @public
 */
export const scenario = defineScenario({
  name: 'recipe-fire-and-forget',
  description: 'A probe that detaches itself and is never touched again: release frees its data. No schedule breaks a rule.',
  expect: 'safe',
  build(kernel) {
    const task = kernel.spawn('traced', [sys(0), sys(1)]);
    const note = kernel.kmalloc('note', { exec: false });
    const ops = defineOps(
      {
        report_syscall_entry: () => UTRACE_DETACH, // one shot
        release: (data: KBox<{ exec: boolean }>) => {
          kernel.kfree(data); // the last user of the data: the engine is being freed
        },
      },
      'may-detach',
    );
    const pointer = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, note);
    if (IS_ERR(pointer)) throw new Error('utrace_attach_task failed');
    utrace_set_events(task, pointer, UTRACE_EVENT('SYSCALL_ENTRY'));
    // From here on no call takes `pointer` (rule 7): it owes no put, and is simply dropped.
  },
});

export default scenario;
