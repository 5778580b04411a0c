/**
 * Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010):
 * a randomized scheduler that finds a bug of depth `d` with probability at least
 * `1 / (n * k^(d-1))` per run, for `n` threads and `k` steps.
 *
 * @packageDocumentation
 */
import { describeArg } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { SeededRandom } from './prng.js';
import { MAX_SCHEDULE_STEPS } from './schedule-string.js';
import type { Scheduler, SchedulingPoint } from './scheduler.js';

/**
 * The largest PCT depth accepted: `depth - 1` change points are drawn for every run, so a depth
 * near a run's length already demotes some thread at almost every step; a larger one would
 * only cost memory (a depth of 10^8 would allocate 400 MB per run).
 * @internal
 */
export const MAX_PCT_DEPTH = 10_000;

/**
 * Why `depth` is not a PCT depth, or `undefined` when it is one.
 * @internal
 */
export function pctDepthProblem(depth: unknown): string | undefined {
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1 || depth > MAX_PCT_DEPTH) {
    return `depth must be an integer from 1 to ${MAX_PCT_DEPTH}, got ${typeof depth === 'number' ? String(depth) : typeof depth}`;
  }
  return undefined;
}

/**
 * Why `steps` is not an expected run length, or `undefined` when it is one.
 * @internal
 */
export function pctStepsProblem(steps: unknown): string | undefined {
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1 || steps > MAX_SCHEDULE_STEPS) {
    return `expectedSteps must be an integer from 1 to ${MAX_SCHEDULE_STEPS}, got ${typeof steps === 'number' ? String(steps) : typeof steps}`;
  }
  return undefined;
}

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
   * @param depth - the bug depth aimed at, an integer from 1 (no change points) to 10,000.
   * @param expectedSteps - an estimate of the run's length in steps, an integer from 1 to
   * `MAX_SCHEDULE_STEPS` (10,000,000).
   */
  constructor(seed: number, depth: number, expectedSteps: number) {
    if (!Number.isInteger(seed)) throw new UtraceUsageError('bad-option', `PctScheduler: seed must be an integer, got ${describeArg(seed)}`);
    const depthProblem = pctDepthProblem(depth);
    if (depthProblem !== undefined) throw new UtraceUsageError('bad-option', `PctScheduler: ${depthProblem}`);
    const stepsProblem = pctStepsProblem(expectedSteps);
    if (stepsProblem !== undefined) throw new UtraceUsageError('bad-option', `PctScheduler: ${stepsProblem}`);
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
