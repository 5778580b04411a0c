/**
 * Searches that can stop and carry on later: a strategy whose state between two runs can be
 * saved as plain data and restored.
 *
 * @packageDocumentation
 */
import { UtraceUsageError } from '../errors.js';
import type { ExecutionOutcome } from '../sched/execution.js';
import type { Scheduler } from '../sched/scheduler.js';
import { type DfsCheckpoint, DfsStrategy } from './dfs.js';
import { makeStrategy, type Strategy, type StrategyOptions } from './strategy.js';

/**
 * The saved state of a search, from {@link ResumableStrategy.checkpoint}: a deepest-first
 * `dfs` search's last choices, or how many runs a `random` search has made. JSON-safe.
 * @public
 * @category Explorer
 */
export type SearchCheckpoint = DfsCheckpoint | RandomCheckpoint;

/**
 * The saved state of a `random` search: its seed and the runs it has made.
 * @public
 * @category Explorer
 */
export interface RandomCheckpoint {
  /** Discriminant. */
  readonly kind: 'random';
  /** The search's seed. */
  readonly seed: number;
  /** Runs made so far. */
  readonly executions: number;
}

/**
 * A strategy that can save its state between two runs.
 * @public
 * @category Explorer
 */
export interface ResumableStrategy extends Strategy {
  /** Runs completed, counting those made before a resume. */
  readonly executions: number;
  /** The state now, to pass to {@link resumableStrategy} later; call it between runs. */
  checkpoint(): SearchCheckpoint;
}

/**
 * A strategy for `options` that can be saved and resumed: `dfs` in the `deepest-first` order
 * (the default) and `random`. Given the `saved` checkpoint of an earlier search with the same
 * options, the new strategy goes on where that one stopped: its first run is the one the
 * earlier search would have made next, so a search cut by a time limit and resumed runs the
 * same schedules as one that was never cut.
 *
 * @param options - the strategy's options.
 * @param saved - a checkpoint from {@link ResumableStrategy.checkpoint}, or nothing to start afresh.
 * @returns the strategy, to pass as `strategy` to {@link explore}, {@link runScenario} or
 * {@link assertScenario}.
 * @throws `UtraceUsageError` for a strategy that cannot be resumed (`pct`, `replay`,
 * `dfs` in the `earliest-first` order), or a checkpoint of other options.
 * @example
 * ```ts
 * import { explore, resumableStrategy, scenarioExecute, type Scenario } from 'utrace/explore';
 * declare const scenario: Scenario;
 * const strategy = resumableStrategy({ kind: 'dfs', bound: 3 });
 * const first = await explore(scenarioExecute(scenario), { strategy, maxSeconds: 60 });
 * const saved = JSON.stringify(strategy.checkpoint()); // keep it in a file
 * // ... later, in another process:
 * const again = resumableStrategy({ kind: 'dfs', bound: 3 }, JSON.parse(saved));
 * const rest = await explore(scenarioExecute(scenario), { strategy: again });
 * console.log(first.status, rest.status);
 * ```
 * @public
 * @category Explorer
 */
export function resumableStrategy(options: StrategyOptions, saved?: SearchCheckpoint): ResumableStrategy {
  if (typeof options !== 'object' || options === null) {
    throw new UtraceUsageError('bad-option', `resumableStrategy: options must be a strategy's options, such as { kind: 'dfs', bound: 2 }; got ${options === null ? 'null' : typeof options}`);
  }
  if (options.kind === 'dfs') {
    const order = options.order ?? 'deepest-first';
    if (order !== 'deepest-first') {
      throw new UtraceUsageError('bad-option', "resumableStrategy: a dfs search resumes only in the 'deepest-first' order (the default)");
    }
    const bound = options.bound ?? 2;
    if (saved === undefined) return new ResumableDfs(new DfsStrategy(bound, order));
    if (typeof saved !== 'object' || saved === null || saved.kind !== 'dfs' || saved.bound !== bound) {
      throw new UtraceUsageError('bad-option', `resumableStrategy: the checkpoint is not one of a dfs search with bound ${bound}`);
    }
    return new ResumableDfs(DfsStrategy.resume(saved));
  }
  if (options.kind === 'random') {
    let skip = 0;
    if (saved !== undefined) {
      if (typeof saved !== 'object' || saved === null || saved.kind !== 'random' || saved.seed !== options.seed || !Number.isInteger(saved.executions) || saved.executions < 0) {
        throw new UtraceUsageError('bad-option', `resumableStrategy: the checkpoint is not one of a random search with seed ${String(options.seed)}`);
      }
      skip = saved.executions;
    }
    return new ResumableRandom(options.seed, skip);
  }
  throw new UtraceUsageError('bad-option', `resumableStrategy: a ${String((options as { kind?: unknown }).kind)} search cannot be resumed; use dfs (deepest-first) or random`);
}

class ResumableDfs implements ResumableStrategy {
  readonly name = 'dfs';
  readonly description: string;
  readonly #dfs: DfsStrategy;

  constructor(dfs: DfsStrategy) {
    this.#dfs = dfs;
    this.description = dfs.executions > 0 ? `${dfs.description}, resumed after ${dfs.executions} runs` : dfs.description;
  }

  get executions(): number {
    return this.#dfs.executions;
  }

  next(): Scheduler | undefined {
    return this.#dfs.next();
  }

  complete(outcome: ExecutionOutcome): void {
    this.#dfs.complete(outcome);
  }

  checkpoint(): SearchCheckpoint {
    return this.#dfs.checkpoint();
  }
}

class ResumableRandom implements ResumableStrategy {
  readonly name = 'random';
  readonly description: string;
  readonly #inner: Strategy;
  readonly #seed: number;
  #executions: number;

  constructor(seed: number, skip: number) {
    this.#inner = makeStrategy({ kind: 'random', seed });
    this.#seed = seed;
    // Each run's scheduler comes from the next seed of one generator: skipping the schedulers
    // of the runs already made puts the generator where it was.
    for (let i = 0; i < skip; i++) this.#inner.next();
    this.#executions = skip;
    this.description = skip > 0 ? `${this.#inner.description}, resumed after ${skip} runs` : this.#inner.description;
  }

  get executions(): number {
    return this.#executions;
  }

  next(): Scheduler | undefined {
    return this.#inner.next();
  }

  complete(outcome: ExecutionOutcome): void {
    this.#inner.complete(outcome);
    this.#executions++;
  }

  checkpoint(): SearchCheckpoint {
    return { kind: 'random', seed: this.#seed, executions: this.#executions };
  }
}
