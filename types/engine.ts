/**
 * The engine handle and its lifecycle states (SPEC §3), as phantom types.
 *
 * The state is a branded member, so a handle in one state is not assignable to a handle in
 * another: the compiler rejects a blocking call on an `'rcu-only'` engine, any call but
 * `utrace_barrier` / `utrace_engine_put` on a `'detached'` one.
 * @packageDocumentation
 */
import type { resume_part, utrace_resume_actions } from './actions.js';
import type { utrace_engine_ops } from './ops.js';

declare const engineState: unique symbol;

/**
 * The key of the phantom lifecycle-state member of {@link utrace_engine} (type only).
 * @public
 * @category Lifecycle types
 */
export type engine_state_key = Exclude<keyof utrace_engine, 'ops' | 'data' | 'flags'>;

/**
 * The lifecycle state of an engine handle.
 *
 * - `'attached'`: attached; the tracer's pointer is its own. Every call is allowed.
 * - `'events-cleared'`: a clear returned 0: no callback of this engine is running and none
 *   will be made (but `report_reap` if REAP was kept). The tracer may free its data.
 * - `'detached'`: `UTRACE_DETACH` was accepted or `utrace_detach_sync` returned: only
 *   `utrace_barrier` and `utrace_engine_put` are allowed.
 * - `'rcu-only'`: a callback other than `report_death` may return `UTRACE_DETACH` and the
 *   tracer holds no counted reference: the pointer is kept alive only by RCU. Only
 *   non-blocking calls, inside an RCU read-side section.
 * - `'in-callback'`: the engine as a callback is given it: valid until the callback
 *   returns; non-blocking calls only, since callbacks must not sleep.
 * @public
 * @category Lifecycle types
 */
export type engine_state = 'attached' | 'events-cleared' | 'detached' | 'rcu-only' | 'in-callback';

/**
 * A tracing engine handle (`struct utrace_engine *`) in lifecycle state `S`, with private
 * data of type `D` and callbacks `O`.
 * @public
 * @category Lifecycle types
 */
export interface utrace_engine<S extends engine_state = engine_state, D = unknown, O = utrace_engine_ops<D>> {
  /** The callback table given at attach. */
  readonly ops: O;
  /** The tracer's private data given at attach. */
  readonly data: D;
  /** The event mask set with `utrace_set_events` (`engine->flags`, without ENGINE_STOP). */
  readonly flags: number;
  /** Phantom lifecycle state; exists only in the type. */
  readonly [engineState]: S;
}

/**
 * Any engine handle, in any state.
 * @public
 * @category Lifecycle types
 */
export type any_engine = utrace_engine<engine_state, any, any>;

/**
 * The state of engine type `E`.
 * @public
 * @category Lifecycle types
 */
export type state_of<E> = E extends any_engine ? E[engine_state_key] : never;

/**
 * Engine type `E` moved to state `S`, with the same data and ops.
 * @public
 * @category Lifecycle types
 */
export type with_state<E, S extends engine_state> = E extends any_engine ? utrace_engine<S, E['data'], E['ops']> : never;

/**
 * The callbacks that may detach the engine in a way that leaves the tracer's pointer kept
 * only by RCU: every callback with a resume action but `report_death`.
 * @public
 * @category Lifecycle types
 */
export type detaching_callback =
  | 'report_quiesce'
  | 'report_signal'
  | 'report_clone'
  | 'report_jctl'
  | 'report_exec'
  | 'report_syscall_entry'
  | 'report_syscall_exit'
  | 'report_exit';

/**
 * The return types of the callbacks of `O` that may detach.
 * @public
 * @category Lifecycle types
 */
export type callback_returns<O> = return_of<O[detaching_callback & keyof O]>;

/**
 * The return type of each function type in `F` (`never` for the rest).
 * @public
 * @category Lifecycle types
 */
export type return_of<F> = F extends (...args: any) => infer R ? R : never;

/**
 * Whether a resume-action type `R` may be `UTRACE_DETACH` (a plain `number` may).
 * @public
 * @category Lifecycle types
 */
export type may_detach_value<R> = [R] extends [never] ? false : number extends R ? true : utrace_resume_actions['DETACH'] extends R ? true : false;

/**
 * `true` when some callback of ops `O` other than `report_death` may return
 * `UTRACE_DETACH` (SPEC rule 3). A callback typed as returning a plain `number` counts as
 * may-detach, since the compiler cannot tell.
 * @public
 * @category Lifecycle types
 */
export type ops_may_detach<O> = may_detach_value<resume_part<callback_returns<O>>>;

/**
 * The state an engine with ops `O` has when attached: `'rcu-only'` when its callbacks may
 * detach it, else `'attached'`.
 * @public
 * @category Lifecycle types
 */
export type attach_state<O> = ops_may_detach<O> extends true ? 'rcu-only' : 'attached';
