/**
 * The task list: `for_each_process`, `do_each_thread`, `find_task_by_vpid`.
 * @packageDocumentation
 */
import type { task_struct } from '../../types/task.js';
import { describeArg } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { runningKernel } from '../kernel/current.js';
import type { Kernel } from '../kernel/kernel.js';

function kernelFor(call: string): Kernel {
  const kernel = runningKernel();
  if (kernel === null) throw new UtraceUsageError('tasklist-outside-run', `${call}: the task list is read while the kernel runs (tracer code or a callback); in set-up code, keep the tasks kernel.spawn returned`);
  return kernel;
}

/**
 * `for_each_process(p)`: the tasks on the task list now, by pid: every task not yet reaped
 * (zombies included, as `release_task` takes a task off the list). Each task is its own
 * process here (the package has no thread groups), so `do_each_thread` walks the same list.
 * The list is read when the loop starts; a task spawned or reaped meanwhile is not seen or
 * still seen, as with a walk under `rcu_read_lock`.
 * @returns the tasks, in pid order.
 * @throws `UtraceUsageError` (rule `tasklist-outside-run`) outside a running kernel.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys, for_each_process } from 'utrace';
 * const kernel = new Kernel();
 * kernel.spawn('a', [sys(1)]);
 * kernel.spawn('b', [sys(1)]);
 * kernel.tracer('finder', async () => {
 *   for (const p of for_each_process()) console.log(p.comm); // a, b (those not yet reaped)
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel calls
 */
export function for_each_process(): task_struct[] {
  const kernel = kernelFor('for_each_process');
  return [...kernel.tasks.values()] as unknown as task_struct[];
}

/**
 * `do_each_thread(g, t)` / `while_each_thread`: every thread of every process; the same
 * walk as {@link for_each_process}, since each task is its own process here.
 * @returns the tasks, in pid order.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys, do_each_thread } from 'utrace';
 * const kernel = new Kernel();
 * kernel.spawn('a', [sys(1)]);
 * kernel.tracer('finder', async () => {
 *   console.log(do_each_thread().length); // 1, or 0 once a is reaped
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel calls
 */
export function do_each_thread(): task_struct[] {
  const kernel = kernelFor('do_each_thread');
  return [...kernel.tasks.values()] as unknown as task_struct[];
}

/**
 * `find_task_by_vpid(nr)`: the task with pid `nr`, while it is on the task list.
 * @returns the task, or undefined (no such pid, or reaped).
 * @throws `UtraceUsageError` (rule `tasklist-outside-run`) outside a running kernel, (rule
 * `tasklist-arguments`) when `nr` is not an integer.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys, find_task_by_vpid } from 'utrace';
 * const kernel = new Kernel();
 * const t = kernel.spawn('a', [sys(1)]);
 * kernel.tracer('finder', async () => {
 *   console.log(find_task_by_vpid(t.pid) === t); // true while a is not reaped
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel calls
 */
export function find_task_by_vpid(nr: number): task_struct | undefined {
  const kernel = kernelFor('find_task_by_vpid');
  if (typeof nr !== 'number' || !Number.isInteger(nr)) throw new UtraceUsageError('tasklist-arguments', `find_task_by_vpid(nr): nr is a pid, an integer; got ${describeArg(nr)}`);
  return kernel.find_task_by_pid(nr);
}
