/**
 * The `stateful` strategy: every interleaving, states seen before pruned (see
 * `StatefulStrategy`).
 *
 * @packageDocumentation
 */
import { DEFAULT_MAX_STATES, StatefulStrategy } from '../stateful.js';
import type { StrategyDefinition } from './definition.js';

/**
 * Options of the `stateful` strategy: every interleaving, with no preemption bound, by a
 * depth-first search that does not go on from a state it has seen before; exhausted when every
 * state reached has had every step out of it taken (proven over all interleavings), or stopped
 * at `maxStates` distinct states (default {@link DEFAULT_MAX_STATES}). Runs must keep the trace;
 * see {@link StatefulStrategy}.
 * @public
 * @category Explorer
 */
export interface StatefulStrategyOptions {
  /** Every interleaving, states seen before pruned. */
  readonly kind: 'stateful';
  /** Most distinct states kept (default {@link DEFAULT_MAX_STATES}). */
  readonly maxStates?: number;
}

/**
 * The `stateful` strategy's entry in the registry.
 * @internal
 */
export const stateful: StrategyDefinition<StatefulStrategyOptions> = {
  name: 'stateful',
  summary: 'every interleaving, no bound, states seen before pruned; a clean result is proven over all interleavings',
  endless: false,
  flags: [
    {
      field: 'maxStates',
      option: 'max-states',
      value: 'N',
      type: 'integer',
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
      help: `most distinct states the stateful search keeps (default ${DEFAULT_MAX_STATES.toLocaleString('en-US')})`,
    },
  ],
  make: (options) => new StatefulStrategy(options.maxStates === undefined ? {} : { maxStates: options.maxStates }),
};
