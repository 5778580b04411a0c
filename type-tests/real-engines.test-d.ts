/**
 * Types of the pieces real engines need (SPEC §6): `preemptible` callbacks keep the
 * callback-return rules and the detach inference; `yield` takes only `preempt`; assertions,
 * atomics, spawn options and scenario properties take what they say.
 */
import { expectType } from 'tsd';
import {
  ATOMIC_INIT,
  BUG_ON,
  Kernel,
  UTRACE_DETACH,
  UTRACE_RESUME,
  WARN_ON,
  atomic_read,
  type atomic_t,
  type callback_engine,
  defineOps,
  preempt,
  preempt_point,
  preemptible,
  sys,
  DEFINE_MUTEX,
  DEFINE_SPINLOCK,
  DECLARE_WAIT_QUEUE_HEAD,
  init_completion,
  mutex_lock,
  spin_lock,
  spin_unlock,
  wait_event,
  wait_event_interruptible,
  wait_for_completion,
} from 'utrace';
import { defineScenario } from 'utrace/explore';

// A preemptible callback reads as the callback it wraps: its return type is the generator's.
const entry = preemptible(function* (_action: number, engine: callback_engine<{ n: number }>) {
  engine.data.n++;
  yield preempt;
  return UTRACE_RESUME;
});
expectType<(_action: number, engine: callback_engine<{ n: number }>) => 5>(entry);
defineOps({ report_syscall_entry: entry });

// It may detach: the detach inference sees it, and defineOps asks for 'may-detach'.
const oneShot = preemptible(function* () {
  yield preempt;
  return UTRACE_DETACH;
});
defineOps({ report_syscall_entry: oneShot }, 'may-detach');
// @ts-expect-error a preemptible callback returning UTRACE_DETACH needs 'may-detach', like any other
defineOps({ report_syscall_entry: oneShot }).report_syscall_entry;

// @ts-expect-error a preemptible callback yields only preempt, not a number
preemptible(function* () {
  yield 1;
  return UTRACE_RESUME;
});

// @ts-expect-error preemptible takes a generator function, not a plain callback
preemptible(() => UTRACE_RESUME);

// @ts-expect-error rule 4 still holds: report_exec returns a resume action, not a string
defineOps({ report_exec: preemptible(function* () {
  yield preempt;
  return 'done';
}) });

// preempt_point is awaited in tracer code.
expectType<Promise<void>>(preempt_point());

// Assertions: any condition, an optional string.
expectType<boolean>(WARN_ON(0));
expectType<void>(BUG_ON(null, 'what'));
// @ts-expect-error what is a string saying what went wrong
WARN_ON(true, 42);

// Atomics.
const count: atomic_t = ATOMIC_INIT(0);
expectType<number>(atomic_read(count));
// @ts-expect-error atomic_read takes an atomic_t, not a number
atomic_read(0);

// Spawn options and properties.
const kernel = new Kernel();
kernel.spawn('tracee', [sys(1)], { may_end_stopped: true });
// @ts-expect-error may_end_stopped is a boolean
kernel.spawn('tracee', [sys(1)], { may_end_stopped: 'yes' });
kernel.property('nothing left', (k) => k instanceof Kernel);
// @ts-expect-error a property returns a boolean
kernel.property('nothing left', () => 'yes');

defineScenario({
  name: 'with-properties',
  description: 'x',
  expect: 'safe',
  build() {},
  properties: { 'always true': () => true },
});
defineScenario({
  name: 'with-properties',
  description: 'x',
  expect: 'safe',
  build() {},
  // @ts-expect-error a property is a function (kernel) => boolean
  properties: { 'always true': true },
});

// Locks, wait queues, completions: each call takes its own kind.
const big = DEFINE_MUTEX('big');
const list = DEFINE_SPINLOCK('list');
expectType<Promise<void>>(mutex_lock(big));
expectType<Promise<void>>(spin_lock(list));
// @ts-expect-error mutex_lock takes a mutex, not a spinlock
mutex_lock(list);
// @ts-expect-error spin_unlock takes a spinlock, not a mutex
spin_unlock(big);
const wq = DECLARE_WAIT_QUEUE_HEAD('wq');
expectType<Promise<void>>(wait_event(wq, () => true));
expectType<Promise<number>>(wait_event_interruptible(wq, () => true));
// @ts-expect-error the condition is a function, re-checked after each wake_up, not a value
wait_event(wq, true);
const done = init_completion('done');
expectType<Promise<void>>(wait_for_completion(done));
// @ts-expect-error wait_for_completion takes a completion, not a wait queue
wait_for_completion(wq);
