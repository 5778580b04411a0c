/**
 * RCU for tracer code: read-side sections, `synchronize_rcu`, `call_rcu`.
 * @packageDocumentation
 */
import { UtraceUsageError } from '../errors.js';
import { adjustSetupRcuDepth, runningKernel } from '../kernel/current.js';

/**
 * Refuses a body that may return a promise (on any branch), or whose return type says
 * nothing (`unknown`, `any`): nothing may sleep inside a read-side section.
 * @public
 * @category Kernel calls
 */
export type sync_section_body<F> = F extends () => infer R
  ? unknown extends R
    ? 'rcu_read_section: the body must be synchronous, and its return type must show it: it is unknown here; type what it returns'
    : [Extract<R, PromiseLike<unknown>>] extends [never]
      ? F
      : 'rcu_read_section: the body must be synchronous: nothing may block inside an RCU read-side section'
  : F;

/**
 * Runs `body` as an RCU read-side section (`rcu_read_lock()` ... `rcu_read_unlock()`): no
 * grace period ends while it runs, so an engine pointer kept only by RCU stays valid inside
 * it. The body is synchronous; a blocking call inside it is a `might_sleep` failure.
 * @typeParam F - the body's type; a body returning a promise is refused.
 * @returns what `body` returned.
 * @throws `UtraceUsageError` when `body` is not a function or returns a promise.
 * @example
 * ```ts
 * import { rcu_read_section } from 'utrace';
 * const answer = rcu_read_section(() => 42);
 * console.log(answer); // 42
 * ```
 * @public
 * @category Kernel calls
 */
export function rcu_read_section<F extends () => unknown>(body: sync_section_body<F>): ReturnType<F> {
  if (typeof body !== 'function') {
    throw new UtraceUsageError('rcu-section-body', 'rcu_read_section: pass the section body as a synchronous function');
  }
  const kernel = runningKernel();
  const thread = kernel?.current ?? null;
  if (thread !== null) thread.rcuDepth++;
  else adjustSetupRcuDepth(1);
  let result: unknown;
  try {
    result = (body as () => unknown)();
  } finally {
    if (thread !== null) thread.rcuDepth--;
    else adjustSetupRcuDepth(-1);
  }
  if (typeof (result as { then?: unknown } | null)?.then === 'function') {
    throw new UtraceUsageError(
      'rcu-section-body',
      'rcu_read_section: the body returned a promise: nothing may block inside an RCU read-side section; make the body synchronous',
    );
  }
  return result as ReturnType<F>;
}

/**
 * Waits until a full grace period has passed: every read-side section open when it was
 * called has ended, and every `call_rcu` callback queued before it has run. Blocking.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys, call_rcu, synchronize_rcu } from 'utrace';
 * const kernel = new Kernel();
 * kernel.spawn('traced', [sys(1)]);
 * const old = kernel.kmalloc('old table', { size: 1 });
 * kernel.tracer('tracer', async () => {
 *   call_rcu(() => kernel.kfree(old)); // runs after the next grace period
 *   await synchronize_rcu(); // ...which has ended when this returns
 *   console.log(old.freed); // true
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel calls
 */
export function synchronize_rcu(): Promise<void> {
  const kernel = runningKernel();
  if (kernel === null) {
    throw new UtraceUsageError('blocking-outside-tracer', 'synchronize_rcu blocks, so it can only be called from a tracer thread while the kernel runs');
  }
  const thread = kernel.currentTracer('synchronize_rcu');
  const target = kernel.rcu.completed + 1;
  if (kernel.rcu.requested < target) kernel.rcu.requested = target;
  return thread.block({ until: () => kernel.rcu.completed >= target, what: `grace period ${target}` }, false);
}

/**
 * Queues `fn` to run after the next grace period, on the grace-period thread.
 * @throws `UtraceUsageError` outside a run, or when `fn` is not a function.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys, call_rcu } from 'utrace';
 * const kernel = new Kernel();
 * kernel.spawn('traced', [sys(1)]);
 * const old = kernel.kmalloc('old table', { size: 1 });
 * kernel.tracer('tracer', async () => {
 *   call_rcu(() => kernel.kfree(old)); // readers in a read-side section now still see it
 * });
 * await kernel.run(new RoundRobinScheduler());
 * console.log(old.freed); // true
 * ```
 * @public
 * @category Kernel calls
 */
export function call_rcu(fn: () => void): void {
  const kernel = runningKernel();
  if (kernel === null || typeof fn !== 'function') {
    throw new UtraceUsageError('call-rcu', 'call_rcu(fn): call it while a kernel runs, with a function');
  }
  kernel.rcu.call(fn);
}
