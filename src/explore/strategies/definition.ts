/**
 * What a search strategy declares about itself: its name, its options, the command-line flags
 * that set them (with defaults and limits), a description, and how to build it. The registry
 * in `strategy.ts` lists one {@link StrategyDefinition} per strategy; the `StrategyOptions`
 * type, `makeStrategy`, and `utrace-explore`'s parser and help text are derived from it.
 *
 * @packageDocumentation
 */
import type { ExecutionOutcome } from '../../sched/execution.js';
import type { Scheduler } from '../../sched/scheduler.js';
import type { StrategyName } from '../strategy.js';

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
 * One option of a strategy and the command-line flag that sets it.
 * @internal
 */
export type StrategyFlag = {
  /** The field of the strategy's options, e.g. `bound`. */
  readonly field: string;
  /** The command-line option, without its dashes, e.g. `bound` for `--bound`. */
  readonly option: string;
  /** What the help text shows as the option's value, e.g. `N`. */
  readonly value: string;
  /** The help text, one sentence without its default. */
  readonly help: string;
  /**
   * The value the command line uses when the flag is absent (the API may still require the
   * field, as `seed` does). No default: the field is left out.
   */
  readonly default?: number | string;
  /** Giving this flag chooses the strategy without `--strategy` (as `--replay` does). */
  readonly implies?: true;
  /** The strategy cannot run without this flag. */
  readonly required?: true;
} & (
  | {
      /** A decimal integer from `min` to `max`. */
      readonly type: 'integer';
      readonly min: number;
      readonly max: number;
    }
  | {
      /** One of `choices`. */
      readonly type: 'choice';
      readonly choices: readonly string[];
    }
  | {
      /** A schedule string (`s1:...`), trimmed. */
      readonly type: 'schedule';
    }
);

/**
 * Everything the package knows about one strategy. `O` is the shape of its options (with the
 * strategy's name as `kind`).
 * @internal
 */
export interface StrategyDefinition<O extends { readonly kind: string }> {
  /** The strategy's name, the `kind` of its options and the value of `--strategy`. */
  readonly name: O['kind'];
  /** What it does, in one line of the help text. */
  readonly summary: string;
  /**
   * It never runs out of schedules (random, pct): the command line then stops it after a
   * default number of runs when no limit is given.
   */
  readonly endless: boolean;
  /** Its options and their command-line flags. */
  readonly flags: readonly StrategyFlag[];
  /**
   * Builds the strategy; throws a `UtraceUsageError` (rule `'bad-option'`) on a bad option.
   * `options` has been read once (no getters run twice) but not otherwise checked.
   */
  make(options: O): Strategy;
}
