import { UtraceUsageError } from '../src/errors.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PctScheduler } from '../src/sched/pct.js';
import { encodeSchedule } from '../src/sched/schedule-string.js';
import { independent, lostUpdate, spawnedLostUpdate, toyExecute } from './support/toy-execute.js';

describe('PctScheduler', () => {
  it('is deterministic for a seed', async () => {
    const execute = toyExecute(lostUpdate(5));
    for (let seed = 0; seed < 20; seed++) {
      const a = await execute(new PctScheduler(seed, 3, 24));
      const b = await execute(new PctScheduler(seed, 3, 24));
      assert.deepEqual(a.schedule, b.schedule);
      assert.deepEqual(new PctScheduler(seed, 3, 24).changePoints, new PctScheduler(seed, 3, 24).changePoints);
    }
  });

  it('varies with the seed', async () => {
    const execute = toyExecute(lostUpdate(5));
    const seen = new Set<string>();
    for (let seed = 0; seed < 30; seed++) seen.add(encodeSchedule((await execute(new PctScheduler(seed, 3, 24))).schedule));
    assert.ok(seen.size > 3, `only ${seen.size} distinct schedules`);
  });

  it('draws depth - 1 change points in [0, expectedSteps)', () => {
    for (let seed = 0; seed < 50; seed++) {
      const points = new PctScheduler(seed, 4, 10).changePoints;
      assert.equal(points.length, 3);
      for (const p of points) assert.ok(p >= 0 && p < 10);
      assert.deepEqual(points, [...points].sort((a, b) => a - b));
    }
    assert.deepEqual(new PctScheduler(1, 1, 10).changePoints, []);
  });

  it('with depth 1 runs without preemption', async () => {
    const execute = toyExecute(independent(4, 4, 4));
    for (let seed = 0; seed < 20; seed++) assert.equal((await execute(new PctScheduler(seed, 1, 12))).preemptions, 0);
  });

  it('preempts at most depth - 1 times when threads never block', async () => {
    const execute = toyExecute(independent(6, 6, 6));
    for (let seed = 0; seed < 50; seed++) assert.ok((await execute(new PctScheduler(seed, 3, 18))).preemptions <= 2);
  });

  it('finds the lost update, also with threads created during the run', async () => {
    for (const program of [lostUpdate(3), spawnedLostUpdate()]) {
      const execute = toyExecute(program);
      let found = 0;
      for (let seed = 0; seed < 200; seed++) {
        const outcome = await execute(new PctScheduler(seed, 2, 10));
        if (outcome.status === 'failed') {
          assert.equal(outcome.failure?.check, 'leak');
          found++;
        }
      }
      assert.ok(found > 0);
    }
  });

  it('rejects bad parameters', () => {
    assert.throws(() => new PctScheduler(1.5, 2, 10), UtraceUsageError);
    assert.throws(() => new PctScheduler(1, 0, 10), UtraceUsageError);
    assert.throws(() => new PctScheduler(1, 2, 0), UtraceUsageError);
  });
});
