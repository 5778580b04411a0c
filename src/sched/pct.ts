/**
 * Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010):
 * a randomized scheduler that finds a bug of depth `d` with probability at least
 * `1 / (n * k^(d-1))` per run, for `n` threads and `k` steps.
 *
 * @packageDocumentation
 */
import { UtraceUsageError } from '../errors.js';
import { SeededRandom } from './prng.js';
import type { Scheduler, SchedulingPoint } from './scheduler.js';

/**
 * The PCT scheduler. Every thread gets a random priority, distinct from all others, the first
 * time it is seen runnable (threads may appear at any step). `depth - 1` priority change
 * points are drawn uniformly in `[0, expectedSteps)`. At every step the runnable thread with
 * the highest priority runs; at a change point, the thread about to run is first demoted below
 * every other thread (each later demotion goes lower still), so another thread runs instead.
 *
 * Deterministic: the same seed, depth and expected step count give the same choices for the
 * same sequence of scheduling points. One instance serves one run.
 * @public
 * @category Scheduling
 */
export class PctScheduler implements Scheduler {
  readonly #random: SeededRandom;
  readonly #changePoints: Int32Array;
  #nextChange = 0;
  readonly #priority: number[] = [];
  readonly #used = new Set<number>();
  #demotions = 0;

  /**
   * Seeds the scheduler with a bug depth and the run length it assumes.
   * @param seed - any 32-bit integer.
   * @param depth - the bug depth aimed at, an integer of at least 1 (1 means no change points).
   * @param expectedSteps - an estimate of the run's length in steps, an integer of at least 1.
   */
  constructor(seed: number, depth: number, expectedSteps: number) {
    if (!Number.isInteger(seed)) throw new UtraceUsageError('bad-option', `PctScheduler: seed must be an integer, got ${String(seed)}`);
    if (!Number.isInteger(depth) || depth < 1) {
      throw new UtraceUsageError('bad-option', `PctScheduler: depth must be an integer of at least 1, got ${String(depth)}`);
    }
    if (!Number.isInteger(expectedSteps) || expectedSteps < 1) {
      throw new UtraceUsageError('bad-option', `PctScheduler: expectedSteps must be an integer of at least 1, got ${String(expectedSteps)}`);
    }
    this.#random = new SeededRandom(seed);
    const points = new Int32Array(depth - 1);
    for (let i = 0; i < points.length; i++) points[i] = this.#random.below(expectedSteps);
    points.sort();
    this.#changePoints = points;
  }

  /** The priority change points, ascending (a step may appear more than once). */
  get changePoints(): readonly number[] {
    return Array.from(this.#changePoints);
  }

  /** Picks the runnable thread with the highest priority, after applying any change point due. */
  pick(point: SchedulingPoint): number {
    const runnable = point.runnable;
    const priority = this.#priority;
    for (let i = 0; i < runnable.length; i++) {
      const id = runnable[i]!;
      if (priority[id] === undefined) priority[id] = this.#freshPriority();
    }
    const points = this.#changePoints;
    while (this.#nextChange < points.length && points[this.#nextChange]! <= point.step) {
      this.#nextChange++;
      priority[this.#highest(runnable)] = -++this.#demotions;
    }
    return this.#highest(runnable);
  }

  /** A random priority above every demoted one and distinct from every priority given so far. */
  #freshPriority(): number {
    let p: number;
    do p = this.#random.nextU32() + 1;
    while (this.#used.has(p));
    this.#used.add(p);
    return p;
  }

  #highest(runnable: readonly number[]): number {
    const priority = this.#priority;
    let best = runnable[0]!;
    let bestPriority = priority[best]!;
    for (let i = 1; i < runnable.length; i++) {
      const id = runnable[i]!;
      const p = priority[id]!;
      if (p > bestPriority) {
        best = id;
        bestPriority = p;
      }
    }
    return best;
  }
}
