import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { examples, groups, thread } from '../examples/index.js';
import { DfsStrategy } from '../src/explore/dfs.js';
import { explore } from '../src/explore/explore.js';
import { runScenario } from '../src/explore/run-scenario.js';
import { utrace_detach_sync } from '../src/index.js';
import { scenarioExecute } from '../src/scenario/index.js';

/** SPEC §5: each case, what the exhaustive search at preemption bound 2 must show. */
const expected: Record<string, 'found' | 'clean'> = {
  'set-events-einprogress-free': 'found',
  'detach-einprogress-unload': 'found',
  'safe-detach': 'clean',
  'rcu-only-sync': 'found',
  'death-detach': 'clean',
  'global-counters': 'clean',
  'global-no-counters': 'found',
};

/** The checks each unsafe case may fail with. */
const checks: Record<string, readonly string[]> = {
  'set-events-einprogress-free': ['use-after-free'],
  'detach-einprogress-unload': ['module-code-after-unload'],
  // The run time refuses the RCU-kept pointer once its events are enabled (SPEC §3 rule 7):
  // an oops of the tracer thread, or a use-after-free on the schedules where the free came first.
  'rcu-only-sync': ['oops', 'use-after-free'],
  'global-no-counters': ['module-code-after-unload'],
};

describe('the thread group', () => {
  it('holds the seven cases of SPEC §5, each named as in the index', () => {
    assert.deepEqual(
      thread.map((s) => s.name),
      Object.keys(expected),
    );
    assert.equal(groups['thread'], thread);
    for (const s of thread) assert.equal(examples[s.name], s);
    for (const s of thread) assert.equal(s.expect, expected[s.name] === 'found' ? 'unsafe' : 'safe');
  });
});

for (const order of ['deepest-first', 'earliest-first'] as const) describe(`the thread cases under exhaustive search, preemption bound 2, ${order}`, () => {
  for (const scenario of thread) {
    const want = expected[scenario.name]!;
    it(`${scenario.name}: ${want === 'found' ? 'a failure is found' : 'no failure within the bound'}`, async (t) => {
      const report = await runScenario(scenario, { strategy: { kind: 'dfs', bound: 2, order }, maxSeconds: 60 });
      const { result } = report;
      t.diagnostic(`${scenario.name}: ${result.status} after ${result.executions} executions in ${Math.round(result.elapsedMs)} ms`);
      if (want === 'clean') {
        assert.equal(
          result.status,
          'exhausted',
          result.status === 'failed' ? `${result.outcome.failure?.check}: ${result.outcome.failure?.message} (${result.schedule})` : result.status,
        );
        assert.equal(report.verdict, 'met');
        return;
      }
      assert.equal(result.status, 'failed');
      if (result.status !== 'failed') return;
      assert.equal(report.verdict, 'met');
      assert.ok(checks[scenario.name]!.includes(result.outcome.failure!.check), result.outcome.failure!.check);

      // The schedule found replays the same failure: same check, same step.
      const replayed = await explore(scenarioExecute(scenario), { strategy: { kind: 'replay', schedule: result.schedule } });
      assert.equal(replayed.status, 'failed');
      if (replayed.status !== 'failed') return;
      assert.equal(replayed.outcome.failure?.check, result.outcome.failure?.check);
      assert.equal(replayed.outcome.failure?.step, result.outcome.failure?.step);
      assert.equal(replayed.outcome.failure?.message, result.outcome.failure?.message);

      // The shortened counterexample has at most two preemptions and replays, traced, to the same failure.
      const cx = report.counterexample!;
      t.diagnostic(`${scenario.name}: shortened to ${cx.preemptions} preemption(s), ${cx.steps} steps: ${cx.schedule}`);
      assert.ok(cx.preemptions <= 2, `${cx.preemptions} preemptions`);
      assert.ok(cx.outcome.trace.length > 0, 'the counterexample carries its trace');
      const again = await explore(scenarioExecute(scenario, { trace: true }), { strategy: { kind: 'replay', schedule: cx.schedule } });
      assert.equal(again.status, 'failed');
      if (again.status !== 'failed') return;
      assert.equal(again.outcome.failure?.check, cx.outcome.failure?.check);
      assert.equal(again.outcome.failure?.step, cx.outcome.failure?.step);
    });
  }
});

describe('the safe thread cases, exhausted in either order', () => {
  for (const scenario of thread.filter((s) => expected[s.name] === 'clean')) {
    it(`${scenario.name}: both orders run the same number of schedules${scenario.name === 'global-counters' ? '' : ', the same ones'}`, async (t) => {
      const execute = scenarioExecute(scenario);
      const runs: Record<string, string[]> = {};
      for (const order of ['deepest-first', 'earliest-first'] as const) {
        const dfs = new DfsStrategy(2, order);
        const schedules: string[] = [];
        for (let scheduler = dfs.next(); scheduler !== undefined; scheduler = dfs.next()) {
          const outcome = await execute(scheduler);
          dfs.complete(outcome);
          assert.equal(outcome.status, 'ok', `${order}: ${outcome.failure?.check}`);
          // A string per run for the small cases; the count alone for the large one.
          schedules.push(scenario.name === 'global-counters' ? '' : outcome.schedule.join('.'));
        }
        assert.ok(dfs.exhausted);
        runs[order] = schedules;
      }
      const deepest = runs['deepest-first']!;
      const earliest = runs['earliest-first']!;
      t.diagnostic(`${scenario.name}: ${deepest.length} schedules in either order`);
      assert.equal(earliest.length, deepest.length);
      assert.ok(deepest.length > 1);
      if (scenario.name !== 'global-counters') {
        assert.deepEqual([...earliest].sort(), [...deepest].sort());
        assert.equal(new Set(earliest).size, earliest.length);
      }
    });
  }
});

describe('rcu-only-sync, the tracer calling utrace_detach_sync with the RCU-kept pointer', () => {
  it('fails in every schedule: refused at the call by rule 7, or a use-after-free where the free came first (SPEC §3 rule 7)', async (t) => {
    const execute = scenarioExecute(examples['rcu-only-sync']!, { trace: true });
    const dfs = new DfsStrategy(2);
    let refused = 0;
    for (let scheduler = dfs.next(); scheduler !== undefined; scheduler = dfs.next()) {
      const outcome = await execute(scheduler);
      dfs.complete(outcome);
      if (outcome.failure?.check === 'use-after-free') {
        assert.match(outcome.failure.message, /utrace_detach_sync used engine#1 after it was freed/);
        continue;
      }
      refused++;
      assert.equal(outcome.failure?.check, 'oops');
      assert.match(outcome.failure?.message ?? '', /utrace_detach_sync: rule 7: this is the RCU-kept pointer of engine#1/);
      assert.match(outcome.failure?.message ?? '', /take a counted reference with utrace_engine_get right after attaching, before enabling events/i);
    }
    t.diagnostic(`rcu-only-sync: ${refused} of ${dfs.executions} schedules refused by rule 7, the others a use-after-free`);
    assert.ok(refused > 0);
  });
});

describe('rcu-only-sync in typed code', () => {
  it('is rejected by the compiler without the cast the example uses', () => {
    // Never called: this checks types only. The engine's callback may return UTRACE_DETACH,
    // so the engine is 'rcu-only' and a blocking call on it does not compile.
    const typedVersion = async (task: Parameters<typeof utrace_detach_sync>[0], engine: import('../src/index.js').utrace_engine<'rcu-only'>) => {
      // @ts-expect-error -- utrace_detach_sync blocks, and the engine is kept only by RCU
      await utrace_detach_sync(task, engine);
    };
    assert.equal(typeof typedVersion, 'function');
  });
});
