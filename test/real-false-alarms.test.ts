/**
 * False alarms of real engine code, and the real failures they must not hide (SPEC §6): a
 * polling loop that a fair schedule ends is no hang, a task legitimately left stopped is no
 * deadlock, and an earlier oops is not hidden behind a later step-limit; a real livelock, a
 * real hang and a real deadlock are still reported, each under its own check.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ATOMIC_INIT,
  atomic_inc,
  atomic_read,
  atomic_set,
  defineOps,
  IS_ERR,
  Kernel,
  raise,
  RandomScheduler,
  RoundRobinScheduler,
  schedule,
  SIGSTOP,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
} from '../src/index.js';
import { defineScenario, runScenario, type Scenario, type StrategyOptions } from '../src/explore/index.js';

const STRATEGIES: readonly { strategy: StrategyOptions; maxExecutions: number }[] = [
  { strategy: { kind: 'dfs', bound: 2 }, maxExecutions: 20_000 },
  { strategy: { kind: 'random', seed: 7 }, maxExecutions: 200 },
  { strategy: { kind: 'pct', seed: 7 }, maxExecutions: 200 },
];

/** A correct polling loop: the tracer waits, yielding, for callbacks to count three syscalls, then detaches. */
const polling = defineScenario({
  name: 'polling-loop',
  description: 'A tracer polls an atomic counter that callbacks raise, with schedule() in the loop, then detaches.',
  expect: 'safe',
  maxSteps: 2000,
  build(kernel) {
    const task = kernel.spawn('traced', [sys(1), sys(2), sys(3)]);
    const seen = ATOMIC_INIT(0);
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({
      report_syscall_entry: () => (atomic_inc(seen), UTRACE_RESUME),
    }), null);
    if (IS_ERR(engine)) throw new Error('attach failed');
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
    kernel.tracer('tracer', async () => {
      while (atomic_read(seen) < 3) await schedule();
      utrace_engine_put(utrace_control(task, engine, UTRACE_DETACH).engine);
    });
  },
});

/** Two tracers: one polls a flag the other sets after a few yields of its own. */
const handshake = defineScenario({
  name: 'polling-handshake',
  description: 'A tracer polls a flag another tracer sets; both yield with schedule().',
  expect: 'safe',
  maxSteps: 2000,
  build(kernel) {
    kernel.spawn('traced', [sys(1)]);
    const flag = ATOMIC_INIT(0);
    kernel.tracer('waiter', async () => {
      while (atomic_read(flag) === 0) await schedule();
    });
    kernel.tracer('setter', async () => {
      await schedule();
      await schedule();
      atomic_set(flag, 1);
    });
  },
});

/** A task legitimately left in a job-control stop (the group stop of ptrace_attach's SIGSTOP). */
function stoppedTracee(mayEndStopped: boolean): Scenario {
  return defineScenario({
    name: mayEndStopped ? 'left-stopped' : 'left-stopped-undeclared',
    description: 'A task stops itself with SIGSTOP and nobody continues it.',
    expect: 'safe',
    build(kernel) {
      kernel.spawn('tracee', [sys(1), raise(SIGSTOP), sys(2)], { may_end_stopped: mayEndStopped });
      kernel.spawn('other', [sys(1)]);
      kernel.tracer('tracer', async () => {
        await schedule();
      });
    },
  });
}

describe('a polling loop that a fair schedule ends is not a hang (schedule() is a yield)', () => {
  for (const scenario of [polling, handshake]) {
    for (const { strategy, maxExecutions } of STRATEGIES) {
      it(`${scenario.name} is clean under ${strategy.kind}`, async () => {
        const report = await runScenario(scenario, { strategy, maxExecutions });
        assert.notEqual(report.result.status, 'failed', report.counterexample?.outcome.failure?.message);
        if (strategy.kind === 'dfs') assert.equal(report.result.status, 'exhausted');
      });
    }
  }

  it('switching away from a thread that just yielded is not a preemption', async () => {
    const kernel = new Kernel();
    kernel.spawn('traced', [sys(1), sys(2)]);
    kernel.tracer('poller', async () => {
      for (let i = 0; i < 3; i++) await schedule();
    });
    const seen: { runnable: readonly number[]; previous: number }[] = [];
    const outcome = await kernel.run({
      pick(point) {
        seen.push({ runnable: [...point.runnable], previous: point.previous });
        return point.runnable.includes(point.previous) ? point.previous : point.runnable[point.runnable.length - 1]!;
      },
    });
    assert.equal(outcome.status, 'ok');
    assert.equal(outcome.preemptions, 0);
    // After each yield the poller is not offered while the task can still run.
    const poller = outcome.threads.find((t) => t.name === 'poller')!.id;
    const afterYield = seen.filter((p) => p.previous === poller && p.runnable.length > 0);
    assert.ok(afterYield.some((p) => !p.runnable.includes(poller)), 'the yielder stepped aside at least once');
  });

  it('a tracer yielding with nothing else to run goes on at once', async () => {
    const kernel = new Kernel();
    let rounds = 0;
    kernel.tracer('alone', async () => {
      for (let i = 0; i < 5; i++) {
        await schedule();
        rounds++;
      }
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.status, 'ok');
    assert.equal(rounds, 5);
  });
});

describe('a real livelock is a livelock; a real hang is still a step-limit', () => {
  it('polling a flag nobody sets is reported as livelock, with the cycle of one round', async () => {
    for (const scheduler of [new RoundRobinScheduler(), new RandomScheduler(3)]) {
      const kernel = new Kernel();
      kernel.spawn('traced', [sys(1)]);
      const flag = ATOMIC_INIT(0);
      kernel.tracer('waiter', async () => {
        while (atomic_read(flag) === 0) await schedule();
      });
      const outcome = await kernel.run(scheduler, { maxSteps: 500 });
      assert.equal(outcome.failure?.check, 'livelock', outcome.failure?.message);
      assert.match(outcome.failure.message, /waiter polled/);
      assert.equal(outcome.failure.related.length, 1);
      assert.equal(outcome.failure.related[0]!.thread, outcome.threads.find((t) => t.name === 'waiter')!.id);
    }
  });

  it('two pollers waiting on each other form a cycle of two steps', async () => {
    const kernel = new Kernel();
    const a = ATOMIC_INIT(0);
    const b = ATOMIC_INIT(0);
    kernel.tracer('p1', async () => {
      while (atomic_read(a) === 0) await schedule();
      atomic_set(b, 1);
    });
    kernel.tracer('p2', async () => {
      while (atomic_read(b) === 0) await schedule();
      atomic_set(a, 1);
    });
    const outcome = await kernel.run(new RandomScheduler(1), { maxSteps: 400 });
    assert.equal(outcome.failure?.check, 'livelock');
    assert.deepEqual(outcome.failure.related.map((r) => r.thread).sort(), [0, 1].map((i) => i + 2));
  });

  it('a loop that keeps writing kernel state is a real hang: step-limit', async () => {
    const kernel = new Kernel();
    const c = ATOMIC_INIT(0);
    kernel.tracer('spinner', async () => {
      for (;;) {
        atomic_inc(c);
        await schedule();
      }
    });
    const outcome = await kernel.run(new RoundRobinScheduler(), { maxSteps: 300 });
    assert.equal(outcome.failure?.check, 'step-limit');
    assert.match(outcome.failure.message, /not a livelock/);
  });

  it('a run cut at maxSteps while a task still runs is step-limit', async () => {
    const kernel = new Kernel();
    kernel.spawn('busy', Array.from({ length: 50 }, (_, i) => sys(i)));
    const outcome = await kernel.run(new RoundRobinScheduler(), { maxSteps: 20 });
    assert.equal(outcome.failure?.check, 'step-limit');
  });
});

describe('a task may end stopped (spawn option may_end_stopped)', () => {
  for (const { strategy, maxExecutions } of STRATEGIES) {
    it(`a tracee left in group stop is clean under ${strategy.kind}; undeclared, it is a deadlock`, async () => {
      const ok = await runScenario(stoppedTracee(true), { strategy, maxExecutions });
      assert.notEqual(ok.result.status, 'failed', ok.counterexample?.outcome.failure?.message);
      const bad = await runScenario(stoppedTracee(false), { strategy, maxExecutions });
      assert.equal(bad.result.status, 'failed');
      assert.equal(bad.counterexample?.outcome.failure?.check, 'deadlock');
      assert.match(bad.counterexample!.outcome.failure!.message, /tracee\[1\]/);
    });
  }

  it('a task declared so does not hide a livelock of the tracer waiting for it', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)], { may_end_stopped: true });
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_entry: () => UTRACE_RESUME }), null);
    if (IS_ERR(engine)) throw new Error('attach failed');
    kernel.tracer('tracer', async () => {
      const never = ATOMIC_INIT(0);
      while (atomic_read(never) === 0) await schedule();
    });
    const outcome = await kernel.run(new RoundRobinScheduler(), { maxSteps: 200 });
    assert.equal(outcome.failure?.check, 'livelock');
    utrace_engine_put(engine);
  });

  it('may_end_stopped must be a boolean', () => {
    const kernel = new Kernel();
    assert.throws(() => kernel.spawn('t', [sys(1)], { may_end_stopped: 1 as unknown as boolean }), /may_end_stopped is true or false/);
  });
});

describe('an earlier oops is never hidden by a later end-of-run failure', () => {
  it('an oops in a callback, then a run that hits maxSteps: the oops is the failure', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({
      report_syscall_entry: () => {
        throw new Error('bad pointer');
      },
    }), null);
    if (IS_ERR(engine)) throw new Error('attach failed');
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
    const c = ATOMIC_INIT(0);
    kernel.tracer('spinner', async () => {
      for (;;) {
        atomic_inc(c);
        await schedule();
      }
    });
    const outcome = await kernel.run(new RoundRobinScheduler(), { maxSteps: 300 });
    assert.equal(outcome.failure?.check, 'oops', outcome.failure?.message);
    assert.match(outcome.failure.message, /bad pointer/);
  });
});
