/**
 * Preemption where real code can be preempted (SPEC §6): tracer code at every utrace call and
 * every access to tracer data, and at `preempt_point()`; callbacks at `yield preempt` in a
 * `preemptible` body. A bug that needs a task to run inside the tracer's straight-line code
 * is found without a hand-added `await schedule()`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defineOps,
  IS_ERR,
  type KBox,
  type callback_engine,
  Kernel,
  module_unload,
  preempt,
  preempt_point,
  preemptible,
  RoundRobinScheduler,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_barrier,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_get,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
} from '../src/index.js';
import { defineScenario, runScenario, type StrategyOptions } from '../src/explore/index.js';

const STRATEGIES: readonly StrategyOptions[] = [{ kind: 'dfs', bound: 2 }, { kind: 'random', seed: 1 }, { kind: 'pct', seed: 1 }];

/**
 * The tracer re-arms a self-detaching probe, puts its counted reference, and then still writes
 * the probe's data: once the reference is put, the probe's own UTRACE_DETACH frees the engine
 * and `release` frees the data, between the put and the write.
 */
function putThenWrite(preempt_calls: boolean): ReturnType<typeof defineScenario> {
  return defineScenario({
  name: 'put-then-write',
  description: 'A tracer puts its reference to a self-detaching engine, then writes the data that release frees.',
  expect: 'unsafe',
  kernel: { preempt_calls },
  build(kernel) {
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    const state = kernel.kmalloc('state', { armed: false });
    const ops = defineOps({ report_syscall_entry: () => UTRACE_DETACH, release: (d: KBox<{ armed: boolean }>) => {
      kernel.kfree(d);
    } }, 'may-detach');
    const pointer = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, state);
    if (IS_ERR(pointer)) throw new Error('attach failed');
    const { engine } = utrace_engine_get(pointer);
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
    kernel.tracer('tracer', async () => {
      const r = utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
      utrace_engine_put(r.engine);
      if (r.ret === 0) state.value.armed = true; // no await anywhere
    });
  },
  });
}

/** The same, fixed: the write comes before the put, while the counted reference keeps the engine (and its data). */
const writeThenPut = defineScenario({
  name: 'write-then-put',
  description: 'The tracer writes the data, then puts its reference.',
  expect: 'safe',
  kernel: { preempt_calls: true },
  build(kernel) {
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    const state = kernel.kmalloc('state', { armed: false });
    const ops = defineOps({ report_syscall_entry: () => UTRACE_DETACH, release: (d: KBox<{ armed: boolean }>) => {
      kernel.kfree(d);
    } }, 'may-detach');
    const pointer = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, state);
    if (IS_ERR(pointer)) throw new Error('attach failed');
    const { engine } = utrace_engine_get(pointer);
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
    kernel.tracer('tracer', async () => {
      const r = utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
      if (r.ret === 0) state.value.armed = true;
      utrace_engine_put(r.engine);
    });
  },
});

describe('tracer code is preemptible at every utrace call and data access', () => {
  for (const strategy of STRATEGIES) {
    it(`a tracer that puts its engine and then still writes through it is found by ${strategy.kind}, without a hand-added schedule()`, async () => {
      const report = await runScenario(putThenWrite(true), { strategy, maxExecutions: 5000 });
      assert.equal(report.result.status, 'failed');
      const failure = report.counterexample!.outcome.failure!;
      assert.equal(failure.check, 'use-after-free');
      assert.match(failure.message, /tracer data "state" written after it was freed|tracer data "state" read after it was freed/);
    });
    it(`the fixed order (write, then put) is clean under ${strategy.kind}`, async () => {
      const report = await runScenario(writeThenPut, { strategy, maxExecutions: 300 });
      assert.notEqual(report.result.status, 'failed', report.counterexample?.outcome.failure?.message);
    });
  }

  it('without preempt_calls the tracer code between awaits is atomic, and the bug is missed', async () => {
    const report = await runScenario(putThenWrite(false), { strategy: { kind: 'dfs', bound: 2 } });
    assert.equal(report.result.status, 'exhausted');
  });

  it('preempt_calls must be a boolean', () => {
    assert.throws(() => new Kernel({ preempt_calls: 1 as unknown as boolean }), /preempt_calls is true or false/);
  });

  it('a point nobody can race with is not offered: a tracer alone takes one step per stretch of code', async () => {
    const kernel = new Kernel({ preempt_calls: true });
    const data = kernel.kmalloc('d', { n: 0 });
    kernel.tracer('alone', async () => {
      for (let i = 0; i < 10; i++) data.value.n++;
      kernel.kfree(data);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.status, 'ok');
    assert.equal(outcome.schedule.length, 1);
  });

  it('at a point inside a call, only the threads that could touch the engine are offered (its task and the kernel threads)', async () => {
    const kernel = new Kernel({ preempt_calls: true });
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    kernel.spawn('bystander', [sys(1), sys(2)]);
    const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_entry: () => UTRACE_RESUME }), null);
    if (IS_ERR(e)) throw new Error('attach failed');
    const offered: number[][] = [];
    kernel.tracer('tracer', async () => {
      utrace_set_events(task, e, UTRACE_EVENT('SYSCALL_ENTRY'));
      utrace_engine_put(utrace_control(task, e, UTRACE_DETACH).engine);
    });
    const tracerId = 4;
    const outcome = await kernel.run({
      pick(point) {
        if (point.previous === tracerId && point.runnable.includes(tracerId)) offered.push([...point.runnable]);
        return point.runnable.includes(tracerId) ? tracerId : point.runnable[0]!;
      },
    });
    assert.equal(outcome.threads[tracerId]!.name, 'tracer');
    assert.ok(offered.length >= 2, 'a point at each call');
    for (const ids of offered) assert.ok(!ids.includes(3), `the bystander (thread 3) is not offered: ${ids.join(',')}`);
  });
});

describe('preempt_point() marks a point where the tracer may be preempted', () => {
  it('the tracer may go on at once, or the task may run first (a preemption)', async () => {
    const orders = new Set<string>();
    for (const first of ['tracer', 'task'] as const) {
      const kernel = new Kernel({ preempt_calls: true });
      kernel.spawn('traced', [sys(1)]);
      const log: string[] = [];
      const data = kernel.kmalloc('d', 0);
      kernel.tracer('tracer', async () => {
        log.push('before');
        await preempt_point();
        log.push(`after ${data.value}`);
        kernel.kfree(data);
      });
      let switched = false;
      const outcome = await kernel.run({
        pick(point) {
          const tracer = 3;
          if (first === 'task' && !switched && point.previous === tracer && point.runnable.length > 1) {
            switched = true;
            return point.runnable.find((id) => id !== tracer)!;
          }
          return point.runnable.includes(tracer) ? tracer : point.runnable[0]!;
        },
      });
      assert.equal(outcome.status, 'ok');
      orders.add(`${first}:${outcome.preemptions}`);
    }
    // Away to the task and back while it could still run: two preemptions; going on: none.
    assert.deepEqual([...orders].sort(), ['task:2', 'tracer:0']);
  });

  it('preempt_point() from a callback is might_sleep', async () => {
    const kernel = new Kernel({ preempt_calls: true });
    const task = kernel.spawn('traced', [sys(1)]);
    const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({
      report_syscall_entry: () => {
        void preempt_point();
        return UTRACE_RESUME;
      },
    }), null);
    if (IS_ERR(e)) throw new Error('attach failed');
    utrace_set_events(task, e, UTRACE_EVENT('SYSCALL_ENTRY'));
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.failure?.check, 'might_sleep');
  });
});

describe('preemptible callbacks: module code is not atomic', () => {
  type Hits = { n: number };
  function lostUpdate(callback: 'preemptible' | 'atomic'): ReturnType<typeof defineScenario> {
    return defineScenario({
      name: `lost-update-${callback}`,
      description: 'A callback reads a counter, may be preempted, and writes it back; the tracer resets it meanwhile.',
      expect: callback === 'preemptible' ? 'unsafe' : 'safe',
      properties: {},
      build(kernel) {
        const task = kernel.spawn('traced', [sys(1)]);
        const hits: Hits = { n: 10 };
        const body = function* (_a: number, engine: callback_engine<Hits>) {
          const n = engine.data.n;
          if (callback === 'preemptible') yield preempt;
          engine.data.n = n + 1;
          return UTRACE_RESUME;
        };
        const ops = defineOps({ report_syscall_entry: preemptible(body) });
        const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, hits);
        if (IS_ERR(e)) throw new Error('attach failed');
        utrace_set_events(task, e, UTRACE_EVENT('SYSCALL_ENTRY'));
        kernel.property('the reset is not lost', () => hits.n <= 1);
        kernel.tracer('tracer', async () => {
          await preempt_point();
          hits.n = 0;
          const r = utrace_control(task, e, UTRACE_DETACH);
          await utrace_barrier(task, r.engine);
          utrace_engine_put(r.engine);
        });
      },
    });
  }

  it('a lost update inside a callback is found when the callback yields preempt between read and write', async () => {
    const report = await runScenario(lostUpdate('preemptible'), { strategy: { kind: 'dfs', bound: 2 } });
    assert.equal(report.result.status, 'failed');
    assert.equal(report.counterexample!.outcome.failure!.check, 'property');
  });

  it('the same callback without the yield is atomic: clean', async () => {
    const report = await runScenario(lostUpdate('atomic'), { strategy: { kind: 'dfs', bound: 2 } });
    assert.equal(report.result.status, 'exhausted', report.counterexample?.outcome.failure?.message);
  });

  it('a module unloaded while a preemptible callback is preempted: module-code-after-unload', async () => {
    const kernel = new Kernel({ preempt_calls: true });
    const task = kernel.spawn('traced', [sys(1)]);
    const mod = kernel.load_module('probe');
    const ops = defineOps({
      owner: mod,
      report_syscall_entry: preemptible(function* () {
        yield preempt;
        return UTRACE_RESUME;
      }),
    });
    const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
    if (IS_ERR(e)) throw new Error('attach failed');
    utrace_set_events(task, e, UTRACE_EVENT('SYSCALL_ENTRY'));
    kernel.tracer('tracer', async () => {
      utrace_engine_put(utrace_control(task, e, UTRACE_DETACH).engine);
      await module_unload(mod);
    });
    let preempted = false;
    const outcome = await kernel.run({
      pick(point) {
        // Run the task into its callback, past the first yield, then the tracer.
        const task_ = 2;
        const tracer = 3;
        if (!preempted && point.runnable.includes(task_) && point.step < 3) return task_;
        preempted = true;
        return point.runnable.includes(tracer) ? tracer : point.runnable[0]!;
      },
    });
    assert.equal(outcome.failure?.check, 'module-code-after-unload', outcome.failure?.message);
  });

  it('a preemptible callback called directly runs to its end', () => {
    const f = preemptible(function* (x: number) {
      yield preempt;
      return x + 1;
    });
    assert.equal(f(1), 2);
  });

  it('yielding anything but preempt is an oops; a non-function is a usage error', async () => {
    assert.throws(() => preemptible(3 as never), /preemptible\(body\): body is a generator function/);
    const kernel = new Kernel({ preempt_calls: true });
    const task = kernel.spawn('traced', [sys(1)]);
    const bad = preemptible(function* () {
      yield { kind: 'later' } as unknown as typeof preempt;
      return UTRACE_RESUME;
    });
    const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_entry: bad }), null);
    if (IS_ERR(e)) throw new Error('attach failed');
    utrace_set_events(task, e, UTRACE_EVENT('SYSCALL_ENTRY'));
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.failure?.check, 'oops');
    assert.match(outcome.failure.message, /yielded something other than preempt/);
  });
});
