/**
 * Kernel waiting and locking: mutexes, spinlocks, wait queues and completions, with the
 * kernel's rules checked at run time (no sleeping under a spinlock or in a callback, no
 * unlock of a lock not held, a lock-order inversion that deadlocks reported with its cycle).
 * @packageDocumentation
 */
import { describeArg } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { runningKernel } from './current.js';
import type { Kernel } from './kernel.js';
import { type SimThread, TracerThread } from './threads.js';

const ERESTARTSYS = 512;

/** A mutex or a spinlock. */
type Lock = mutex | spinlock_t;

/**
 * A `struct mutex`: a sleeping lock. Make one with {@link DEFINE_MUTEX}; take it with
 * {@link mutex_lock} in tracer code.
 * @example
 * ```ts
 * import { DEFINE_MUTEX, mutex_is_locked } from 'utrace';
 * console.log(mutex_is_locked(DEFINE_MUTEX('big_lock'))); // false
 * ```
 * @public
 * @category Kernel simulation
 */
export class mutex {
  /** @internal */ owner: SimThread | null = null;
  /** @internal */ readonly sleeping = true;
  /** Which kind of lock it is: a sleeping one. */
  readonly kind = 'mutex' as const;
  /** What the lock is, in messages. */
  readonly name: string;

  /** @internal */
  constructor(name: string) {
    this.name = name;
  }
}

/**
 * A `spinlock_t`: a lock under which nothing may sleep. Make one with {@link DEFINE_SPINLOCK}.
 * @example
 * ```ts
 * import { DEFINE_SPINLOCK, spin_is_locked } from 'utrace';
 * console.log(spin_is_locked(DEFINE_SPINLOCK('list_lock'))); // false
 * ```
 * @public
 * @category Kernel simulation
 */
export class spinlock_t {
  /** @internal */ owner: SimThread | null = null;
  /** @internal */ readonly sleeping = false;
  /** Which kind of lock it is: one under which nothing sleeps. */
  readonly kind = 'spinlock' as const;
  /** What the lock is, in messages. */
  readonly name: string;

  /** @internal */
  constructor(name: string) {
    this.name = name;
  }
}

/**
 * A `wait_queue_head_t`: threads sleep on it in {@link wait_event} until a
 * {@link wake_up} finds their condition true. Make one with {@link DECLARE_WAIT_QUEUE_HEAD}.
 * @example
 * ```ts
 * import { DECLARE_WAIT_QUEUE_HEAD } from 'utrace';
 * const wq = DECLARE_WAIT_QUEUE_HEAD('exit_wq');
 * console.log(wq.name); // 'exit_wq'
 * ```
 * @public
 * @category Kernel simulation
 */
export class wait_queue_head_t {
  /** @internal */ wakeups = 0;
  /** What it is: a wait queue. */
  readonly kind = 'wait_queue_head_t' as const;
  /** What the queue is, in messages. */
  readonly name: string;

  /** @internal */
  constructor(name: string) {
    this.name = name;
  }
}

/**
 * A `struct completion`. Make one with {@link init_completion}.
 * @example
 * ```ts
 * import { init_completion, completion_done } from 'utrace';
 * console.log(completion_done(init_completion('probe_done'))); // false
 * ```
 * @public
 * @category Kernel simulation
 */
export class completion {
  /** @internal */ done = 0;
  /** What it is: a completion. */
  readonly kind = 'completion' as const;
  /** What the completion is, in messages. */
  readonly name: string;

  /** @internal */
  constructor(name: string) {
    this.name = name;
  }
}

function named(name: unknown, call: string): string {
  if (name === undefined) return call.startsWith('DEFINE_SPIN') ? 'spinlock' : call === 'DEFINE_MUTEX' ? 'mutex' : call === 'init_completion' ? 'completion' : 'wait queue';
  if (typeof name !== 'string') throw new UtraceUsageError('locking-arguments', `${call}(name): name is a string naming it in messages; got ${describeArg(name)}`);
  return name;
}

function isA<T>(v: unknown, cls: abstract new (...a: never[]) => T, what: string, call: string): T {
  if (!(v instanceof cls)) throw new UtraceUsageError('locking-arguments', `${call}: pass ${what}; got ${describeArg(v)}`);
  return v;
}

/** The running kernel and the thread making the call (set-up code: none). */
function context(call: string): { kernel: Kernel; thread: SimThread } {
  const kernel = runningKernel();
  const thread = kernel?.current ?? null;
  if (kernel === null || thread === null) {
    throw new UtraceUsageError('locking-outside-run', `${call}: locks are taken by a thread while the kernel runs (tracer code or a callback), not in set-up code`);
  }
  return { kernel, thread };
}

/** Takes `lock` for `thread`. */
function take(kernel: Kernel, thread: SimThread, lock: Lock): void {
  lock.owner = thread;
  thread.held.push(lock);
  thread.waitingOn = null;
  kernel.progressMark++;
  if (kernel.tracing) kernel.log(`${thread.name} takes ${lock.sleeping ? 'mutex' : 'spinlock'} ${lock.name}`);
}

/**
 * Before `thread` waits for `lock`: a thread waiting on itself, or a cycle of threads each
 * holding a lock the next waits for, is the deadlock it is, reported with the cycle.
 */
function checkCycle(kernel: Kernel, thread: SimThread, lock: Lock, call: string): void {
  const links: string[] = [];
  let l: { readonly name: string; owner: SimThread | null } | null = lock;
  const seen = new Set<SimThread>();
  while (l !== null && l.owner !== null && !seen.has(l.owner)) {
    const owner: SimThread = l.owner;
    links.push(`${owner.name} holds ${l.name}`);
    if (owner === thread) {
      const cycle = `${thread.name} waits for ${lock.name} in ${call}; ${links.join(', ')}`;
      kernel.fail('deadlock', `lock cycle: ${cycle}${links.length > 1 ? ' (a lock-order inversion: take the locks in one order everywhere)' : ' (it already holds it: a recursive lock)'}`);
    }
    seen.add(owner);
    if (owner.waitingOn !== null) links.push(`and waits for ${owner.waitingOn.name}`);
    l = owner.waitingOn;
  }
}

function release(kernel: Kernel, thread: SimThread, lock: Lock, call: string): void {
  if (lock.owner !== thread) {
    const who = lock.owner === null ? 'nobody holds it (a double unlock, or an unlock without a lock)' : `${lock.owner.name} holds it`;
    kernel.fail('lockdep', `${call}(${lock.name}) by ${thread.name}, but ${who}: bad unlock balance; unlock only a lock this thread took`);
  }
  lock.owner = null;
  const i = thread.held.lastIndexOf(lock);
  thread.held.splice(i, 1);
  kernel.progressMark++;
  if (kernel.tracing) kernel.log(`${thread.name} releases ${lock.sleeping ? 'mutex' : 'spinlock'} ${lock.name}`);
}

/**
 * `DEFINE_MUTEX(name)`: a new, unlocked {@link mutex}.
 * @example
 * ```ts
 * import { DEFINE_MUTEX } from 'utrace';
 * const lock = DEFINE_MUTEX('engines_lock');
 * console.log(lock.name); // 'engines_lock'
 * ```
 * @public
 * @category Kernel simulation
 */
export function DEFINE_MUTEX(name?: string): mutex {
  return new mutex(named(name, 'DEFINE_MUTEX'));
}

/**
 * `mutex_lock(m)`: takes `m`, sleeping while another thread holds it. Tracer code only, as
 * it may sleep: from a callback, inside an RCU read-side section or under a spinlock it is
 * `might_sleep`. Waiting for a mutex that closes a cycle of waiting threads (this thread
 * already holds it, or each thread holds a lock the next waits for: a lock-order inversion)
 * fails the run with `deadlock`, naming who holds what and waits for what.
 * @returns a promise to await: resolved once this thread holds `m`.
 * @throws `UtraceUsageError` (rule `locking-arguments`) when `m` is not a mutex,
 * (rule `blocking-outside-tracer`) outside a tracer thread.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, DEFINE_MUTEX, mutex_lock, mutex_unlock } from 'utrace';
 * const kernel = new Kernel();
 * const lock = DEFINE_MUTEX('lock');
 * kernel.tracer('tracer', async () => {
 *   await mutex_lock(lock);
 *   mutex_unlock(lock);
 * });
 * console.log((await kernel.run(new RoundRobinScheduler())).status); // 'ok'
 * ```
 * @public
 * @category Kernel simulation
 */
export function mutex_lock(m: mutex): Promise<void> {
  const lock = isA(m, mutex, 'a mutex made by DEFINE_MUTEX', 'mutex_lock');
  const kernel = runningKernel();
  if (kernel === null) throw new UtraceUsageError('blocking-outside-tracer', 'mutex_lock may sleep, so it can only be called from a tracer thread while the kernel runs');
  const thread = kernel.currentTracer('mutex_lock');
  if (lock.owner === null) {
    take(kernel, thread, lock);
    return Promise.resolve();
  }
  checkCycle(kernel, thread, lock, 'mutex_lock');
  thread.waitingOn = lock;
  return thread.block({ until: () => lock.owner === null, what: `mutex ${lock.name} (held by ${lock.owner.name})` }, false).then(() => take(kernel, thread, lock));
}

/**
 * `mutex_trylock(m)`: takes `m` when it is free, without sleeping.
 * @returns 1 when taken, 0 when another thread holds it.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, DEFINE_MUTEX, mutex_trylock, mutex_unlock } from 'utrace';
 * const kernel = new Kernel();
 * const lock = DEFINE_MUTEX();
 * kernel.tracer('tracer', async () => {
 *   if (mutex_trylock(lock)) mutex_unlock(lock);
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel simulation
 */
export function mutex_trylock(m: mutex): 0 | 1 {
  const lock = isA(m, mutex, 'a mutex made by DEFINE_MUTEX', 'mutex_trylock');
  const { kernel, thread } = context('mutex_trylock');
  if (lock.owner !== null) return 0;
  take(kernel, thread, lock);
  return 1;
}

/**
 * `mutex_unlock(m)`: releases `m`. Unlocking a mutex this thread does not hold (another
 * thread's, or a free one: a double unlock) fails the run with check `lockdep`.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, DEFINE_MUTEX, mutex_lock, mutex_unlock } from 'utrace';
 * const kernel = new Kernel();
 * const lock = DEFINE_MUTEX();
 * kernel.tracer('tracer', async () => {
 *   await mutex_lock(lock);
 *   mutex_unlock(lock);
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel simulation
 */
export function mutex_unlock(m: mutex): void {
  const lock = isA(m, mutex, 'a mutex made by DEFINE_MUTEX', 'mutex_unlock');
  const { kernel, thread } = context('mutex_unlock');
  release(kernel, thread, lock, 'mutex_unlock');
}

/**
 * `mutex_is_locked(m)`.
 * @returns whether some thread holds `m`.
 * @example
 * ```ts
 * import { DEFINE_MUTEX, mutex_is_locked } from 'utrace';
 * console.log(mutex_is_locked(DEFINE_MUTEX())); // false
 * ```
 * @public
 * @category Kernel simulation
 */
export function mutex_is_locked(m: mutex): boolean {
  return isA(m, mutex, 'a mutex made by DEFINE_MUTEX', 'mutex_is_locked').owner !== null;
}

/**
 * `DEFINE_SPINLOCK(name)`: a new, unlocked {@link spinlock_t}.
 * @example
 * ```ts
 * import { DEFINE_SPINLOCK } from 'utrace';
 * console.log(DEFINE_SPINLOCK('task_list_lock').name); // 'task_list_lock'
 * ```
 * @public
 * @category Kernel simulation
 */
export function DEFINE_SPINLOCK(name?: string): spinlock_t {
  return new spinlock_t(named(name, 'DEFINE_SPINLOCK'));
}

/**
 * `spin_lock(l)`: takes `l`. Free, it is taken at once, in tracer code and in callbacks alike
 * (the promise is then already resolved). Contended in tracer code, the thread spins: it waits
 * without sleeping (allowed under other spinlocks; other threads run meanwhile) until the
 * holder releases it, so await it there. Contended in a callback, the callback cannot wait
 * (it runs to its end in one step): that is an oops naming the holder; take the lock in the
 * tracer around a short section, or use a wait queue. Until `spin_unlock`, nothing may sleep
 * on this thread (`might_sleep`). A cycle of waiting threads is a `deadlock`, as for
 * {@link mutex_lock}.
 * @returns a promise resolved once this thread holds `l`.
 * @throws `UtraceUsageError` (rule `locking-arguments`) when `l` is not a spinlock,
 * (rule `locking-outside-run`) in set-up code.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, DEFINE_SPINLOCK, spin_lock, spin_unlock } from 'utrace';
 * const kernel = new Kernel();
 * const lock = DEFINE_SPINLOCK();
 * kernel.tracer('tracer', async () => {
 *   await spin_lock(lock);
 *   spin_unlock(lock);
 * });
 * console.log((await kernel.run(new RoundRobinScheduler())).status); // 'ok'
 * ```
 * @public
 * @category Kernel simulation
 */
export function spin_lock(l: spinlock_t): Promise<void> {
  const lock = isA(l, spinlock_t, 'a spinlock made by DEFINE_SPINLOCK', 'spin_lock');
  const { kernel, thread } = context('spin_lock');
  if (lock.owner === null) {
    take(kernel, thread, lock);
    return Promise.resolve();
  }
  checkCycle(kernel, thread, lock, 'spin_lock');
  if (!(thread instanceof TracerThread) || kernel.callback !== null) {
    const where = kernel.callback !== null ? `${kernel.callback.name} of ${kernel.callback.engine.name}` : thread.name;
    kernel.oops(`spin_lock(${lock.name}) in ${where} is contended (held by ${lock.owner.name}): a callback runs in one step and cannot spin; the lock stays with its holder`);
    return Promise.resolve();
  }
  thread.waitingOn = lock;
  return thread.block({ until: () => lock.owner === null, what: `spinlock ${lock.name} (held by ${lock.owner.name}; spinning)` }, false).then(() => take(kernel, thread, lock));
}

/**
 * `spin_trylock(l)`: takes `l` when it is free.
 * @returns 1 when taken, 0 when another thread holds it.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, DEFINE_SPINLOCK, spin_trylock, spin_unlock } from 'utrace';
 * const kernel = new Kernel();
 * const lock = DEFINE_SPINLOCK();
 * kernel.tracer('tracer', async () => {
 *   if (spin_trylock(lock)) spin_unlock(lock);
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel simulation
 */
export function spin_trylock(l: spinlock_t): 0 | 1 {
  const lock = isA(l, spinlock_t, 'a spinlock made by DEFINE_SPINLOCK', 'spin_trylock');
  const { kernel, thread } = context('spin_trylock');
  if (lock.owner !== null) return 0;
  take(kernel, thread, lock);
  return 1;
}

/**
 * `spin_unlock(l)`: releases `l`. Unlocking a spinlock this thread does not hold is a
 * `lockdep` failure, as for {@link mutex_unlock}.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, DEFINE_SPINLOCK, spin_lock, spin_unlock } from 'utrace';
 * const kernel = new Kernel();
 * const lock = DEFINE_SPINLOCK();
 * kernel.tracer('tracer', async () => {
 *   await spin_lock(lock);
 *   spin_unlock(lock);
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel simulation
 */
export function spin_unlock(l: spinlock_t): void {
  const lock = isA(l, spinlock_t, 'a spinlock made by DEFINE_SPINLOCK', 'spin_unlock');
  const { kernel, thread } = context('spin_unlock');
  release(kernel, thread, lock, 'spin_unlock');
}

/**
 * `spin_is_locked(l)`.
 * @returns whether some thread holds `l`.
 * @example
 * ```ts
 * import { DEFINE_SPINLOCK, spin_is_locked } from 'utrace';
 * console.log(spin_is_locked(DEFINE_SPINLOCK())); // false
 * ```
 * @public
 * @category Kernel simulation
 */
export function spin_is_locked(l: spinlock_t): boolean {
  return isA(l, spinlock_t, 'a spinlock made by DEFINE_SPINLOCK', 'spin_is_locked').owner !== null;
}

/**
 * `DECLARE_WAIT_QUEUE_HEAD(name)`: a new, empty {@link wait_queue_head_t}.
 * @example
 * ```ts
 * import { DECLARE_WAIT_QUEUE_HEAD } from 'utrace';
 * console.log(DECLARE_WAIT_QUEUE_HEAD('wq').name); // 'wq'
 * ```
 * @public
 * @category Kernel simulation
 */
export function DECLARE_WAIT_QUEUE_HEAD(name?: string): wait_queue_head_t {
  return new wait_queue_head_t(named(name, 'DECLARE_WAIT_QUEUE_HEAD'));
}

async function waitEvent(wq: wait_queue_head_t, condition: () => boolean, call: string, interruptible: boolean): Promise<number> {
  const q = isA(wq, wait_queue_head_t, 'a wait queue made by DECLARE_WAIT_QUEUE_HEAD', call);
  if (typeof condition !== 'function') throw new UtraceUsageError('locking-arguments', `${call}(wq, condition): condition is a function () => boolean, re-checked after each wake_up; got ${describeArg(condition)}`);
  const kernel = runningKernel();
  if (kernel === null) throw new UtraceUsageError('blocking-outside-tracer', `${call} may sleep, so it can only be called from a tracer thread while the kernel runs`);
  const thread = kernel.currentTracer(call);
  while (!condition()) {
    if (interruptible && thread.signalPending) {
      thread.signalPending = false;
      return -ERESTARTSYS;
    }
    const seen = q.wakeups;
    await thread.block({ until: () => q.wakeups !== seen, what: `a wake_up on ${q.name} (${call})` }, interruptible);
  }
  return 0;
}

/**
 * `wait_event(wq, condition)`: sleeps until `condition()` is true. It is checked first, then
 * again after each {@link wake_up} on `wq`: a condition made true without a wake-up is not
 * seen (the kernel's lost wake-up), and a thread left sleeping so is reported as a deadlock.
 * Tracer code only (it sleeps: `might_sleep` in a callback, an RCU section, under a spinlock).
 * @returns a promise resolved once the condition held.
 * @throws `UtraceUsageError` (rule `locking-arguments`) for a bad queue or condition.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, DECLARE_WAIT_QUEUE_HEAD, wait_event, wake_up } from 'utrace';
 * const kernel = new Kernel();
 * const wq = DECLARE_WAIT_QUEUE_HEAD('wq');
 * let ready = false;
 * kernel.tracer('waiter', async () => {
 *   await wait_event(wq, () => ready);
 * });
 * kernel.tracer('waker', async () => {
 *   ready = true;
 *   wake_up(wq);
 * });
 * console.log((await kernel.run(new RoundRobinScheduler())).status); // 'ok'
 * ```
 * @public
 * @category Kernel simulation
 */
export async function wait_event(wq: wait_queue_head_t, condition: () => boolean): Promise<void> {
  await waitEvent(wq, condition, 'wait_event', false);
}

/**
 * `wait_event_interruptible(wq, condition)`: {@link wait_event}, ended early by a signal
 * (`TracerHandle.interrupt()`).
 * @returns 0 once the condition held, or `-ERESTARTSYS` when a signal came first.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, DECLARE_WAIT_QUEUE_HEAD, wait_event_interruptible } from 'utrace';
 * const kernel = new Kernel();
 * const wq = DECLARE_WAIT_QUEUE_HEAD('wq');
 * const waiter = kernel.tracer('waiter', async () => {
 *   console.log(await wait_event_interruptible(wq, () => false)); // -512
 * });
 * waiter.interrupt();
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel simulation
 */
export function wait_event_interruptible(wq: wait_queue_head_t, condition: () => boolean): Promise<number> {
  return waitEvent(wq, condition, 'wait_event_interruptible', true);
}

/**
 * `wake_up(wq)`: wakes the threads sleeping on `wq`; each re-checks its condition. Never
 * sleeps: usable in callbacks and tracer code alike.
 * @example
 * ```ts
 * import { DECLARE_WAIT_QUEUE_HEAD, wake_up } from 'utrace';
 * wake_up(DECLARE_WAIT_QUEUE_HEAD('nobody waits')); // wakes nobody
 * ```
 * @public
 * @category Kernel simulation
 */
export function wake_up(wq: wait_queue_head_t): void {
  const q = isA(wq, wait_queue_head_t, 'a wait queue made by DECLARE_WAIT_QUEUE_HEAD', 'wake_up');
  q.wakeups++;
  const kernel = runningKernel();
  if (kernel !== null) {
    kernel.progressMark++;
    if (kernel.tracing) kernel.log(`wake_up(${q.name})`);
  }
}

/**
 * `wake_up_all(wq)`: as {@link wake_up} (the package has no exclusive waiters, so both wake
 * every sleeper).
 * @example
 * ```ts
 * import { DECLARE_WAIT_QUEUE_HEAD, wake_up_all } from 'utrace';
 * wake_up_all(DECLARE_WAIT_QUEUE_HEAD('wq'));
 * ```
 * @public
 * @category Kernel simulation
 */
export function wake_up_all(wq: wait_queue_head_t): void {
  wake_up(wq);
}

/**
 * `init_completion(name)`: a new {@link completion}, not done.
 * @example
 * ```ts
 * import { init_completion } from 'utrace';
 * console.log(init_completion('detached').name); // 'detached'
 * ```
 * @public
 * @category Kernel simulation
 */
export function init_completion(name?: string): completion {
  return new completion(named(name, 'init_completion'));
}

/**
 * `wait_for_completion(c)`: sleeps until `c` is completed, and consumes one `complete`.
 * Tracer code only (it sleeps). Never completed, it is a deadlock at the end of the run.
 * @returns a promise resolved once completed.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, init_completion, wait_for_completion, complete } from 'utrace';
 * const kernel = new Kernel();
 * const done = init_completion('done');
 * kernel.tracer('waiter', async () => {
 *   await wait_for_completion(done);
 * });
 * kernel.tracer('worker', async () => complete(done));
 * console.log((await kernel.run(new RoundRobinScheduler())).status); // 'ok'
 * ```
 * @public
 * @category Kernel simulation
 */
export async function wait_for_completion(c: completion): Promise<void> {
  const comp = isA(c, completion, 'a completion made by init_completion', 'wait_for_completion');
  const kernel = runningKernel();
  if (kernel === null) throw new UtraceUsageError('blocking-outside-tracer', 'wait_for_completion sleeps, so it can only be called from a tracer thread while the kernel runs');
  const thread = kernel.currentTracer('wait_for_completion');
  if (comp.done === 0) await thread.block({ until: () => comp.done > 0, what: `completion ${comp.name}` }, false);
  if (comp.done !== Infinity) comp.done--;
  kernel.progressMark++;
}

/**
 * `complete(c)`: lets one waiter of `c` (present or future) go on. Never sleeps: usable in
 * callbacks and tracer code.
 * @example
 * ```ts
 * import { init_completion, complete, completion_done } from 'utrace';
 * const c = init_completion();
 * complete(c);
 * console.log(completion_done(c)); // true
 * ```
 * @public
 * @category Kernel simulation
 */
export function complete(c: completion): void {
  const comp = isA(c, completion, 'a completion made by init_completion', 'complete');
  if (comp.done !== Infinity) comp.done++;
  const kernel = runningKernel();
  if (kernel !== null) {
    kernel.progressMark++;
    if (kernel.tracing) kernel.log(`complete(${comp.name})`);
  }
}

/**
 * `complete_all(c)`: lets every waiter of `c` go on, now and later.
 * @example
 * ```ts
 * import { init_completion, complete_all, completion_done } from 'utrace';
 * const c = init_completion();
 * complete_all(c);
 * console.log(completion_done(c)); // true
 * ```
 * @public
 * @category Kernel simulation
 */
export function complete_all(c: completion): void {
  const comp = isA(c, completion, 'a completion made by init_completion', 'complete_all');
  comp.done = Infinity;
  const kernel = runningKernel();
  if (kernel !== null) kernel.progressMark++;
}

/**
 * `completion_done(c)`.
 * @returns whether a `wait_for_completion` would go on at once.
 * @example
 * ```ts
 * import { init_completion, completion_done } from 'utrace';
 * console.log(completion_done(init_completion())); // false
 * ```
 * @public
 * @category Kernel simulation
 */
export function completion_done(c: completion): boolean {
  return isA(c, completion, 'a completion made by init_completion', 'completion_done').done > 0;
}
