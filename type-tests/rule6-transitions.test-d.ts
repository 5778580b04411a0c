/**
 * Rule 6: a call that can move an engine to another state returns `{ ret, engine }`, and
 * `engine` is the handle to use from then on, typed with the new state; narrowing on `ret`
 * (the C return code) gives each outcome its state. The handle passed in is revoked at run
 * time: TypeScript has no linear types, so a stale alias still compiles and the runtime
 * catches it.
 *
 * Results narrow on literal errnos (-3 is -ESRCH, -114 -EALREADY, -115 -EINPROGRESS, -512
 * -ERESTARTSYS): the exported constants are positive, and `-ESRCH` is typed `number`.
 */
import { expectType } from 'tsd';
import {
  EINPROGRESS,
  ESRCH,
  UTRACE_DETACH,
  UTRACE_EVENT,
  UTRACE_STOP,
  utrace_barrier,
  utrace_clear_events_sync,
  utrace_control,
  utrace_detach_sync,
  utrace_engine_get,
  utrace_engine_put,
  utrace_examiner_init,
  utrace_prepare_examine,
  utrace_set_events,
  utrace_set_events_sync,
} from 'utrace';
import type { utrace_engine } from 'utrace';
import { attached, eventsCleared, inCallback, rcuOnly, stateOf, task } from './fixtures.js';
import type { counts } from './fixtures.js';

declare const someMask: number;

// --- utrace_set_events ------------------------------------------------------------------------

async function setEventsToNothing() {
  const r = utrace_set_events(task, attached, 0);
  expectType<0 | -115 | -114 | -3>(r.ret);
  // @ts-expect-error not narrowed on ret: the engine may be events-cleared, attached or detached
  await utrace_barrier(task, r.engine);
  if (r.ret === 0) {
    expectType<'events-cleared'>(stateOf(r.engine));
    // @ts-expect-error events-cleared: no callback can run, so there is nothing to wait for
    await utrace_barrier(task, r.engine);
    // @ts-expect-error the events-cleared handle is not an attached handle
    const asAttached: utrace_engine<'attached', counts> = r.engine;
    void asAttached;
    const d = await utrace_detach_sync(task, r.engine);
    utrace_engine_put(d.engine);
  } else if (r.ret === -115) {
    expectType<'attached'>(stateOf(r.engine));
    // -EINPROGRESS: a callback may still be running; wait for it.
    await utrace_barrier(task, r.engine);
  } else if (r.ret === -114) {
    expectType<'attached'>(stateOf(r.engine));
  } else {
    expectType<-3>(r.ret);
    expectType<'detached'>(stateOf(r.engine));
  }
}

function setEventsOtherMasks() {
  const some = utrace_set_events(task, attached, UTRACE_EVENT('SYSCALL_ENTRY'));
  if (some.ret === 0) expectType<'attached'>(stateOf(some.engine));
  const reapOnly = utrace_set_events(task, attached, UTRACE_EVENT('REAP'));
  if (reapOnly.ret === 0) expectType<'events-cleared'>(stateOf(reapOnly.engine));
  const again = utrace_set_events(task, eventsCleared, UTRACE_EVENT('EXEC'));
  if (again.ret === 0) expectType<'attached'>(stateOf(again.engine));
  // A mask the compiler cannot see counts as "some events left".
  const unknownMask = utrace_set_events(task, attached, someMask);
  if (unknownMask.ret === 0) expectType<'attached'>(stateOf(unknownMask.engine));
  // Nothing moves an rcu-only engine or the engine a callback was given.
  expectType<'rcu-only'>(stateOf(utrace_set_events(task, rcuOnly, 0).engine));
  expectType<'in-callback'>(stateOf(utrace_set_events(task, inCallback, 0).engine));
}

// --- utrace_control -------------------------------------------------------------------------

async function controlDetach() {
  const r = utrace_control(task, attached, UTRACE_DETACH);
  // @ts-expect-error not narrowed on ret: the engine is detached unless ret is -EALREADY
  utrace_set_events(task, r.engine, 0);
  if (r.ret === 0 || r.ret === -115) {
    expectType<'detached'>(stateOf(r.engine));
    await utrace_barrier(task, r.engine);
  } else if (r.ret === -114) {
    // -EALREADY: report_death or report_reap runs: not detached by this call.
    expectType<'attached'>(stateOf(r.engine));
  } else {
    expectType<'detached'>(stateOf(r.engine));
  }
  // An RCU-kept pointer stays rcu-only whatever the result: it holds no reference to move
  // (and rule 7 refuses it at run time from then on).
  const fromRcu = utrace_control(task, rcuOnly, UTRACE_DETACH);
  expectType<'rcu-only'>(stateOf(fromRcu.engine));
}

function controlOtherActions() {
  const r = utrace_control(task, attached, UTRACE_STOP);
  expectType<'attached'>(stateOf(r.engine));
  expectType<0 | -115 | -22 | -95 | -3 | -114>(r.ret);
  // A callback's own engine stays in-callback: the detach happens when it returns.
  expectType<'in-callback'>(stateOf(utrace_control(task, inCallback, UTRACE_DETACH).engine));
}

// --- The blocking calls ---------------------------------------------------------------------

async function clearEventsSync() {
  const r = await utrace_clear_events_sync(task, attached);
  expectType<0 | -3 | -512>(r.ret);
  if (r.ret === 0) {
    expectType<'events-cleared'>(stateOf(r.engine));
  } else if (r.ret === -3) {
    expectType<'detached'>(stateOf(r.engine));
    // @ts-expect-error -ESRCH: detached (or report_reap runs); set events no more
    await utrace_set_events_sync(task, r.engine, UTRACE_EVENT('EXEC'));
  } else {
    // -ERESTARTSYS: interrupted; nothing changed.
    expectType<'attached'>(stateOf(r.engine));
  }
  const back = await utrace_set_events_sync(task, eventsCleared, UTRACE_EVENT('EXEC'));
  if (back.ret === 0) expectType<'attached'>(stateOf(back.engine));
  // @ts-expect-error utrace_set_events_sync never returns -EINPROGRESS: it waits instead
  if (back.ret === -115) return;
}

async function detachSync() {
  const r = await utrace_detach_sync(task, attached);
  expectType<0 | -3>(r.ret);
  expectType<'detached'>(stateOf(r.engine));
  // @ts-expect-error utrace_detach_sync never returns -EINPROGRESS: it waited for the callbacks
  if (r.ret === -115) return;
  // @ts-expect-error utrace_detach_sync never returns -EALREADY
  if (r.ret === -114) return;
  utrace_engine_put(r.engine);
}

async function waits() {
  expectType<0 | -3 | -512>(await utrace_barrier(task, attached));
  expectType<0 | -22 | -3 | -11>(await utrace_prepare_examine(task, attached, utrace_examiner_init()));
}

// --- utrace_engine_get ----------------------------------------------------------------------

function engineGet() {
  // A new handle with a reference of its own, or -ESRCH (the engine was detached: none taken).
  const a = utrace_engine_get(attached);
  expectType<0 | -3>(a.ret);
  if (a.ret === 0) expectType<'attached'>(stateOf(a.engine));
  const e = utrace_engine_get(eventsCleared);
  if (e.ret === 0) expectType<'events-cleared'>(stateOf(e.engine));
  const c = utrace_engine_get(inCallback);
  if (c.ret === 0) expectType<'attached'>(stateOf(c.engine));
  // The RCU-kept pointer, before its events are enabled: always 0, attached.
  const r = utrace_engine_get(rcuOnly);
  expectType<0>(r.ret);
  expectType<'attached'>(stateOf(r.engine));
}

// --- Not visible to the compiler: the stale handle (revoked at run time) --------------------

async function staleAlias() {
  await utrace_detach_sync(task, attached);
  // `attached` was revoked by utrace_detach_sync; the runtime throws a stale-handle error.
  utrace_set_events(task, attached, 0);
}

// `-ESRCH` is a number, not the literal -3, so comparing with it narrows nothing.
expectType<number>(-ESRCH);

void setEventsToNothing, setEventsOtherMasks, controlDetach, controlOtherActions;
void clearEventsSync, detachSync, waits, engineGet, staleAlias;

// --- Narrowing on -EINPROGRESS ---------------------------------------------------------------

// `r.ret === -EINPROGRESS` tests the code, but TypeScript widens `-EINPROGRESS` to number, so
// it does not narrow `r`; the literal does (the guides teach `r.ret === -115` where the branch
// needs the narrowed type).
function narrowOnEinprogress() {
  const s = utrace_set_events(task, attached, 0);
  if (s.ret === -115) expectType<'attached'>(stateOf(s.engine));
  const d = utrace_control(task, attached, UTRACE_DETACH);
  if (d.ret === -115) expectType<'detached'>(stateOf(d.engine));
  if (d.ret === -EINPROGRESS) expectType<'attached' | 'detached'>(stateOf(d.engine));
}
void narrowOnEinprogress;
