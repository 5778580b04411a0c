import { describeArg } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';

/**
 * A small seeded pseudo-random generator (SplitMix32), so that seeded strategies give the
 * same sequence on every machine and every Node version.
 * @public
 * @category Scheduling
 */
export class SeededRandom {
  #state: number;

  /** Seeds the generator; any 32-bit integer is a valid seed. */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isInteger(seed)) {
      throw new UtraceUsageError('bad-option', `SeededRandom: seed must be an integer; got ${describeArg(seed)}`);
    }
    this.#state = seed >>> 0;
  }

  /** Next value, uniform in [0, 2^32). */
  nextU32(): number {
    this.#state = (this.#state + 0x9e3779b9) >>> 0;
    let z = this.#state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Next value, uniform over the integers in [0, n); `n` must be a positive integer. */
  below(n: number): number {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      throw new UtraceUsageError('bad-option', `SeededRandom.below(n): n must be a positive integer; got ${describeArg(n)}`);
    }
    return this.nextU32() % n;
  }
}
