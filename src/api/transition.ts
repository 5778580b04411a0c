/**
 * Moving a handle to another lifecycle state at run time: the old handle is revoked, so a
 * stale alias is caught (TypeScript has no linear types to catch it at compile time).
 *
 * The run time cannot read the return types of callbacks, so it cannot tell an rcu-only
 * engine from an attached one. It revokes a handle only where the engine moved for every
 * state the compiler might have given it: an accepted `UTRACE_DETACH`, `utrace_detach_sync`,
 * a `*_sync` return that changed the state, and the last `utrace_engine_put`. Other calls
 * return a handle tagged with the new state and leave the one passed in usable.
 * @packageDocumentation
 */
import type { engine_state } from '../../types/engine.js';
import { EngineHandle } from '../kernel/engine.js';

/**
 * The handle for the engine of `handle` in state `to`: `handle` itself when the state does
 * not change, else a new handle, with `handle` revoked by `call` (a callback's own handle
 * is never revoked).
 * @internal
 */
export function moveTo(handle: EngineHandle, to: engine_state, call: string): EngineHandle {
  if (handle.state === to) return handle;
  if (handle.state !== 'in-callback') handle.revokedBy = call;
  return new EngineHandle(handle.record, to);
}

/** The state after a 0 from setting `events`: nothing but REAP left means events-cleared. @internal */
export function stateAfterSet(events: number): engine_state {
  return (events & ~0x2) === 0 ? 'events-cleared' : 'attached';
}

/** States that calls other than utrace_engine_get never move. @internal */
export function isFixed(state: engine_state): boolean {
  return state === 'rcu-only' || state === 'in-callback';
}

/**
 * A handle tagged `to` for the engine of `handle`, leaving `handle` usable: for calls whose
 * transition the compiler may not make (it depends on whether the engine is rcu-only).
 * @internal
 */
export function retag(handle: EngineHandle, to: engine_state): EngineHandle {
  if (handle.state === to || isFixed(handle.state)) return handle;
  return new EngineHandle(handle.record, to);
}
