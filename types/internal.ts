/**
 * Helper types the public types are built from: they appear inside public signatures (the
 * compiler expands them in messages and hovers) but are not themselves API, so the type index
 * does not re-export them and users cannot import them. Type tests import them from here.
 * @module
 */
import type { combined_return, incoming_action, utrace_resume_action_t, utrace_resume_actions } from './actions.js';
import type { engine_state, utrace_engine } from './engine.js';
import type { utrace_callback_name, utrace_callback_table } from './event-table.js';
import type { callback_engine, defined_ops } from './ops.js';
import type { engine_call } from './rules.js';
import type { module_struct, percpu_counters } from './module.js';
import type { exit_code_cell, jctl_type, k_sigaction, linux_binfmt, linux_binprm, pt_regs, siginfo_t, task_struct } from './task.js';

/**
 * Why a call refuses a handle in state `S`, in words; `N` names the callbacks that may
 * detach an rcu-only engine.
 */
export type why<S extends engine_state, N extends string = ''> = S extends 'rcu-only'
  ? `engine may be detached by its own callbacks${N extends '' ? '' : ` (${N} may return UTRACE_DETACH)`}: it is rcu-only; take a counted reference with utrace_engine_get before enabling events`
  : S extends 'detached'
    ? 'engine is detached: only utrace_barrier and utrace_engine_put accept it'
    : S extends 'in-callback'
      ? 'callbacks must not sleep: a blocking call cannot take the engine a callback was given; take a counted reference with utrace_engine_get and block in a tracer thread'
      : S extends 'events-cleared'
        ? 'engine is events-cleared: no callback can run, so there is nothing to wait for; set events again first'
        : 'engine is attached, but this call does not take an attached engine';

/**
 * `true` when `T` is a union of more than one type.
 */
export type is_union<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/**
 * The compiler's message for passing a handle in state `S` to `C`.
 */
export type rule_message<C extends engine_call, S extends engine_state, N extends string = ''> = true extends is_union<S>
  ? `${C}: engine state is not known: narrow the result of the last call on \`ret\` first`
  : [C, S] extends ['utrace_engine_put', 'in-callback']
    ? `${C}: the engine a callback is given holds no reference of yours; put the handle utrace_engine_get returned`
    : [C, S] extends ['utrace_engine_put', 'rcu-only']
      ? `${C}: an rcu-only engine is an RCU-kept pointer, not a counted reference: it owes no put; put only the handles utrace_engine_get and lookups return`
      : `${C}: ${why<S, N>}`;

/**
 * The names of the callbacks that may detach, carried by the ops of engine type `E`.
 */
export type detaching_names<E> = E extends utrace_engine<any, any, defined_ops<any, any, infer N>> ? (string extends N ? '' : N) : '';

/**
 * The key of the phantom lifecycle-state member of {@link utrace_engine} (type only).
 */
export type engine_state_key = Exclude<keyof utrace_engine, 'ops' | 'data' | 'flags'>;

/**
 * Every return type of function type `F`, over up to four overloads (a single signature is
 * read four times): an overloaded callback may detach when any of its overloads may.
 */
export type return_of<F> = F extends {
  (...args: any): infer R1;
  (...args: any): infer R2;
  (...args: any): infer R3;
  (...args: any): infer R4;
}
  ? R1 | R2 | R3 | R4
  : F extends (...args: any) => infer R
    ? R
    : never;

/**
 * Whether a resume-action type `R` may be `UTRACE_DETACH` (a plain `number` may).
 */
export type may_detach_value<R> = [R] extends [never] ? false : number extends R ? true : utrace_resume_actions['DETACH'] extends R ? true : false;

/**
 * States whose handle cannot change state through these calls.
 */
export type fixed_state = 'rcu-only' | 'in-callback';

/**
 * The state after a successful set of `Ev`: `'events-cleared'` when nothing but REAP is
 * left, else `'attached'`. A non-literal mask counts as `'attached'`.
 */
export type state_after_set<Ev extends number> = [Ev] extends [0 | 0x2] ? 'events-cleared' : 'attached';

/**
 * What each callback may return (SPEC §3 rule 4), in types and in words, from the event table.
 */
export type callback_returns = {
  [K in utrace_callback_name]: [ReturnType<utrace_callback_table[K]['callback']>, utrace_callback_table[K]['returns']];
};

/**
 * The names of the resume actions, for rule-4 messages.
 */
export interface action_names {
  /** The name of resume action 0. */
  0: 'UTRACE_STOP (0)';
  /** The name of resume action 1. */
  1: 'UTRACE_INTERRUPT (1)';
  /** The name of resume action 2. */
  2: 'UTRACE_REPORT (2)';
  /** The name of resume action 3. */
  3: 'UTRACE_SINGLESTEP (3)';
  /** The name of resume action 4. */
  4: 'UTRACE_BLOCKSTEP (4)';
  /** The name of resume action 5. */
  5: 'UTRACE_RESUME (5)';
  /** The name of resume action 6. */
  6: 'UTRACE_DETACH (6)';
}

/**
 * A callback's return type `R`, in words, for rule-4 messages.
 */
export type returned_text<R> = [R] extends [PromiseLike<unknown>]
  ? 'a promise (an async callback sleeps; callbacks must not)'
  : [R] extends [combined_return<utrace_resume_action_t, 'syscall'>]
    ? 'a syscall action'
    : [R] extends [combined_return<utrace_resume_action_t, 'signal'>]
      ? 'a signal action'
      : [R] extends [number]
        ? number extends R
          ? 'a plain number'
          : R extends keyof action_names ? action_names[R] : R extends number ? `${R}` : never
        : [R] extends [void]
          ? 'void (which may be any value)'
          : 'another value';

/**
 * The ops `O` as `defineOps` accepts them: each callback that returns what it may not is
 * replaced by a sentence naming the callback, what it returns and what it may return.
 */
export type rule4_checked<O> = {
  [K in keyof O]: K extends keyof callback_returns
    ? O[K] extends (...args: any) => infer R
      ? [R] extends [callback_returns[K][0]]
        ? O[K]
        : `defineOps: ${K & string} returns ${returned_text<R>}, but may return only ${callback_returns[K][1]}`
      : O[K]
    : O[K];
};

/**
 * Any value, spelt so that a callback's literal return stays literal (`7`, not `number`) and a
 * body without `return` is read as returning `undefined`: what `defineOps` infers the
 * callbacks that return an action against, before {@link rule4_checked} judges what they return.
 */
export type any_return = utrace_resume_action_t | (number & {}) | {} | null | undefined;

/**
 * The shape `defineOps` infers ops from: the callbacks of {@link utrace_engine_ops} with their
 * parameters, so that a wrong return is reported by {@link rule4_checked} as the rule rather
 * than as a signature mismatch. `report_reap` and `release` keep their `undefined` return
 * here (a wrong return from them reads "not assignable to type 'undefined'"): a wider
 * contextual type would make TypeScript 5.9 read their empty bodies as `void`.
 */
export interface ops_shape {
  /** `report_quiesce`, as `defineOps` infers it. */
  report_quiesce?(action: incoming_action, engine: callback_engine<unknown>, event: number): any_return;
  /** `report_signal`, as `defineOps` infers it. */
  report_signal?(
    action: incoming_action<'signal'>,
    engine: callback_engine<unknown>,
    regs: pt_regs,
    info: siginfo_t,
    orig_ka: k_sigaction | null,
    return_ka: k_sigaction,
  ): any_return;
  /** `report_clone`, as `defineOps` infers it. */
  report_clone?(action: incoming_action, engine: callback_engine<unknown>, clone_flags: number, child: task_struct): any_return;
  /** `report_jctl`, as `defineOps` infers it. */
  report_jctl?(action: incoming_action, engine: callback_engine<unknown>, type: jctl_type, notify: number): any_return;
  /** `report_exec`, as `defineOps` infers it. */
  report_exec?(action: incoming_action, engine: callback_engine<unknown>, fmt: linux_binfmt, bprm: linux_binprm, regs: pt_regs): any_return;
  /** `report_syscall_entry`, as `defineOps` infers it. */
  report_syscall_entry?(action: incoming_action<'syscall'>, engine: callback_engine<unknown>, regs: pt_regs): any_return;
  /** `report_syscall_exit`, as `defineOps` infers it. */
  report_syscall_exit?(action: incoming_action, engine: callback_engine<unknown>, regs: pt_regs): any_return;
  /** `report_exit`, as `defineOps` infers it. */
  report_exit?(action: incoming_action, engine: callback_engine<unknown>, orig_code: number, code: exit_code_cell): any_return;
  /** `report_death`, as `defineOps` infers it. */
  report_death?(engine: callback_engine<unknown>, group_dead: boolean, signal: number): any_return;
  /** `report_reap`, as `defineOps` infers it. */
  // Exactly `undefined`: only then does every compiler read a body without `return` as
  // returning `undefined` (TypeScript 5.9 reads `void` otherwise, which rule 4 refuses).
  report_reap?(engine: callback_engine<unknown>, task: task_struct): undefined;
  /** `release`, as `defineOps` infers it. */
  release?(data: unknown): undefined;
  /** `owner`, as `defineOps` infers it. */
  readonly owner?: module_struct;
  /** `percpu_counters`, as `defineOps` infers it. */
  readonly percpu_counters?: percpu_counters;
}

/**
 * The resume action a callback return value carries: `R` itself for a plain action, the
 * remembered action for a combined value, and `number` when the type says nothing.
 */
export type resume_part<V> = V extends combined_return<infer R, 'syscall' | 'signal'> ? R : V;
