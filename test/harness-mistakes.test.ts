/**
 * Mistakes of the harness, not of the tracer under test: a search must never claim what it did
 * not check (a verdict from a run that ignored its scheduler, a usage error of the run machinery
 * read as a finding, a tracer failure read as success), never hang on a long failing run, and
 * answer bad limits up front.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scenario as setEventsFree } from '../examples/set-events-einprogress-free.js';
import { scenario as safeDetach } from '../examples/safe-detach.js';
import { UtraceUsageError } from '../src/errors.js';
import { explore } from '../src/explore/explore.js';
import { makeStrategy } from '../src/explore/strategy.js';
import { runScenario } from '../src/explore/run-scenario.js';
import { shorten } from '../src/explore/shorten.js';
import {
  defineOps, IS_ERR, Kernel, RoundRobinScheduler, schedule, synchronize_rcu, sys, UTRACE_ATTACH_CREATE, utrace_attach_task,
  utrace_barrier, utrace_engine_put,
  ATOMIC_INIT,
  atomic_inc,
} from '../src/index.js';
import type { ExecutionOutcome } from '../src/sched/execution.js';
import { PctScheduler } from '../src/sched/pct.js';
import { RandomScheduler } from '../src/sched/basic.js';
import { encodeSchedule, MAX_SCHEDULE_STEPS } from '../src/sched/schedule-string.js';
import { ScenarioBuildError, scenarioExecute } from '../src/scenario/execute.js';
import { defineScenario, type Scenario } from '../src/scenario/scenario.js';
import { lostUpdate, toyExecute } from './support/toy-execute.js';

/** The repository root above this file (the build, or a copy of it inside build/). */
const root = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test');
    dir = up;
  }
  return dir;
})();
const cli = join(root, 'dist/src/cli/main.js');

/** Asserts that `run` throws or rejects with a UtraceUsageError of `rule` whose message matches `re`. */
async function usage(run: () => unknown, rule: string, re?: RegExp): Promise<void> {
  await assert.rejects(
    async () => run(),
    (e: unknown) => {
      assert.ok(e instanceof UtraceUsageError, `expected a UtraceUsageError, got ${String(e)}`);
      assert.equal(e.rule, rule, e.message);
      if (re !== undefined) assert.match(e.message, re);
      return true;
    },
  );
}

/** A scenario that passed no check of defineScenario: what a copy of the package or a cast can make. */
function forged(spec: Record<string, unknown>): Scenario {
  const s = { ...spec };
  Object.defineProperty(s, Symbol.for('utrace.scenario'), { value: true });
  return Object.freeze(s) as unknown as Scenario;
}

/** Two tracers that loop on `schedule()` for ever: every run ends at its step limit. */
function spinning(maxSteps: number): Scenario {
  return defineScenario({
    name: 'spinning-tracers',
    description: 'Two tracers count for ever, yielding with schedule(); every run hits the step limit.',
    expect: 'safe',
    maxSteps,
    build(kernel) {
      const rounds = ATOMIC_INIT(0);
      for (const name of ['a', 'b']) {
        kernel.tracer(name, async () => {
          for (;;) {
            atomic_inc(rounds); // a write each round: a real hang, not a livelock
            await schedule();
          }
        });
      }
    },
  });
}

describe('maxSteps: one rule for defineScenario, Kernel.run and the schedule string', () => {
  const bad: readonly unknown[] = [2 ** 53, MAX_SCHEDULE_STEPS + 1, 0, -1, 1.5, NaN, Infinity, '10', null];
  const build = (kernel: Kernel): void => void kernel.spawn('t', [sys(1)]);

  it('refuses every bad maxSteps up front, in defineScenario and in Kernel.run alike', async () => {
    for (const maxSteps of bad) {
      await usage(
        () => defineScenario({ name: 'x', description: 'x', expect: 'safe', build, maxSteps: maxSteps as number }),
        'scenario',
        /maxSteps must be an integer from 1 to 10000000/,
      );
      await usage(() => new Kernel().run(new RoundRobinScheduler(), { maxSteps: maxSteps as number }), 'run-arguments', /maxSteps must be an integer from 1 to 10000000/);
    }
  });

  it('accepts the largest maxSteps everywhere, and encodes only schedules that decode', async () => {
    const s = defineScenario({ name: 'x', description: 'x', expect: 'safe', build, maxSteps: MAX_SCHEDULE_STEPS });
    assert.equal(s.maxSteps, MAX_SCHEDULE_STEPS);
    const kernel = new Kernel();
    build(kernel);
    assert.equal((await kernel.run(new RoundRobinScheduler(), { maxSteps: MAX_SCHEDULE_STEPS })).status, 'ok');
    // A holey array costs nothing to make: the length alone is refused.
    await usage(() => encodeSchedule(new Array<number>(MAX_SCHEDULE_STEPS + 1)), 'bad-option', /more than the 10000000/);
  });
});

describe('a harness error is an error, never a finding', () => {
  it('a usage error of Kernel.run (a forged scenario with maxSteps 2**53) rejects instead of becoming an oops', async () => {
    const s = forged({ name: 'forged', description: 'x', expect: 'unsafe', maxSteps: 2 ** 53, build: (k: Kernel) => void k.spawn('t', [sys(1)]) });
    await usage(() => scenarioExecute(s)(new RoundRobinScheduler()), 'run-arguments');
    await usage(() => runScenario(s, { strategy: { kind: 'dfs', bound: 1 } }), 'run-arguments');
  });

  it('a scheduler that throws a usage error rejects the run; a tracer misusing the API is still an oops', async () => {
    const throwing = { pick: (): number => { throw new UtraceUsageError('bad-option', 'a scheduler bug'); } };
    await usage(() => scenarioExecute(safeDetach)(throwing), 'bad-option', /a scheduler bug/);
    const misuse = defineScenario({
      name: 'misuse', description: 'A tracer passes a string for a task.', expect: 'unsafe',
      build(kernel) {
        kernel.spawn('t', [sys(1)]);
        kernel.tracer('tracer', async () => {
          await schedule();
          Kernel.prototype.kfree.call(kernel, 'not a box' as never);
        });
      },
    });
    const outcome = await scenarioExecute(misuse)(new RoundRobinScheduler());
    assert.equal(outcome.failure?.check, 'oops');
    assert.match(outcome.failure.message, /tracer misused the API \(kfree-argument\)/);
  });

  it('a tracer that throws undefined, or rejects with nothing, fails the run: Kernel.run and the explorer reject', async () => {
    const tracers: ReadonlyArray<readonly [string, () => Promise<void>]> = [
      ['throw undefined', async () => { throw undefined; }],
      ['Promise.reject()', () => Promise.reject()],
      ['a rejected promise returned', async () => Promise.reject(new RangeError('late'))],
      ['throw null', async () => { await schedule(); throw null; }],
      ['an object without a prototype', async () => { throw Object.create(null); }],
    ];
    for (const [what, fn] of tracers) {
      const kernel = new Kernel();
      kernel.spawn('t', [sys(1)]);
      kernel.tracer('tracer', fn);
      await assert.rejects(kernel.run(new RoundRobinScheduler()), (e: unknown) => {
        assert.ok(e instanceof Error, what);
        assert.match(e.message, /late|tracer thread tracer threw (undefined|null|an object without a prototype), not an Error/, what);
        return true;
      });
      const s = defineScenario({
        name: 'tracer-fails', description: what, expect: 'unsafe',
        build(k) {
          k.spawn('t', [sys(1)]);
          k.tracer('tracer', fn);
        },
      });
      await assert.rejects(runScenario(s, { strategy: { kind: 'dfs', bound: 1 } }), Error, what);
    }
  });

  it('a build that throws an object without a prototype gives a ScenarioBuildError saying so', async () => {
    const s = defineScenario({ name: 'bad-build', description: 'x', expect: 'safe', build() { throw Object.create(null); } });
    await assert.rejects(scenarioExecute(s)(new RoundRobinScheduler()), (e: unknown) => {
      assert.ok(e instanceof ScenarioBuildError);
      assert.match(e.message, /build failed: an object without a prototype/);
      return true;
    });
  });
});

describe('the search checks that its schedule was followed', () => {
  it('an Execute that runs the simulation under another scheduler is refused, never exhausted', async () => {
    const ignoring = (): Promise<ExecutionOutcome> => scenarioExecute(setEventsFree)(new RoundRobinScheduler());
    await usage(() => explore(ignoring, { strategy: { kind: 'dfs', bound: 2 } }), 'execute-contract', /the scheduler was asked 0 times/);
    const random = (): Promise<ExecutionOutcome> => scenarioExecute(setEventsFree)(new RandomScheduler(3));
    await usage(() => explore(random, { strategy: { kind: 'pct', seed: 1 }, maxExecutions: 5 }), 'execute-contract');
  });

  it('an Execute that makes its outcome up is refused', async () => {
    await usage(() => explore(async () => ({}) as ExecutionOutcome, { strategy: { kind: 'dfs', bound: 2 } }), 'execute-contract', /status is undefined/);
    await usage(() => explore(async () => null as unknown as ExecutionOutcome, { strategy: { kind: 'dfs' } }), 'execute-contract', /returned null/);
    const honest = scenarioExecute(safeDetach);
    const lying = async (s: Parameters<typeof honest>[0]): Promise<ExecutionOutcome> => {
      const o = await honest(s);
      return { ...o, schedule: o.schedule.map((t, i) => (i === 3 ? t + 1 : t)) };
    };
    await usage(() => explore(lying, { strategy: { kind: 'dfs', bound: 2 } }), 'execute-contract', /step 3 of the outcome's schedule/);
    await usage(
      () => explore(async (s) => ({ ...(await honest(s)), status: 'failed', failure: undefined }), { strategy: { kind: 'dfs' } }),
      'execute-contract',
      /carries no failure/,
    );
  });

  it('a scenario whose build is not deterministic is refused with a message saying so', async () => {
    let runs = 0;
    const unstable = defineScenario({
      name: 'unstable', description: 'build spawns a second task on its first call only', expect: 'safe',
      build(kernel) {
        kernel.spawn('t', [sys(1)]);
        if (runs++ === 0) kernel.spawn('u', [sys(1), sys(2)]);
      },
    });
    await usage(() => runScenario(unstable, { strategy: { kind: 'dfs', bound: 2 } }), 'strategy-protocol', /not deterministic[\s\S]*build and tracer threads must depend only on the kernel/);
  });
});

describe('bad search parameters are refused up front', () => {
  it('a PCT depth above 10,000 (or an expected length above 10,000,000) is a usage error before any run', async () => {
    let ran = 0;
    const execute = async (s: Parameters<ReturnType<typeof scenarioExecute>>[0]): Promise<ExecutionOutcome> => {
      ran++;
      return scenarioExecute(safeDetach)(s);
    };
    for (const depth of [999_999_999_999_999, 100_000_000, 10_001, 0, 1.5]) {
      await usage(() => explore(execute, { strategy: { kind: 'pct', seed: 1, depth }, maxExecutions: 1 }), 'bad-option', /pct depth must be an integer from 1 to 10000/);
      await usage(() => new PctScheduler(1, depth, 10), 'bad-option', /depth must be an integer from 1 to 10000/);
    }
    await usage(() => makeStrategy({ kind: 'pct', seed: 1, expectedSteps: MAX_SCHEDULE_STEPS + 1 }), 'bad-option', /expectedSteps/);
    assert.equal(ran, 0);
    const fine = await explore(execute, { strategy: { kind: 'pct', seed: 1, depth: 10_000 }, maxExecutions: 2 });
    assert.equal(fine.status, 'limit');
  });
});

describe('shortening is bounded', () => {
  for (const steps of [20_000, 100_000]) {
    it(`a never-ending scenario of ${steps} steps is found and shortened in seconds, with the cost reported`, async () => {
      for (const strategy of [{ kind: 'dfs', bound: 2 }, { kind: 'random', seed: 1 }] as const) {
        const started = performance.now();
        const report = await runScenario(spinning(steps), { strategy, maxExecutions: 5 });
        const seconds = (performance.now() - started) / 1000;
        assert.equal(report.result.status, 'failed');
        const s = report.counterexample?.shortened;
        assert.ok(s !== undefined);
        assert.equal(s.outcome.failure?.check, 'step-limit');
        assert.equal(s.preemptions, 0);
        assert.equal(s.stoppedBy, 'fixed-point');
        assert.ok(s.stepsSpent <= 10 * steps, `${s.stepsSpent} steps spent`);
        assert.ok(s.elapsedMs >= 0 && s.elapsedMs < 60_000);
        assert.ok(seconds < 60, `${seconds} s`);
      }
    });
  }

  it('keeps only candidates that fail with the same check', async () => {
    const toy = toyExecute(lostUpdate(10));
    const alternating = Array.from({ length: 44 }, (_, i) => i % 2);
    const failing = (await toy(new (await import('../src/sched/replay.js')).ReplayScheduler(alternating))).schedule;
    // Every run but the given one fails with another check: none may be kept.
    const given = encodeSchedule(failing);
    let others = 0;
    const execute = async (s: Parameters<typeof toy>[0]): Promise<ExecutionOutcome> => {
      const o = await toy(s);
      if (o.failure === undefined || encodeSchedule(o.schedule) === given) return o;
      others++;
      return { ...o, failure: { ...o.failure, check: 'deadlock' } };
    };
    const r = await shorten(execute, failing, 'leak');
    assert.ok(others > 0, 'some candidates failed with the other check');
    assert.equal(r.outcome.failure?.check, 'leak');
    assert.equal(r.schedule, given);
  });

  it('stops at its step budget, its time limit or an abort, and says which', async () => {
    const execute = toyExecute(lostUpdate(10));
    const long = await execute(new RoundRobinScheduler());
    const alternating = Array.from({ length: 44 }, (_, i) => i % 2);
    const failing = (await execute(new (await import('../src/sched/replay.js')).ReplayScheduler(alternating))).schedule;
    assert.ok(long.schedule.length > 0);
    const bySteps = await shorten(execute, failing, 'leak', { stepBudget: 100 });
    assert.equal(bySteps.stoppedBy, 'steps');
    assert.equal(bySteps.fixedPoint, false);
    assert.ok(bySteps.stepsSpent <= 100 + failing.length);
    const byTime = await shorten(execute, failing, 'leak', { maxSeconds: 1e-9 });
    assert.equal(byTime.stoppedBy, 'time');
    assert.equal(byTime.executions, 1);
    const aborted = await shorten(execute, failing, 'leak', { signal: AbortSignal.abort() });
    assert.equal(aborted.stoppedBy, 'aborted');
    const full = await shorten(execute, failing, 'leak');
    assert.equal(full.stoppedBy, 'fixed-point');
    assert.equal(full.fixedPoint, true);
    await usage(() => shorten(execute, failing, 'leak', { stepBudget: 0 }), 'bad-option', /stepBudget/);
    await usage(() => shorten(execute, failing, 'leak', { maxSeconds: -1 }), 'bad-option', /maxSeconds/);
    await usage(() => shorten(execute, failing, 'leak', { signal: {} as AbortSignal }), 'bad-option', /signal/);
  });
});

describe('blocking calls outside a tracer thread', () => {
  it('throw UtraceUsageError blocking-outside-tracer at the call, as docs/reliability.md says (an async caller\'s promise then rejects)', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('t', [sys(1)]);
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({}), null);
    assert.ok(!IS_ERR(engine));
    assert.throws(() => utrace_barrier(task, engine), (e: unknown) => e instanceof UtraceUsageError && e.rule === 'blocking-outside-tracer');
    assert.throws(() => synchronize_rcu(), (e: unknown) => e instanceof UtraceUsageError && e.rule === 'blocking-outside-tracer');
    await assert.rejects((async () => utrace_barrier(task, engine))(), (e: unknown) => e instanceof UtraceUsageError && e.rule === 'blocking-outside-tracer');
    utrace_engine_put(engine);
  });
});

describe('outcomes are snapshots', () => {
  it("outcome.trace is a copy: what the kernel logs after the run does not change it", async () => {
    const kernel = new Kernel();
    kernel.spawn('t', [sys(1)]);
    const outcome = await kernel.run(new RoundRobinScheduler());
    const before = outcome.trace.length;
    kernel.log('after the run');
    assert.equal(outcome.trace.length, before);
    assert.notEqual(outcome.trace, kernel.trace);
  });
});

describe('utrace-explore: harness errors exit 70, bad parameters 64', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'utrace-harness-'));
    const explore = JSON.stringify(join(root, 'dist/src/explore/index.js'));
    const index = JSON.stringify(join(root, 'dist/src/index.js'));
    writeFileSync(
      join(dir, 'forged.mjs'),
      `import { sys } from ${index};\n` +
        `const s = { name: 'forged', description: 'x', expect: 'unsafe', maxSteps: 2 ** 53, build: (k) => void k.spawn('t', [sys(1)]) };\n` +
        `Object.defineProperty(s, Symbol.for('utrace.scenario'), { value: true });\n` +
        'export default Object.freeze(s);\n',
    );
    writeFileSync(
      join(dir, 'twins.mjs'),
      `import { sys } from ${index};\nimport { defineScenario } from ${explore};\n` +
        `const build = (k) => void k.spawn('t', [sys(1)]);\n` +
        `export const a = defineScenario({ name: 'twin', description: 'first', expect: 'safe', build });\n` +
        `export const b = defineScenario({ name: 'twin', description: 'second', expect: 'unsafe', build });\n`,
    );
    writeFileSync(
      join(dir, 'late.mjs'),
      `import { sys } from ${index};\nimport { defineScenario } from ${explore};\n` +
        `export default defineScenario({ name: 'late', description: 'a promise rejects after the run', expect: 'safe',\n` +
        `  build: (k) => { k.spawn('t', [sys(1)]); setTimeout(() => Promise.reject(new Error('rejected late')), 50); } });\n`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ status: error === null ? 0 : (error.code as number), stdout, stderr });
      });
    });

  it('a usage error of the run machinery exits 70 and prints no finding', async () => {
    const r = await run(join(dir, 'forged.mjs'));
    assert.equal(r.status, 70, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /FOUND|as expected/);
    assert.match(r.stderr, /maxSteps must be an integer from 1 to 10000000/);
  });

  it('two scenarios with one name are refused (exit 64)', async () => {
    const r = await run(join(dir, 'twins.mjs'));
    assert.equal(r.status, 64, r.stdout + r.stderr);
    assert.match(r.stderr, /two scenarios named "twin"/);
  });

  it('a PCT depth out of range is a usage error (exit 64), without a stack', async () => {
    for (const depth of ['999999999999999', '100000000']) {
      const r = await run('thread', '--strategy', 'pct', '--depth', depth, '--max-executions', '1');
      assert.equal(r.status, 64, r.stdout + r.stderr);
      assert.match(r.stderr, /--depth must be an integer from 1 to 10000\b/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  it('a promise rejected after the run is reported and exits 70 instead of crashing', async () => {
    const r = await run(join(dir, 'late.mjs'));
    assert.equal(r.status, 70, r.stdout + r.stderr);
    assert.match(r.stderr, /left a promise rejected with no handler[\s\S]*rejected late/);
  });
});

describe('a run of many tasks', () => {
  /** Milliseconds to run `n` tasks of one system call each, the best of two runs. */
  async function timeTasks(n: number): Promise<number> {
    let best = Infinity;
    for (let round = 0; round < 2; round++) {
      const kernel = new Kernel({ trace: false });
      for (let i = 0; i < n; i++) kernel.spawn(`t${i}`, [sys(1)]);
      const started = performance.now();
      const outcome = await kernel.run(new RoundRobinScheduler(), { maxSteps: 10 * n + 100 });
      best = Math.min(best, performance.now() - started);
      assert.equal(outcome.status, 'ok');
    }
    return best;
  }

  it('takes time near linear in the number of threads, not quadratic', async () => {
    const small = await timeTasks(1500);
    const large = await timeTasks(6000);
    // Four times the tasks: about 4x (quadratic would be 16x); room left for a busy machine.
    assert.ok(large < 10 * Math.max(small, 20), `1,500 tasks: ${small.toFixed(0)} ms; 6,000 tasks: ${large.toFixed(0)} ms`);
  });
});
