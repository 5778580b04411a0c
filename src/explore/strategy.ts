/**
 * Search strategies: where the explorer gets the scheduler for each run, behind one interface,
 * and the registry of the built-in strategies.
 *
 * @packageDocumentation
 */
import { readFields } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import type { Strategy, StrategyDefinition, StrategyFlag } from './strategies/definition.js';
import { dfs, type DfsStrategyOptions } from './strategies/dfs.js';
import { pct, type PctStrategyOptions } from './strategies/pct.js';
import { random, type RandomStrategyOptions } from './strategies/random.js';
import { replay, type ReplayStrategyOptions } from './strategies/replay.js';
import { stateful, type StatefulStrategyOptions } from './strategies/stateful.js';

export type { Strategy } from './strategies/definition.js';
export { DEFAULT_DFS_BOUND, type DfsStrategyOptions } from './strategies/dfs.js';
export { DEFAULT_PCT_DEPTH, DEFAULT_PCT_EXPECTED_STEPS, type PctStrategyOptions } from './strategies/pct.js';
export type { RandomStrategyOptions } from './strategies/random.js';
export type { ReplayStrategyOptions } from './strategies/replay.js';
export type { StatefulStrategyOptions } from './strategies/stateful.js';

/**
 * The options of every strategy, by its name: the type half of the strategy registry
 * (`STRATEGIES` in `src/explore/strategy.ts` is the value half, and must list the same names).
 * {@link StrategyName} and {@link StrategyOptions} are derived from it.
 * @public
 * @category Explorer
 */
export interface StrategyOptionsByName {
  /** Exhaustive search within a preemption bound. */
  dfs: DfsStrategyOptions;
  /** Every interleaving, states seen before pruned. */
  stateful: StatefulStrategyOptions;
  /** Uniformly random choices. */
  random: RandomStrategyOptions;
  /** Probabilistic concurrency testing. */
  pct: PctStrategyOptions;
  /** One run of a given schedule. */
  replay: ReplayStrategyOptions;
}

/**
 * The names of the strategies.
 * @public
 * @category Explorer
 */
export type StrategyName = keyof StrategyOptionsByName;

/**
 * Options for {@link makeStrategy}, one shape per strategy, told apart by `kind`.
 * @public
 * @category Explorer
 */
export type StrategyOptions = StrategyOptionsByName[StrategyName];

/**
 * The registry of strategies, by name, in the order the help text lists them (the first is the
 * default of `utrace-explore`). `makeStrategy` and the command line's `--strategy` values,
 * flags, checks, defaults and help text all come from here; the types from
 * {@link StrategyOptionsByName}, which its type ties to it (a strategy in one and not the
 * other does not compile).
 *
 * Adding a strategy:
 *
 * 1. Write `src/explore/strategies/<name>.ts`: an exported options interface whose `kind` is the
 *    name (with TSDoc), the class implementing `Strategy`, and its entry, a
 *    `StrategyDefinition<Options>` with `name`, `summary` (its help line), `endless`, `flags`
 *    (each names the options field, its command-line option, its type: integer with limits,
 *    choice or schedule string, and its default) and `make` (builds the strategy; throws a
 *    `UtraceUsageError`, rule `'bad-option'`, on a bad option).
 * 2. Register it here: its line `<name>: <Name>StrategyOptions;` in
 *    {@link StrategyOptionsByName} and `<name>,` in `STRATEGIES`, with the import.
 * 3. Export the options type from `src/explore/index.ts` and run `npm run api:update`, as for any
 *    public type.
 *
 * Nothing else changes: the options union, `makeStrategy`, `--strategy <name>` with its flags,
 * "applies to" checks and help text follow.
 * @internal
 */
export const STRATEGIES: { readonly [K in StrategyName]: StrategyDefinition<StrategyOptionsByName[K]> } = {
  dfs,
  stateful,
  random,
  pct,
  replay,
};

/**
 * The strategies' names, in registry order.
 * @internal
 */
export const STRATEGY_NAMES = Object.keys(STRATEGIES) as StrategyName[];

/**
 * The definition of the strategy called `name`, or `undefined` for an unknown name.
 * @internal
 */
export function strategyDefinition(name: unknown): StrategyDefinition<StrategyOptions> | undefined {
  return typeof name === 'string' && Object.hasOwn(STRATEGIES, name)
    ? (STRATEGIES[name as StrategyName] as unknown as StrategyDefinition<StrategyOptions>)
    : undefined;
}

/**
 * Every strategy's flags, with the strategies that take each one.
 * @internal
 */
export function strategyFlags(): ReadonlyMap<string, { readonly flag: StrategyFlag; readonly kinds: readonly StrategyName[] }> {
  const flags = new Map<string, { flag: StrategyFlag; kinds: StrategyName[] }>();
  for (const name of STRATEGY_NAMES) {
    for (const flag of STRATEGIES[name].flags) {
      const entry = flags.get(flag.option);
      if (entry === undefined) flags.set(flag.option, { flag, kinds: [name] });
      else entry.kinds.push(name);
    }
  }
  return flags;
}

const FIELDS = ['kind', ...new Set(STRATEGY_NAMES.flatMap((n) => STRATEGIES[n].flags.map((f: StrategyFlag) => f.field)))];

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
    throw new UtraceUsageError('bad-option', `makeStrategy: options must be an object such as { kind: 'dfs', bound: 2 } (kinds: ${STRATEGY_NAMES.join(', ')}); got ${options === null ? 'null' : typeof options}`);
  }
  options = readFields(options, FIELDS, 'makeStrategy', 'bad-option') as unknown as StrategyOptions;
  const definition = strategyDefinition(options.kind);
  if (definition === undefined) {
    const kind: unknown = options.kind;
    throw new UtraceUsageError('bad-option', `makeStrategy: unknown strategy kind ${typeof kind === 'string' ? JSON.stringify(kind) : typeof kind}; use ${STRATEGY_NAMES.slice(0, -1).join(', ')} or ${STRATEGY_NAMES.at(-1)}`);
  }
  return definition.make(options);
}
