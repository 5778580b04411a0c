import { UtraceUsageError } from '../src/errors.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DfsStrategy } from '../src/explore/dfs.js';
import type { Execute, ExecutionOutcome } from '../src/sched/execution.js';
import { encodeSchedule } from '../src/sched/schedule-string.js';
import type { Scheduler } from '../src/sched/scheduler.js';
import { independent, lostUpdate, safeUpdate, spawnedLostUpdate, toyExecute } from './support/toy-execute.js';

/** Runs a DFS to the end (or the first failure) and returns every outcome, in order. */
async function runAll(execute: Execute, bound: number, stopOnFailure = false): Promise<ExecutionOutcome[]> {
  const dfs = new DfsStrategy(bound);
  const outcomes: ExecutionOutcome[] = [];
  for (let scheduler = dfs.next(); scheduler !== undefined; scheduler = dfs.next()) {
    const outcome = await execute(scheduler);
    dfs.complete(outcome);
    outcomes.push(outcome);
    if (stopOnFailure && outcome.status === 'failed') break;
  }
  return outcomes;
}

const schedules = (outcomes: readonly ExecutionOutcome[]): string[] => outcomes.map((o) => o.schedule.join(''));

describe('DfsStrategy', () => {
  it('enumerates two threads of two steps: 2, 4 and 6 runs at bounds 0, 1, 2', async () => {
    // Interleavings of a1 a2 and b1 b2, with their preemptions (switching away from a thread
    // that has finished is no preemption): AABB 0, BBAA 0, ABBA 1, BAAB 1, ABAB 2, BABA 2.
    const execute = toyExecute(independent(2, 2));
    assert.deepEqual(schedules(await runAll(execute, 0)), ['0011', '1100']);
    assert.deepEqual(schedules(await runAll(execute, 1)), ['0011', '0110', '1100', '1001']);
    assert.deepEqual(schedules(await runAll(execute, 2)), ['0011', '0110', '0101', '1100', '1001', '1010']);
    assert.equal((await runAll(execute, 5)).length, 6);
  });

  it('enumerates three steps against one: 2 runs at bound 0, 4 at bound 1', async () => {
    // BAAA 0, AAAB 0, ABAA 1, AABA 1.
    const execute = toyExecute(independent(3, 1));
    assert.deepEqual(schedules(await runAll(execute, 0)), ['0001', '1000']);
    assert.deepEqual(schedules(await runAll(execute, 1)), ['0001', '0010', '0100', '1000']);
    assert.equal((await runAll(execute, 2)).length, 4);
  });

  it('counts switches away from a finished thread as no preemption', async () => {
    // Three threads of one step each: all 3! orders have no preemption.
    const outcomes = await runAll(toyExecute(independent(1, 1, 1)), 0);
    assert.deepEqual(schedules(outcomes), ['012', '021', '102', '120', '201', '210']);
  });

  it('never exceeds the bound and never repeats a schedule', async () => {
    for (const bound of [0, 1, 2, 3]) {
      const outcomes = await runAll(toyExecute(safeUpdate(1)), bound);
      const seen = new Set(schedules(outcomes));
      assert.equal(seen.size, outcomes.length);
      for (const o of outcomes) assert.ok(o.preemptions <= bound);
      assert.equal(outcomes[0]!.preemptions, 0);
    }
  });

  it('misses the lost update at bound 0 and finds it at bound 1', async () => {
    const execute = toyExecute(lostUpdate());
    const at0 = await runAll(execute, 0);
    assert.equal(at0.length, 2);
    assert.ok(at0.every((o) => o.status === 'ok'));
    const at1 = await runAll(execute, 1, true);
    const last = at1.at(-1)!;
    assert.equal(last.status, 'failed');
    assert.equal(last.failure?.check, 'leak');
    assert.equal(at1.length, 2);
    assert.equal(encodeSchedule(last.schedule), 's1:0.1x2.0');
    assert.equal(last.preemptions, 1);
  });

  it('follows runnable sets that change with the schedule (threads created during the run)', async () => {
    const outcomes = await runAll(toyExecute(spawnedLostUpdate()), 1, true);
    assert.equal(outcomes.at(-1)!.status, 'failed');
  });

  it('is deterministic', async () => {
    const a = schedules(await runAll(toyExecute(safeUpdate(2)), 2));
    const b = schedules(await runAll(toyExecute(safeUpdate(2)), 2));
    assert.deepEqual(a, b);
    assert.ok(a.length > 10);
  });

  it('handles runs of thousands of steps', async () => {
    // Thread 1's single step goes anywhere among thread 0's 2000: 2001 schedules, none with
    // more than one preemption.
    const outcomes = await runAll(toyExecute(independent(2000, 1)), 1);
    assert.equal(outcomes.length, 2001);
    assert.equal(new Set(outcomes.map((o) => o.schedule.indexOf(1))).size, 2001);
  });

  it('enforces its protocol', async () => {
    const dfs = new DfsStrategy(1);
    assert.throws(() => dfs.complete(undefined as unknown as ExecutionOutcome), /no run is outstanding/);
    const scheduler = dfs.next()!;
    assert.throws(() => dfs.next(), /complete/);
    const outcome = await toyExecute(independent(1, 1))(scheduler);
    dfs.complete(outcome);
    assert.equal(dfs.executions, 1);
    assert.throws(() => new DfsStrategy(-1), UtraceUsageError);
    assert.throws(() => new DfsStrategy(1.5), UtraceUsageError);
  });

  it('detects a simulation that is not deterministic', async () => {
    let calls = 0;
    const unstable: Execute = async (scheduler: Scheduler) => {
      calls++;
      return toyExecute(calls === 1 ? independent(2, 2) : independent(2, 2, 2))(scheduler);
    };
    await assert.rejects(runAll(unstable, 1), /not deterministic/);
  });
});
