import { UtraceUsageError } from '../src/errors.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_SCHEDULE_STEPS,
  ScheduleFormatError,
  decodeSchedule,
  encodeSchedule,
} from '../src/sched/schedule-string.js';
import { SeededRandom } from '../src/sched/prng.js';

describe('encodeSchedule', () => {
  it('writes runs of one thread as thread x count', () => {
    assert.equal(encodeSchedule([0, 0, 0, 1, 0, 0]), 's1:0x3.1.0x2');
    assert.equal(encodeSchedule([]), 's1:');
    assert.equal(encodeSchedule([7]), 's1:7');
    assert.equal(encodeSchedule([12, 12, 3]), 's1:12x2.3');
  });

  it('rejects entries that are not thread ids', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 31]) {
      assert.throws(() => encodeSchedule([0, bad]), UtraceUsageError);
    }
  });
});

describe('decodeSchedule', () => {
  it('round-trips schedules', () => {
    const random = new SeededRandom(42);
    const cases: number[][] = [[], [0], [0, 0, 0, 1, 0, 0], [3, 2, 1, 0], [2147483647, 2147483647]];
    for (let c = 0; c < 50; c++) {
      const length = random.below(60);
      const threads = 1 + random.below(4);
      cases.push(Array.from({ length }, () => random.below(threads)));
    }
    for (const schedule of cases) {
      const text = encodeSchedule(schedule);
      assert.deepEqual(decodeSchedule(text), schedule, text);
      assert.equal(encodeSchedule(decodeSchedule(text)), text);
    }
  });

  it('ignores surrounding white space and accepts a count of 1', () => {
    assert.deepEqual(decodeSchedule('  s1:0x1.1x2\n'), [0, 1, 1]);
  });

  const bad: [string, string, RegExp][] = [
    ['missing tag', '0x3.1', /missing the "s1:" version tag/],
    ['empty text', '', /missing the "s1:" version tag/],
    ['other version', 's2:0x3', /unsupported version tag "s2"/],
    ['empty run in the middle', 's1:0..1', /run 2 is empty/],
    ['leading dot', 's1:.0', /run 1 is empty/],
    ['trailing dot', 's1:0.', /run 2 is empty/],
    ['thread id not a number', 's1:a', /thread id "a" is not a decimal integer/],
    ['negative thread id', 's1:-1', /thread id "-1" is not a decimal integer/],
    ['missing count', 's1:0x', /step count "" after "x" is not a decimal integer/],
    ['count not a number', 's1:0xy', /step count "y"/],
    ['two counts', 's1:0x3x2', /step count "3x2"/],
    ['zero count', 's1:1x0', /step count must be at least 1/],
    ['thread id too large', 's1:2147483648', /above 2147483647/],
    ['too many steps', `s1:0x${MAX_SCHEDULE_STEPS}.1`, /more than 10000000 steps/],
    ['separator of another format', 's1:0,1,0', /is not a decimal integer/],
  ];
  for (const [what, text, reason] of bad) {
    it(`throws ScheduleFormatError on ${what}`, () => {
      assert.throws(
        () => decodeSchedule(text),
        (error: unknown) => {
          assert.ok(error instanceof ScheduleFormatError);
          assert.ok(error instanceof Error);
          assert.equal(error.name, 'ScheduleFormatError');
          assert.equal(error.input, text);
          assert.match(error.reason, reason);
          assert.match(error.message, /Expected format/);
          assert.match(error.message, /s1:0x3\.1\.0x2/);
          return true;
        },
      );
    });
  }
});
