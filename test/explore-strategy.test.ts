import { UtraceUsageError } from '../src/errors.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DfsStrategy } from '../src/explore/dfs.js';
import { makeStrategy } from '../src/explore/strategy.js';
import type { Strategy, StrategyOptions } from '../src/explore/strategy.js';
import type { Execute } from '../src/sched/execution.js';
import { ScheduleDivergedError } from '../src/sched/replay.js';
import { ScheduleFormatError, encodeSchedule } from '../src/sched/schedule-string.js';
import { independent, lostUpdate, safeUpdate, toyExecute } from './support/toy-execute.js';

/** The schedules of the first `count` runs of a strategy. */
async function take(strategy: Strategy, execute: Execute, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const scheduler = strategy.next();
    if (scheduler === undefined) break;
    const outcome = await execute(scheduler);
    strategy.complete(outcome);
    out.push(encodeSchedule(outcome.schedule));
  }
  return out;
}

/** Index of the first failing run within `limit` runs, or -1. */
async function firstFailure(strategy: Strategy, execute: Execute, limit: number): Promise<number> {
  for (let i = 0; i < limit; i++) {
    const outcome = await execute(strategy.next()!);
    strategy.complete(outcome);
    if (outcome.status === 'failed') return i;
  }
  return -1;
}

describe('makeStrategy', () => {
  it('builds each strategy with a name and a description', () => {
    const cases: [StrategyOptions, string, RegExp][] = [
      [{ kind: 'dfs' }, 'dfs', /preemption bound 2, deepest-first/],
      [{ kind: 'dfs', bound: 0 }, 'dfs', /preemption bound 0, deepest-first/],
      [{ kind: 'dfs', order: 'earliest-first' }, 'dfs', /preemption bound 2, earliest-first/],
      [{ kind: 'dfs', bound: 1, order: 'deepest-first' }, 'dfs', /preemption bound 1, deepest-first/],
      [{ kind: 'random', seed: 7 }, 'random', /seed 7/],
      [{ kind: 'pct', seed: 7 }, 'pct', /seed 7, depth 3/],
      [{ kind: 'pct', seed: 7, depth: 2, expectedSteps: 40 }, 'pct', /depth 2, expected steps 40/],
      [{ kind: 'replay', schedule: 's1:0x2.1' }, 'replay', /s1:0x2\.1/],
    ];
    for (const [options, name, description] of cases) {
      const strategy = makeStrategy(options);
      assert.equal(strategy.name, name);
      assert.match(strategy.description, description);
    }
    assert.ok(makeStrategy({ kind: 'dfs', bound: 1 }) instanceof DfsStrategy);
    assert.equal((makeStrategy({ kind: 'dfs' }) as DfsStrategy).order, 'deepest-first');
    assert.equal((makeStrategy({ kind: 'dfs', order: 'earliest-first' }) as DfsStrategy).order, 'earliest-first');
  });

  it('rejects bad parameters', () => {
    assert.throws(() => makeStrategy({ kind: 'dfs', bound: -1 }), UtraceUsageError);
    assert.throws(() => makeStrategy({ kind: 'dfs', order: 'breadth-first' as 'earliest-first' }), /order must be 'earliest-first' or 'deepest-first', got "breadth-first"/);
    assert.throws(() => makeStrategy({ kind: 'random', seed: 0.5 }), UtraceUsageError);
    assert.throws(() => makeStrategy({ kind: 'pct', seed: 1, depth: 0 }), UtraceUsageError);
    assert.throws(() => makeStrategy({ kind: 'pct', seed: 1, expectedSteps: 0 }), UtraceUsageError);
    assert.throws(() => makeStrategy({ kind: 'replay', schedule: '0.1' }), ScheduleFormatError);
  });

  for (const kind of ['random', 'pct'] as const) {
    describe(kind, () => {
      const execute = toyExecute(safeUpdate(3));
      it('is endless, reproducible per seed, and differs from run to run', async () => {
        const a = await take(makeStrategy({ kind, seed: 11 }), execute, 200);
        const b = await take(makeStrategy({ kind, seed: 11 }), execute, 200);
        assert.equal(a.length, 200);
        assert.deepEqual(a, b);
        assert.ok(new Set(a).size > 10, `only ${new Set(a).size} distinct schedules`);
        const c = await take(makeStrategy({ kind, seed: 12 }), execute, 200);
        assert.notDeepEqual(a, c);
      });

      it('finds the lost update', async () => {
        const bug = toyExecute(lostUpdate(3));
        const first = await firstFailure(makeStrategy({ kind, seed: 5 }), bug, 2000);
        assert.ok(first >= 0);
        assert.equal(first, await firstFailure(makeStrategy({ kind, seed: 5 }), bug, 2000));
      });
    });
  }

  describe('replay', () => {
    it('hands out exactly one scheduler that replays the schedule', async () => {
      const strategy = makeStrategy({ kind: 'replay', schedule: 's1:0.1x2.0' });
      const outcome = await toyExecute(lostUpdate())(strategy.next()!);
      strategy.complete(outcome);
      assert.equal(outcome.failure?.check, 'leak');
      assert.equal(strategy.next(), undefined);
      assert.equal(strategy.next(), undefined);
    });

    it('reports a run that ended before the schedule did', async () => {
      const strategy = makeStrategy({ kind: 'replay', schedule: 's1:0.1.1' });
      const outcome = await toyExecute(independent(1, 1))(strategy.next()!);
      assert.throws(() => strategy.complete(outcome), ScheduleDivergedError);
    });

    it('reports a divergence even if the simulation swallowed it', async () => {
      const strategy = makeStrategy({ kind: 'replay', schedule: 's1:0x2' });
      const scheduler = strategy.next()!;
      const inner = toyExecute(independent(1, 1));
      const swallowing: Execute = async (s) => {
        try {
          return await inner(s);
        } catch {
          return inner({ pick: (p) => p.runnable[0]! });
        }
      };
      const outcome = await swallowing(scheduler);
      assert.throws(() => strategy.complete(outcome), ScheduleDivergedError);
    });
  });
});
