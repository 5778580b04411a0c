/**
 * The engine handle and its lifecycle states (SPEC §3), as phantom types.
 *
 * The state is a branded member, so a handle in one state is not assignable to a handle in
 * another: the compiler rejects a blocking call on an `'rcu-only'` engine, any call but
 * `utrace_barrier` / `utrace_engine_put` on a `'detached'` one.
 * @packageDocumentation
 */
import type { utrace_resume_actions } from './actions.js';
import type { utrace_callback_name, utrace_callback_table } from './event-table.js';
import type { defined_ops } from './ops.js';
import type { engine_state_key, return_of, may_detach_value, resume_part } from './internal.js';

declare const engineState: unique symbol;

/**
 * The lifecycle state of an engine handle (SPEC §3, memory rule v2).
 *
 * - `'attached'`: a counted reference: nothing can free the engine while it is held; every
 *   call takes it. It owes one `utrace_engine_put`.
 * - `'events-cleared'`: a counted reference on which a clear returned 0: no callback of this
 *   engine is running and none will be made (but `report_reap` if REAP was kept). The tracer
 *   may free its data.
 * - `'detached'`: `UTRACE_DETACH` was accepted or `utrace_detach_sync` returned: only
 *   `utrace_barrier` and `utrace_engine_put` take it.
 * - `'rcu-only'`: the RCU-kept pointer a CREATE attach of may-detach ops gives: not a
 *   reference, owes no put. Only in the code that attached it and before any event is enabled
 *   (rule 7): `utrace_engine_get` (which consumes it and gives a counted handle), or enabling
 *   its events and never touching it again. Never a blocking call.
 * - `'in-callback'`: the engine as a callback is given it: valid until the callback
 *   returns; non-blocking calls, and `utrace_barrier` on the callback's own task.
 * @public
 * @category Lifecycle types
 */
export type engine_state = 'attached' | 'events-cleared' | 'detached' | 'rcu-only' | 'in-callback';

/**
 * A tracing engine handle (`struct utrace_engine *`) in lifecycle state `S`, with private
 * data of type `D` and ops `O`. The state is invariant: an array of attached engines is not
 * an array of engines of any state, into which an rcu-only one could be pushed.
 * @public
 * @category Lifecycle types
 */
export interface utrace_engine<in out S extends engine_state = engine_state, D = unknown, O = unknown> {
  /**
   * The ops given at attach (made by `defineOps`). Typed so that it compares with any ops
   * table (`engine.ops === other_ops`, as `engine->ops == &ptrace_utrace_ops` does), whatever
   * that table's claim: see {@link comparable_ops}.
   */
  readonly ops: O | comparable_ops;
  /** The tracer's private data given at attach. */
  readonly data: D;
  /** The event mask set with `utrace_set_events` (`engine->flags`, without ENGINE_STOP). */
  readonly flags: number;
  /** Phantom lifecycle state; exists only in the type. */
  readonly [engineState]: S;
}

/**
 * The type an engine's `ops` adds to its own so that it compares with every ops table: ops
 * whose claim is `never` (no value has it), which every other ops type accepts. It carries no
 * claim of its own: passed back to an attach, the ops' own claim still decides the state.
 * @public
 * @category Lifecycle types
 */
export type comparable_ops = defined_ops<any, never, any>;

/**
 * Any engine handle, in any state.
 * @public
 * @category Lifecycle types
 */
export type any_engine = utrace_engine<any, any, any>;

/**
 * The state of engine type `E` (a union for a union of engines).
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
 * only by RCU: every callback with a resume action but `report_death` (the rows of the event
 * table whose `detach` is `'may'`).
 * @public
 * @category Lifecycle types
 */
export type detaching_callback = {
  [K in utrace_callback_name]: utrace_callback_table[K]['detach'] extends 'may' ? K : never;
}[utrace_callback_name];

/**
 * The callbacks of ops `O` other than `report_death` that may return `UTRACE_DETACH`, by
 * name (`never` when none may).
 * @public
 * @category Lifecycle types
 */
export type detaching_callbacks<O> = {
  [K in detaching_callback & keyof O]-?: may_detach_value<resume_part<return_of<O[K]>>> extends true ? K : never;
}[detaching_callback & keyof O];

/**
 * `true` when some callback of ops `O` other than `report_death` may return
 * `UTRACE_DETACH` (SPEC rule 3). A callback typed as returning a plain `number` counts as
 * may-detach, since the compiler cannot tell.
 * @public
 * @category Lifecycle types
 */
export type ops_may_detach<O> = [detaching_callbacks<O>] extends [never] ? false : true;

/**
 * The state a CREATE attach gives for ops claiming `C`: `'rcu-only'` for `'may-detach'`,
 * `'attached'` (a counted reference) for `'never-detaches'`; both, as a union, when the claim
 * is not known.
 * @public
 * @category Lifecycle types
 */
export type claim_state<C> = C extends 'may-detach' ? 'rcu-only' : 'attached';

/**
 * The detach claim ops type `O` carries (`never` for a type that carries none).
 * @public
 * @category Lifecycle types
 */
export type claim_of<O> = O extends defined_ops<any, infer C> ? C : never;

/**
 * The state an engine attached with ops `O` has: see {@link claim_state}.
 * @public
 * @category Lifecycle types
 */
export type attach_state<O> = claim_state<claim_of<O>>;
