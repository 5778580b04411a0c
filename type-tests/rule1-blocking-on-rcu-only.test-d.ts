/**
 * Rule 1: no blocking call (`utrace_set_events_sync`, `utrace_clear_events_sync`,
 * `utrace_detach_sync`, `utrace_barrier`, `utrace_prepare_examine`) takes an rcu-only engine.
 * Such a pointer is kept alive only by RCU: while the call sleeps, a callback may return
 * UTRACE_DETACH and a grace period may free the engine under it. The way out is a counted
 * reference: `utrace_engine_get` inside `rcu_read_section`, and on `ret === 0` the handle it
 * returns is attached.
 */
import { expectType } from 'tsd';
import {
  IS_ERR,
  Kernel,
  UTRACE_ATTACH_CREATE,
  UTRACE_DETACH,
  UTRACE_EVENT,
  UTRACE_RESUME,
  UTRACE_STOP,
  rcu_read_section,
  sys,
  utrace_attach_task,
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
  defineOps,
} from 'utrace';
import { rcuOnly, stateOf, task } from './fixtures.js';

const exam = utrace_examiner_init();

// --- Every blocking call rejects an rcu-only handle ---------------------------------------

async function blockingCallsOnRcuOnly() {
  // @ts-expect-error utrace_set_events_sync sleeps: an rcu-only engine may be freed meanwhile
  await utrace_set_events_sync(task, rcuOnly, UTRACE_EVENT('REAP'));
  // @ts-expect-error utrace_clear_events_sync sleeps: an rcu-only engine may be freed meanwhile
  await utrace_clear_events_sync(task, rcuOnly);
  // @ts-expect-error utrace_detach_sync sleeps: an rcu-only engine may be freed meanwhile
  await utrace_detach_sync(task, rcuOnly);
  // @ts-expect-error utrace_barrier sleeps: an rcu-only engine may be freed meanwhile
  await utrace_barrier(task, rcuOnly);
  // @ts-expect-error utrace_prepare_examine may sleep: an rcu-only engine may be freed meanwhile
  await utrace_prepare_examine(task, rcuOnly, exam);
  // @ts-expect-error utrace_finish_examine pairs with prepare, which never took an rcu-only engine
  utrace_finish_examine(task, rcuOnly, exam);
}

// --- The same for an engine that is rcu-only because of its ops (rule 3) ------------------

const kernel = new Kernel();
const target = kernel.spawn('traced', [sys(1), sys(2)]);
const mayDetach = utrace_attach_task(
  target,
  UTRACE_ATTACH_CREATE,
  defineOps({ report_syscall_entry: (_action: number) => (_action === 0 ? UTRACE_DETACH : UTRACE_RESUME) }, 'may-detach'),
  null,
);
if (IS_ERR(mayDetach)) throw new Error('attach failed');

const blockingCallsOnAttachedRcuOnly = async () => {
  // @ts-expect-error report_syscall_entry may return UTRACE_DETACH, so the engine is rcu-only
  await utrace_detach_sync(target, mayDetach);
  // @ts-expect-error report_syscall_entry may return UTRACE_DETACH, so the engine is rcu-only
  await utrace_barrier(target, mayDetach);
  // @ts-expect-error report_syscall_entry may return UTRACE_DETACH, so the engine is rcu-only
  await utrace_clear_events_sync(target, mayDetach);
  // @ts-expect-error report_syscall_entry may return UTRACE_DETACH, so the engine is rcu-only
  await utrace_set_events_sync(target, mayDetach, 0);
  // @ts-expect-error report_syscall_entry may return UTRACE_DETACH, so the engine is rcu-only
  await utrace_prepare_examine(target, mayDetach, exam);
};

// --- Non-blocking calls take it (before its events are enabled: rule 7 at run time) ---------

utrace_set_events(task, rcuOnly, UTRACE_EVENT('SYSCALL_ENTRY'));
utrace_control(task, rcuOnly, UTRACE_STOP);
utrace_control(target, mayDetach, UTRACE_DETACH);
utrace_engine_get(mayDetach);
// An RCU-kept pointer is no counted reference: it owes no put.
// @ts-expect-error utrace_engine_put: an rcu-only engine is an RCU-kept pointer, not a counted reference
utrace_engine_put(rcuOnly);

// Calls that cannot move an rcu-only engine keep it rcu-only.
expectType<'rcu-only'>(stateOf(utrace_set_events(task, rcuOnly, 0).engine));
expectType<'rcu-only'>(stateOf(utrace_control(task, rcuOnly, UTRACE_STOP).engine));
expectType<'rcu-only'>(stateOf(utrace_control(task, rcuOnly, UTRACE_DETACH).engine));

// --- A counted reference, taken before enabling events, makes it attached (the safe advice) --

async function countedReference() {
  const got = utrace_engine_get(rcuOnly);
  // Before events are enabled nothing can have detached it: always 0, always attached.
  expectType<0>(got.ret);
  expectType<'attached'>(stateOf(got.engine));
  utrace_set_events(task, got.engine, UTRACE_EVENT('SYSCALL_ENTRY'));
  await utrace_set_events_sync(task, got.engine, UTRACE_EVENT('SYSCALL_ENTRY'));
  await utrace_barrier(task, got.engine);
  await utrace_prepare_examine(task, got.engine, exam);
  utrace_finish_examine(task, got.engine, exam);
  await utrace_clear_events_sync(task, got.engine);
  const done = await utrace_detach_sync(task, got.engine);
  utrace_engine_put(done.engine);
}

const countedReferenceOnAttachedRcuOnly = async () => {
  const got = utrace_engine_get(mayDetach);
  const done = await utrace_detach_sync(target, got.engine);
  expectType<0 | -3>(done.ret);
  utrace_engine_put(done.engine);
};

void blockingCallsOnRcuOnly, blockingCallsOnAttachedRcuOnly, countedReference, countedReferenceOnAttachedRcuOnly;
