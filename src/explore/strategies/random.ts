/**
 * The `random` strategy: endless runs, each thread chosen uniformly at every step.
 *
 * @packageDocumentation
 */
import { describeArg } from '../../constants/integer-arg.js';
import { UtraceUsageError } from '../../errors.js';
import { RandomScheduler } from '../../sched/basic.js';
import { SeededRandom } from '../../sched/prng.js';
import type { Scheduler } from '../../sched/scheduler.js';
import type { Strategy, StrategyDefinition } from './definition.js';

/**
 * The seed the command line uses when `--seed` is not given.
 * @internal
 */
export const DEFAULT_CLI_SEED = 1;

/**
 * The `--seed` flag, shared by the seeded strategies.
 * @internal
 */
export const SEED_FLAG = {
  field: 'seed',
  option: 'seed',
  value: 'N',
  type: 'integer',
  min: -0x80000000,
  max: 0x7fffffff,
  default: DEFAULT_CLI_SEED,
  help: 'random / pct seed',
} as const;

/**
 * Options of the `random` strategy: endless runs, each thread chosen uniformly at every step;
 * run `i` uses a seed derived from `seed` and `i`.
 * @public
 * @category Explorer
 */
export interface RandomStrategyOptions {
  /** Uniformly random choices. */
  readonly kind: 'random';
  /** Any 32-bit integer; the same seed gives the same runs. */
  readonly seed: number;
}

/**
 * Throws the usage error of a seed that is not an integer.
 * @internal
 */
export function checkSeed(seed: unknown): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new UtraceUsageError('bad-option', `makeStrategy: seed must be an integer, got ${describeArg(seed)}`);
  }
}

/** Endless uniformly random runs, one derived seed per run. */
class RandomStrategy implements Strategy {
  readonly name = 'random';
  readonly description: string;
  readonly #seeds: SeededRandom;

  constructor(seed: number) {
    checkSeed(seed);
    this.description = `random (seed ${seed})`;
    this.#seeds = new SeededRandom(seed);
  }

  next(): Scheduler {
    return new RandomScheduler(this.#seeds.nextU32() | 0);
  }

  complete(): void {}
}

/**
 * The `random` strategy's entry in the registry.
 * @internal
 */
export const random: StrategyDefinition<RandomStrategyOptions> = {
  name: 'random',
  summary: 'seeded uniformly random choices; endless',
  endless: true,
  flags: [SEED_FLAG],
  make: (options) => new RandomStrategy(options.seed),
};
