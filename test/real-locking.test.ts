/**
 * Kernel waiting and locking (SPEC §6): mutexes, spinlocks, wait queues and completions, each
 * kernel rule a named run-time check: no sleeping under a spinlock or in a callback
 * (`might_sleep`), bad unlock balance (`lockdep`), a lock-order inversion that deadlocks
 * reported with its cycle (`deadlock`), a lost wake-up left sleeping (`deadlock`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  complete,
  DECLARE_WAIT_QUEUE_HEAD,
  DEFINE_MUTEX,
  DEFINE_SPINLOCK,
  defineOps,
  ERESTARTSYS,
  init_completion,
  IS_ERR,
  Kernel,
  mutex_lock,
  mutex_trylock,
  mutex_unlock,
  RoundRobinScheduler,
  schedule,
  spin_lock,
  spin_unlock,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
  wait_event,
  wait_event_interruptible,
  wait_for_completion,
  wake_up,
} from '../src/index.js';
import { defineScenario, runScenario } from '../src/explore/index.js';

describe('mutexes', () => {
  it('exclude each other: two tracers never are inside together, under every schedule of dfs', async () => {
    const scenario = defineScenario({
      name: 'mutex-exclusion',
      description: 'Two tracers increment a counter under a mutex, yielding inside.',
      expect: 'safe',
      build(kernel) {
        const lock = DEFINE_MUTEX('lock');
        let inside = 0;
        for (const name of ['a', 'b']) {
          kernel.tracer(name, async () => {
            await mutex_lock(lock);
            inside++;
            if (inside > 1) throw new Error('two threads inside the mutex');
            await schedule();
            inside--;
            mutex_unlock(lock);
          });
        }
      },
    });
    const report = await runScenario(scenario, { strategy: { kind: 'dfs', bound: 2 } });
    assert.equal(report.result.status, 'exhausted', report.counterexample?.outcome.failure?.message);
  });

  it('a lock-order inversion that deadlocks is reported as a deadlock with its cycle', async () => {
    const scenario = defineScenario({
      name: 'abba',
      description: 'Two tracers take two mutexes in opposite orders.',
      expect: 'unsafe',
      build(kernel) {
        const a = DEFINE_MUTEX('A');
        const b = DEFINE_MUTEX('B');
        kernel.tracer('t1', async () => {
          await mutex_lock(a);
          await schedule();
          await mutex_lock(b);
          mutex_unlock(b);
          mutex_unlock(a);
        });
        kernel.tracer('t2', async () => {
          await mutex_lock(b);
          await schedule();
          await mutex_lock(a);
          mutex_unlock(a);
          mutex_unlock(b);
        });
      },
    });
    const report = await runScenario(scenario, { strategy: { kind: 'dfs', bound: 2 } });
    assert.equal(report.result.status, 'failed');
    const failure = report.counterexample!.outcome.failure!;
    assert.equal(failure.check, 'deadlock');
    assert.match(failure.message, /lock cycle: t\d waits for [AB] in mutex_lock; t\d holds [AB], and waits for [AB], t\d holds [AB].*lock-order inversion/);
  });

  it('taking a mutex twice is a deadlock (a recursive lock)', async () => {
    const kernel = new Kernel();
    const m = DEFINE_MUTEX('m');
    kernel.tracer('t', async () => {
      await mutex_lock(m);
      await mutex_lock(m);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.failure?.check, 'deadlock');
    assert.match(outcome.failure.message, /recursive lock/);
  });

  it('unlocking a mutex not held, or twice, is a lockdep failure', async () => {
    for (const body of [
      async (m: ReturnType<typeof DEFINE_MUTEX>) => mutex_unlock(m),
      async (m: ReturnType<typeof DEFINE_MUTEX>) => {
        await mutex_lock(m);
        mutex_unlock(m);
        mutex_unlock(m);
      },
    ]) {
      const kernel = new Kernel();
      const m = DEFINE_MUTEX('m');
      kernel.tracer('t', () => body(m));
      const outcome = await kernel.run(new RoundRobinScheduler());
      assert.equal(outcome.failure?.check, 'lockdep');
      assert.match(outcome.failure.message, /mutex_unlock\(m\) by t, but nobody holds it.*bad unlock balance/);
    }
  });

  it("unlocking another thread's mutex is a lockdep failure; trylock says 0 while it is held", async () => {
    const kernel = new Kernel();
    const m = DEFINE_MUTEX('m');
    let tried: number | undefined;
    kernel.tracer('owner', async () => {
      await mutex_lock(m);
      await schedule();
    });
    kernel.tracer('thief', async () => {
      tried = mutex_trylock(m);
      mutex_unlock(m);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(tried, 0);
    assert.equal(outcome.failure?.check, 'lockdep');
    assert.match(outcome.failure.message, /owner holds it/);
  });

  it('mutex_lock in a callback is might_sleep', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const m = DEFINE_MUTEX('m');
    const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_entry: () => (void mutex_lock(m), UTRACE_RESUME) }), null);
    if (IS_ERR(e)) throw new Error('attach failed');
    utrace_set_events(task, e, UTRACE_EVENT('SYSCALL_ENTRY'));
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.failure?.check, 'might_sleep');
  });
});

describe('spinlocks', () => {
  it('sleeping under a spinlock is might_sleep, naming the lock', async () => {
    for (const sleep of [() => schedule(), () => mutex_lock(DEFINE_MUTEX('m')), () => wait_for_completion(init_completion('c'))]) {
      const kernel = new Kernel();
      const l = DEFINE_SPINLOCK('list_lock');
      kernel.tracer('t', async () => {
        await spin_lock(l);
        await sleep();
      });
      const outcome = await kernel.run(new RoundRobinScheduler());
      assert.equal(outcome.failure?.check, 'might_sleep');
      assert.match(outcome.failure.message, /holds spinlock list_lock/);
    }
  });

  it('a contended spin in tracer code waits without sleeping, and gets the lock', async () => {
    const kernel = new Kernel();
    const l = DEFINE_SPINLOCK('l');
    const order: string[] = [];
    const outer = DEFINE_SPINLOCK('outer');
    kernel.tracer('holder', async () => {
      await spin_lock(l);
      order.push('holder in');
      await spin_lock(outer); // free: taken at once, no sleep
      spin_unlock(outer);
      spin_unlock(l);
    });
    kernel.tracer('spinner', async () => {
      await spin_lock(outer);
      await spin_lock(l); // may spin under `outer`: spinning is not sleeping
      order.push('spinner in');
      spin_unlock(l);
      spin_unlock(outer);
    });
    const outcome = await kernel.run({ pick: (p) => (p.runnable.includes(p.previous) ? p.previous : p.runnable[0]!) });
    assert.equal(outcome.status, 'ok', outcome.failure?.message);
    assert.deepEqual(order.sort(), ['holder in', 'spinner in']);
  });

  it('unlocking a spinlock not held is lockdep', async () => {
    const kernel = new Kernel();
    const l = DEFINE_SPINLOCK('l');
    kernel.tracer('t', async () => spin_unlock(l));
    assert.equal((await kernel.run(new RoundRobinScheduler())).failure?.check, 'lockdep');
  });

  it('in a callback a free spinlock is taken at once; locks in set-up code are a usage error', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const l = DEFINE_SPINLOCK('l');
    const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({
      report_syscall_entry: () => {
        void spin_lock(l);
        spin_unlock(l);
        return UTRACE_RESUME;
      },
    }), null);
    if (IS_ERR(e)) throw new Error('attach failed');
    utrace_set_events(task, e, UTRACE_EVENT('SYSCALL_ENTRY'));
    assert.throws(() => spin_unlock(l), /locks are taken by a thread while the kernel runs/);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.notEqual(outcome.failure?.check, 'lockdep');
    assert.notEqual(outcome.failure?.check, 'might_sleep');
  });
});

describe('wait queues and completions', () => {
  it('wait_event sleeps until a wake_up finds the condition true', async () => {
    const scenario = defineScenario({
      name: 'wait-event',
      description: 'A waiter sleeps on a queue; a waker sets the condition and wakes it.',
      expect: 'safe',
      build(kernel) {
        const wq = DECLARE_WAIT_QUEUE_HEAD('wq');
        let ready = false;
        kernel.tracer('waiter', async () => {
          await wait_event(wq, () => ready);
        });
        kernel.tracer('waker', async () => {
          await schedule();
          ready = true;
          wake_up(wq);
        });
      },
    });
    const report = await runScenario(scenario, { strategy: { kind: 'dfs', bound: 2 } });
    assert.equal(report.result.status, 'exhausted', report.counterexample?.outcome.failure?.message);
  });

  it('a lost wake-up (condition set, no wake_up) leaves the waiter sleeping: deadlock naming the queue', async () => {
    const scenario = defineScenario({
      name: 'lost-wakeup',
      description: 'The waker forgets wake_up.',
      expect: 'unsafe',
      build(kernel) {
        const wq = DECLARE_WAIT_QUEUE_HEAD('exit_wq');
        let ready = false;
        kernel.tracer('waiter', async () => {
          await wait_event(wq, () => ready);
        });
        kernel.tracer('waker', async () => {
          ready = true;
        });
      },
    });
    const report = await runScenario(scenario, { strategy: { kind: 'dfs', bound: 2 } });
    assert.equal(report.result.status, 'failed');
    assert.equal(report.counterexample!.outcome.failure!.check, 'deadlock');
    assert.match(report.counterexample!.outcome.failure!.message, /waiter waits for a wake_up on exit_wq/);
  });

  it('wait_event_interruptible returns -ERESTARTSYS on a signal', async () => {
    const kernel = new Kernel();
    const wq = DECLARE_WAIT_QUEUE_HEAD('wq');
    let ret: number | undefined;
    const h = kernel.tracer('waiter', async () => {
      ret = await wait_event_interruptible(wq, () => false);
    });
    kernel.tracer('signaller', async () => h.interrupt());
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.status, 'ok');
    assert.equal(ret, -ERESTARTSYS);
  });

  it('a completion completed from a callback lets the tracer go on; never completed, it is a deadlock', async () => {
    for (const completes of [true, false]) {
      const kernel = new Kernel();
      const task = kernel.spawn('traced', [sys(1)]);
      const done = init_completion('probe_hit');
      const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_entry: () => (completes && complete(done), UTRACE_RESUME) }), null);
      if (IS_ERR(e)) throw new Error('attach failed');
      utrace_set_events(task, e, UTRACE_EVENT('SYSCALL_ENTRY'));
      kernel.tracer('tracer', async () => {
        await wait_for_completion(done);
      });
      const outcome = await kernel.run(new RoundRobinScheduler());
      if (completes) assert.notEqual(outcome.failure?.check, 'deadlock');
      else {
        assert.equal(outcome.failure?.check, 'deadlock');
        assert.match(outcome.failure.message, /tracer waits for completion probe_hit/);
      }
    }
  });
});
