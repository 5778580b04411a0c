/**
 * Running a module's code (a callback body or `release`): the module must still be loaded,
 * the per-CPU counters bracket it, and an exception is an oops of that engine.
 * @packageDocumentation
 */
import type { EngineRecord } from './engine.js';
import type { Kernel } from './kernel.js';
import { isInstance, thrownMessage } from '../constants/integer-arg.js';
import { KernelPanic } from './panic.js';

/** What {@link runModuleCode} returns when the code threw (an oops). @internal */
export const OOPSED: unique symbol = Symbol('oopsed');

/**
 * Runs `body` as code of `engine`'s module. Returns what it returned, or {@link OOPSED} when it
 * threw (an oops, recorded against the engine).
 * @internal
 */
export function runModuleCode<T>(kernel: Kernel, engine: EngineRecord, name: string, body: () => T): T | typeof OOPSED {
  return callModuleCode(kernel, engine, name, body, NO_ARGS) as T | typeof OOPSED;
}

const NO_ARGS: readonly unknown[] = Object.freeze([]);

/**
 * {@link runModuleCode} for a callback: calls `fn(...args)` as code of `engine`'s module,
 * without a closure per call.
 * @internal
 */
export function callModuleCode(
  kernel: Kernel,
  engine: EngineRecord,
  name: string,
  fn: (...a: unknown[]) => unknown,
  args: readonly unknown[],
): unknown {
  const owner = engine.owner;
  if (owner !== undefined && owner.state === 'unloaded') {
    kernel.fail(
      'module-code-after-unload',
      `${name} of ${engine.name} ran after module ${owner.name} was unloaded: detach and wait for every callback (utrace_barrier, or the per-CPU counters in module_unload) before unloading`,
      owner.unloadedAt ? [owner.unloadedAt] : [],
    );
  }
  const saved = kernel.callback;
  kernel.callback = { task: engine.task, engine, name };
  try {
    return fn(...args);
  } catch (e) {
    if (isInstance(e, KernelPanic)) throw e;
    kernel.oops(`${name} of ${engine.name} threw: ${thrownMessage(e)}`);
    return OOPSED;
  } finally {
    kernel.callback = saved;
  }
}

/**
 * The type of {@link preempt}: what a `preemptible` callback yields, and nothing else.
 * @public
 * @category Kernel simulation
 */
export interface preempt_token {
  /** Tells the token apart from any other value a generator could yield. */
  readonly kind: 'preempt';
}

/**
 * What a `preemptible` callback yields where it may be preempted: `yield preempt`.
 * @example
 * ```ts
 * import { preempt } from 'utrace';
 * console.log(preempt.kind); // 'preempt'
 * ```
 * @public
 * @category Kernel simulation
 */
export const preempt: preempt_token = Object.freeze({ kind: 'preempt' as const });

/** The generator function behind each callback made by `preemptible`. @internal */
export const preemptibleBodies = new WeakMap<object, (...a: unknown[]) => Generator<unknown, unknown, void>>();

/**
 * Runs a `preemptible` callback body as code of `engine`'s module, one piece per step: each
 * `yield preempt` is a scheduling point of the task's thread. Every piece is checked as
 * module code (loaded module, callback context, an exception is an oops).
 * @returns what the body returned, or {@link OOPSED}.
 * @internal
 */
export function* callModuleGenerator(
  kernel: Kernel,
  engine: EngineRecord,
  name: string,
  body: (...a: unknown[]) => Generator<unknown, unknown, void>,
  args: readonly unknown[],
): Generator<undefined, unknown, void> {
  const it = callModuleCode(kernel, engine, name, body, args) as Generator<unknown, unknown, void> | typeof OOPSED;
  if (it === OOPSED) return OOPSED;
  const next = (): IteratorResult<unknown, unknown> => it.next();
  for (;;) {
    const r = callModuleCode(kernel, engine, name, next, NO_ARGS) as IteratorResult<unknown, unknown> | typeof OOPSED;
    if (r === OOPSED) return OOPSED;
    if (r.done === true) return r.value;
    if (r.value !== preempt) {
      kernel.oops(`${name} of ${engine.name} yielded something other than preempt: a preemptible callback yields only preempt, and returns its action`);
      return OOPSED;
    }
    if (kernel.tracing) kernel.log(`${name} of ${engine.name} may be preempted (yield preempt)`);
    yield;
  }
}
