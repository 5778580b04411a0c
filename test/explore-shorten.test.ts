import { UtraceUsageError } from '../src/errors.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GuidedScheduler, shorten } from '../src/explore/shorten.js';
import { ReplayScheduler } from '../src/sched/replay.js';
import { decodeSchedule } from '../src/sched/schedule-string.js';
import { independent, lostUpdate, safeUpdate, toyExecute, work } from './support/toy-execute.js';
import type { ToyThread } from './support/toy-execute.js';

/** Alternates between two threads for as long as both can run. */
function alternating(steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => i % 2);
}

describe('GuidedScheduler', () => {
  it('follows the candidate where it can and otherwise continues without preempting', async () => {
    const guided = new GuidedScheduler([1, 0, 0, 0, 0]);
    const outcome = await toyExecute(independent(2, 2))(guided);
    // Step 0: 1; step 1: 0 (a preemption); step 2: 0; step 3: 0 is done, fall back to 1.
    assert.deepEqual(outcome.schedule, [1, 0, 0, 1]);
    assert.equal(guided.deviations, 1);
    assert.equal(guided.preemptions, 1);
    assert.deepEqual(guided.preemptionSteps, [1]);
  });

  it('runs the previous thread on once the candidate has run out', async () => {
    const guided = new GuidedScheduler([1]);
    const outcome = await toyExecute(independent(2, 2))(guided);
    assert.deepEqual(outcome.schedule, [1, 1, 0, 0]);
    assert.equal(guided.preemptions, 0);
  });
});

describe('shorten', () => {
  it('reduces a long failing schedule of the lost update to at most one preemption', async () => {
    const execute = toyExecute(lostUpdate(10));
    const long = await execute(new ReplayScheduler(alternating(44)));
    assert.equal(long.failure?.check, 'leak');
    assert.ok(long.preemptions > 10);

    const result = await shorten(execute, long.schedule, 'leak');
    assert.ok(result.preemptions <= 1, `${result.preemptions} preemptions left`);
    assert.equal(result.outcome.failure?.check, 'leak');
    assert.equal(result.original.preemptions, long.preemptions);
    assert.ok(result.steps <= result.original.steps);
    assert.ok(result.executions <= 2000);
    assert.equal(result.fixedPoint, true);
    assert.equal(result.outcome.preemptions, result.preemptions);

    const again = await execute(new ReplayScheduler(decodeSchedule(result.schedule)));
    assert.equal(again.failure?.check, 'leak');
    assert.deepEqual(again.schedule, result.outcome.schedule);
  });

  it('shortens the steps before a failure that fires during the run', async () => {
    // refs starts at 1 and both threads drop it: the second drop underflows unless the update is lost.
    const drop = (name: string): ToyThread => ({
      name,
      ops: [...work(8), { op: 'load', from: 'refs' }, { op: 'store', to: 'refs', add: -1 }],
    });
    const noise: ToyThread = { name: 'noise', ops: work(10) };
    const execute = toyExecute({ shared: { refs: 1 }, threads: [drop('A'), drop('B'), noise], nonNegative: ['refs'] });
    // Noise and A take turns, then B runs: the underflow fires at B's store, step 29.
    const long = await execute(new ReplayScheduler([...alternating(20).map((t) => (t === 0 ? 2 : 0)), ...Array(10).fill(1)]));
    assert.equal(long.failure?.check, 'refcount-underflow');
    assert.equal(long.schedule.length, 30);
    assert.ok(long.preemptions > 10);
    const result = await shorten(execute, long.schedule, 'refcount-underflow');
    assert.equal(result.preemptions, 0);
    assert.equal(result.steps, 20);
    assert.equal(result.outcome.failure?.check, 'refcount-underflow');
    assert.equal(result.outcome.failure?.step, 19);
  });

  it('is deterministic', async () => {
    const execute = toyExecute(lostUpdate(6));
    const long = (await execute(new ReplayScheduler(alternating(28)))).schedule;
    const a = await shorten(execute, long, 'leak');
    const b = await shorten(execute, long, 'leak');
    assert.equal(a.schedule, b.schedule);
    assert.equal(a.executions, b.executions);
  });

  it('stays within its budget', async () => {
    const execute = toyExecute(lostUpdate(10));
    const long = (await execute(new ReplayScheduler(alternating(44)))).schedule;
    const result = await shorten(execute, long, 'leak', { budget: 3 });
    assert.ok(result.executions <= 3);
    assert.equal(result.fixedPoint, false);
    assert.equal(result.outcome.failure?.check, 'leak');
    await assert.rejects(shorten(execute, long, 'leak', { budget: 0 }), UtraceUsageError);
  });

  it('rejects a schedule that does not fail with the check', async () => {
    const execute = toyExecute(safeUpdate());
    await assert.rejects(shorten(execute, [0, 0, 0, 0, 1, 1, 1, 1], 'leak'), /does not fail with 'leak'/);
    const buggy = toyExecute(lostUpdate());
    await assert.rejects(shorten(buggy, [0, 1, 1, 0], 'deadlock'), /got a 'leak' failure/);
  });
});
