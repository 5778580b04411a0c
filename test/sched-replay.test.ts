import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomScheduler } from '../src/sched/basic.js';
import { ReplayScheduler, ScheduleDivergedError } from '../src/sched/replay.js';
import { encodeSchedule } from '../src/sched/schedule-string.js';
import { independent, lostUpdate, toyExecute } from './support/toy-execute.js';

describe('ReplayScheduler', () => {
  it('reproduces a run exactly', async () => {
    const execute = toyExecute(lostUpdate(4));
    for (let seed = 0; seed < 20; seed++) {
      const original = await execute(new RandomScheduler(seed));
      const replay = new ReplayScheduler(original.schedule);
      assert.deepEqual(await execute(replay), original);
      replay.assertFinished();
      assert.equal(replay.consumed, original.schedule.length);
      assert.deepEqual(await execute(ReplayScheduler.fromString(encodeSchedule(original.schedule))), original);
    }
  });

  it('throws when the recorded thread cannot run', async () => {
    const replay = new ReplayScheduler([0, 0]);
    await assert.rejects(toyExecute(independent(1, 1))(replay), (error: unknown) => {
      assert.ok(error instanceof ScheduleDivergedError);
      assert.equal(error.name, 'ScheduleDivergedError');
      assert.equal(error.step, 1);
      assert.equal(error.expected, 0);
      assert.deepEqual(error.runnable, [1]);
      assert.match(error.message, /step 1/);
      assert.match(error.message, /expects thread 0/);
      assert.match(error.message, /\[1\]/);
      return true;
    });
    assert.ok(replay.divergence instanceof ScheduleDivergedError);
    assert.throws(() => replay.assertFinished(), ScheduleDivergedError);
  });

  it('throws when the schedule runs out while threads can still run', async () => {
    await assert.rejects(toyExecute(independent(1, 1))(new ReplayScheduler([0])), (error: unknown) => {
      assert.ok(error instanceof ScheduleDivergedError);
      assert.equal(error.step, 1);
      assert.equal(error.expected, undefined);
      assert.deepEqual(error.runnable, [1]);
      assert.match(error.message, /ran out/);
      return true;
    });
  });

  it('reports a run that ended before the schedule did', async () => {
    const replay = new ReplayScheduler([0, 1, 1]);
    const outcome = await toyExecute(independent(1, 1))(replay);
    assert.deepEqual(outcome.schedule, [0, 1]);
    assert.throws(
      () => replay.assertFinished(),
      (error: unknown) =>
        error instanceof ScheduleDivergedError && error.step === 2 && error.expected === 1 && error.runnable.length === 0,
    );
  });

  it('copies the schedule it is given', async () => {
    const schedule = [0, 1];
    const replay = new ReplayScheduler(schedule);
    schedule[0] = 1;
    assert.deepEqual((await toyExecute(independent(1, 1))(replay)).schedule, [0, 1]);
  });
});
