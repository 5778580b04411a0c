/**
 * Marked preemption points: `preempt_point()` in tracer code, `yield preempt` in callbacks
 * written with {@link preemptible}.
 * @packageDocumentation
 */
import { describeArg } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { runningKernel } from '../kernel/current.js';
import { type preempt_token, preemptibleBodies } from '../kernel/module-code.js';

export { preempt, type preempt_token } from '../kernel/module-code.js';

/**
 * A point the user marks in tracer code where the thread may be preempted: any runnable
 * thread may take steps before the tracer goes on. Unlike {@link schedule} (a yield, after
 * which the others go first and switching away costs nothing), the tracer may also go on at
 * once, and switching away from it here is a preemption that counts against the search's
 * bound, as at every other point where the tracer could run on. Every utrace call and every
 * access to tracer data (`KBox.value`) is already such a point for the tasks and kernel
 * threads (see `docs/kernel-mapping.md`); `preempt_point()` also lets other tracer threads in.
 * @returns a promise to await; it resolves when the scheduler runs the tracer again.
 * @throws `UtraceUsageError` (rule `blocking-outside-tracer`) outside a tracer thread of a
 * running kernel; `might_sleep` fails the run when called from a callback or an RCU
 * read-side section.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys, preempt_point } from 'utrace';
 * const kernel = new Kernel();
 * kernel.spawn('traced', [sys(1)]);
 * kernel.tracer('tracer', async () => {
 *   await preempt_point(); // the task may run here, or not
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel calls
 */
export function preempt_point(): Promise<void> {
  const kernel = runningKernel();
  if (kernel === null) {
    throw new UtraceUsageError('blocking-outside-tracer', 'preempt_point can only be called from a tracer thread while the kernel runs');
  }
  const thread = kernel.currentTracer('preempt_point');
  return thread.block({ until: () => true, what: 'the CPU (preempted)' }, false);
}

/**
 * Makes a callback (or any module code the kernel calls) preemptible at points it marks:
 * write it as a generator function that does `yield preempt` where another thread may run,
 * and returns what the callback returns. The kernel runs it step by step on the task's
 * thread: at each `yield preempt` the scheduler may run other threads (the tracer included)
 * before the callback goes on, so module code is not atomic. The rules of callbacks still
 * hold at every step: no sleeping (`might_sleep`), and code of an unloaded module is
 * `module-code-after-unload`, also when the module went away while the callback was
 * preempted. Typed as the function it wraps would be if it returned its generator's return
 * value, so the callback-return rules and the detach inference read it as a plain callback.
 * Called directly (outside the kernel's reporting), it runs to its end at once.
 * @param body - a generator function yielding only `preempt`.
 * @returns the callback to put in the ops table.
 * @throws `UtraceUsageError` (rule `preemptible-argument`) when `body` is not a function;
 * a body that yields anything but `preempt` is an oops of its engine.
 * @example
 * ```ts
 * import { defineOps, preemptible, preempt, UTRACE_RESUME, type KBox, type callback_engine } from 'utrace';
 * const ops = defineOps({
 *   report_exec: preemptible(function* (_action: number, engine: callback_engine<KBox<{ n: number }>>) {
 *     const n = engine.data.value.n;
 *     yield preempt; // the tracer may run here
 *     engine.data.value.n = n + 1;
 *     return UTRACE_RESUME;
 *   }),
 * });
 * void ops;
 * ```
 * @public
 * @category Kernel calls
 */
export function preemptible<A extends unknown[], R>(body: (...args: A) => Generator<preempt_token, R, unknown>): (...args: A) => R {
  if (typeof body !== 'function') {
    throw new UtraceUsageError('preemptible-argument', `preemptible(body): body is a generator function (function* (...) { ...; yield preempt; ...; return action; }); got ${describeArg(body)}`);
  }
  const wrapper = (...args: A): R => {
    const it = body(...args);
    for (;;) {
      const r = it.next();
      if (r.done === true) return r.value;
    }
  };
  preemptibleBodies.set(wrapper, body as (...a: unknown[]) => Generator<unknown, unknown, void>);
  return wrapper;
}
