/**
 * Replaying the start of a schedule, then letting a strategy explore from there: the way to
 * look around a counterexample, or to start a search past a long, known set-up.
 *
 * @packageDocumentation
 */
import { UtraceUsageError } from '../errors.js';
import type { ExecutionOutcome } from '../sched/execution.js';
import { ScheduleDivergedError } from '../sched/replay.js';
import type { Scheduler, SchedulingPoint } from '../sched/scheduler.js';
import { decodeSchedule, ScheduleFormatError } from '../sched/schedule-string.js';
import { makeStrategy, type Strategy, type StrategyOptions } from './strategy.js';

/**
 * A strategy whose every run first takes the steps of `prefix` exactly, then lets `then`
 * choose the rest.
 *
 * During the prefix, the inner strategy's scheduler is still asked at each step, but offered
 * only the thread the prefix holds, so that it sees every step of the run (a `dfs` search
 * then branches only after the prefix, and a preemption in the prefix does not count
 * toward its bound). A run in which the prefix's thread cannot run at its step throws a
 * {@link ScheduleDivergedError}, as a replay does. The strategy is exhausted when `then` is.
 *
 * @param prefix - a schedule string (as printed by the explorer, `s1:...`) or the thread ids
 * of the first steps.
 * @param then - the strategy for the steps after the prefix: its options (as for
 * {@link makeStrategy}) or a strategy object (used up by the search).
 * @returns the combined strategy, to pass as `strategy` to {@link explore} or
 * {@link assertScenario}.
 * @throws `UtraceUsageError` when `prefix` is not a schedule string or an array of
 * thread ids, or `then` is not a strategy or its options.
 * @example
 * ```ts
 * import { explore, prefixStrategy, scenarioExecute, type Scenario } from 'utrace/explore';
 * declare const scenario: Scenario;
 * // Replay the first steps of a counterexample, then try every way on from there.
 * const strategy = prefixStrategy('s1:2x5', { kind: 'dfs', bound: 1 });
 * const result = await explore(scenarioExecute(scenario), { strategy });
 * console.log(result.status);
 * ```
 * @public
 * @category Explorer
 */
export function prefixStrategy(prefix: string | readonly number[], then: StrategyOptions | Strategy): Strategy {
  let steps: readonly number[];
  if (typeof prefix === 'string') {
    try {
      steps = decodeSchedule(prefix);
    } catch (e) {
      if (e instanceof ScheduleFormatError) throw new UtraceUsageError('bad-option', `prefixStrategy: prefix is not a schedule string: ${e.message}`);
      throw e;
    }
  } else if (Array.isArray(prefix) && prefix.every((t) => Number.isInteger(t) && t >= 0)) {
    steps = [...prefix];
  } else {
    throw new UtraceUsageError('bad-option', 'prefixStrategy: prefix must be a schedule string (s1:...) or an array of thread ids');
  }
  if (typeof then !== 'object' || then === null) {
    throw new UtraceUsageError('bad-option', `prefixStrategy: then must be a strategy or its options, such as { kind: 'dfs', bound: 2 }; got ${then === null ? 'null' : typeof then}`);
  }
  const inner = typeof (then as Partial<Strategy>).next === 'function' ? (then as Strategy) : makeStrategy(then as StrategyOptions);
  return new PrefixStrategy(steps, inner);
}

class PrefixStrategy implements Strategy {
  readonly name: Strategy['name'];
  readonly description: string;
  readonly #prefix: readonly number[];
  readonly #inner: Strategy;

  constructor(prefix: readonly number[], inner: Strategy) {
    this.#prefix = prefix;
    this.#inner = inner;
    this.name = inner.name;
    this.description = `${inner.description} after a prefix of ${prefix.length} step${prefix.length === 1 ? '' : 's'}`;
  }

  next(): Scheduler | undefined {
    const scheduler = this.#inner.next();
    if (scheduler === undefined) return undefined;
    const prefix = this.#prefix;
    return {
      pick(point: SchedulingPoint): number {
        const forced = prefix[point.step];
        if (forced === undefined) return scheduler.pick(point);
        if (!point.runnable.includes(forced)) throw new ScheduleDivergedError(point.step, forced, point.runnable, 'in the prefix');
        const chosen = scheduler.pick({ step: point.step, runnable: [forced], previous: point.previous });
        if (chosen !== forced) throw new UtraceUsageError('scheduler', `prefixStrategy: the inner scheduler picked thread ${chosen} where only ${forced} was offered`);
        return forced;
      },
    };
  }

  complete(outcome: ExecutionOutcome): void {
    if (outcome.schedule.length < this.#prefix.length && outcome.failure === undefined) {
      throw new ScheduleDivergedError(outcome.schedule.length, this.#prefix[outcome.schedule.length], [], 'the run ended inside the prefix');
    }
    this.#inner.complete(outcome);
  }
}
