/**
 * The races of the thread written for fast-check's scheduler (`fc.scheduler()`): each thread
 * of a scenario is an async function over a tiny model of the state the race is about
 * (`reporting`, `freed`, ...), and each scheduling point of the simulation is a task
 * scheduled on fast-check's scheduler, which releases one pending task at a time in an order
 * it draws at random.
 *
 * Each model takes the steps the simulated kernel takes, with the same scheduling points:
 * a task's first step, then per system call `start_callback` | the callback's body | its
 * finish, the syscall and the return to user mode; the exit; the `init` thread's reap; the
 * RCU grace-period thread; and a tracer thread that runs without interruption from one
 * blocking call to the next. A thread that blocks has no pending task until what it waits
 * for holds, as a thread the simulation does not count as runnable. A uniformly random
 * choice among pending tasks is then the choice `RandomScheduler` makes among runnable
 * threads, and the aim is that a schedule breaks a rule in the model when it breaks it in
 * the simulation; as a check, the benchmark prints how many runs a random choice needs in
 * each.
 * @packageDocumentation
 */
import type { Scheduler } from 'fast-check';
import { DEEP_DETACH_AT, DEEP_SYSCALLS, DEEP_TRACER_WORK } from './deep-rcu-only.js';

const never = new Promise<never>(() => {});

/** The model's scheduling: one fast-check task per scheduling point. */
export class Model {
  /** The first rule broken, if any. */
  failure: string | undefined = undefined;
  readonly #waiters: { until: () => boolean; wake: () => void }[] = [];

  constructor(readonly s: Scheduler) {}

  /** Ends the current step; resolves when the scheduler picks this thread for its next one. */
  async point(): Promise<void> {
    this.#wakeUp();
    if (this.failure !== undefined) return never;
    await this.s.schedule(Promise.resolve());
    if (this.failure !== undefined) return never;
  }

  /** Ends the current step and blocks until `until()` holds; resolves when picked after that. */
  async wait(until: () => boolean): Promise<void> {
    this.#wakeUp();
    while (!until()) await new Promise<void>((wake) => this.#waiters.push({ until, wake }));
    await this.point();
  }

  /** The thread's last step is over. */
  end(): void {
    this.#wakeUp();
  }

  /** Records a broken rule; the run stops there. */
  fail(check: string): void {
    this.failure ??= check;
  }

  #wakeUp(): void {
    for (let i = 0; i < this.#waiters.length; ) {
      const w = this.#waiters[i]!;
      if (w.until()) {
        this.#waiters.splice(i, 1);
        w.wake();
      } else {
        i++;
      }
    }
  }
}

/** An engine as the models need it. */
class Engine {
  /** Wants SYSCALL_ENTRY. */
  events = true;
  /** `'user'` ops, the detached ops after UTRACE_DETACH, `null` once unlinked. */
  ops: 'user' | 'detached' | null = 'user';
  detachedBy: 'tracer' | 'callback' | 'reap' | null = null;
  /**
   * Counted references the tracer holds (memory rule v2): 1 after a CREATE attach of ops that
   * never detach, 0 for an RCU-kept pointer (ops that may detach), which owes no put.
   */
  refs: number;
  freeQueued = false;
  freed = false;
  /** Between start_callback and finish_callback. */
  reporting = false;
  /** Between start_callback and the end of the body (the module's code may run). */
  inFlight = false;

  constructor(refs: 0 | 1) {
    this.refs = refs;
  }

  get linked(): boolean {
    return this.ops !== null;
  }
}

/** RCU: grace periods on their own thread, `call_rcu`, `synchronize_rcu`. */
class Rcu {
  completed = 0;
  requested = 0;
  queued: (() => void)[] = [];

  get busy(): boolean {
    return this.queued.length > 0 || this.requested > this.completed;
  }

  /** The grace-period thread: each step ends one grace period and runs what was queued before. */
  async thread(m: Model): Promise<void> {
    for (;;) {
      await m.wait(() => this.busy);
      const batch = this.queued.splice(0);
      this.completed++;
      if (this.requested < this.completed) this.requested = this.completed;
      for (const fn of batch) fn();
    }
  }

  /** The target `synchronize_rcu` waits for. */
  request(): number {
    const target = this.completed + 1;
    if (this.requested < target) this.requested = target;
    return target;
  }
}

/**
 * `maybeFreeEngine` under memory rule v2: once unlinked and unreferenced, free now, or after a
 * grace period for an engine its callback detached. An RCU-kept pointer does not keep it.
 */
function maybeFree(e: Engine, rcu: Rcu): void {
  if (e.freed || e.freeQueued || e.linked || e.refs > 0) return;
  if (e.detachedBy === 'callback') {
    e.freeQueued = true;
    rcu.queued.push(() => {
      e.freed = true;
    });
    return;
  }
  e.freed = true;
}

/** What a callback body does: a check, then its return value. */
type Body = (m: Model, e: Engine) => 'resume' | 'detach';

/**
 * A traced task: its first step, then per system call the entry report (start_callback |
 * body | finish) when the engine wants it, the exit, and the reap by `init`.
 */
async function task(m: Model, e: Engine, syscalls: number, body: Body, rcu: Rcu, state: { zombie: boolean }): Promise<void> {
  await m.point();
  for (let i = 0; i < syscalls; i++) {
    await m.point();
    if (e.events && e.ops === 'user') {
      e.reporting = true;
      e.inFlight = true;
      await m.point();
      const ret = body(m, e);
      e.inFlight = false;
      await m.point();
      if (ret === 'detach' && e.ops === 'user') {
        e.ops = 'detached';
        e.detachedBy = 'callback';
      }
      e.reporting = false;
    }
    if (e.ops === 'detached') {
      // finish_report: utrace_reset unlinks the engine.
      e.ops = null;
      maybeFree(e, rcu);
    }
  }
  await m.point();
  state.zombie = true;
  m.end();
}

/** `init` reaps the zombie: every engine still attached is detached. */
async function init(m: Model, engines: readonly Engine[], tasks: readonly { zombie: boolean }[], rcu: Rcu): Promise<void> {
  const reaped = new Set<object>();
  for (;;) {
    await m.wait(() => tasks.some((t) => t.zombie && !reaped.has(t)));
    const t = tasks.find((x) => x.zombie && !reaped.has(x))!;
    reaped.add(t);
    const e = engines[tasks.indexOf(t)]!;
    if (e.ops !== null) {
      if (e.ops === 'user') e.detachedBy = 'reap';
      e.ops = null;
      maybeFree(e, rcu);
    }
  }
}

/** A model of one race: starts its threads on `m`. */
export type RaceModel = (m: Model) => void;

/**
 * Case (a), set-events-einprogress-free: two system calls; the tracer clears the events,
 * frees the data the callback counts into, detaches.
 */
export const setEventsEinprogressFree: RaceModel = (m) => {
  const e = new Engine(1);
  const rcu = new Rcu();
  const t = { zombie: false };
  let freed = false;
  void rcu.thread(m);
  void init(m, [e], [t], rcu);
  void task(m, e, 2, (mm) => {
    if (freed) mm.fail('use-after-free');
    return 'resume';
  }, rcu, t);
  void (async () => {
    await m.point();
    if (e.ops === 'user') e.events = false; // utrace_set_events(task, engine, 0), return ignored
    freed = true; // kfree(data)
    if (e.ops === 'user') {
      e.ops = 'detached';
      e.detachedBy = 'tracer';
    }
    e.refs = 0; // utrace_engine_put: the attach's counted reference
    maybeFree(e, rcu);
    m.end();
  })();
};

/**
 * Case (b), detach-einprogress-unload: two system calls into a module's callback; the tracer
 * detaches, puts and unloads the module at once.
 */
export const detachEinprogressUnload: RaceModel = (m) => {
  const e = new Engine(1);
  const rcu = new Rcu();
  const t = { zombie: false };
  void rcu.thread(m);
  void init(m, [e], [t], rcu);
  void task(m, e, 2, () => 'resume', rcu, t);
  void (async () => {
    await m.point();
    if (e.ops === 'user') {
      e.ops = 'detached';
      e.detachedBy = 'tracer';
    }
    e.refs = 0; // utrace_engine_put: the attach's counted reference
    maybeFree(e, rcu);
    if (e.inFlight) m.fail('module-code-after-unload'); // module_unload with a callback in the module's code
    m.end();
  })();
};

/**
 * Case (d), rcu-only-sync: every callback returns UTRACE_DETACH; the tracer calls
 * utrace_detach_sync on the pointer RCU alone keeps.
 */
export const rcuOnlySync: RaceModel = (m) => {
  const e = new Engine(0); // ops that may detach: an RCU-kept pointer, no reference
  const rcu = new Rcu();
  const t = { zombie: false };
  void rcu.thread(m);
  void init(m, [e], [t], rcu);
  void task(m, e, 2, () => 'detach', rcu, t);
  const use = (): boolean => {
    if (e.freed) m.fail('use-after-free');
    else if (e.detachedBy === 'callback') m.fail('PROVE_RCU');
    return m.failure === undefined;
  };
  void (async () => {
    await m.point();
    if (!use()) return;
    if (e.ops === 'user' && e.reporting) {
      // -EINPROGRESS: wait for the callback to finish (or the engine to be detached), retry.
      e.events = false;
      await m.wait(() => e.ops !== 'user' || !e.reporting);
      if (!use()) return;
    }
    if (e.ops === 'user') {
      e.events = false;
      e.ops = 'detached';
      e.detachedBy = 'tracer';
    }
    maybeFree(e, rcu); // the RCU-kept pointer owes no put
    m.end();
  })();
};

/**
 * Case (g), global-no-counters: three tasks of one system call each, one engine on each;
 * the tracer detaches every engine and unloads the module without waiting.
 */
export const globalNoCounters: RaceModel = (m) => {
  const rcu = new Rcu();
  const engines = [new Engine(1), new Engine(1), new Engine(1)];
  const tasks = engines.map(() => ({ zombie: false }));
  void rcu.thread(m);
  void init(m, engines, tasks, rcu);
  engines.forEach((e, i) => void task(m, e, 1, () => 'resume', rcu, tasks[i]!));
  void (async () => {
    await m.point();
    for (const e of engines) {
      if (e.ops === 'user') {
        e.ops = 'detached';
        e.detachedBy = 'tracer';
      }
      e.refs = 0; // utrace_engine_put
      maybeFree(e, rcu);
    }
    if (engines.some((e) => e.inFlight)) m.fail('module-code-after-unload');
    m.end();
  })();
};

/**
 * The deep variant (`bench/deep-rcu-only.ts`): the callback detaches on the 7th of 10 system
 * calls; the tracer, after `work` schedule() calls, clears through a counted reference, puts
 * it at once, and retries after a grace period through the RCU-kept pointer.
 */
export function deepRcuOnlyModel(work = DEEP_TRACER_WORK, detachAt = DEEP_DETACH_AT): RaceModel {
  return (m) => {
    // An RCU-kept pointer (the callback may detach), turned into a counted reference by
    // utrace_engine_get in the attaching code, before events are enabled.
    const e = new Engine(0);
    e.refs = 1;
    const rcu = new Rcu();
    const t = { zombie: false };
    let seen = 0;
    void rcu.thread(m);
    void init(m, [e], [t], rcu);
    void task(m, e, DEEP_SYSCALLS, () => (++seen === detachAt ? 'detach' : 'resume'), rcu, t);
    // utrace_set_events(task, engine, 0): -ESRCH once detached; -EINPROGRESS when it clears
    // events while the engine's callback is in progress; else 0.
    const clear = (): number => {
      if (e.ops !== 'user') return -3;
      const clears = e.events;
      e.events = false;
      return clears && e.reporting ? -115 : 0;
    };
    const finish = (ret: number): void => {
      if (ret === 0) {
        e.ops = 'detached';
        e.detachedBy = 'tracer';
      }
      if (ret === 0 || ret === -3) maybeFree(e, rcu);
    };
    void (async () => {
      await m.point();
      for (let i = 0; i < work; i++) await m.point();
      let ret = clear();
      e.refs = 0; // the bug: the counted reference goes
      maybeFree(e, rcu);
      finish(ret);
      while (ret === -115) {
        const target = rcu.request();
        await m.wait(() => rcu.completed >= target);
        if (e.freed) {
          m.fail('use-after-free');
          return;
        }
        ret = clear();
        finish(ret);
      }
      m.end();
    })();
  };
}
