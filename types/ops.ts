/**
 * `struct utrace_engine_ops`: the callbacks of an engine, with what each may return
 * (SPEC rule 4).
 * @packageDocumentation
 */
import type { combined_return, incoming_action, utrace_resume_action_t } from './actions.js';
import type { detaching_callbacks, utrace_engine } from './engine.js';
import type { engine_callbacks, utrace_callback_name, utrace_callback_table } from './event-table.js';
import type { module_struct, percpu_counters } from './module.js';
import type {
  exit_code_cell,
  jctl_type,
  k_sigaction,
  linux_binfmt,
  linux_binprm,
  pt_regs,
  siginfo_t,
  task_struct,
} from './task.js';

/**
 * The engine as a callback sees it: valid until the callback returns. Its `data` is typed
 * `D`: annotate one callback's engine parameter (`engine: callback_engine<KBox<counts>>`) and
 * every callback of the same ops sees that type, and the attach that uses these ops must pass
 * data of that type.
 * @public
 * @category Lifecycle types
 */
export type callback_engine<D = unknown> = utrace_engine<'in-callback', D, defined_ops<any, detach_claim>>;

/**
 * What ops claim about `UTRACE_DETACH` (SPEC §3 rule 3): `'never-detaches'` ops return it from
 * no callback but `report_death`; `'may-detach'` ops may. The claim decides what a CREATE attach
 * gives the tracer: a counted reference, or an RCU-kept pointer (`'rcu-only'`).
 * @public
 * @category Lifecycle types
 */
export type detach_claim = 'never-detaches' | 'may-detach';

declare const opsBrand: unique symbol;

/**
 * What ops made by `defineOps` carry, in their type only: the detach claim `C`, checked by
 * `defineOps` against every callback and enforced by the kernel at every callback return, and
 * the data type `D` their callbacks read.
 * @public
 * @category Lifecycle types
 */
export interface ops_claim<D, C extends detach_claim, N extends string = string> {
  /** The detach claim. */
  readonly claim: C;
  /** The callbacks that may return `UTRACE_DETACH`, by name, for messages (`''` when none). */
  readonly detaching: N;
  /** Takes the data the callbacks read: data of type `D`, or of a narrower type, may be attached. */
  readonly data: (data: D) => void;
}

/**
 * Ops made by `defineOps`: a frozen callback table with its detach claim `C` and data type `D`.
 * The attach calls take only these, so the claim the compiler reads is the claim the kernel
 * enforces, whatever declared types the value went through: a wider claim (`detach_claim`)
 * gives an engine of either state, and no type but this one carries a claim.
 * @public
 * @category Lifecycle types
 */
export interface defined_ops<D = unknown, C extends detach_claim = detach_claim, N extends string = string> {
  /** The claim and data type (type only; the kernel keeps the claim itself). */
  readonly [opsBrand]: ops_claim<D, C, N>;
}

/**
 * The data type the callbacks of ops `O` read: what their engine parameters (or `release`'s
 * parameter) are annotated with, `unknown` when none is.
 * @public
 * @category Lifecycle types
 */
export type ops_data<O> = O extends ops_reading<infer X> ? X : unknown;

/**
 * Ops whose callbacks read data of type `X`, for {@link ops_data} to infer `X` from (type only).
 * @public
 * @category Lifecycle types
 */
export interface ops_reading<X> {
  /** `report_quiesce`, read for its engine parameter. */
  readonly report_quiesce?: (action: any, engine: callback_engine<X>, ...rest: any) => any;
  /** `report_signal`, read for its engine parameter. */
  readonly report_signal?: (action: any, engine: callback_engine<X>, ...rest: any) => any;
  /** `report_clone`, read for its engine parameter. */
  readonly report_clone?: (action: any, engine: callback_engine<X>, ...rest: any) => any;
  /** `report_jctl`, read for its engine parameter. */
  readonly report_jctl?: (action: any, engine: callback_engine<X>, ...rest: any) => any;
  /** `report_exec`, read for its engine parameter. */
  readonly report_exec?: (action: any, engine: callback_engine<X>, ...rest: any) => any;
  /** `report_syscall_entry`, read for its engine parameter. */
  readonly report_syscall_entry?: (action: any, engine: callback_engine<X>, ...rest: any) => any;
  /** `report_syscall_exit`, read for its engine parameter. */
  readonly report_syscall_exit?: (action: any, engine: callback_engine<X>, ...rest: any) => any;
  /** `report_exit`, read for its engine parameter. */
  readonly report_exit?: (action: any, engine: callback_engine<X>, ...rest: any) => any;
  /** `report_death`, read for its engine parameter. */
  readonly report_death?: (engine: callback_engine<X>, ...rest: any) => any;
  /** `report_reap`, read for its engine parameter. */
  readonly report_reap?: (engine: callback_engine<X>, ...rest: any) => any;
  /** `release`, read for its data parameter. */
  readonly release?: (data: X) => any;
}

/**
 * The callbacks that may detach, in a fixed order, for joining their names in messages.
 * @public
 * @category Lifecycle types
 */
export type detaching_order = [
  'report_quiesce',
  'report_signal',
  'report_clone',
  'report_jctl',
  'report_exec',
  'report_syscall_entry',
  'report_syscall_exit',
  'report_exit',
];

/**
 * The names in `K` (a union of callback names), joined with commas in a fixed order.
 * @public
 * @category Lifecycle types
 */
export type joined_names<K, L extends readonly string[] = detaching_order, Acc extends string = ''> = L extends readonly [
  infer H extends string,
  ...infer T extends readonly string[],
]
  ? joined_names<K, T, H extends K ? (Acc extends '' ? H : `${Acc}, ${H}`) : Acc>
  : Acc;

/**
 * What `defineOps(ops, claim)` returns: the ops, carrying the claim, when the claim holds for
 * every callback the compiler can see; else {@link refused_ops} with a sentence naming the
 * callbacks that may detach and the fix, which no attach takes.
 * @public
 * @category Lifecycle types
 */
export type defined_ops_result<O, C extends detach_claim> = [C] extends ['never-detaches']
  ? [detaching_callbacks<O>] extends [never]
    ? defined_ops<ops_data<O>, 'never-detaches', ''>
    : refused_ops<`defineOps: ${joined_names<detaching_callbacks<O>>} may return UTRACE_DETACH, so these ops may detach the engine: pass 'may-detach' as the second argument (the engine is then rcu-only: take a counted reference with utrace_engine_get before enabling events)`>
  : defined_ops<ops_data<O>, C, joined_names<detaching_callbacks<O>>>;

/**
 * What `defineOps` returns for ops whose callbacks contradict their claim: no ops (no attach
 * takes it), and the reason, which the compiler shows where the value is used.
 * @public
 * @category Lifecycle types
 */
export interface refused_ops<M extends string> {
  /** Why these are no ops. */
  readonly refused: M;
}

/**
 * The callback table of an engine, as given to `defineOps`: the callbacks of the event table
 * ({@link utrace_callback_table}), each optional, and the owner and counters. Each callback is
 * called on the traced thread (or, for `report_reap`, the reaper) at a safe point, with no
 * lock held, and must not sleep: none may be async. `action` is the action chosen by the
 * engines called before this one.
 * @public
 * @category Lifecycle types
 */
export interface utrace_engine_ops<D = unknown> extends engine_callbacks<D> {
  /** The module whose code these callbacks are (`.owner = THIS_MODULE`). */
  readonly owner?: module_struct;
  /** Per-CPU counters the kernel brackets every callback of this engine with. */
  readonly percpu_counters?: percpu_counters;
}
