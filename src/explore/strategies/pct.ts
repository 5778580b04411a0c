/**
 * The `pct` strategy: endless runs of probabilistic concurrency testing (see `PctScheduler`).
 *
 * @packageDocumentation
 */
import { UtraceUsageError } from '../../errors.js';
import type { ExecutionOutcome } from '../../sched/execution.js';
import { MAX_PCT_DEPTH, PctScheduler, pctDepthProblem, pctStepsProblem } from '../../sched/pct.js';
import { SeededRandom } from '../../sched/prng.js';
import { MAX_SCHEDULE_STEPS } from '../../sched/schedule-string.js';
import type { Scheduler } from '../../sched/scheduler.js';
import type { Strategy, StrategyDefinition } from './definition.js';
import { checkSeed, SEED_FLAG } from './random.js';

/**
 * Default depth of the `pct` strategy.
 * @public
 * @category Explorer
 */
export const DEFAULT_PCT_DEPTH = 3;
/**
 * Expected run length the `pct` strategy assumes before it has seen a run.
 * @public
 * @category Explorer
 */
export const DEFAULT_PCT_EXPECTED_STEPS = 64;

/**
 * Options of the `pct` strategy: endless PCT runs of the given `depth` (default 3), each with a
 * seed derived from `seed` and the run's index. `expectedSteps` estimates a run's length; when
 * omitted, the longest run seen so far is used (64 before the first run).
 * @public
 * @category Explorer
 */
export interface PctStrategyOptions {
  /** Probabilistic concurrency testing. */
  readonly kind: 'pct';
  /** Any 32-bit integer; the same seed gives the same runs. */
  readonly seed: number;
  /** Bug depth: priority changes per run plus one, from 1 to 10,000 (default {@link DEFAULT_PCT_DEPTH}). */
  readonly depth?: number;
  /** Run length assumed before a run was seen, from 1 to 10,000,000 (default {@link DEFAULT_PCT_EXPECTED_STEPS}). */
  readonly expectedSteps?: number;
}

/** Endless PCT runs, one derived seed per run. */
class PctStrategy implements Strategy {
  readonly name = 'pct';
  readonly description: string;
  readonly #seeds: SeededRandom;
  readonly #depth: number;
  readonly #expectedSteps: number | undefined;
  #longest = 0;

  constructor(seed: number, depth: number, expectedSteps: number | undefined) {
    checkSeed(seed);
    const depthProblem = pctDepthProblem(depth);
    if (depthProblem !== undefined) throw new UtraceUsageError('bad-option', `makeStrategy: pct ${depthProblem}`);
    const stepsProblem = expectedSteps === undefined ? undefined : pctStepsProblem(expectedSteps);
    if (stepsProblem !== undefined) throw new UtraceUsageError('bad-option', `makeStrategy: pct ${stepsProblem}`);
    this.#seeds = new SeededRandom(seed);
    this.#depth = depth;
    this.#expectedSteps = expectedSteps;
    this.description =
      `pct (seed ${seed}, depth ${depth}` + (expectedSteps === undefined ? ')' : `, expected steps ${expectedSteps})`);
  }

  next(): Scheduler {
    const steps = this.#expectedSteps ?? (this.#longest > 0 ? this.#longest : DEFAULT_PCT_EXPECTED_STEPS);
    return new PctScheduler(this.#seeds.nextU32() | 0, this.#depth, steps);
  }

  complete(outcome: ExecutionOutcome): void {
    if (outcome.schedule.length > this.#longest) this.#longest = outcome.schedule.length;
  }
}

/**
 * The `pct` strategy's entry in the registry.
 * @internal
 */
export const pct: StrategyDefinition<PctStrategyOptions> = {
  name: 'pct',
  summary: 'seeded probabilistic concurrency testing (priorities with depth - 1 changes per run); endless',
  endless: true,
  flags: [
    SEED_FLAG,
    { field: 'depth', option: 'depth', value: 'N', type: 'integer', min: 1, max: MAX_PCT_DEPTH, default: DEFAULT_PCT_DEPTH, help: 'pct bug depth' },
    {
      field: 'expectedSteps',
      option: 'expected-steps',
      value: 'N',
      type: 'integer',
      min: 1,
      max: MAX_SCHEDULE_STEPS,
      help: 'pct run length assumed before the first run (default: the longest run so far, 64 before any)',
    },
  ],
  make: (options) => new PctStrategy(options.seed, options.depth ?? DEFAULT_PCT_DEPTH, options.expectedSteps),
};
