/**
 * The explorer inside a test runner: one call that searches a scenario's schedules and throws
 * an `Error` a test runner shows in full (the schedule string, the failure and the timeline)
 * when the scenario does not behave as it is expected to.
 *
 * @packageDocumentation
 */
import { UtraceUsageError } from '../errors.js';
import { ScheduleDivergedError } from '../sched/replay.js';
import { isScenario, type Scenario } from '../scenario/scenario.js';
import { loadCheckpoint, loadFailure, saveCheckpoint, saveFailure } from './persist.js';
import { resumableStrategy, type ResumableStrategy } from './resume.js';
import { runScenario, type ScenarioReport } from './run-scenario.js';
import type { Strategy, StrategyOptions } from './strategy.js';
import { renderTimelineText } from './timeline-text.js';

/**
 * Options of {@link assertScenario}.
 * @public
 * @category Test runners
 */
export interface AssertScenarioOptions {
  /**
   * The search; default `{ kind: 'dfs', bound: 2 }`. Options as for `makeStrategy`, or a
   * strategy object ({@link prefixStrategy}, {@link resumableStrategy}), used up by the call.
   */
  readonly strategy?: StrategyOptions | Strategy;
  /** Stop the search after this many runs (default: no limit, `random` and `pct`: 10,000). */
  readonly maxExecutions?: number;
  /** Stop the search after this many seconds (default: no limit). */
  readonly maxSeconds?: number;
  /**
   * A JSON file of failing schedules, one per scenario name (shuttle's and loom's failure
   * persistence). A schedule saved there is replayed before any search: when it still fails,
   * that is the result, at once; when it no longer fails (or no longer fits the scenario), it
   * is forgotten and the search runs. A failing schedule the search finds is saved there.
   * Commit the file to keep the failures as regression tests.
   */
  readonly failureFile?: string;
  /**
   * A JSON file of search checkpoints, one per scenario name. The search (`dfs`
   * deepest-first or `random`, given as options) resumes from the checkpoint saved there,
   * saves its progress every few seconds and when a limit stops it, and forgets it once the
   * search ends. Long searches can so be split across test runs with `maxSeconds`.
   */
  readonly checkpointFile?: string;
  /**
   * What a search stopped by `maxExecutions` or `maxSeconds` means: `'pass'` (as fast-check's
   * `numRuns`: no failure found in the runs made) or `'fail'` (the scenario was not searched
   * through). Default `'pass'` for `random` and `pct`, which never end by themselves, and
   * `'fail'` for the others.
   */
  readonly onLimit?: 'pass' | 'fail';
  /** Width of the timeline in the error message, in characters; default 100. */
  readonly timelineWidth?: number;
}

/**
 * Thrown by {@link assertScenario} when a scenario does not behave as it is expected to. Its
 * message holds everything a test report needs: what went wrong, the schedule string that
 * replays the failure, and its timeline.
 * @public
 * @category Test runners
 */
export class ScenarioAssertionError extends Error {
  /** The search's report. */
  readonly report: ScenarioReport;
  /** The schedule string of the failing run, when a run failed. */
  readonly schedule: string | undefined;

  /**
   * Makes the error; {@link assertScenario} does.
   * @param message - the full message.
   * @param report - the report it was made from.
   */
  constructor(message: string, report: ScenarioReport) {
    super(message);
    this.name = 'ScenarioAssertionError';
    this.report = report;
    this.schedule = report.counterexample?.schedule;
  }
}

const RANDOM_RUNS = 10_000;
const CHECKPOINT_EVERY_MS = 2_000;

/**
 * Searches `scenario`'s schedules and returns the report when the scenario behaves as it
 * expects (`expect: 'safe'`: no run failed; `'unsafe'`: a run failed), for use in
 * `node:test`, vitest, jest or any runner that fails a test on a rejected promise.
 *
 * Otherwise it throws a {@link ScenarioAssertionError} whose message says what happened, gives
 * the schedule string that replays a failing run (shortened) with the code that replays it,
 * and shows the run's timeline; or, for an `'unsafe'` scenario searched through without a
 * failure, says so. A search stopped by a limit passes or throws as `onLimit` says.
 *
 * With `failureFile`, a failing schedule is saved and replayed first on the next call; with
 * `checkpointFile`, a long search carries on where the last call stopped.
 *
 * @returns the report of the search (or of the replayed saved failure).
 * @throws {@link ScenarioAssertionError} as above; `UtraceUsageError` for bad options or
 * an unreadable persistence file; whatever the scenario's set-up throws.
 * @example
 * ```ts
 * import { test } from 'node:test';
 * import { assertScenario, type Scenario } from 'utrace/explore';
 * declare const myScenario: Scenario; // made with defineScenario, expect: 'safe'
 *
 * test('my tracer tears down safely', async () => {
 *   await assertScenario(myScenario, { strategy: { kind: 'dfs', bound: 2 }, failureFile: 'test/utrace-failures.json' });
 * });
 * ```
 * @public
 * @category Test runners
 */
export async function assertScenario(scenario: Scenario, options: AssertScenarioOptions = {}): Promise<ScenarioReport> {
  if (!isScenario(scenario)) throw new UtraceUsageError('scenario', 'assertScenario(scenario, options): pass a scenario made by defineScenario');
  if (typeof options !== 'object' || options === null) {
    throw new UtraceUsageError('bad-option', `assertScenario(scenario, options): options must be an object, or left out; got ${options === null ? 'null' : typeof options}`);
  }
  for (const key of ['failureFile', 'checkpointFile'] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'string' || v.trim() === '')) throw new UtraceUsageError('bad-option', `assertScenario: options.${key} must be a file path; got ${typeof v}`);
  }
  if (options.onLimit !== undefined && options.onLimit !== 'pass' && options.onLimit !== 'fail') {
    throw new UtraceUsageError('bad-option', `assertScenario: options.onLimit must be 'pass' or 'fail'; got ${JSON.stringify(options.onLimit)}`);
  }
  const given = options.strategy ?? { kind: 'dfs', bound: 2 };
  if (typeof given !== 'object' || given === null) {
    throw new UtraceUsageError('bad-option', `assertScenario: options.strategy must be a strategy or its options, such as { kind: 'dfs', bound: 2 }; got ${given === null ? 'null' : typeof given}`);
  }
  const kind = 'kind' in given ? given.kind : given.name;
  const endless = kind === 'random' || kind === 'pct';
  const onLimit = options.onLimit ?? (endless ? 'pass' : 'fail');
  const maxExecutions = options.maxExecutions ?? (endless && options.maxSeconds === undefined ? RANDOM_RUNS : undefined);
  const limits = {
    ...(maxExecutions === undefined ? {} : { maxExecutions }),
    ...(options.maxSeconds === undefined ? {} : { maxSeconds: options.maxSeconds }),
  };
  const { failureFile, checkpointFile } = options;

  // 1. A failure saved by an earlier run is replayed first.
  let report: ScenarioReport | undefined;
  let note = '';
  if (failureFile !== undefined) {
    const saved = loadFailure(failureFile, scenario.name);
    if (saved !== undefined) {
      try {
        const replayed = await runScenario(scenario, { strategy: { kind: 'replay', schedule: saved.schedule } });
        if (replayed.result.status === 'failed') {
          report = replayed;
          note = `Replayed from ${failureFile}, where it was saved on ${saved.found}.`;
        } else {
          saveFailure(failureFile, scenario.name, undefined);
        }
      } catch (e) {
        if (!(e instanceof ScheduleDivergedError)) throw e;
        // The scenario changed: the saved schedule no longer fits it.
        saveFailure(failureFile, scenario.name, undefined);
      }
    }
  }

  // 2. The search, resumed from a checkpoint if asked.
  if (report === undefined) {
    let strategy: StrategyOptions | Strategy = given;
    let resumable: ResumableStrategy | undefined;
    if (checkpointFile !== undefined) {
      if (!('kind' in given)) throw new UtraceUsageError('bad-option', 'assertScenario: with checkpointFile, give the strategy as options ({ kind: ... }), not as an object');
      const saved = loadCheckpoint(checkpointFile, scenario.name);
      let checkpoint = saved?.checkpoint;
      try {
        resumable = resumableStrategy(given, checkpoint);
      } catch (e) {
        if (checkpoint === undefined || !(e instanceof UtraceUsageError)) throw e;
        // A checkpoint of other options: start afresh.
        checkpoint = undefined;
        resumable = resumableStrategy(given);
      }
      strategy = resumable;
    }
    let lastSave = Date.now();
    const save = (): void => {
      if (resumable !== undefined && checkpointFile !== undefined) {
        saveCheckpoint(checkpointFile, scenario.name, { strategy: resumable.description, checkpoint: resumable.checkpoint(), saved: new Date().toISOString() });
      }
    };
    report = await runScenario(scenario, {
      strategy,
      ...limits,
      ...(resumable === undefined
        ? {}
        : {
            onProgress: () => {
              if (Date.now() - lastSave >= CHECKPOINT_EVERY_MS) {
                lastSave = Date.now();
                save();
              }
            },
          }),
    });
    if (checkpointFile !== undefined) {
      if (report.result.status === 'limit') save();
      else saveCheckpoint(checkpointFile, scenario.name, undefined);
    }
    if (failureFile !== undefined && report.counterexample !== undefined) {
      const failure = report.counterexample.outcome.failure!;
      saveFailure(failureFile, scenario.name, { schedule: report.counterexample.schedule, check: failure.check, found: new Date().toISOString() });
      note = `Saved to ${failureFile}: the next call replays it first.`;
    }
  }

  // 3. The verdict.
  if (report.verdict === 'met') return report;
  if (report.verdict === 'undecided' && onLimit === 'pass') return report;
  throw new ScenarioAssertionError(assertionMessage(report, note, options.timelineWidth ?? 100, checkpointFile), report);
}

/** The message of a {@link ScenarioAssertionError}. */
function assertionMessage(report: ScenarioReport, note: string, width: number, checkpointFile: string | undefined): string {
  const { scenario, result, counterexample: cx } = report;
  const runs = `${result.executions} run${result.executions === 1 ? '' : 's'} of ${result.strategy}`;
  if (cx !== undefined) {
    const failure = cx.outcome.failure!;
    const lines = [
      `Scenario ${scenario.name} is expected to be ${scenario.expect}, but a run broke a rule: ${failure.check}.`,
      failure.message,
      '',
      `Schedule: ${cx.schedule}`,
      `Replay it: assertScenario(scenario, { strategy: { kind: 'replay', schedule: '${cx.schedule}' } })`,
      `       or: npx utrace-explore <scenario file>#${scenario.name} --replay ${cx.schedule}`,
      `Found after ${runs}${cx.shortened === undefined ? '' : `, shortened to ${cx.steps} steps and ${cx.preemptions} preemption${cx.preemptions === 1 ? '' : 's'}`}.`,
    ];
    if (note !== '') lines.push(note);
    lines.push('', renderTimelineText(cx.outcome, { width, title: `Timeline of ${scenario.name}:` }));
    return lines.join('\n');
  }
  if (result.status === 'exhausted') {
    return (
      `Scenario ${scenario.name} is expected to be unsafe, but no run failed: every schedule of ${result.strategy} ran clean (${runs}). ` +
      'Raise the preemption bound, or check that the scenario still sets the race up.'
    );
  }
  const limit = result.status === 'limit' ? (result.limit === 'executions' ? 'maxExecutions' : result.limit === 'time' ? 'maxSeconds' : 'an abort') : '';
  return (
    `Scenario ${scenario.name} (expected ${scenario.expect}) was not searched through: ${limit} stopped it after ${runs} with no failure. ` +
    (checkpointFile === undefined
      ? "Raise the limit, give a checkpointFile to carry on next time, or pass onLimit: 'pass' to accept a partial search."
      : `Its checkpoint is saved in ${checkpointFile}: the next call carries on from there (or pass onLimit: 'pass' to accept a partial search).`)
  );
}
