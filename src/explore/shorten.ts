/**
 * Counterexample shortening: from a failing schedule, search for one with fewer preemptions
 * and fewer steps that still breaks the same rule, so the timeline a reader studies is small.
 *
 * Candidates are made by editing the schedule (cutting it off at a preemption, letting the
 * preempted thread go on, swapping two runs, deleting runs or single steps) and run with a
 * {@link GuidedScheduler}, which follows a candidate where it can and otherwise picks without
 * preempting. A candidate is kept when its run fails with the same check and is smaller:
 * fewer preemptions, or as many preemptions and fewer steps. The search starts over from each
 * kept candidate until no edit helps or the budget of runs is spent.
 *
 * @packageDocumentation
 */
import { describeArg, isArray, isInstance, readFields } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import type { CheckName, Execute, ExecutionOutcome } from '../sched/execution.js';
import { encodeSchedule } from '../sched/schedule-string.js';
import type { Scheduler, SchedulingPoint } from '../sched/scheduler.js';

/**
 * Follows a candidate schedule as far as it is valid: at step `i` it picks `candidate[i]` when
 * that thread is runnable; otherwise (or once the candidate has run out) it continues the
 * previous thread if that can run, else the lowest runnable id. The fallback never preempts.
 * One instance serves one run.
 * @public
 * @category Explorer
 */
export class GuidedScheduler implements Scheduler {
  readonly #candidate: readonly number[];
  #deviations = 0;
  #preemptions = 0;
  readonly #preemptionSteps: number[] = [];

  /**
   * Makes a scheduler that follows `candidate` where it can.
   * @param candidate - the schedule to follow where it can (copied).
   */
  constructor(candidate: readonly number[]) {
    const copy = threadIds(candidate);
    if (copy === undefined) {
      throw new UtraceUsageError('bad-option', `GuidedScheduler: candidate must be an array of thread ids (non-negative integers); got ${isArray(candidate) ? 'an array holding something else' : describeArg(candidate)}`);
    }
    this.#candidate = copy;
  }

  /** Steps at which the candidate was not followed (its thread could not run, or it had run out). */
  get deviations(): number {
    return this.#deviations;
  }

  /** Preemptions taken so far in this run. */
  get preemptions(): number {
    return this.#preemptions;
  }

  /** The steps at which a preemption was taken, ascending. */
  get preemptionSteps(): readonly number[] {
    return this.#preemptionSteps;
  }

  /** Picks the candidate's thread if runnable, else continues the previous thread, else the lowest id. */
  pick(point: SchedulingPoint): number {
    const runnable = point.runnable;
    const previous = point.previous;
    const wanted = this.#candidate[point.step];
    let previousRunnable = false;
    let wantedRunnable = false;
    for (let i = 0; i < runnable.length; i++) {
      const id = runnable[i]!;
      if (id === previous) previousRunnable = true;
      if (id === wanted) wantedRunnable = true;
    }
    let chosen: number;
    if (wantedRunnable) {
      chosen = wanted!;
    } else {
      this.#deviations++;
      chosen = previousRunnable ? previous : runnable[0]!;
    }
    if (previousRunnable && chosen !== previous) {
      this.#preemptions++;
      this.#preemptionSteps.push(point.step);
    }
    return chosen;
  }
}

/** A copy of `value` when it is an array of thread ids (non-negative integers), else `undefined`. */
function threadIds(value: unknown): number[] | undefined {
  if (!isArray(value)) return undefined;
  try {
    const copy = Array.from(value);
    return copy.every((t: unknown) => typeof t === 'number' && Number.isInteger(t) && t >= 0) ? (copy as number[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Options of {@link shorten}.
 * @public
 * @category Explorer
 */
export interface ShortenOptions {
  /** Most runs the search may make, the first (checking the given schedule) included; default 2000. */
  readonly budget?: number;
  /**
   * Most steps the search may spend in all, counting the steps of every run and of every
   * candidate it builds; default {@link DEFAULT_SHORTEN_STEP_BUDGET}. This keeps the cost of
   * shortening a long run near linear in its length: a run of a million steps is not run 2000
   * times. The first run always happens, whatever its length.
   */
  readonly stepBudget?: number;
  /** Stop looking for a smaller schedule after this many seconds (a positive number); default no limit. */
  readonly maxSeconds?: number;
  /** Stop looking for a smaller schedule once aborted. */
  readonly signal?: AbortSignal;
}

/**
 * The result of {@link shorten}.
 * @public
 * @category Explorer
 */
export interface ShortenResult {
  /** The failing run of the smallest schedule found (the given one if nothing smaller fails). */
  readonly outcome: ExecutionOutcome;
  /** Its schedule as a schedule string. */
  readonly schedule: string;
  /** Its number of preemptions. */
  readonly preemptions: number;
  /** Its number of steps. */
  readonly steps: number;
  /** Preemptions and steps of the run of the given schedule. */
  readonly original: {
    /** Preemptions of the schedule given. */
    readonly preemptions: number;
    /** Steps of the schedule given. */
    readonly steps: number;
  };
  /** Runs made by the search. */
  readonly executions: number;
  /** Steps spent by the search: those of every run, plus those of the candidates built. */
  readonly stepsSpent: number;
  /** Milliseconds the search took. */
  readonly elapsedMs: number;
  /** `true` when no edit of the result helped; `false` when a limit stopped the search first. */
  readonly fixedPoint: boolean;
  /**
   * What ended the search: `'fixed-point'` (no edit helped), `'budget'` (the run budget),
   * `'steps'` (the step budget), `'time'` (`maxSeconds`) or `'aborted'` (the signal).
   */
  readonly stoppedBy: 'fixed-point' | 'budget' | 'steps' | 'time' | 'aborted';
}

/**
 * Default budget of runs for {@link shorten}.
 * @public
 * @category Explorer
 */
export const DEFAULT_SHORTEN_BUDGET = 2000;

/**
 * Default budget of steps for {@link shorten}: the steps of all its runs and candidates.
 * @public
 * @category Explorer
 */
export const DEFAULT_SHORTEN_STEP_BUDGET = 4_000_000;

interface Candidate {
  readonly outcome: ExecutionOutcome;
  readonly schedule: readonly number[];
  readonly preemptions: number;
  readonly preemptionSteps: readonly number[];
}

/**
 * Searches for a smaller schedule that still fails with `check`, starting from `schedule`.
 *
 * First runs `schedule` itself (with a {@link GuidedScheduler}); throws an `Error` if that run
 * does not fail with `check`. Then tries edits of the best schedule so far, keeping a run when
 * it fails with `check` and has fewer preemptions, or as many preemptions and fewer steps.
 * Stops at a fixed point, or when `budget` runs have been made, `stepBudget` steps spent,
 * `maxSeconds` passed or `signal` aborted (checked between runs); returns the best run found
 * and what the search cost. Deterministic when no time limit or signal stops it: the same
 * inputs give the same result.
 *
 * A `step-limit` failure always has the run's full length, so only fewer preemptions can make
 * one smaller: without preemptions it is returned at once, and steps are never deleted from it
 * one at a time.
 *
 * @example
 * ```ts
 * import { explore, shorten, scenarioExecute, type Scenario } from 'utrace/explore';
 * declare const scenario: Scenario; // e.g. one of the package's examples
 * const execute = scenarioExecute(scenario);
 * const result = await explore(execute, { strategy: { kind: 'dfs', bound: 2 } });
 * if (result.status === 'failed') {
 *   const small = await shorten(execute, result.outcome.schedule, result.outcome.failure!.check, { maxSeconds: 10 });
 *   console.log(`${small.preemptions} preemptions, ${small.steps} steps: ${small.schedule}`);
 *   console.log(`${small.executions} runs, ${Math.round(small.elapsedMs)} ms (${small.stoppedBy})`);
 * }
 * ```
 * @public
 * @category Explorer
 */
export async function shorten(
  execute: Execute,
  schedule: readonly number[],
  check: CheckName,
  options: ShortenOptions = {},
): Promise<ShortenResult> {
  if (typeof execute !== 'function') {
    throw new UtraceUsageError('bad-option', `shorten: execute must be a function (scheduler) => Promise<ExecutionOutcome>, such as scenarioExecute(scenario); got ${execute === null ? 'null' : typeof execute}`);
  }
  const given = threadIds(schedule);
  if (given === undefined) {
    throw new UtraceUsageError('bad-option', 'shorten: schedule must be the failing run\'s schedule, an array of thread ids (ExecutionOutcome.schedule)');
  }
  schedule = given;
  if (typeof options !== 'object' || options === null) {
    throw new UtraceUsageError('bad-option', `shorten: options must be an object such as { budget: 500 }, or left out; got ${options === null ? 'null' : typeof options}`);
  }
  options = readFields(options, ['budget', 'stepBudget', 'maxSeconds', 'signal'], 'shorten', 'bad-option') as ShortenOptions;
  const budget = options.budget ?? DEFAULT_SHORTEN_BUDGET;
  if (!Number.isInteger(budget) || budget < 1) {
    throw new UtraceUsageError('bad-option', `shorten: budget must be a positive integer, got ${describeArg(budget)}`);
  }
  const stepBudget = options.stepBudget ?? DEFAULT_SHORTEN_STEP_BUDGET;
  if (!Number.isInteger(stepBudget) || stepBudget < 1) {
    throw new UtraceUsageError('bad-option', `shorten: stepBudget must be a positive integer, got ${describeArg(stepBudget)}`);
  }
  const maxSeconds = options.maxSeconds ?? Infinity;
  if (typeof maxSeconds !== 'number' || !(maxSeconds > 0)) {
    throw new UtraceUsageError('bad-option', `shorten: maxSeconds must be a positive number, got ${describeArg(maxSeconds)}`);
  }
  const signal = options.signal;
  if (signal !== undefined && !isInstance(signal, AbortSignal)) {
    throw new UtraceUsageError('bad-option', 'shorten: signal must be an AbortSignal, or left out');
  }
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  let executions = 0;
  let stepsSpent = 0;
  const seen = new Set<string>();

  const run = async (candidate: readonly number[]): Promise<Candidate> => {
    const scheduler = new GuidedScheduler(candidate);
    const outcome = await execute(scheduler);
    executions++;
    stepsSpent += outcome.schedule.length;
    return {
      outcome,
      schedule: outcome.schedule,
      preemptions: scheduler.preemptions,
      preemptionSteps: scheduler.preemptionSteps,
    };
  };

  seen.add(encodeSchedule(schedule));
  let best = await run(schedule);
  if (best.outcome.status !== 'failed' || best.outcome.failure?.check !== check) {
    const got = best.outcome.failure === undefined ? 'no failure' : `a '${best.outcome.failure.check}' failure`;
    throw new Error(`shorten: the given schedule does not fail with '${check}' when run (got ${got})`);
  }
  seen.add(encodeSchedule(best.schedule));
  const original = { preemptions: best.preemptions, steps: best.schedule.length };
  // A step-limit failure is as long as the run may be: only fewer preemptions make it smaller.
  const lengthFixed = check === 'step-limit' || check === 'livelock';

  let stoppedBy: ShortenResult['stoppedBy'] = 'fixed-point';
  search: for (;;) {
    if (lengthFixed && best.preemptions === 0) break;
    for (const candidate of edits(best, !lengthFixed)) {
      // Building and keying a candidate costs its length, so it counts against the step budget.
      stepsSpent += candidate.length;
      const key = encodeSchedule(candidate);
      if (seen.has(key)) continue;
      if (executions >= budget) {
        stoppedBy = 'budget';
        break search;
      }
      if (stepsSpent + best.schedule.length > stepBudget) {
        stoppedBy = 'steps';
        break search;
      }
      if (signal?.aborted === true) {
        stoppedBy = 'aborted';
        break search;
      }
      if (performance.now() >= deadline) {
        stoppedBy = 'time';
        break search;
      }
      seen.add(key);
      const tried = await run(candidate);
      const failure = tried.outcome.failure;
      if (tried.outcome.status === 'failed' && failure?.check === check && smaller(tried, best)) {
        best = tried;
        seen.add(encodeSchedule(best.schedule));
        continue search;
      }
    }
    break;
  }

  return {
    outcome: best.outcome,
    schedule: encodeSchedule(best.schedule),
    preemptions: best.preemptions,
    steps: best.schedule.length,
    original,
    executions,
    stepsSpent,
    elapsedMs: performance.now() - start,
    fixedPoint: stoppedBy === 'fixed-point',
    stoppedBy,
  };
}

function smaller(a: Candidate, b: Candidate): boolean {
  return a.preemptions < b.preemptions || (a.preemptions === b.preemptions && a.schedule.length < b.schedule.length);
}

/**
 * The edits of a schedule, most promising first. Deleting one step of a run of equal entries
 * gives the same schedule wherever in the run it is deleted, so one deletion per run is made:
 * the number of candidates grows with the number of runs, not of steps.
 */
function* edits(best: Candidate, deleteSteps: boolean): Generator<readonly number[]> {
  const s = best.schedule;
  const preemptions = best.preemptionSteps;
  // Cut the schedule off at a preemption: the guided fallback runs on without preempting.
  for (const p of preemptions) yield s.slice(0, p);
  // Let the preempted thread take the step instead.
  for (const p of preemptions) {
    const copy = s.slice();
    copy[p] = s[p - 1]!;
    yield copy;
  }
  // Run the preempted thread's next run before the preempting run(s).
  for (const p of preemptions) {
    const preempted = s[p - 1]!;
    let m = p;
    while (m < s.length && s[m] !== preempted) m++;
    if (m === s.length) continue;
    let k = m;
    while (k < s.length && s[k] === preempted) k++;
    yield [...s.slice(0, p), ...s.slice(m, k), ...s.slice(p, m), ...s.slice(k)];
  }
  // Swap the preempting run with the run after it.
  for (const p of preemptions) {
    const j = runEnd(s, p);
    if (j === s.length) continue;
    const k = runEnd(s, j);
    yield [...s.slice(0, p), ...s.slice(j, k), ...s.slice(p, j), ...s.slice(k)];
  }
  // Delete whole runs, then single steps.
  for (let a = 0; a < s.length; ) {
    const b = runEnd(s, a);
    yield [...s.slice(0, a), ...s.slice(b)];
    a = b;
  }
  if (!deleteSteps) return;
  for (let a = 0; a < s.length; ) {
    const b = runEnd(s, a);
    if (b - a > 1) yield [...s.slice(0, a), ...s.slice(a + 1)];
    a = b;
  }
}

/** End (exclusive) of the run of equal entries starting at `i`. */
function runEnd(s: readonly number[], i: number): number {
  let j = i + 1;
  while (j < s.length && s[j] === s[i]) j++;
  return j;
}
