/**
 * The lifecycle states are distinct types: a handle in one state is not assignable to a
 * handle in another, whatever its data and ops, so no state can be passed off as another.
 * A handle whose state is a union (an un-narrowed result, or the plain `utrace_engine`)
 * is taken only by a call that takes every state in the union.
 */
import { expectAssignable, expectType } from 'tsd';
import {
  UTRACE_EVENT,
  utrace_barrier,
  utrace_control,
  utrace_detach_sync,
  utrace_engine_get,
  utrace_engine_put,
  utrace_set_events,
  utrace_set_events_sync,
  UTRACE_RESUME,
} from 'utrace';
import type { any_engine, callback_engine, engine_state, state_of, utrace_engine, with_state } from 'utrace';
import { attached, detached, eventsCleared, inCallback, rcuOnly, stateOf, task, unknownState } from './fixtures.js';
import type { counts } from './fixtures.js';

type handle<S extends engine_state> = utrace_engine<S, counts>;

// --- No state is assignable to another ----------------------------------------------------

// @ts-expect-error attached is not events-cleared: callbacks may still run
const a1: handle<'events-cleared'> = attached;
// @ts-expect-error attached is not detached
const a2: handle<'detached'> = attached;
// @ts-expect-error attached is not rcu-only
const a3: handle<'rcu-only'> = attached;
// @ts-expect-error attached is not the engine a callback is given
const a4: callback_engine<counts> = attached;

// @ts-expect-error events-cleared is not attached: its events must be set again first
const c1: handle<'attached'> = eventsCleared;
// @ts-expect-error events-cleared is not detached
const c2: handle<'detached'> = eventsCleared;
// @ts-expect-error events-cleared is not rcu-only
const c3: handle<'rcu-only'> = eventsCleared;
// @ts-expect-error events-cleared is not in-callback
const c4: callback_engine<counts> = eventsCleared;

// @ts-expect-error detached is not attached: only barrier and put take it
const d1: handle<'attached'> = detached;
// @ts-expect-error detached is not events-cleared
const d2: handle<'events-cleared'> = detached;
// @ts-expect-error detached is not rcu-only
const d3: handle<'rcu-only'> = detached;
// @ts-expect-error detached is not in-callback
const d4: callback_engine<counts> = detached;

// @ts-expect-error rcu-only is not attached: take a counted reference first
const r1: handle<'attached'> = rcuOnly;
// @ts-expect-error rcu-only is not events-cleared
const r2: handle<'events-cleared'> = rcuOnly;
// @ts-expect-error rcu-only is not detached
const r3: handle<'detached'> = rcuOnly;
// @ts-expect-error rcu-only is not in-callback
const r4: callback_engine<counts> = rcuOnly;

// @ts-expect-error the engine a callback is given is not attached: it holds no reference
const i1: handle<'attached'> = inCallback;
// @ts-expect-error in-callback is not events-cleared
const i2: handle<'events-cleared'> = inCallback;
// @ts-expect-error in-callback is not detached
const i3: handle<'detached'> = inCallback;
// @ts-expect-error in-callback is not rcu-only
const i4: handle<'rcu-only'> = inCallback;

// @ts-expect-error the state differs even when data and ops are left open
const anyData: utrace_engine<'attached', any, any> = null! as utrace_engine<'rcu-only', any, any>;
// @ts-expect-error a handle is not made from a plain object: the state exists only in the type
const forged: handle<'attached'> = { ops: {}, data: { n: 0 }, flags: 0 };

void anyData, a1, a2, a3, a4, c1, c2, c3, c4, d1, d2, d3, d4, r1, r2, r3, r4, i1, i2, i3, i4, forged;

// --- Every state is an engine; the state is read back from the type -----------------------

expectAssignable<any_engine>(attached);
expectAssignable<any_engine>(eventsCleared);
expectAssignable<any_engine>(detached);
expectAssignable<any_engine>(rcuOnly);
expectAssignable<any_engine>(inCallback);
expectType<'attached'>(stateOf(attached));
expectType<'in-callback'>(stateOf(inCallback));
expectType<engine_state>(stateOf(unknownState));
expectType<handle<'detached'>>(null! as with_state<handle<'rcu-only'>, 'detached'>);
expectType<'rcu-only' | 'detached'>(null! as state_of<handle<'rcu-only'> | handle<'detached'>>);

// --- A union of states is taken only where every member is ---------------------------------

declare const attachedOrDetached: handle<'attached'> | handle<'detached'>;
declare const attachedOrCleared: handle<'attached'> | handle<'events-cleared'>;
declare const attachedOrRcuOnly: handle<'attached'> | handle<'rcu-only'>;

async function unions() {
  // @ts-expect-error the state is unknown: it may be detached or rcu-only; narrow it first
  utrace_set_events(task, unknownState, 0);
  // @ts-expect-error the state is unknown: it may be rcu-only or in-callback; narrow it first
  await utrace_barrier(task, unknownState);
  // @ts-expect-error the state is unknown: it may be in-callback, which holds no reference
  utrace_engine_put(unknownState);
  // @ts-expect-error it may be detached
  utrace_control(task, attachedOrDetached, UTRACE_RESUME);
  // @ts-expect-error it may be rcu-only
  await utrace_detach_sync(task, attachedOrRcuOnly);

  await utrace_barrier(task, attachedOrDetached);
  utrace_engine_put(attachedOrDetached);
  await utrace_set_events_sync(task, attachedOrCleared, UTRACE_EVENT('EXEC'));
  await utrace_detach_sync(task, attachedOrCleared);
  utrace_engine_get(attachedOrRcuOnly);
}
void unions;
