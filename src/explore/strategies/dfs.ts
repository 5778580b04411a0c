/**
 * The `dfs` strategy: every schedule within a preemption bound, each once (see `DfsStrategy`).
 *
 * @packageDocumentation
 */
import { DEFAULT_DFS_ORDER, DfsStrategy } from '../dfs.js';
import type { StrategyDefinition } from './definition.js';

/**
 * Default preemption bound of the `dfs` strategy.
 * @public
 * @category Explorer
 */
export const DEFAULT_DFS_BOUND = 2;

/**
 * The largest preemption bound the command line accepts.
 * @internal
 */
export const MAX_DFS_BOUND = 1000;

/**
 * Options of the `dfs` strategy: every schedule with at most `bound` preemptions (default 2),
 * each once, then exhausted. `order` says where each run diverges from the runs before it:
 * `'deepest-first'` (the default) at the deepest step of the last run with an untried choice
 * (classic depth-first search); `'earliest-first'` at the smallest step with an untried choice
 * among all the runs so far. Both orders run the same schedules; see {@link DfsStrategy}.
 * @public
 * @category Explorer
 */
export interface DfsStrategyOptions {
  /** Exhaustive search within a preemption bound. */
  readonly kind: 'dfs';
  /** Preemptions allowed per run (default {@link DEFAULT_DFS_BOUND}). */
  readonly bound?: number;
  /** Where each run diverges (default `'deepest-first'`): see {@link DfsStrategy}. */
  readonly order?: 'earliest-first' | 'deepest-first';
}

/**
 * The `dfs` strategy's entry in the registry.
 * @internal
 */
export const dfs: StrategyDefinition<DfsStrategyOptions> = {
  name: 'dfs',
  summary: 'every schedule within the preemption bound, each once; exhausts',
  endless: false,
  flags: [
    { field: 'bound', option: 'bound', value: 'N', type: 'integer', min: 0, max: MAX_DFS_BOUND, default: DEFAULT_DFS_BOUND, help: 'dfs preemption bound' },
    {
      field: 'order',
      option: 'order',
      value: 'deepest-first|earliest-first',
      type: 'choice',
      choices: ['deepest-first', 'earliest-first'],
      default: DEFAULT_DFS_ORDER,
      help:
        'where each dfs run diverges from the runs before it: deepest-first varies the last steps of a run first; ' +
        'earliest-first tries every choice at one step, in all runs so far, before any at a later step. Both run the same schedules',
    },
  ],
  make: (options) => new DfsStrategy(options.bound ?? DEFAULT_DFS_BOUND, options.order ?? DEFAULT_DFS_ORDER),
};
