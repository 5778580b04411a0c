/**
 * What the calls that move an engine to another state return: a result discriminated on
 * `ret` (the C return code), holding the handle to use from then on.
 * @packageDocumentation
 */
import type { utrace_resume_actions } from './actions.js';
import type { any_engine, with_state } from './engine.js';
import type { NEG_EALREADY, NEG_EINPROGRESS, NEG_EINVAL, NEG_EOPNOTSUPP, NEG_ERESTARTSYS, NEG_ESRCH } from './errno.js';
import type { engine_state_key, fixed_state, state_after_set } from './internal.js';

/**
 * A call's result: the C return code and the engine handle to use from now on.
 * @public
 * @category Lifecycle types
 */
export interface engine_result<R extends number, E> {
  /** The C return code: 0 or a negative errno. */
  readonly ret: R;
  /** The handle to use from now on; the handle passed in may have been revoked. */
  readonly engine: E;
}

/**
 * What `utrace_set_events` returns for engine `E` and mask `Ev`.
 * @public
 * @category Lifecycle types
 */
export type set_events_result<E extends any_engine, Ev extends number> = E[engine_state_key] extends fixed_state
  ? engine_result<0 | NEG_EINPROGRESS | NEG_EALREADY | NEG_ESRCH, E>
  :
      | engine_result<0, with_state<E, state_after_set<Ev>>>
      | engine_result<NEG_EINPROGRESS, E>
      | engine_result<NEG_EALREADY, E>
      | engine_result<NEG_ESRCH, with_state<E, 'detached'>>;

/**
 * What `utrace_control` returns for engine `E` and action `A`. Only an accepted
 * `UTRACE_DETACH` moves a counted reference: to `'detached'`. An rcu-only pointer or a
 * callback's engine keeps its state (an RCU-kept pointer that detached its engine may not be
 * used again: rule 7). When the compiler cannot see the action
 * (a wide type that includes `UTRACE_DETACH`), the engine may be detached or not, and has to
 * be narrowed before another call takes it.
 * @public
 * @category Lifecycle types
 */
export type control_result<E extends any_engine, A extends number> = [A] extends [utrace_resume_actions['DETACH']]
  ? E[engine_state_key] extends fixed_state
    ? engine_result<0 | NEG_EINPROGRESS | NEG_EALREADY | NEG_ESRCH, E>
    :
        | engine_result<0 | NEG_EINPROGRESS, with_state<E, 'detached'>>
        | engine_result<NEG_EALREADY, E>
        | engine_result<NEG_ESRCH, with_state<E, 'detached'>>
  : utrace_resume_actions['DETACH'] extends A
    ? E[engine_state_key] extends fixed_state
      ? engine_result<0 | NEG_EINPROGRESS | NEG_EINVAL | NEG_EOPNOTSUPP | NEG_ESRCH | NEG_EALREADY, E>
      : engine_result<0 | NEG_EINPROGRESS | NEG_EINVAL | NEG_EOPNOTSUPP | NEG_ESRCH | NEG_EALREADY, E | with_state<E, 'detached'>>
    : engine_result<0 | NEG_EINPROGRESS | NEG_EINVAL | NEG_EOPNOTSUPP | NEG_ESRCH | NEG_EALREADY, E>;

/**
 * What `utrace_set_events_sync` resolves to: 0 means no disabled callback is running and
 * none will be made.
 * @public
 * @category Lifecycle types
 */
export type set_events_sync_result<E extends any_engine, Ev extends number> =
  | engine_result<0, with_state<E, state_after_set<Ev>>>
  | engine_result<NEG_ESRCH, with_state<E, 'detached'>>
  | engine_result<NEG_ERESTARTSYS, E>;

/**
 * What `utrace_detach_sync` resolves to: 0 (every callback has finished; the engine is
 * gone) or `-ESRCH` (`report_reap` is running now). Never anything else.
 * @public
 * @category Lifecycle types
 */
export type detach_sync_result<E extends any_engine> = engine_result<0 | NEG_ESRCH, with_state<E, 'detached'>>;

/**
 * What `utrace_engine_get` returns: `ret` 0 and a new handle, a counted reference of its own
 * that owes one put; or `-ESRCH` when the engine was detached already (no reference taken).
 * On an rcu-only engine (allowed only before its events are enabled, rule 7) the RCU-kept
 * pointer is consumed, the new handle is `'attached'`, and the result is always 0; on the
 * engine a callback was given, the new handle is `'attached'`; otherwise it has the state of
 * the handle passed.
 * @public
 * @category Lifecycle types
 */
export type engine_get_result<E extends any_engine> = E[engine_state_key] extends 'rcu-only'
  ? engine_result<0, with_state<E, 'attached'>>
  : engine_result<0, E[engine_state_key] extends 'in-callback' ? with_state<E, 'attached'> : E> | engine_result<NEG_ESRCH, E>;
