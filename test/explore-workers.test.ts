import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { examples } from '../examples/index.js';
import { explore } from '../src/explore/explore.js';
import { exploreInWorkers, mergeShards, shardResult, type ShardResult } from '../src/explore/workers.js';
import { scenarioExecute } from '../src/scenario/execute.js';

const spin = new URL('./support/spin-scenarios.js', import.meta.url);
const exampleModule = new URL('../examples/index.js', import.meta.url);
const BUDGET_MS = 300;

describe('runs in workers with a watchdog', () => {
  for (const [exported, what] of [['spinningCallback', 'a callback that spins'], ['spinningTracer', 'a tracer that loops on microtasks']] as const) {
    it(`ends ${what} as a runaway failure within the budget, with a schedule whose replay spins again`, async () => {
      const start = performance.now();
      const found = await exploreInWorkers({ module: spin, export: exported, strategy: { kind: 'dfs' }, budgetMs: BUDGET_MS });
      const took = performance.now() - start;
      assert.equal(found.status, 'failed');
      if (found.status !== 'failed') return;
      assert.equal(found.outcome.failure?.check, 'runaway');
      assert.match(found.outcome.failure!.message, new RegExp(`budget of ${BUDGET_MS} ms`));
      assert.ok(found.outcome.schedule.length > 0, 'the schedule taken before the spin is kept');
      // Worker start-up (loading the module) plus the budget and the watchdog's tick; generous for a loaded machine.
      assert.ok(took < BUDGET_MS + 15_000, `took ${took} ms`);
      const again = await exploreInWorkers({ module: spin, export: exported, strategy: { kind: 'replay', schedule: found.schedule }, budgetMs: BUDGET_MS });
      assert.equal(again.status, 'failed');
      if (again.status !== 'failed') return;
      assert.equal(again.outcome.failure?.check, 'runaway');
      assert.equal(again.schedule, found.schedule);
    });
  }

  it('refuses bad options with a usage error', async () => {
    await assert.rejects(exploreInWorkers({ module: spin, strategy: { kind: 'dfs' }, workers: 0 }), /workers must be an integer from 1 to 256/);
    await assert.rejects(exploreInWorkers({ module: spin, strategy: { kind: 'dfs', order: 'earliest-first' }, workers: 2 }), /deepest-first/);
    await assert.rejects(exploreInWorkers({ module: spin, strategy: { kind: 'random', seed: 1 }, shard: { index: 1, count: 2 } }), /needs maxExecutions/);
    await assert.rejects(exploreInWorkers({ module: spin, strategy: { kind: 'dfs' }, shard: { index: 3, count: 2 } }), /1 <= index <= count/);
  });
});

describe('--workers: a search split across workers', () => {
  it('an exhaustive dfs counts the same executions as one thread', async () => {
    const scenario = examples['recipe-global-engine']!;
    const one = await explore(scenarioExecute(scenario), { strategy: { kind: 'dfs', bound: 2 } });
    const two = await exploreInWorkers({ module: exampleModule, export: 'examples', scenario: scenario.name, strategy: { kind: 'dfs', bound: 2 }, workers: 2 });
    assert.equal(one.status, 'exhausted');
    assert.equal(two.status, 'exhausted');
    assert.equal(two.executions, one.executions);
  });

  it('a failing dfs and a random search find the same first failure, at the same run, as one thread', async () => {
    const scenario = examples['global-no-counters']!;
    for (const strategy of [{ kind: 'dfs', bound: 2 }, { kind: 'random', seed: 5 }] as const) {
      const one = await explore(scenarioExecute(scenario), { strategy, maxExecutions: 500 });
      const two = await exploreInWorkers({ module: exampleModule, export: 'examples', scenario: scenario.name, strategy, workers: 2, maxExecutions: 500 });
      assert.equal(one.status, 'failed', strategy.kind);
      assert.equal(two.status, 'failed', strategy.kind);
      if (one.status !== 'failed' || two.status !== 'failed') return;
      assert.equal(two.schedule, one.schedule, strategy.kind);
      assert.equal(two.execution, one.execution, strategy.kind);
      assert.equal(two.executions, one.executions, strategy.kind);
    }
  });
});

describe('--shard k/n', () => {
  it('shards 1/3, 2/3 and 3/3 of an exhaustive dfs merge to the unsharded count', async () => {
    const scenario = examples['recipe-global-engine']!;
    const options = { module: exampleModule, export: 'examples', scenario: scenario.name, strategy: { kind: 'dfs', bound: 2 } } as const;
    const shards: ShardResult[] = [];
    for (const index of [1, 2, 3]) shards.push(JSON.parse(JSON.stringify(await shardResult({ ...options, shard: { index, count: 3 } }))));
    const whole = await explore(scenarioExecute(scenario), { strategy: options.strategy });
    const merged = mergeShards(shards);
    assert.equal(merged.status, 'exhausted');
    assert.equal(merged.executions, whole.executions);
    assert.ok(shards.every((s) => s.done.reduce((n, [, k]) => n + k, 0) < whole.executions), 'each shard ran a part');
    assert.throws(() => mergeShards(shards.slice(0, 2)), /shards 1, 2, 3 of 3 are needed/);
  });
});

describe('utrace-explore in workers', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  const run = (...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ status: error === null ? 0 : (error.code as number), stdout, stderr });
      });
    });

  it('--shard K/N --json writes each shard, and merge gives the unsharded result and exit status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'utrace-shards-'));
    const files = [1, 2].map((k) => join(dir, `shard-${k}.json`));
    for (const [i, file] of files.entries()) {
      const r = await run('safe-detach', '--shard', `${i + 1}/2`, '--json', file);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^shard ${i + 1}/2: `, 'm'));
    }
    const merged = await run('merge', ...files);
    assert.equal(merged.status, 0, merged.stderr);
    assert.match(merged.stdout, /^CLEAN: every schedule of dfs \(preemption bound 2, deepest-first\) ran without failure: 30 executions \(merged from 2 shards\)$/m);
    const half = await run('merge', files[0]!);
    assert.equal(half.status, 64);
    assert.match(half.stderr, /shards 1, 2 of 2 are needed/);
  });

  it('--budget-ms ends a spinning callback as runaway, with a replay command that runs in a worker', async () => {
    const r = await run(fileURLToPath(spin) + '#spinning-callback', '--budget-ms', '300');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^FOUND runaway in execution 1/m);
    assert.match(r.stdout, /^replay: +utrace-explore \S+#spinning-callback --budget-ms 300 --replay s1:\S+$/m);
  });

  it('the group summary names what each verdict covers', async () => {
    const r = await run('recipes', '--bound', '1');
    assert.match(r.stdout, /recipe-global-engine +safe +clean \(dfs, bound 1, exhausted\)/);
  });
});
