import { UtraceUsageError } from '../src/errors.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explore } from '../src/explore/explore.js';
import type { ExploreProgress } from '../src/explore/explore.js';
import { makeStrategy } from '../src/explore/strategy.js';
import { ScheduleDivergedError } from '../src/sched/replay.js';
import { independent, lostUpdate, safeUpdate, toyExecute } from './support/toy-execute.js';

describe('explore', () => {
  it("stops at the first failing run with status 'failed'", async () => {
    const result = await explore(toyExecute(lostUpdate()), { strategy: { kind: 'dfs', bound: 1 } });
    assert.equal(result.status, 'failed');
    if (result.status !== 'failed') return;
    assert.equal(result.execution, 1);
    assert.equal(result.executions, 2);
    assert.equal(result.schedule, 's1:0.1x2.0');
    assert.equal(result.outcome.failure?.check, 'leak');
    assert.match(result.strategy, /dfs/);
    assert.ok(result.elapsedMs >= 0);
  });

  it('replays a failure from its schedule string', async () => {
    const execute = toyExecute(lostUpdate(3));
    const found = await explore(execute, { strategy: { kind: 'random', seed: 3 }, maxExecutions: 5000 });
    assert.equal(found.status, 'failed');
    if (found.status !== 'failed') return;
    const replayed = await explore(execute, { strategy: { kind: 'replay', schedule: found.schedule } });
    assert.equal(replayed.status, 'failed');
    if (replayed.status !== 'failed') return;
    assert.deepEqual(replayed.outcome, found.outcome);
    assert.equal(replayed.executions, 1);
  });

  it("reports 'exhausted' when dfs has run every schedule within the bound", async () => {
    const small = await explore(toyExecute(independent(2, 2)), { strategy: { kind: 'dfs', bound: 2 } });
    assert.equal(small.status, 'exhausted');
    assert.equal(small.executions, 6);
    const safe = await explore(toyExecute(safeUpdate(2)), { strategy: { kind: 'dfs', bound: 2 } });
    assert.equal(safe.status, 'exhausted');
    assert.ok(safe.executions > 10);
  });

  it("reports 'exhausted' after a replay that does not fail", async () => {
    const result = await explore(toyExecute(lostUpdate()), { strategy: { kind: 'replay', schedule: 's1:0x2.1x2' } });
    assert.equal(result.status, 'exhausted');
    assert.equal(result.executions, 1);
  });

  it('rejects when a replay diverges', async () => {
    await assert.rejects(
      explore(toyExecute(lostUpdate()), { strategy: { kind: 'replay', schedule: 's1:0x3.1' } }),
      ScheduleDivergedError,
    );
  });

  it("reports 'limit' on maxExecutions", async () => {
    const result = await explore(toyExecute(safeUpdate(2)), { strategy: { kind: 'random', seed: 1 }, maxExecutions: 100 });
    assert.equal(result.status, 'limit');
    if (result.status !== 'limit') return;
    assert.equal(result.limit, 'executions');
    assert.equal(result.executions, 100);
  });

  it("reports 'limit' on maxSeconds and calls onProgress at most every interval", async () => {
    const calls: ExploreProgress[] = [];
    const result = await explore(toyExecute(safeUpdate(2)), {
      strategy: { kind: 'pct', seed: 1 },
      maxSeconds: 0.5,
      onProgress: (p) => calls.push(p),
    });
    assert.equal(result.status, 'limit');
    if (result.status !== 'limit') return;
    assert.equal(result.limit, 'time');
    assert.ok(result.elapsedMs >= 500);
    assert.ok(calls.length >= 1 && calls.length <= 3, `${calls.length} progress calls`);
    for (let i = 1; i < calls.length; i++) {
      assert.ok(calls[i]!.elapsedMs - calls[i - 1]!.elapsedMs >= 200);
      assert.ok(calls[i]!.executions > calls[i - 1]!.executions);
    }
    assert.ok(calls[0]!.perSecond > 0);
  });

  it("reports 'limit' when aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await explore(toyExecute(safeUpdate()), { strategy: { kind: 'random', seed: 1 }, signal: controller.signal });
    assert.equal(result.status, 'limit');
    if (result.status !== 'limit') return;
    assert.equal(result.limit, 'aborted');
    assert.equal(result.executions, 0);
  });

  it('gives the same result for the same strategy and options', async () => {
    const execute = toyExecute(lostUpdate(4));
    for (const strategy of [{ kind: 'random', seed: 9 }, { kind: 'pct', seed: 9, depth: 2 }] as const) {
      const a = await explore(execute, { strategy, maxExecutions: 10_000 });
      const b = await explore(execute, { strategy, maxExecutions: 10_000 });
      assert.equal(a.status, 'failed');
      assert.equal(b.status, a.status);
      if (a.status !== 'failed' || b.status !== 'failed') return;
      assert.equal(a.execution, b.execution);
      assert.equal(a.schedule, b.schedule);
    }
  });

  it('accepts a strategy object', async () => {
    const result = await explore(toyExecute(independent(1, 1)), { strategy: makeStrategy({ kind: 'dfs', bound: 0 }) });
    assert.equal(result.status, 'exhausted');
    assert.equal(result.executions, 2);
  });

  it('rejects bad limits', async () => {
    const execute = toyExecute(independent(1));
    await assert.rejects(explore(execute, { strategy: { kind: 'dfs' }, maxExecutions: 0 }), UtraceUsageError);
    await assert.rejects(explore(execute, { strategy: { kind: 'dfs' }, maxSeconds: -1 }), UtraceUsageError);
  });
});
