/**
 * The exploration loop: run a simulation under one schedule after another until a run breaks
 * a rule, the strategy runs out of schedules, or a limit is reached.
 *
 * @packageDocumentation
 */
import { describeArg, isArray, readFields } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import type { Execute, ExecutionOutcome } from '../sched/execution.js';
import type { Scheduler, SchedulingPoint } from '../sched/scheduler.js';
import { encodeSchedule } from '../sched/schedule-string.js';
import { PrunedRun, StatefulStrategy, type StateCounts } from './stateful.js';
import { makeStrategy } from './strategy.js';
import type { Strategy, StrategyOptions } from './strategy.js';

/**
 * How far an exploration has got, as passed to {@link ExploreOptions.onProgress}.
 * @public
 * @category Explorer
 */
export interface ExploreProgress {
  /** Runs completed so far. */
  readonly executions: number;
  /** Milliseconds since the exploration started. */
  readonly elapsedMs: number;
  /** Runs per second so far. */
  readonly perSecond: number;
}

/**
 * Options of {@link explore}.
 * @public
 * @category Explorer
 */
export interface ExploreOptions {
  /** The strategy, as options for {@link makeStrategy} or as a strategy object (used up by the call). */
  readonly strategy: StrategyOptions | Strategy;
  /** Stop after this many runs; a positive integer or `Infinity` (the default). */
  readonly maxExecutions?: number;
  /** Stop once this many seconds have passed; a positive number or `Infinity` (the default). */
  readonly maxSeconds?: number;
  /** Called with the progress at most once per `progressIntervalMs`, never after `explore` settles. */
  readonly onProgress?: (progress: ExploreProgress) => void;
  /** Least time between two `onProgress` calls, in milliseconds; default 200. */
  readonly progressIntervalMs?: number;
  /** Stops the exploration, with status `'limit'` and limit `'aborted'`, once aborted. */
  readonly signal?: AbortSignal;
}

/**
 * What every {@link ExploreResult} reports.
 * @public
 * @category Explorer
 */
export interface ExploreSummary {
  /** Runs made, including a failing one. */
  readonly executions: number;
  /** Milliseconds the exploration took. */
  readonly elapsedMs: number;
  /** The strategy used, in words. */
  readonly strategy: string;
  /**
   * For a stateful search ({@link StatefulStrategy}): distinct states, transitions, runs, and
   * the steps left untried when a limit stopped it. Absent for other strategies.
   */
  readonly states?: StateCounts;
}

/**
 * A run broke a rule.
 * @public
 * @category Explorer
 */
export interface ExploreFailed extends ExploreSummary {
  /** Discriminant. */
  readonly status: 'failed';
  /** The failing run. */
  readonly outcome: ExecutionOutcome;
  /** Its schedule as a schedule string: replaying it reproduces the failure. */
  readonly schedule: string;
  /** Index of the failing run, from 0. */
  readonly execution: number;
}

/**
 * The strategy ran out of schedules without a failure: for `dfs`, every schedule within the
 * preemption bound was run; for `stateful`, every interleaving was covered (every state
 * reachable was reached and every step out of it taken: proven over all interleavings); for
 * `replay`, the one schedule ran. Random and PCT never exhaust.
 * @public
 * @category Explorer
 */
export interface ExploreExhausted extends ExploreSummary {
  /** Discriminant. */
  readonly status: 'exhausted';
}

/**
 * A limit stopped the exploration before a failure was found or the strategy ran out.
 * @public
 * @category Explorer
 */
export interface ExploreLimited extends ExploreSummary {
  /** Discriminant. */
  readonly status: 'limit';
  /**
   * Which limit: `maxExecutions`, `maxSeconds`, the abort signal, or (for a stateful search)
   * its cap on distinct states.
   */
  readonly limit: 'executions' | 'time' | 'aborted' | 'states';
}

/**
 * The result of {@link explore}, told apart by `status`.
 * @public
 * @category Explorer
 */
export type ExploreResult = ExploreFailed | ExploreExhausted | ExploreLimited;

const DEFAULT_PROGRESS_INTERVAL_MS = 200;

/**
 * Runs `execute` under the schedulers of a strategy, one run after another, and stops at the
 * first run whose status is `'failed'` (status `'failed'`), when the strategy has nothing more
 * to run (`'exhausted'`), or when `maxExecutions`, `maxSeconds` or the abort signal says so
 * (`'limit'`). The limits are checked between runs, never during one.
 *
 * The same strategy options run the same sequence of schedules against a deterministic
 * simulation, so a result is reproducible. Errors thrown by `execute` or by the strategy (a
 * diverged replay, a nondeterministic scenario) reject the returned promise. After each run
 * the search checks that `execute` kept its contract: it returned an outcome whose schedule is
 * exactly the choices the scheduler it was given made; otherwise the promise rejects with a
 * `UtraceUsageError` (rule `'execute-contract'`), never with a result the runs did not earn. The loop lets the event loop turn at
 * every progress interval, so timers and signal handlers keep working during a long run.
 *
 * @example
 * ```ts
 * import { sys } from 'utrace';
 * import { explore, scenarioExecute, defineScenario } from 'utrace/explore';
 * const idle = defineScenario({
 *   name: 'idle', description: 'one task, no tracer', expect: 'safe',
 *   build: (kernel) => void kernel.spawn('idle', [sys(0)]),
 * });
 * const result = await explore(scenarioExecute(idle), {
 *   strategy: { kind: 'dfs', bound: 2 },
 *   maxSeconds: 60,
 *   onProgress: (p) => process.stderr.write(`\r${p.executions} runs, ${Math.round(p.perSecond)}/s`),
 * });
 * if (result.status === 'failed') {
 *   console.log(`${result.outcome.failure?.check} after ${result.executions} runs; replay with ${result.schedule}`);
 * }
 * ```
 * @public
 * @category Explorer
 */
export async function explore(execute: Execute, options: ExploreOptions): Promise<ExploreResult> {
  if (typeof execute !== 'function') {
    throw new UtraceUsageError('bad-option', `explore: execute must be a function (scheduler) => Promise<ExecutionOutcome>, such as scenarioExecute(scenario); got ${execute === null ? 'null' : typeof execute}`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new UtraceUsageError('bad-option', `explore: options must be an object with a strategy, such as { strategy: { kind: 'dfs', bound: 2 } }; got ${options === null ? 'null' : typeof options}`);
  }
  options = readFields(options, ['strategy', 'maxExecutions', 'maxSeconds', 'onProgress', 'progressIntervalMs', 'signal'], 'explore', 'bad-option') as ExploreOptions;
  if (typeof options.strategy !== 'object' || options.strategy === null) {
    throw new UtraceUsageError('bad-option', `explore: options.strategy must be a strategy or its options, such as { kind: 'dfs', bound: 2 }; got ${options.strategy === null ? 'null' : typeof options.strategy}`);
  }
  const maxExecutions = options.maxExecutions ?? Infinity;
  if (maxExecutions !== Infinity && (!Number.isInteger(maxExecutions) || maxExecutions < 1)) {
    throw new UtraceUsageError('bad-option', `explore: maxExecutions must be a positive integer or Infinity, got ${describeArg(maxExecutions)}`);
  }
  const maxSeconds = options.maxSeconds ?? Infinity;
  if (typeof maxSeconds !== 'number' || !(maxSeconds > 0)) {
    throw new UtraceUsageError('bad-option', `explore: maxSeconds must be a positive number, got ${describeArg(maxSeconds)}`);
  }
  const interval = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  if (typeof interval !== 'number' || !(interval >= 0)) {
    throw new UtraceUsageError('bad-option', `explore: progressIntervalMs must be a non-negative number, got ${describeArg(interval)}`);
  }
  const strategy = isStrategy(options.strategy) ? options.strategy : makeStrategy(options.strategy);
  // A stateful search stops a run at a state it has seen before; this loop catches that.
  if (strategy instanceof StatefulStrategy) strategy.abortRuns = true;
  const { onProgress, signal } = options;
  const maxMs = maxSeconds * 1000;
  const start = performance.now();
  let lastTurn = start;
  let executions = 0;

  const summary = (now: number): ExploreSummary => ({
    executions,
    elapsedMs: now - start,
    strategy: strategy.description,
    ...(strategy instanceof StatefulStrategy ? { states: strategy.counts } : {}),
  });

  for (;;) {
    if (executions >= maxExecutions) return { status: 'limit', limit: 'executions', ...summary(performance.now()) };
    if (signal?.aborted === true) return { status: 'limit', limit: 'aborted', ...summary(performance.now()) };
    const scheduler = strategy.next();
    if (scheduler === undefined) {
      if (strategy instanceof StatefulStrategy && strategy.stateCapHit) return { status: 'limit', limit: 'states', ...summary(performance.now()) };
      return { status: 'exhausted', ...summary(performance.now()) };
    }
    const followed = new FollowedScheduler(scheduler);
    let outcome: unknown;
    try {
      outcome = await execute(followed);
    } catch (e) {
      if (!(e instanceof PrunedRun)) throw e;
      // Stopped by the stateful search where it had been before: a passing prefix.
      outcome = prunedOutcome(followed);
    }
    checkFollowed(outcome, followed, executions);
    strategy.complete(outcome);
    executions++;
    const now = performance.now();
    if (outcome.status === 'failed') {
      return {
        status: 'failed',
        outcome,
        schedule: encodeSchedule(outcome.schedule),
        execution: executions - 1,
        ...summary(now),
      };
    }
    if (now - start >= maxMs) return { status: 'limit', limit: 'time', ...summary(now) };
    if (now - lastTurn >= interval) {
      lastTurn = now;
      if (onProgress !== undefined) {
        const elapsedMs = now - start;
        onProgress({ executions, elapsedMs, perSecond: elapsedMs > 0 ? (executions * 1000) / elapsedMs : 0 });
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * Passes every pick on to the strategy's scheduler and remembers the choices it returned, so
 * the search can check that the run followed them.
 */
class FollowedScheduler implements Scheduler {
  picks = new Int32Array(256);
  length = 0;

  constructor(readonly inner: Scheduler) {}

  pick(point: SchedulingPoint): number {
    const chosen = this.inner.pick(point);
    if (this.length === this.picks.length) {
      const grown = new Int32Array(this.picks.length * 2);
      grown.set(this.picks);
      this.picks = grown;
    }
    this.picks[this.length++] = chosen;
    return chosen;
  }
}

/** The outcome of a run the stateful search stopped: the steps taken, no failure. */
function prunedOutcome(followed: FollowedScheduler): ExecutionOutcome {
  return {
    status: 'ok',
    failure: undefined,
    schedule: Array.from(followed.picks.subarray(0, followed.length)),
    preemptions: 0,
    trace: [],
    threads: [],
  };
}

/**
 * Checks that `outcome` is an execution outcome whose schedule is exactly the choices the
 * strategy's scheduler made: a search that counted a run which ignored its scheduler (or made
 * up its outcome) would claim schedules it never ran, and report `'exhausted'`, the proof of
 * safety, unearned.
 */
function checkFollowed(outcome: unknown, followed: FollowedScheduler, run: number): asserts outcome is ExecutionOutcome {
  const fail = (what: string): never => {
    throw new UtraceUsageError(
      'execute-contract',
      `explore: run ${run + 1}: ${what}; execute must run the simulation under the scheduler it is given and return that run's outcome (as scenarioExecute does), or the search would claim schedules it never ran`,
    );
  };
  if (typeof outcome !== 'object' || outcome === null) fail(`execute returned ${outcome === null ? 'null' : typeof outcome}, not an ExecutionOutcome`);
  const o = outcome as Partial<ExecutionOutcome>;
  if (o.status !== 'ok' && o.status !== 'failed') fail(`the outcome's status is ${typeof o.status === 'string' ? JSON.stringify(o.status) : typeof o.status}, not 'ok' or 'failed'`);
  if (o.status === 'failed' && (typeof o.failure !== 'object' || o.failure === null)) fail(`the outcome failed but carries no failure`);
  const schedule = o.schedule;
  if (!isArray(schedule)) fail(`the outcome's schedule is ${typeof schedule}, not an array of thread ids`);
  const picks = followed.picks;
  const n = followed.length;
  if (schedule!.length !== n) {
    fail(`the outcome's schedule has ${schedule!.length} steps, but the scheduler was asked ${n} times`);
  }
  for (let i = 0; i < n; i++) {
    if (schedule![i] !== picks[i]) fail(`step ${i} of the outcome's schedule is ${String(schedule![i])}, but the scheduler chose ${picks[i]}`);
  }
}

function isStrategy(value: StrategyOptions | Strategy): value is Strategy {
  return typeof readFields(value, ['next'], 'explore', 'bad-option', 'options.strategy').next === 'function';
}
