/**
 * Moving a handle to another lifecycle state at run time: the old handle is revoked, so a
 * stale alias is caught (TypeScript has no linear types to catch it at compile time).
 *
 * A handle keeps what it stands for across a transition: the handle a call returns for a
 * counted reference is the same counted reference (one put for all of them). Calls that
 * the compiler always types as a transition revoke the handle passed in: an accepted
 * `UTRACE_DETACH`, `utrace_detach_sync`, a `*_sync` return that changed the state, the put
 * of the counted reference, and `utrace_engine_get` on an RCU-kept pointer. `utrace_set_events`
 * returns a handle tagged with the new state and leaves the one passed in usable: the state
 * it moves to depends on whether the mask was a literal the compiler could read.
 * @packageDocumentation
 */
import type { engine_state } from '../../types/engine.js';
import { ENGINE_STOP, EngineHandle, type EngineRecord } from '../kernel/engine.js';
import { UTRACE_EVENT_INDEX } from '../constants/events.js';

const REAP = 1 << UTRACE_EVENT_INDEX.REAP;

/**
 * The handle for the engine of `handle` in state `to`: `handle` itself when the state does
 * not change, else a new handle for the same reference, with `handle` revoked by `call` (a
 * callback's own handle is never revoked).
 * @internal
 */
export function moveTo(handle: EngineHandle, to: engine_state, call: string): EngineHandle {
  if (handle.state === to) return handle;
  if (handle.state !== 'in-callback') handle.revokedBy = call;
  return new EngineHandle(handle.record, to, handle.ref);
}

/** The state after a 0 from setting `events`: nothing but REAP left means events-cleared. @internal */
export function stateAfterSet(events: number): engine_state {
  return (events & ~REAP) === 0 ? 'events-cleared' : 'attached';
}

/** States that calls other than utrace_engine_get never move. @internal */
export function isFixed(state: engine_state): boolean {
  return state === 'rcu-only' || state === 'in-callback';
}

/**
 * A handle tagged `to` for the engine of `handle`, leaving `handle` usable.
 * @internal
 */
export function retag(handle: EngineHandle, to: engine_state): EngineHandle {
  if (handle.state === to || isFixed(handle.state)) return handle;
  return new EngineHandle(handle.record, to, handle.ref);
}

/**
 * Records that `record` has events enabled, once it has: from then on no call takes its
 * RCU-kept pointer (SPEC §3 rule 7).
 * @internal
 */
export function noteEventsEnabled(record: EngineRecord): void {
  if ((record.flags & ~ENGINE_STOP) !== 0) record.eventsEnabled = true;
}
