/**
 * `schedule()`, `kill()` and `current()`: what tracer code needs of the rest of the kernel.
 * @packageDocumentation
 */
import type { task_struct } from '../../types/task.js';
import { UtraceUsageError } from '../errors.js';
import { runningKernel } from '../kernel/current.js';
import { send_signal } from '../kernel/signal.js';
import { asInteger, asTask } from './validate.js';

/**
 * Gives the CPU up (`cond_resched()`): other threads may run before this tracer thread
 * goes on. The only place, besides blocking utrace calls, where a tracer thread can be
 * preempted.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys, schedule } from 'utrace';
 * const kernel = new Kernel();
 * kernel.spawn('traced', [sys(1), sys(2)]);
 * kernel.tracer('tracer', async () => {
 *   for (let i = 0; i < 3; i++) await schedule(); // the task may run between these steps
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel calls
 */
export function schedule(): Promise<void> {
  const kernel = runningKernel();
  if (kernel === null) {
    throw new UtraceUsageError('blocking-outside-tracer', 'schedule blocks, so it can only be called from a tracer thread while the kernel runs');
  }
  const thread = kernel.currentTracer('schedule');
  return thread.block({ until: () => true, what: 'the CPU' }, false, true);
}

/**
 * Sends signal `sig` to `task`. SIGKILL wakes it from any stop and kills it without a
 * `report_signal`; SIGCONT ends a job-control stop.
 * @returns 0, `-ESRCH` (the task has exited) or `-EINVAL` (no such signal).
 * @example
 * ```ts
 * import { Kernel, sys, kill, SIGKILL } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('victim', [sys(1)]);
 * console.log(kill(task, SIGKILL)); // 0
 * ```
 * @public
 * @category Kernel calls
 */
export function kill(task: task_struct, sig: number): number {
  const t = asTask(task, 'kill');
  const s = asInteger(sig, 'sig', 'kill');
  if (s < 1 || s > 64) return -22;
  return send_signal(t.kernel, t, s);
}

/**
 * The task whose thread is running (`current`): in a callback, the traced task (or, in
 * `report_reap`, the reaper); undefined in a tracer thread or set-up code.
 * @example
 * ```ts
 * import { current } from 'utrace';
 * console.log(current()); // undefined outside a task
 * ```
 * @public
 * @category Kernel calls
 */
export function current(): task_struct | undefined {
  const kernel = runningKernel();
  const thread = kernel?.current;
  if (thread === undefined || thread === null || thread.kind !== 'task') return undefined;
  for (const task of kernel!.tasks.values()) if (task.thread === thread) return task as unknown as task_struct;
  return undefined;
}
