/**
 * Scenarios that never end, for the worker watchdog's tests: a callback that spins and a
 * tracer that loops on microtasks. Loaded by worker threads from their module.
 */
import { defineOps, IS_ERR, sys, UTRACE_ATTACH_CREATE, utrace_attach_task, UTRACE_EVENT, UTRACE_RESUME, utrace_set_events } from '../../src/index.js';
import { defineScenario } from '../../src/scenario/index.js';

/** A `report_syscall_entry` callback that spins forever on the task's second system call. */
export const spinningCallback = defineScenario({
  name: 'spinning-callback',
  description: 'report_syscall_entry loops forever on the second system call',
  expect: 'unsafe',
  build(kernel) {
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    let calls = 0;
    const ops = defineOps({
      report_syscall_entry: () => {
        if (++calls === 2) for (;;) { /* spin */ }
        return UTRACE_RESUME;
      },
    });
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, undefined);
    if (IS_ERR(engine)) throw new Error('attach failed');
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
    kernel.tracer('idle', async () => {});
  },
});

/** A tracer that, after its first step, keeps queueing microtasks and never yields to the kernel. */
export const spinningTracer = defineScenario({
  name: 'spinning-tracer',
  description: 'a tracer that loops on microtasks',
  expect: 'unsafe',
  build(kernel) {
    kernel.spawn('task', [sys(1), sys(2)]);
    kernel.tracer('looper', async () => {
      for (;;) await Promise.resolve();
    });
  },
});
