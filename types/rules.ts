/**
 * Which lifecycle states each call accepts, and the message the compiler shows when a
 * handle in another state is passed (SPEC rules 1, 2 and 5).
 * @packageDocumentation
 */
import type { any_engine, engine_state, engine_state_key, utrace_engine } from './engine.js';
import type { defined_ops } from './ops.js';

/**
 * The states each engine call accepts.
 * @public
 * @category Lifecycle types
 */
export interface accepted_states {
  /** The states `utrace_set_events` accepts. */
  utrace_set_events: 'attached' | 'events-cleared' | 'rcu-only' | 'in-callback';
  /** The states `utrace_control` accepts. */
  utrace_control: 'attached' | 'events-cleared' | 'rcu-only' | 'in-callback';
  /** The states `utrace_engine_get` accepts. */
  utrace_engine_get: 'attached' | 'events-cleared' | 'rcu-only' | 'in-callback';
  /** The states `utrace_engine_put` accepts: counted references only (an RCU-kept pointer owes no put). */
  utrace_engine_put: 'attached' | 'events-cleared' | 'detached';
  /** The states `utrace_finish_examine` accepts. */
  utrace_finish_examine: 'attached';
  /** The states `utrace_barrier` accepts (`'in-callback'`: on the callback's own task it returns 0 at once). */
  utrace_barrier: 'attached' | 'detached' | 'in-callback';
  /** The states `utrace_prepare_examine` accepts. */
  utrace_prepare_examine: 'attached';
  /** The states `utrace_set_events_sync` accepts. */
  utrace_set_events_sync: 'attached' | 'events-cleared';
  /** The states `utrace_clear_events_sync` accepts. */
  utrace_clear_events_sync: 'attached' | 'events-cleared';
  /** The states `utrace_detach_sync` accepts. */
  utrace_detach_sync: 'attached' | 'events-cleared';
}

/**
 * A call that takes an engine.
 * @public
 * @category Lifecycle types
 */
export type engine_call = keyof accepted_states;

/**
 * Why a call refuses a handle in state `S`, in words; `N` names the callbacks that may
 * detach an rcu-only engine.
 * @public
 * @category Lifecycle types
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
 * @public
 * @category Lifecycle types
 */
export type is_union<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/**
 * The compiler's message for passing a handle in state `S` to `C`.
 * @public
 * @category Lifecycle types
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
 * @public
 * @category Lifecycle types
 */
export type detaching_names<E> = E extends utrace_engine<any, any, defined_ops<any, any, infer N>> ? (string extends N ? '' : N) : '';

/**
 * `E` itself when call `C` accepts its state, else the message naming the rule broken.
 * Used as a parameter type, it makes a misuse read as that message.
 * @public
 * @category Lifecycle types
 */
export type checked_engine<E extends any_engine, C extends engine_call> = E[engine_state_key] extends infer S extends engine_state
  ? [S] extends [accepted_states[C]]
    ? E
    : rule_message<C, S, detaching_names<E>>
  : never;
