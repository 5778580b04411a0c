/**
 * The two everyday schedulers: round robin and seeded random.
 * @packageDocumentation
 */
import { describeArg } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { SeededRandom } from './prng.js';
import type { Scheduler, SchedulingPoint } from './scheduler.js';

/**
 * Runs each thread one step in turn, in id order, skipping threads that cannot run.
 * @public
 * @category Scheduling
 */
export class RoundRobinScheduler implements Scheduler {
  /** Picks the first runnable thread after the previous one, wrapping around. */
  pick(point: SchedulingPoint): number {
    for (const id of point.runnable) if (id > point.previous) return id;
    return point.runnable[0]!;
  }
}

/**
 * Picks uniformly among the runnable threads with a seeded generator: the same seed gives
 * the same run.
 * @public
 * @category Scheduling
 */
export class RandomScheduler implements Scheduler {
  readonly #random: SeededRandom;

  /**
   * Seeds the scheduler.
   * @param seed - any 32-bit integer.
   */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isInteger(seed)) {
      throw new UtraceUsageError('bad-option', `RandomScheduler: seed must be an integer; got ${describeArg(seed)}`);
    }
    this.#random = new SeededRandom(seed);
  }

  /** Picks one runnable thread at random. */
  pick(point: SchedulingPoint): number {
    return point.runnable[this.#random.below(point.runnable.length)]!;
  }
}
