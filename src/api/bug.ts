/**
 * The kernel's assertions: `WARN_ON` and `BUG_ON`, in tracer code and in callbacks.
 * @packageDocumentation
 */
import { UtraceUsageError } from '../errors.js';
import { describeArg } from '../constants/integer-arg.js';
import { runningKernel } from '../kernel/current.js';
import { KernelPanic } from '../kernel/panic.js';
import type { Kernel } from '../kernel/kernel.js';

function where(kernel: Kernel): string {
  const cb = kernel.callback;
  const thread = kernel.current?.name ?? 'set-up code';
  return cb !== null ? `${thread}, in ${cb.name} of ${cb.engine.name}` : thread;
}

function running(call: string): Kernel {
  const kernel = runningKernel();
  if (kernel === null) {
    throw new UtraceUsageError('assertion-outside-run', `${call}: assertions are checked while the kernel runs (in tracer code or a callback); in set-up code, test the condition yourself`);
  }
  return kernel;
}

function label(what: unknown, call: string): string {
  if (what === undefined) return '';
  if (typeof what !== 'string') throw new UtraceUsageError('assertion-arguments', `${call}(condition, what): what is a string saying what went wrong; got ${describeArg(what)}`);
  return `: ${what}`;
}

/**
 * `WARN_ON(condition)`: when `condition` is truthy, the run fails with check `WARN_ON`,
 * naming the thread (and the callback) that warned, as the kernel prints a warning with a
 * backtrace. The run goes on, as the kernel does after a warning; it is the run's failure
 * unless another failure came first (the first failure wins).
 * @param condition - what must not be true.
 * @param what - optional words saying what went wrong, shown in the failure.
 * @returns whether `condition` was truthy, so `if (WARN_ON(x)) return;` reads as in C.
 * @throws `UtraceUsageError` (rule `assertion-outside-run`) outside a running kernel,
 * (rule `assertion-arguments`) when `what` is not a string.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, WARN_ON } from 'utrace';
 * const kernel = new Kernel();
 * kernel.tracer('tracer', async () => {
 *   WARN_ON(1 + 1 !== 2, 'arithmetic is broken');
 * });
 * console.log((await kernel.run(new RoundRobinScheduler())).status); // 'ok'
 * ```
 * @public
 * @category Kernel calls
 */
export function WARN_ON(condition: unknown, what?: string): boolean {
  const kernel = running('WARN_ON');
  const text = label(what, 'WARN_ON');
  if (!condition) return false;
  kernel.oops(`WARN_ON fired in ${where(kernel)}${text}`, 'WARN_ON');
  return true;
}

/**
 * `BUG_ON(condition)`: when `condition` is truthy, an oops with check `BUG_ON` that ends the
 * thread that made it, as `BUG()` kills the current thread: a tracer thread stops there; in a
 * callback, the task's thread stops there (it never exits, so a parent waiting for it and
 * its engines are left as they are). It is the run's failure unless another failure came
 * first.
 * @param condition - what must not be true.
 * @param what - optional words saying what went wrong, shown in the failure.
 * @throws `UtraceUsageError` (rule `assertion-outside-run`) outside a running kernel,
 * (rule `assertion-arguments`) when `what` is not a string.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, BUG_ON } from 'utrace';
 * const kernel = new Kernel();
 * kernel.tracer('tracer', async () => {
 *   BUG_ON(false);
 * });
 * console.log((await kernel.run(new RoundRobinScheduler())).status); // 'ok'
 * ```
 * @public
 * @category Kernel calls
 */
export function BUG_ON(condition: unknown, what?: string): void {
  const kernel = running('BUG_ON');
  const text = label(what, 'BUG_ON');
  if (!condition) return;
  kernel.oops(`BUG_ON fired in ${where(kernel)}${text}: the thread is killed`, 'BUG_ON');
  throw new KernelPanic(`BUG_ON${text}`);
}
