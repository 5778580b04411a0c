import { UtraceUsageError } from '../src/errors.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DfsStrategy } from '../src/explore/dfs.js';
import type { Execute, ExecutionOutcome } from '../src/sched/execution.js';
import { encodeSchedule } from '../src/sched/schedule-string.js';
import type { Scheduler } from '../src/sched/scheduler.js';
import { independent, lostUpdate, safeUpdate, spawnedLostUpdate, toyExecute } from './support/toy-execute.js';

type Order = 'earliest-first' | 'deepest-first';

/** Runs a DFS to the end (or the first failure) and returns every outcome, in order. */
async function runAll(execute: Execute, bound: number, stopOnFailure = false, order?: Order): Promise<ExecutionOutcome[]> {
  const dfs = order === undefined ? new DfsStrategy(bound) : new DfsStrategy(bound, order);
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

/** Length of the longest common prefix of two schedules. */
function common(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

describe('DfsStrategy', () => {
  it('is deepest-first unless told otherwise', () => {
    assert.equal(new DfsStrategy(2).order, 'deepest-first');
    assert.equal(new DfsStrategy(2).description, 'dfs (preemption bound 2, deepest-first)');
    assert.equal(new DfsStrategy(1, 'earliest-first').description, 'dfs (preemption bound 1, earliest-first)');
  });

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

  it('rejects an unknown order', () => {
    assert.throws(() => new DfsStrategy(1, 'bfs' as Order), UtraceUsageError);
    assert.equal(new DfsStrategy(1, undefined).order, 'deepest-first');
    assert.throws(() => new DfsStrategy(1, '' as Order), UtraceUsageError);
    assert.throws(() => new DfsStrategy(1, Symbol('x') as unknown as Order), UtraceUsageError);
  });
});

describe('DfsStrategy, earliest-first', () => {
  it('tries every choice at one step before any at a later step', async () => {
    // Step 0 (which thread starts) first, then the preemption at step 1 in both runs so far,
    // then the second preemption at step 2.
    const execute = toyExecute(independent(2, 2));
    assert.deepEqual(schedules(await runAll(execute, 2, false, 'earliest-first')), ['0011', '1100', '0110', '1001', '0101', '1010']);
    assert.deepEqual(schedules(await runAll(execute, 0, false, 'earliest-first')), ['0011', '1100']);
    assert.deepEqual(schedules(await runAll(toyExecute(independent(3, 1)), 1, false, 'earliest-first')), ['0001', '1000', '0100', '0010']);
  });

  it('diverges from the runs before it at a step that never decreases', async () => {
    const outcomes = await runAll(toyExecute(safeUpdate(2)), 2, false, 'earliest-first');
    let last = -1;
    for (let i = 1; i < outcomes.length; i++) {
      let at = 0;
      for (let j = 0; j < i; j++) at = Math.max(at, common(outcomes[i]!.schedule, outcomes[j]!.schedule));
      assert.ok(at >= last, `run ${i} diverges at step ${at}, after a run that diverged at step ${last}`);
      last = at;
    }
    assert.ok(outcomes.length > 10);
  });

  it('runs exactly the schedules deepest-first runs, each once, within the bound', async () => {
    const programs = [
      ['independent(2, 2)', () => independent(2, 2)],
      ['independent(1, 1, 1)', () => independent(1, 1, 1)],
      ['independent(3, 2)', () => independent(3, 2)],
      ['safeUpdate(1)', () => safeUpdate(1)],
      ['safeUpdate(2)', () => safeUpdate(2)],
      ['lostUpdate()', () => lostUpdate()],
      ['spawnedLostUpdate()', () => spawnedLostUpdate()],
    ] as const;
    for (const [name, program] of programs) {
      for (const bound of [0, 1, 2, 3]) {
        const deepest = await runAll(toyExecute(program()), bound, false, 'deepest-first');
        const earliest = await runAll(toyExecute(program()), bound, false, 'earliest-first');
        assert.equal(earliest.length, deepest.length, `${name} at bound ${bound}`);
        assert.deepEqual(schedules(earliest).sort(), schedules(deepest).sort(), `${name} at bound ${bound}`);
        assert.equal(new Set(schedules(earliest)).size, earliest.length, `${name} at bound ${bound}: a schedule ran twice`);
        for (const o of earliest) assert.ok(o.preemptions <= bound);
        assert.deepEqual(schedules(earliest.slice(0, 1)), schedules(deepest.slice(0, 1)), 'both start with the non-preemptive run');
      }
    }
  });

  it('is deterministic', async () => {
    const a = schedules(await runAll(toyExecute(safeUpdate(2)), 2, false, 'earliest-first'));
    const b = schedules(await runAll(toyExecute(safeUpdate(2)), 2, false, 'earliest-first'));
    assert.deepEqual(a, b);
  });

  it('finds the lost update at bound 1, and not at bound 0', async () => {
    const execute = toyExecute(lostUpdate());
    assert.ok((await runAll(execute, 0, false, 'earliest-first')).every((o) => o.status === 'ok'));
    const at1 = await runAll(execute, 1, true, 'earliest-first');
    assert.equal(at1.at(-1)!.status, 'failed');
    assert.equal(at1.at(-1)!.failure?.check, 'leak');
    assert.equal(at1.at(-1)!.preemptions, 1);
  });

  it('handles runs of thousands of steps', async () => {
    const outcomes = await runAll(toyExecute(independent(2000, 1)), 1, false, 'earliest-first');
    assert.equal(outcomes.length, 2001);
    assert.equal(new Set(outcomes.map((o) => o.schedule.indexOf(1))).size, 2001);
  });

  it('enforces its protocol', async () => {
    const dfs = new DfsStrategy(1, 'earliest-first');
    assert.throws(() => dfs.complete(undefined as unknown as ExecutionOutcome), /no run is outstanding/);
    const execute = toyExecute(independent(1, 1));
    for (let scheduler = dfs.next(); scheduler !== undefined; scheduler = dfs.next()) {
      assert.throws(() => dfs.next(), /complete/);
      dfs.complete(await execute(scheduler));
    }
    assert.equal(dfs.executions, 2);
    assert.ok(dfs.exhausted);
    assert.equal(dfs.next(), undefined);
  });

  it('detects a simulation that is not deterministic, in a replayed prefix or a run that ends inside it', async () => {
    let calls = 0;
    const unstable: Execute = async (scheduler: Scheduler) => {
      calls++;
      return toyExecute(calls === 1 ? independent(2, 2) : independent(2, 2, 2))(scheduler);
    };
    await assert.rejects(runAll(unstable, 1, false, 'earliest-first'), /not deterministic/);
    // Same runnable sets on the prefix, then one run stops short of the step it must diverge at.
    let runs = 0;
    const shrinking: Execute = async (scheduler: Scheduler) => {
      runs++;
      return toyExecute(runs <= 2 ? independent(3, 3) : independent(1, 1))(scheduler);
    };
    await assert.rejects(runAll(shrinking, 2, false, 'earliest-first'), /not deterministic/);
  });
});
