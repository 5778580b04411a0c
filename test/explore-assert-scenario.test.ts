/**
 * The explorer inside a test runner: assertScenario passes or throws an Error with the
 * schedule and the timeline; failing schedules persist to a file and are replayed first; a
 * prefix is replayed and then explored; long searches resume from a checkpoint.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { scenario as safeDetach } from '../examples/safe-detach.js';
import { scenario as firstRace } from '../examples/set-events-einprogress-free.js';
import { UtraceUsageError } from '../src/errors.js';
import { assertScenario, ScenarioAssertionError } from '../src/explore/assert-scenario.js';
import { explore } from '../src/explore/explore.js';
import { loadCheckpoint, loadFailure } from '../src/explore/persist.js';
import { prefixStrategy } from '../src/explore/prefix.js';
import { resumableStrategy } from '../src/explore/resume.js';
import { defineScenario, scenarioExecute, type Scenario } from '../src/scenario/index.js';
import type { Execute } from '../src/sched/execution.js';
import { decodeSchedule, encodeSchedule } from '../src/sched/schedule-string.js';

const dir = mkdtempSync(join(tmpdir(), 'utrace-assert-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `scenario` under another name and expectation. */
function relabel(scenario: Scenario, name: string, expect: Scenario['expect']): Scenario {
  return defineScenario({ name, description: scenario.description, expect, build: (k) => scenario.build(k) });
}

/** An execute that records the schedule of every run. */
function recording(scenario: Scenario): { execute: Execute; schedules: string[] } {
  const inner = scenarioExecute(scenario);
  const schedules: string[] = [];
  return {
    schedules,
    execute: async (scheduler) => {
      const outcome = await inner(scheduler);
      schedules.push(encodeSchedule(outcome.schedule));
      return outcome;
    },
  };
}

describe('assertScenario', () => {
  it('returns the report when a safe scenario has no failing schedule', async () => {
    const report = await assertScenario(safeDetach);
    assert.equal(report.verdict, 'met');
    assert.equal(report.result.status, 'exhausted');
  });

  it('returns the report when an unsafe scenario fails, as expected', async () => {
    const report = await assertScenario(firstRace);
    assert.equal(report.verdict, 'met');
    assert.ok(report.counterexample !== undefined);
  });

  it('throws an Error with the schedule string, the replay code and the timeline when a safe scenario fails', async () => {
    const racy = relabel(firstRace, 'racy-but-called-safe', 'safe');
    await assert.rejects(assertScenario(racy, { timelineWidth: 90 }), (e: unknown) => {
      assert.ok(e instanceof ScenarioAssertionError);
      assert.ok(e instanceof Error);
      assert.match(e.message, /^Scenario racy-but-called-safe is expected to be safe, but a run broke a rule: use-after-free\./);
      assert.match(e.message, /^Schedule: s1:\S+$/m);
      assert.equal(e.schedule, /^Schedule: (s1:\S+)$/m.exec(e.message)![1]);
      assert.match(e.message, /assertScenario\(scenario, \{ strategy: \{ kind: 'replay', schedule: 's1:/);
      assert.match(e.message, /^Timeline of racy-but-called-safe:$/m);
      assert.match(e.message, /-EINPROGRESS/);
      for (const line of e.message.split('\n').filter((l) => l.includes('│'))) assert.ok(line.length <= 90, line);
      return true;
    });
  });

  it('throws when an unsafe scenario runs clean through every schedule', async () => {
    await assert.rejects(assertScenario(relabel(safeDetach, 'safe-but-called-unsafe', 'unsafe')), (e: Error) => {
      assert.ok(e instanceof ScenarioAssertionError);
      assert.match(e.message, /expected to be unsafe, but no run failed: every schedule of dfs \(preemption bound 2, deepest-first\) ran clean/);
      return true;
    });
  });

  it('passes or throws on a limit as onLimit says (dfs: fail; random: pass)', async () => {
    await assert.rejects(assertScenario(safeDetach, { maxExecutions: 3 }), /was not searched through: maxExecutions stopped it after 3 runs/);
    assert.equal((await assertScenario(safeDetach, { maxExecutions: 3, onLimit: 'pass' })).verdict, 'undecided');
    assert.equal((await assertScenario(safeDetach, { strategy: { kind: 'random', seed: 1 }, maxExecutions: 20 })).result.executions, 20);
  });

  it('refuses bad options with a usage error naming the option', async () => {
    await assert.rejects(assertScenario({} as Scenario), UtraceUsageError);
    await assert.rejects(assertScenario(safeDetach, null as never), /options must be an object/);
    await assert.rejects(assertScenario(safeDetach, { onLimit: 'maybe' as never }), /options\.onLimit must be 'pass' or 'fail'/);
    await assert.rejects(assertScenario(safeDetach, { failureFile: 42 as never }), /options\.failureFile must be a file path/);
  });
});

describe('failure persistence', () => {
  it('saves a failing schedule, replays it first next time, and forgets it once fixed', async () => {
    const file = join(dir, 'nested', 'failures.json');
    const racy = relabel(firstRace, 'regression', 'safe');
    let schedule = '';
    await assert.rejects(assertScenario(racy, { failureFile: file }), (e: ScenarioAssertionError) => {
      schedule = e.schedule!;
      assert.match(e.message, /Saved to .*failures\.json: the next call replays it first\./);
      return true;
    });
    const saved = loadFailure(file, 'regression');
    assert.equal(saved?.schedule, schedule);
    assert.equal(saved?.check, 'use-after-free');

    // Next run: the saved schedule is replayed first, and one run is enough.
    await assert.rejects(assertScenario(racy, { failureFile: file }), (e: ScenarioAssertionError) => {
      assert.equal(e.report.result.executions, 1);
      assert.equal(e.schedule, schedule);
      assert.match(e.message, /Replayed from .*failures\.json, where it was saved on \d{4}-/);
      return true;
    });

    // Fixed: same name, safe code. The saved schedule no longer fails (or no longer fits) and is dropped.
    const fixed = relabel(safeDetach, 'regression', 'safe');
    const report = await assertScenario(fixed, { failureFile: file });
    assert.equal(report.verdict, 'met');
    assert.equal(loadFailure(file, 'regression'), undefined);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { format: 'utrace-failures', version: 1, scenarios: {} });
  });

  it('refuses a file that is not a failure file, saying what to do', async () => {
    const file = join(dir, 'not-ours.json');
    writeFileSync(file, '{"hello": 1}');
    await assert.rejects(assertScenario(safeDetach, { failureFile: file }), /not a utrace-failures file \(version 1\); delete it or give another path/);
    writeFileSync(file, 'not json');
    await assert.rejects(assertScenario(safeDetach, { failureFile: file }), /not JSON/);
  });
});

describe('prefixStrategy', () => {
  it('replays a prefix, then lets the strategy explore from there', async () => {
    // The race needs one preemption; within a bound of 0, only a prefix holding it finds it.
    const plain = await explore(scenarioExecute(firstRace), { strategy: { kind: 'dfs', bound: 0 } });
    assert.equal(plain.status, 'exhausted');
    const found = await explore(scenarioExecute(firstRace), { strategy: prefixStrategy('s1:2x5.3', { kind: 'dfs', bound: 0 }) });
    assert.equal(found.status, 'failed');
    assert.ok(found.status === 'failed');
    assert.deepEqual(decodeSchedule(found.schedule).slice(0, 6), [2, 2, 2, 2, 2, 3]);
    // Every run begins with the prefix.
    const { execute, schedules } = recording(firstRace);
    await explore(execute, { strategy: prefixStrategy([2, 2, 2, 2, 2], { kind: 'random', seed: 4 }), maxExecutions: 20 });
    assert.ok(schedules.length > 1);
    assert.ok(schedules.every((s) => decodeSchedule(s).slice(0, 5).every((t) => t === 2)), schedules.join(' '));
  });

  it('works inside assertScenario, and refuses a bad prefix', async () => {
    const report = await assertScenario(firstRace, { strategy: prefixStrategy('s1:2x5.3', { kind: 'dfs', bound: 0 }) });
    assert.equal(report.verdict, 'met');
    assert.throws(() => prefixStrategy('nonsense', { kind: 'dfs' }), /prefix is not a schedule string/);
    assert.throws(() => prefixStrategy([1, -1], { kind: 'dfs' }), UtraceUsageError);
    await assert.rejects(explore(scenarioExecute(firstRace), { strategy: prefixStrategy([7], { kind: 'dfs' }) }), /diverged/);
  });
});

describe('resumable searches', () => {
  it('a dfs search stopped and resumed from a JSON checkpoint runs the same schedules as one never stopped', async () => {
    const whole = recording(safeDetach);
    const all = await explore(whole.execute, { strategy: { kind: 'dfs', bound: 2 } });
    assert.equal(all.status, 'exhausted');

    const parts = recording(safeDetach);
    let strategy = resumableStrategy({ kind: 'dfs', bound: 2 });
    let stops = 0;
    for (;;) {
      const r = await explore(parts.execute, { strategy, maxExecutions: 7 });
      if (r.status !== 'limit') break;
      stops++;
      strategy = resumableStrategy({ kind: 'dfs', bound: 2 }, JSON.parse(JSON.stringify(strategy.checkpoint())));
    }
    assert.ok(stops >= 3, `${stops} stops`);
    assert.deepEqual(parts.schedules, whole.schedules);
  });

  it('a random search resumes with the runs it would have made next', async () => {
    const whole = recording(safeDetach);
    await explore(whole.execute, { strategy: { kind: 'random', seed: 9 }, maxExecutions: 10 });
    const parts = recording(safeDetach);
    const first = resumableStrategy({ kind: 'random', seed: 9 });
    await explore(parts.execute, { strategy: first, maxExecutions: 4 });
    await explore(parts.execute, { strategy: resumableStrategy({ kind: 'random', seed: 9 }, first.checkpoint()), maxExecutions: 6 });
    assert.deepEqual(parts.schedules, whole.schedules);
  });

  it('assertScenario saves a checkpoint when a limit stops it and carries on next time', async () => {
    const file = join(dir, 'checkpoints.json');
    await assert.rejects(assertScenario(safeDetach, { checkpointFile: file, maxExecutions: 10 }), /Its checkpoint is saved in .*checkpoints\.json/);
    const saved = loadCheckpoint(file, safeDetach.name);
    assert.equal(saved?.checkpoint.executions, 10);
    const report = await assertScenario(safeDetach, { checkpointFile: file });
    assert.equal(report.result.status, 'exhausted');
    assert.equal(report.result.executions + 10, (await explore(scenarioExecute(safeDetach), { strategy: { kind: 'dfs', bound: 2 } })).executions);
    assert.match(report.result.strategy, /resumed after 10 runs/);
    assert.equal(loadCheckpoint(file, safeDetach.name), undefined);
    assert.ok(existsSync(file));
  });

  it('refuses what it cannot resume', () => {
    assert.throws(() => resumableStrategy({ kind: 'pct', seed: 1 }), /a pct search cannot be resumed/);
    assert.throws(() => resumableStrategy({ kind: 'dfs', order: 'earliest-first' }), /deepest-first/);
    assert.throws(() => resumableStrategy({ kind: 'dfs', bound: 3 }, { kind: 'dfs', bound: 2, executions: 1, state: 'between', choices: [], chosen: [], fingerprints: [] }), /bound 3/);
    assert.throws(() => resumableStrategy({ kind: 'random', seed: 1 }, { kind: 'random', seed: 2, executions: 3 }), /seed 1/);
  });
});
