/**
 * Which lifecycle states each call accepts, and the message the compiler shows when a
 * handle in another state is passed (SPEC rules 1, 2 and 5).
 * @packageDocumentation
 */
import type { any_engine, engine_state, utrace_engine } from './engine.js';
import type { defined_ops } from './ops.js';
import type { rule_message, detaching_names, engine_state_key } from './internal.js';

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
