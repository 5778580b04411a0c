/**
 * Which lifecycle states each call accepts, and the message the compiler shows when a
 * handle in another state is passed (SPEC rules 1, 2 and 5).
 * @packageDocumentation
 */
import type { any_engine, engine_state, engine_state_key } from './engine.js';

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
  /** The states `utrace_engine_put` accepts. */
  utrace_engine_put: 'attached' | 'events-cleared' | 'rcu-only' | 'detached';
  /** The states `utrace_finish_examine` accepts. */
  utrace_finish_examine: 'attached';
  /** The states `utrace_barrier` accepts. */
  utrace_barrier: 'attached' | 'detached';
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
 * Why a call refuses a handle in state `S`, in words.
 * @public
 * @category Lifecycle types
 */
export type why<S extends engine_state> = S extends 'rcu-only'
  ? 'engine may be detached by its own callbacks: it is rcu-only; take a counted reference with utrace_engine_get inside rcu_read_section first'
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
export type rule_message<C extends engine_call, S extends engine_state> = true extends is_union<S>
  ? `${C}: engine state is not known: narrow the result of the last call on \`ret\` first`
  : [C, S] extends ['utrace_engine_put', 'in-callback']
    ? `${C}: the engine a callback is given holds no reference of yours; put the handle utrace_engine_get returned`
    : `${C}: ${why<S>}`;

/**
 * `E` itself when call `C` accepts its state, else the message naming the rule broken.
 * Used as a parameter type, it makes a misuse read as that message.
 * @public
 * @category Lifecycle types
 */
export type checked_engine<E extends any_engine, C extends engine_call> = E[engine_state_key] extends infer S extends engine_state
  ? [S] extends [accepted_states[C]]
    ? E
    : rule_message<C, S>
  : never;
