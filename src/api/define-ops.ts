/**
 * `defineOps`: the only way to make the ops an attach takes, so that the detach claim the
 * compiler reads is the one the kernel enforces (SPEC §3 rule 3); and building combined
 * return values.
 * @packageDocumentation
 */
import type { combined_return, utrace_resume_action_t, utrace_signal_action_t, utrace_syscall_action_t } from '../../types/actions.js';
import type { defined_ops_result, detach_claim, utrace_engine_ops } from '../../types/ops.js';
import type { ops_shape, rule4_checked } from '../../types/internal.js';
import { describeArg, integerArg, isArray, isInstance } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import type { DetachClaim } from '../kernel/engine.js';
import { Module } from '../kernel/module.js';
import { PercpuCounters } from '../kernel/percpu.js';
import { UTRACE_SIGNAL_HOLD } from '../constants/signal-actions.js';
import { CALLBACK_NAMES } from '../constants/callbacks.js';

/** The members of `struct utrace_engine_ops` that are callbacks: the rows of the event table. */
const CALLBACKS = CALLBACK_NAMES;

/** Every member ops may have. */
const MEMBERS: ReadonlySet<string> = new Set<string>([...CALLBACKS, 'owner', 'percpu_counters']);

/** The claim of each ops object made by defineOps (and of each plain one attach took in). */
const claims = new WeakMap<object, DetachClaim>();
/** The checked, frozen copy made for a plain ops object passed to attach directly. */
const copies = new WeakMap<object, object>();

function isAsync(fn: (...a: never[]) => unknown): boolean {
  try {
    return Object.prototype.toString.call(fn) === '[object AsyncFunction]' || Object.prototype.toString.call(fn) === '[object AsyncGeneratorFunction]';
  } catch {
    return false;
  }
}

/**
 * Checks `ops` and makes the frozen copy the kernel keeps: every member read once, here, so
 * a getter, a Proxy trap or a later change cannot give the kernel something else.
 */
function checkedCopy(ops: unknown, call: string): Record<string, unknown> {
  if (typeof ops !== 'object' || ops === null || isArray(ops)) {
    throw new UtraceUsageError('bad-ops', `${call}: ops must be an object of callbacks (report_syscall_entry, report_death, ...) made by defineOps; got ${describeArg(ops)}`);
  }
  let keys: (string | symbol)[];
  try {
    keys = Reflect.ownKeys(ops);
  } catch {
    throw new UtraceUsageError('bad-ops', `${call}: listing the members of ops threw (a Proxy?): pass a plain object of callbacks`);
  }
  for (const key of keys) {
    if (typeof key === 'string' && !MEMBERS.has(key)) {
      throw new UtraceUsageError('bad-ops', `${call}: ops has a member ${JSON.stringify(key)}, which struct utrace_engine_ops has not (a misspelt callback?); members are ${[...MEMBERS].join(', ')}`);
    }
  }
  const copy: Record<string, unknown> = {};
  for (const key of MEMBERS) {
    let value: unknown;
    try {
      value = (ops as Record<string, unknown>)[key];
    } catch {
      throw new UtraceUsageError('bad-ops', `${call}: reading ops.${key} threw (a getter or a Proxy trap?): pass a plain object whose members are values`);
    }
    if (value === undefined) continue;
    copy[key] = value;
  }
  for (const name of CALLBACKS) {
    const fn = copy[name];
    if (fn === undefined) continue;
    if (typeof fn !== 'function') {
      throw new UtraceUsageError('bad-ops', `${call}: ops.${name} must be a function (or left out); got ${describeArg(fn)}`);
    }
    if (isAsync(fn as () => unknown)) {
      throw new UtraceUsageError('bad-ops', `${call}: ops.${name} is an async function: callbacks run on the traced thread and must not sleep; make it synchronous (block in a tracer thread instead)`);
    }
  }
  const owner = copy['owner'];
  if (owner !== undefined && !isInstance(owner, Module)) {
    throw new UtraceUsageError('bad-ops', `${call}: ops.owner must be a module made by Kernel.load_module (or left out); got ${describeArg(owner)}`);
  }
  const counters = copy['percpu_counters'];
  if (counters !== undefined && !isInstance(counters, PercpuCounters)) {
    throw new UtraceUsageError('bad-ops', `${call}: ops.percpu_counters must come from alloc_percpu_counters(kernel) (or left out); got ${describeArg(counters)}`);
  }
  if (isInstance(owner, Module) && isInstance(counters, PercpuCounters) && (owner as Module).kernelId !== (counters as PercpuCounters).kernelId) {
    throw new UtraceUsageError('bad-ops', `${call}: ops.owner and ops.percpu_counters belong to different kernels; make both with the kernel the engine is attached in`);
  }
  return copy;
}

/**
 * The ops the kernel keeps for `ops` given to an attach, and their detach claim: the object
 * itself when defineOps made it; for a plain object (JavaScript, or a cast), a checked,
 * frozen copy made once per object and claimed never to detach.
 * @internal
 */
export function opsForAttach(ops: unknown, call: string): { ops: utrace_engine_ops<unknown>; claim: DetachClaim } {
  if (typeof ops === 'object' && ops !== null) {
    const claim = claims.get(ops);
    if (claim !== undefined) return { ops: ops as utrace_engine_ops<unknown>, claim };
    const copy = copies.get(ops);
    if (copy !== undefined) return { ops: copy as utrace_engine_ops<unknown>, claim: claims.get(copy)! };
  }
  const made = Object.freeze(checkedCopy(ops, call));
  claims.set(made, 'never-detaches');
  copies.set(ops as object, made);
  return { ops: made as utrace_engine_ops<unknown>, claim: 'never-detaches' };
}

/** Makes the frozen, claimed ops defineOps returns. @internal */
export function makeOps(ops: unknown, claim: unknown): object {
  if (claim !== undefined && claim !== 'never-detaches' && claim !== 'may-detach') {
    throw new UtraceUsageError('bad-ops', `defineOps: the claim must be 'may-detach' (some callback other than report_death may return UTRACE_DETACH) or 'never-detaches' (the default); got ${describeArg(claim)}`);
  }
  const made = Object.freeze(checkedCopy(ops, 'defineOps'));
  claims.set(made, claim ?? 'never-detaches');
  return made;
}

/**
 * Makes the ops of an engine: checks `ops`, copies it into a frozen object (so nothing can
 * change a callback after attach), and records `claim`, which the kernel enforces at every
 * callback return. The attach calls take only ops made here.
 *
 * The claim (SPEC §3 rule 3):
 * - `'never-detaches'` (the default): no callback but `report_death` returns `UTRACE_DETACH`.
 *   The compiler checks it against every callback's return type (a callback typed as returning
 *   any resume action may detach); a CREATE attach then gives a counted reference
 *   (`'attached'`). A callback that returns `UTRACE_DETACH` anyway is an oops naming it, and
 *   the engine stays attached.
 * - `'may-detach'`: some callback may return `UTRACE_DETACH`; a CREATE attach gives an RCU-kept
 *   pointer (`'rcu-only'`). When the compiler sees a callback that may detach, it requires this
 *   claim: without it the result is a sentence naming the callback, which no attach takes.
 *
 * Rule 4 (what a callback may return) is checked here too: a callback that returns what it
 * may not is reported as a sentence naming it, what it returns and what it may return, for
 * example "defineOps: report_death returns UTRACE_STOP (0), but may return only UTRACE_DETACH
 * or UTRACE_RESUME". `report_reap` and `release` must return `undefined`.
 *
 * The ops returned are frozen: no callback can be added, replaced or removed after attach. In
 * strict mode (every module) `Object.assign(ops, ...)` or an assignment to a member throws
 * JavaScript's own `TypeError` ("Cannot assign to read only property"); in sloppy-mode
 * scripts the write is silently ignored. Either way the kernel keeps calling the callbacks
 * checked here.
 *
 * The data type the callbacks read is what one of their engine parameters is annotated with
 * (`engine: callback_engine<KBox<counts>>`; `unknown` when none is); an attach with these ops
 * must pass data of that type. Explicit type arguments are refused: the compiler infers them.
 *
 * @param ops - the callbacks (`report_*`, `release`), `owner` and `percpu_counters`; callbacks
 * must be synchronous functions.
 * @param claim - `'may-detach'` when some callback but `report_death` may return `UTRACE_DETACH`.
 * @returns the frozen ops, typed with their claim and data type.
 * @throws `UtraceUsageError` (rule `'bad-ops'`) when `ops` is not a plain object, has a member
 * `struct utrace_engine_ops` has not, a member whose reading throws, a callback that is not a
 * function or is async, an `owner` not made by `Kernel.load_module`, `percpu_counters` not made
 * by `alloc_percpu_counters`, the two of different kernels, or a claim that is neither value.
 * @example
 * ```ts
 * import { defineOps, UTRACE_RESUME, UTRACE_DETACH, type callback_engine, type KBox } from 'utrace';
 * // Never detaches (report_death may): a CREATE attach gives a counted reference.
 * const counting = defineOps({
 *   report_syscall_entry: (_action: number, engine: callback_engine<KBox<{ calls: number }>>) => {
 *     engine.data.value.calls++;
 *     return UTRACE_RESUME;
 *   },
 *   report_death: () => UTRACE_DETACH,
 * });
 * // A one-shot probe: it detaches itself, so it says so.
 * const oneShot = defineOps({ report_exec: () => UTRACE_DETACH }, 'may-detach');
 * void counting, oneShot;
 * ```
 * @public
 * @category Kernel calls
 */
export function defineOps<const O extends ops_shape, Inferred extends 'inferred', const C extends detach_claim = 'never-detaches'>(
  ops: O & NoInfer<O extends utrace_engine_ops<unknown> ? unknown : rule4_checked<O>>,
  claim?: C,
): defined_ops_result<O, C> {
  return makeOps(ops, claim) as defined_ops_result<O, C>;
}

/**
 * `UTRACE_SYSCALL_ABORT | action` (or `UTRACE_SYSCALL_RUN | action`) for
 * `report_syscall_entry`, typed so the resume action stays visible to the compiler.
 * @example
 * ```ts
 * import { utrace_syscall_return, UTRACE_SYSCALL_ABORT, UTRACE_RESUME } from 'utrace';
 * console.log(utrace_syscall_return(UTRACE_SYSCALL_ABORT, UTRACE_RESUME)); // 21
 * ```
 * @public
 * @category Kernel calls
 */
export function utrace_syscall_return<R extends utrace_resume_action_t>(
  syscall_action: utrace_syscall_action_t,
  action: R,
): combined_return<R, 'syscall'> {
  const call = 'utrace_syscall_return';
  return (integerArg(syscall_action, 'syscall_action', call) | integerArg(action, 'action', call)) as combined_return<R, 'syscall'>;
}

/**
 * `signal_action | action` (and `UTRACE_SIGNAL_HOLD` when `hold`) for `report_signal`,
 * typed so the resume action stays visible to the compiler.
 * @example
 * ```ts
 * import { utrace_signal_return, UTRACE_SIGNAL_IGN, UTRACE_RESUME } from 'utrace';
 * console.log(utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_RESUME)); // 21
 * ```
 * @public
 * @category Kernel calls
 */
export function utrace_signal_return<R extends utrace_resume_action_t>(
  signal_action: utrace_signal_action_t,
  action: R,
  hold = false,
): combined_return<R, 'signal'> {
  const call = 'utrace_signal_return';
  return (integerArg(signal_action, 'signal_action', call) | integerArg(action, 'action', call) | (hold ? UTRACE_SIGNAL_HOLD : 0)) as combined_return<R, 'signal'>;
}
