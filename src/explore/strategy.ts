/**
 * Search strategies: where the explorer gets the scheduler for each run, behind one interface.
 *
 * @packageDocumentation
 */
import { describeArg, readFields } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { RandomScheduler } from '../sched/basic.js';
import type { ExecutionOutcome } from '../sched/execution.js';
import { PctScheduler, pctDepthProblem, pctStepsProblem } from '../sched/pct.js';
import { SeededRandom } from '../sched/prng.js';
import { ReplayScheduler } from '../sched/replay.js';
import { decodeSchedule, encodeSchedule } from '../sched/schedule-string.js';
import type { Scheduler } from '../sched/scheduler.js';
import { DEFAULT_DFS_ORDER, DfsStrategy } from './dfs.js';
import { DEFAULT_MAX_STATES, StatefulStrategy } from './stateful.js';

/**
 * The names of the built-in strategies.
 * @public
 * @category Explorer
 */
export type StrategyName = 'dfs' | 'random' | 'pct' | 'replay' | 'stateful';

/**
 * A source of schedulers, one per run of the simulation.
 *
 * Protocol: call {@link Strategy.next}; if it returns a scheduler, run the simulation once with
 * it and pass the outcome to {@link Strategy.complete}; repeat. `undefined` from `next` means
 * the strategy has nothing more to run. The same strategy built with the same options hands
 * out the same sequence of schedulers against a deterministic simulation.
 * @public
 * @category Explorer
 */
export interface Strategy {
  /** Which strategy this is. */
  readonly name: StrategyName;
  /** The strategy and its parameters in words, e.g. `pct (seed 7, depth 3)`. */
  readonly description: string;
  /** The scheduler for the next run, or `undefined` when the strategy is exhausted. */
  next(): Scheduler | undefined;
  /**
   * Reports the outcome of the run made with the scheduler last returned by `next`. May throw
   * when the run shows the strategy's assumptions broken (a replay that diverged, a
   * simulation that is not deterministic).
   */
  complete(outcome: ExecutionOutcome): void;
}

/**
 * Options for {@link makeStrategy}, one shape per strategy, told apart by `kind`.
 *
 * - `dfs`: every schedule with at most `bound` preemptions (default 2), each once, then
 *   exhausted. `order` says where each run diverges from the runs before it:
 *   `'deepest-first'` (the default) at the deepest step of the last run with an untried
 *   choice (classic depth-first search); `'earliest-first'` at the smallest step with an
 *   untried choice among all the runs so far, so every choice at one step is tried before any
 *   at a later step. Both orders run the same schedules; see {@link DfsStrategy}.
 * - `random`: endless runs, each thread chosen uniformly at every step; run `i` uses a seed
 *   derived from `seed` and `i`.
 * - `pct`: endless PCT runs of the given `depth` (default 3), each with a seed derived from
 *   `seed` and the run's index. `expectedSteps` estimates a run's length; when omitted, the
 *   longest run seen so far is used (64 before the first run).
 * - `replay`: exactly one run, following the schedule string exactly.
 * - `stateful`: every interleaving, with no preemption bound: a depth-first search that does
 *   not go on from a state it has seen before, then exhausted; at most `maxStates` distinct
 *   states (default {@link DEFAULT_MAX_STATES}). Runs must keep the trace; see
 *   {@link StatefulStrategy}.
 * @public
 * @category Explorer
 */
export type StrategyOptions =
  | {
      /** Exhaustive search within a preemption bound. */
      readonly kind: 'dfs';
      /** Preemptions allowed per run (default {@link DEFAULT_DFS_BOUND}). */
      readonly bound?: number;
      /** Where each run diverges (default `'deepest-first'`): see {@link DfsStrategy}. */
      readonly order?: 'earliest-first' | 'deepest-first';
    }
  | {
      /** Uniformly random choices. */
      readonly kind: 'random';
      /** Any 32-bit integer; the same seed gives the same runs. */
      readonly seed: number;
    }
  | {
      /** Probabilistic concurrency testing. */
      readonly kind: 'pct';
      /** Any 32-bit integer; the same seed gives the same runs. */
      readonly seed: number;
      /** Bug depth: priority changes per run plus one, from 1 to 10,000 (default {@link DEFAULT_PCT_DEPTH}). */
      readonly depth?: number;
      /** Run length assumed before a run was seen, from 1 to 10,000,000 (default {@link DEFAULT_PCT_EXPECTED_STEPS}). */
      readonly expectedSteps?: number;
    }
  | {
      /** One run of a given schedule. */
      readonly kind: 'replay';
      /** The schedule string, as printed by the explorer. */
      readonly schedule: string;
    }
  | {
      /** Every interleaving, states seen before pruned. */
      readonly kind: 'stateful';
      /** Most distinct states kept (default {@link DEFAULT_MAX_STATES}). */
      readonly maxStates?: number;
    };

/**
 * Default preemption bound of the `dfs` strategy.
 * @public
 * @category Explorer
 */
export const DEFAULT_DFS_BOUND = 2;
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
 * Builds the strategy the options describe. Throws a `UtraceUsageError` on an invalid parameter
 * (a negative bound, an unknown dfs order, a seed that is not an integer, ...) and `ScheduleFormatError` on a
 * replay schedule that does not decode.
 *
 * @example
 * ```ts
 * import { makeStrategy, scenarioExecute, type Scenario } from 'utrace/explore';
 * declare const scenario: Scenario;
 * const execute = scenarioExecute(scenario);
 * const strategy = makeStrategy({ kind: 'pct', seed: 7, depth: 3 });
 * for (let i = 0; i < 100; i++) {
 *   const scheduler = strategy.next()!;
 *   const outcome = await execute(scheduler);
 *   strategy.complete(outcome);
 *   if (outcome.status === 'failed') break;
 * }
 * ```
 * @public
 * @category Explorer
 */
export function makeStrategy(options: StrategyOptions): Strategy {
  if (typeof options !== 'object' || options === null) {
    throw new UtraceUsageError('bad-option', `makeStrategy: options must be an object such as { kind: 'dfs', bound: 2 } (kinds: dfs, random, pct, replay, stateful); got ${options === null ? 'null' : typeof options}`);
  }
  options = readFields(options, ['kind', 'bound', 'order', 'seed', 'depth', 'expectedSteps', 'schedule', 'maxStates'], 'makeStrategy', 'bad-option') as StrategyOptions;
  switch (options.kind) {
    case 'dfs':
      return new DfsStrategy(options.bound ?? DEFAULT_DFS_BOUND, options.order ?? DEFAULT_DFS_ORDER);
    case 'random':
      return new RandomStrategy(options.seed);
    case 'pct':
      return new PctStrategy(options.seed, options.depth ?? DEFAULT_PCT_DEPTH, options.expectedSteps);
    case 'replay':
      return new ReplayStrategy(options.schedule);
    case 'stateful':
      return new StatefulStrategy(options.maxStates === undefined ? {} : { maxStates: options.maxStates });
    default: {
      const unknown: never = options;
      throw new UtraceUsageError('bad-option', `makeStrategy: unknown strategy kind ${typeof (unknown as { kind: unknown }).kind === 'string' ? JSON.stringify((unknown as { kind: unknown }).kind) : typeof (unknown as { kind: unknown }).kind}; use dfs, random, pct, replay or stateful`);
    }
  }
}

function checkSeed(seed: number): void {
  if (!Number.isInteger(seed)) throw new UtraceUsageError('bad-option', `makeStrategy: seed must be an integer, got ${describeArg(seed)}`);
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

/** Exactly one run, replaying a schedule string exactly. */
class ReplayStrategy implements Strategy {
  readonly name = 'replay';
  readonly description: string;
  readonly #schedule: readonly number[];
  #scheduler: ReplayScheduler | undefined;
  #handedOut = false;

  constructor(schedule: string) {
    this.#schedule = decodeSchedule(schedule);
    const text = encodeSchedule(this.#schedule);
    this.description = `replay (${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
  }

  next(): Scheduler | undefined {
    if (this.#handedOut) return undefined;
    this.#handedOut = true;
    this.#scheduler = new ReplayScheduler(this.#schedule);
    return this.#scheduler;
  }

  complete(): void {
    this.#scheduler?.assertFinished();
  }
}
