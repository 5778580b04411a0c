/**
 * Rule 2: a detached engine takes only `utrace_barrier` (to wait for a callback that may
 * still be running) and `utrace_engine_put` (to give the pointer up). Every other call is a
 * compile error, whether the handle was declared detached or came out of a call that
 * detached it. (Results narrow on literal errnos: -3 is -ESRCH, -115 is -EINPROGRESS.)
 */
import { expectType } from 'tsd';
import {
  UTRACE_DETACH,
  UTRACE_EVENT,
  UTRACE_RESUME,
  UTRACE_STOP,
  utrace_barrier,
  utrace_clear_events_sync,
  utrace_control,
  utrace_detach_sync,
  utrace_engine_get,
  utrace_engine_put,
  utrace_examiner_init,
  utrace_finish_examine,
  utrace_prepare_examine,
  utrace_set_events,
  utrace_set_events_sync,
  type utrace_resume_action_t,
} from 'utrace';
import { attached, detached, eventsCleared, rcuOnly, stateOf, task } from './fixtures.js';

const exam = utrace_examiner_init();

// --- Every call but utrace_barrier and utrace_engine_put rejects a detached handle ---------

async function callsOnDetached() {
  // @ts-expect-error utrace_set_events on a detached engine: it has no events any more
  utrace_set_events(task, detached, UTRACE_EVENT('EXEC'));
  // @ts-expect-error utrace_control on a detached engine, even a harmless action
  utrace_control(task, detached, UTRACE_RESUME);
  // @ts-expect-error utrace_control(UTRACE_DETACH) twice
  utrace_control(task, detached, UTRACE_DETACH);
  // @ts-expect-error utrace_engine_get cannot revive a detached engine
  utrace_engine_get(detached);
  // @ts-expect-error utrace_set_events_sync on a detached engine
  await utrace_set_events_sync(task, detached, 0);
  // @ts-expect-error utrace_clear_events_sync on a detached engine
  await utrace_clear_events_sync(task, detached);
  // @ts-expect-error utrace_detach_sync twice
  await utrace_detach_sync(task, detached);
  // @ts-expect-error utrace_prepare_examine on a detached engine: it cannot keep the task stopped
  await utrace_prepare_examine(task, detached, exam);
  // @ts-expect-error utrace_finish_examine on a detached engine
  utrace_finish_examine(task, detached, exam);

  expectType<0 | -3 | -512>(await utrace_barrier(task, detached));
  utrace_engine_put(detached);
}

// --- Handles that calls return detached -----------------------------------------------------

async function afterDetachSync() {
  const r = await utrace_detach_sync(task, attached);
  expectType<'detached'>(stateOf(r.engine));
  // @ts-expect-error utrace_detach_sync returned: the engine is detached, whatever ret is
  utrace_set_events(task, r.engine, 0);
  // @ts-expect-error utrace_detach_sync returned: the engine is detached, whatever ret is
  utrace_control(task, r.engine, UTRACE_STOP);
  utrace_engine_put(r.engine);
}

async function afterControlDetach() {
  const r = utrace_control(task, attached, UTRACE_DETACH);
  if (r.ret === 0 || r.ret === -115) {
    expectType<'detached'>(stateOf(r.engine));
    // @ts-expect-error UTRACE_DETACH was accepted: set_events on the detached engine
    utrace_set_events(task, r.engine, 0);
    // @ts-expect-error UTRACE_DETACH was accepted: detach_sync on the detached engine
    await utrace_detach_sync(task, r.engine);
    // -EINPROGRESS: a callback may still run; barrier waits for it.
    await utrace_barrier(task, r.engine);
    utrace_engine_put(r.engine);
  } else if (r.ret === -3) {
    // @ts-expect-error -ESRCH: the engine was already detached
    utrace_engine_get(r.engine);
    utrace_engine_put(r.engine);
  }
}

async function afterControlDetachOfEventsCleared() {
  const r = utrace_control(task, eventsCleared, UTRACE_DETACH);
  if (r.ret !== 0) return;
  // @ts-expect-error an events-cleared engine detached by UTRACE_DETACH is detached too
  await utrace_set_events_sync(task, r.engine, UTRACE_EVENT('EXEC'));
  await utrace_barrier(task, r.engine);
  utrace_engine_put(r.engine);
}

function afterControlDetachOfRcuOnly() {
  // An RCU-kept pointer detached by the tracer stays what it was: no reference to put or wait
  // on (and no call takes it afterwards: rule 7, at run time).
  const r = utrace_control(task, rcuOnly, UTRACE_DETACH);
  expectType<'rcu-only'>(stateOf(r.engine));
  // @ts-expect-error utrace_engine_put: an rcu-only engine is an RCU-kept pointer, not a counted reference
  utrace_engine_put(r.engine);
}

async function afterSetEventsFoundItDetached() {
  const r = utrace_set_events(task, attached, UTRACE_EVENT('SYSCALL_ENTRY'));
  if (r.ret === -3) {
    expectType<'detached'>(stateOf(r.engine));
    // @ts-expect-error -ESRCH from utrace_set_events: the engine is detached
    await utrace_clear_events_sync(task, r.engine);
    await utrace_barrier(task, r.engine);
    utrace_engine_put(r.engine);
  }
}

void callsOnDetached, afterDetachSync, afterControlDetach, afterControlDetachOfEventsCleared;
void afterControlDetachOfRcuOnly, afterSetEventsFoundItDetached;

// --- An action the compiler cannot see may be UTRACE_DETACH: the result may be detached ----

declare const someAction: utrace_resume_action_t;

function wideActions() {
  const r = utrace_control(task, attached, someAction);
  // @ts-expect-error the action may have been UTRACE_DETACH: the engine may be detached now
  if (r.ret === 0) utrace_set_events(task, r.engine, UTRACE_EVENT('EXEC'));
  const notDetach = utrace_control(task, attached, UTRACE_STOP as typeof UTRACE_STOP | typeof UTRACE_RESUME);
  if (notDetach.ret === 0) utrace_set_events(task, notDetach.engine, UTRACE_EVENT('EXEC'));
  expectType<'attached'>(stateOf(notDetach.engine));
}
void wideActions;
