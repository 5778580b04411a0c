/**
 * Exploring one scenario from end to end: search its schedules, shorten a failing one,
 * replay it with the trace on for the timeline, and judge the result against what the
 * scenario expects.
 *
 * @packageDocumentation
 */
import type { ExecutionOutcome } from '../sched/execution.js';
import { ReplayScheduler } from '../sched/replay.js';
import { decodeSchedule, encodeSchedule } from '../sched/schedule-string.js';
import { scenarioExecute } from '../scenario/execute.js';
import { isScenario, type Scenario } from '../scenario/scenario.js';
import { readFields } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { explore, type ExploreProgress, type ExploreResult } from './explore.js';
import { shorten, type ShortenResult } from './shorten.js';
import type { Strategy, StrategyOptions } from './strategy.js';

/**
 * Options of {@link runScenario}.
 * @public
 * @category Explorer
 */
export interface RunScenarioOptions {
  /**
   * The search: `dfs` with a preemption bound, `random` or `pct` with a seed, or `replay` of a
   * schedule string; or a strategy object (from {@link prefixStrategy} or
   * {@link resumableStrategy}, say), used up by the call.
   */
  readonly strategy: StrategyOptions | Strategy;
  /** Stop the search after this many runs (default: no limit). */
  readonly maxExecutions?: number;
  /**
   * Stop the search after this many seconds (default: no limit). The shortening of a failing
   * run gets what the search left of this time, and at least a tenth of it.
   */
  readonly maxSeconds?: number;
  /**
   * Shorten a failing schedule before showing it (default true). Never done for a `replay`,
   * which must show the very schedule it was given.
   */
  readonly shorten?: boolean;
  /** Most runs the shortening may make; default that of `shorten` (2000). Its steps are bounded by `shorten`'s default step budget. */
  readonly shortenBudget?: number;
  /** Called with the search's progress, at most once per `progressIntervalMs`, as by {@link explore}. */
  readonly onProgress?: (progress: ExploreProgress) => void;
  /** Least time between two progress calls, in milliseconds; default 200. */
  readonly progressIntervalMs?: number;
  /** Stops the search (with a `'limit'` result) once aborted. */
  readonly signal?: AbortSignal;
}

/**
 * How a search came out against the scenario's expectation.
 *
 * - `'met'`: an `'unsafe'` scenario failed, or a `'safe'` one was searched to exhaustion
 *   without a failure.
 * - `'contradicted'`: a `'safe'` scenario failed, or an `'unsafe'` one was searched to
 *   exhaustion without a failure (the bug is not there within the bound).
 * - `'undecided'`: a limit stopped the search first.
 * @public
 * @category Explorer
 */
export type ScenarioVerdict = 'met' | 'contradicted' | 'undecided';

/**
 * The failing run to show: the schedule (shortened unless asked not to), run once more with
 * the trace on.
 * @public
 * @category Explorer
 */
export interface Counterexample {
  /** The run with its trace; fails with the same check, at the same step, as without trace. */
  readonly outcome: ExecutionOutcome;
  /** Its schedule string: `--replay` it (or replay it with the `replay` strategy) to get the same failure. */
  readonly schedule: string;
  /** Its number of preemptions. */
  readonly preemptions: number;
  /** Its number of steps. */
  readonly steps: number;
  /** The shortening, when one was made. */
  readonly shortened: ShortenResult | undefined;
}

/**
 * What {@link runScenario} found.
 * @public
 * @category Explorer
 */
export interface ScenarioReport {
  /** The scenario explored. */
  readonly scenario: Scenario;
  /** The search's result, as {@link explore} returned it. */
  readonly result: ExploreResult;
  /** The failing run to show, when the search failed. */
  readonly counterexample: Counterexample | undefined;
  /** The result against the scenario's expectation. */
  readonly verdict: ScenarioVerdict;
}

/**
 * Judges a search result against what the scenario expects; see {@link ScenarioVerdict}.
 * @example
 * ```ts
 * import { verdictOf } from 'utrace/explore';
 * console.log(verdictOf('unsafe', 'failed'), verdictOf('safe', 'limit')); // met undecided
 * ```
 * @public
 * @category Explorer
 */
export function verdictOf(expect: Scenario['expect'], status: ExploreResult['status']): ScenarioVerdict {
  if (expect !== 'safe' && expect !== 'unsafe') {
    throw new UtraceUsageError('bad-option', `verdictOf(expect, status): expect must be 'safe' or 'unsafe'; got ${typeof expect === 'string' ? JSON.stringify(expect) : typeof expect}`);
  }
  if (status !== 'failed' && status !== 'exhausted' && status !== 'limit') {
    throw new UtraceUsageError('bad-option', `verdictOf(expect, status): status must be 'failed', 'exhausted' or 'limit' (ExploreResult.status); got ${typeof status === 'string' ? JSON.stringify(status) : typeof status}`);
  }
  if (status === 'limit') return 'undecided';
  const found = status === 'failed';
  return found === (expect === 'unsafe') ? 'met' : 'contradicted';
}

/**
 * Explores `scenario`: searches its schedules with tracing off (fast), and, when a run
 * fails, shortens the failing schedule (unless `shorten` is false or the strategy is
 * `replay`) and runs the result once more with tracing on, so the counterexample comes with
 * its trace for a timeline.
 *
 * @returns the search result, the counterexample (when a run failed) and the verdict.
 * @throws whatever the search throws: a `ScenarioBuildError` when the scenario's `build`
 * fails, a `ScheduleDivergedError` when a replayed schedule does not fit the scenario, an
 * `Error` when the traced run of a failing schedule does not fail the same way (the
 * simulation would then not be deterministic).
 * @example
 * ```ts
 * import { runScenario, renderTimelineText, type Scenario } from 'utrace/explore';
 * declare const scenario: Scenario; // made with defineScenario
 *
 * const report = await runScenario(scenario, { strategy: { kind: 'dfs', bound: 2 } });
 * console.log(report.result.status, report.verdict); // e.g. failed met
 * if (report.counterexample) {
 *   console.log(report.counterexample.schedule);
 *   console.log(renderTimelineText(report.counterexample.outcome));
 * }
 * ```
 * @public
 * @category Explorer
 */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioReport> {
  if (!isScenario(scenario)) {
    throw new UtraceUsageError('scenario', 'runScenario(scenario, options): pass a scenario made by defineScenario');
  }
  if (typeof options === 'object' && options !== null) {
    options = readFields(
      options,
      ['strategy', 'maxExecutions', 'maxSeconds', 'shorten', 'shortenBudget', 'onProgress', 'progressIntervalMs', 'signal'],
      'runScenario',
      'bad-option',
    ) as RunScenarioOptions;
  }
  if (typeof options !== 'object' || options === null || typeof options.strategy !== 'object' || options.strategy === null) {
    throw new UtraceUsageError('bad-option', `runScenario(scenario, options): options must be an object with a strategy, such as { strategy: { kind: 'dfs', bound: 2 } }`);
  }
  // The stateful search keys states by what each thread was told, which the trace carries.
  const stateful = 'kind' in options.strategy ? options.strategy.kind === 'stateful' : options.strategy.name === 'stateful';
  const execute = scenarioExecute(scenario, { trace: stateful });
  const result = await explore(execute, {
    strategy: options.strategy,
    ...(options.maxExecutions === undefined ? {} : { maxExecutions: options.maxExecutions }),
    ...(options.maxSeconds === undefined ? {} : { maxSeconds: options.maxSeconds }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.progressIntervalMs === undefined ? {} : { progressIntervalMs: options.progressIntervalMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const verdict = verdictOf(scenario.expect, result.status);
  if (result.status !== 'failed') return { scenario, result, counterexample: undefined, verdict };

  const failure = result.outcome.failure!;
  let shortened: ShortenResult | undefined;
  let schedule = result.schedule;
  const replaying = 'kind' in options.strategy ? options.strategy.kind === 'replay' : options.strategy.name === 'replay';
  if (options.shorten !== false && !replaying) {
    // The shortening shares the search's time limit: what the search left of it, or at least a
    // tenth of it, so that a failure found at the very end still gets a few candidates.
    const maxSeconds = options.maxSeconds === undefined ? undefined : Math.max(options.maxSeconds - result.elapsedMs / 1000, options.maxSeconds / 10);
    shortened = await shorten(stateful ? scenarioExecute(scenario) : execute, result.outcome.schedule, failure.check, {
      ...(options.shortenBudget === undefined ? {} : { budget: options.shortenBudget }),
      ...(maxSeconds === undefined ? {} : { maxSeconds }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    schedule = shortened.schedule;
  }
  const outcome = await replayTraced(scenario, schedule);
  const expected = shortened?.outcome.failure ?? failure;
  const got = outcome.failure;
  if (got === undefined || got.check !== expected.check || got.step !== expected.step) {
    throw new Error(
      `runScenario: scenario ${scenario.name}: the traced replay of ${schedule} ended with ` +
        `${got === undefined ? 'no failure' : `${got.check} at step ${got.step}`}, not ${expected.check} at step ` +
        `${expected.step}: the simulation does not behave the same with the trace on`,
    );
  }
  return {
    scenario,
    result,
    counterexample: { outcome, schedule, preemptions: outcome.preemptions, steps: outcome.schedule.length, shortened },
    verdict,
  };
}

/** Runs `schedule` once more with the trace on, exactly. */
async function replayTraced(scenario: Scenario, schedule: string): Promise<ExecutionOutcome> {
  const scheduler = new ReplayScheduler(decodeSchedule(schedule));
  const outcome = await scenarioExecute(scenario, { trace: true })(scheduler);
  scheduler.assertFinished();
  if (encodeSchedule(outcome.schedule) !== schedule) {
    throw new Error(`runScenario: the traced replay of ${schedule} took another schedule`);
  }
  return outcome;
}
