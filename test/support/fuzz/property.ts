/**
 * The fuzzing property and its runner, shared by `test/fuzz-model.test.ts` (a fixed budget
 * in `npm test`) and `fuzz/long.ts` (`npm run fuzz`).
 *
 * A failure is reported with the fast-check seed and path that replay it (already shrunk),
 * the shrunk scenario, what broke, the schedule string of the failing run and the end of its
 * trace. Replay: `UTRACE_FUZZ_SEED=<seed> UTRACE_FUZZ_PATH=<path> npm run fuzz` (or `npm test`).
 */
import fc from 'fast-check';
import { formatFailure, runScenario, type RunStats } from './harness.js';
import { scenarioArb, type Scenario } from './scenario.js';
import { explore } from '../../../src/explore/explore.js';
import { shorten } from '../../../src/explore/shorten.js';
import type { StrategyOptions } from '../../../src/explore/strategy.js';
import type { ExecutionOutcome } from '../../../src/sched/execution.js';
import type { Scheduler } from '../../../src/sched/scheduler.js';
import { encodeSchedule } from '../../../src/sched/schedule-string.js';

/** Totals over a fuzzing session. */
export interface FuzzTotals {
  sequences: number;
  steps: number;
  calls: number;
  callbacks: number;
  eligible: number;
  inProgressChecks: number;
  /** `call_rcu` callbacks queued and checked. */
  rcuCallbacks: number;
  /** Callbacks that returned an illegal value or threw; runs whose oops named the predicted one. */
  hostileCallbacks: number;
  oopses: number;
  /** Calls through revoked handles, uses of an RCU-kept pointer after enabling events, predicted refcount underflows. */
  staleUses: number;
  rule7Uses: number;
  underflows: number;
  /** Module unloads where module code after unload was predicted, and reported. */
  unloadsAfter: number;
  /** Module unloads in the safe order, with no module code after them. */
  unloadsClean: number;
  /** Attaches that returned the predicted -ENOMEM; API calls from callbacks; predicted might_sleep ends. */
  enomem: number;
  callbackCalls: number;
  mightSleeps: number;
  /** Blocking calls given an RCU-kept pointer (rule 1); -ERESTARTSYS after another tracer's signal. */
  rule1Uses: number;
  interruptsOther: number;
  /** Runs through `explore` by strategy, predicted deadlocks among them, failing runs shortened. */
  exploreRandom: number;
  explorePct: number;
  exploreDfs: number;
  deadlocks: number;
  shortened: number;
}

/** Options of {@link fuzz}. */
export interface FuzzOptions {
  readonly numRuns: number;
  /** fast-check seed; default: `UTRACE_FUZZ_SEED`, else `defaultSeed`, else random. */
  readonly seed?: number;
  /** Replay path printed by a failure; default `UTRACE_FUZZ_PATH`. */
  readonly path?: string;
  /** Called after each sequence (for progress output). */
  readonly onSequence?: (totals: FuzzTotals) => void;
}

/** Thrown when the property fails; the message is fast-check's report plus the replay hint. */
export class FuzzFailure extends Error {
  constructor(
    message: string,
    readonly seed: number,
    readonly path: string | undefined,
  ) {
    super(message);
    this.name = 'FuzzFailure';
  }
}

/** Runs one scenario and throws a readable error when anything broke. */
export async function checkScenario(sc: Scenario, throughExplore: false | 'random' | 'deep' = false, onExplore?: (c: ExploreCounts) => void): Promise<RunStats> {
  const result = await runScenario(sc);
  if (result.problems.length === 0) {
    if (throughExplore !== false) onExplore?.(await checkThroughExplore(sc, result.outcome!, throughExplore === 'deep'));
    return result.stats;
  }
  // Same scenario, same seed: the same run, now with the kernel's trace kept for the report.
  const traced = await runScenario(sc, { trace: true });
  throw new Error(formatFailure(sc, traced.problems.length > 0 ? traced : result));
}

/** What {@link checkThroughExplore} ran and checked. */
export interface ExploreCounts {
  /** Runs of each strategy, every one checked against the model. */
  readonly random: number;
  readonly pct: number;
  readonly dfs: number;
  /** Runs that ended in the deadlock the model predicted (a task left stopped after the tracers returned). */
  readonly deadlocks: number;
  /** Failing runs shortened, the shortened schedule still failing the same check and replaying from its string. */
  readonly shortened: number;
  /** Of those, how many got strictly smaller (fewer preemptions, or as many and fewer steps). */
  readonly smaller: number;
}

/**
 * The same scenario run through the explorer, as a user's search would: three runs each of
 * the `random`, `pct` and `dfs` strategies, every one checked against the model (PCT and dfs
 * are not fair: a tracer's polling loop may keep the CPU until the tracers return while a task
 * is alive, which then stops for ever; the model predicts that deadlock). A failing run the
 * model predicted is shortened, and the shortened schedule must still fail with the same check
 * and fail it again when its printed schedule string is replayed. Finally the scenario's own
 * run is replayed from its schedule string with the `replay` strategy and must end the same.
 */
export async function checkThroughExplore(sc: Scenario, outcome: ExecutionOutcome, deep = true): Promise<ExploreCounts> {
  const counts = { random: 0, pct: 0, dfs: 0, deadlocks: 0, shortened: 0, smaller: 0 };
  let counting: 'random' | 'pct' | 'dfs' | undefined;
  const execute = async (scheduler: Scheduler): Promise<ExecutionOutcome> => {
    const r = await runScenario(sc, { scheduler });
    if (r.problems.length > 0) throw new Error(`through explore (${scheduler.constructor.name}): ${r.problems.join('; ')}`);
    if (counting !== undefined) {
      counts[counting]++;
      if (r.stats.deadlock !== undefined) counts.deadlocks++;
    }
    return r.outcome!;
  };
  const strategies: readonly StrategyOptions[] = deep
    ? [
        { kind: 'random', seed: sc.seed },
        { kind: 'pct', seed: sc.seed, depth: 3 },
        { kind: 'dfs', bound: 1 },
      ]
    : [{ kind: 'random', seed: sc.seed }];
  // A scenario that unloads its module without waiting, puts a reference twice, whose callbacks
  // misbehave or block, or whose tracers leave a task to stop after they returned, fails a kernel
  // check on purpose; `execute` has already checked that the model predicted that failure.
  const predicted = new Set(['module-code-after-unload', 'oops', 'refcount-underflow', 'might_sleep', 'deadlock']);
  let shortenedOne = false;
  for (const strategy of strategies) {
    counting = strategy.kind as 'random' | 'pct' | 'dfs';
    const r = await explore(execute, { strategy, maxExecutions: strategy.kind === 'random' ? 3 : 2 });
    counting = undefined;
    if (r.status !== 'failed') continue;
    const check = r.outcome.failure?.check;
    if (check === undefined || !predicted.has(check)) {
      throw new Error(`through explore (${r.strategy}): the run failed with ${check}: ${r.outcome.failure?.message}`);
    }
    if (shortenedOne || !deep) continue;
    shortenedOne = true;
    // Every candidate run of the shortening is checked against the model too (execute).
    const small = await shorten(execute, r.outcome.schedule, check, { budget: 12, maxSeconds: 3 });
    if (small.outcome.failure?.check !== check) throw new Error(`through explore: shortening a '${check}' failure gave a run that fails ${small.outcome.failure?.check}`);
    const again = await explore(execute, { strategy: { kind: 'replay', schedule: small.schedule } });
    if (again.status !== 'failed' || again.outcome.failure?.check !== check) {
      throw new Error(`through explore: the shortened schedule ${small.schedule} of a '${check}' failure did not fail it again when replayed (${again.status})`);
    }
    counts.shortened++;
    if (small.preemptions < small.original.preemptions || (small.preemptions === small.original.preemptions && small.steps < small.original.steps)) counts.smaller++;
  }
  const schedule = encodeSchedule(outcome.schedule);
  const replay = await explore(execute, { strategy: { kind: 'replay', schedule } });
  if (outcome.status !== 'ok') {
    if (replay.status !== 'failed' || replay.outcome.failure?.check !== outcome.failure?.check) {
      throw new Error(`through explore: the replay of ${schedule} did not fail the '${outcome.failure?.check}' check again (${replay.status})`);
    }
    return counts;
  }
  if (replay.status === 'failed') throw new Error(`through explore: the replay of ${schedule} failed`);
  if (replay.status !== 'exhausted' || replay.executions !== 1) throw new Error(`through explore: the replay of ${schedule} ended ${replay.status}`);
  return counts;
}

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got ${v}`);
  return n;
}

/**
 * Runs the property `numRuns` times (or replays `path`), returning the totals; throws
 * {@link FuzzFailure} with the shrunk counterexample on failure.
 */
export async function fuzz(options: FuzzOptions): Promise<FuzzTotals> {
  const totals: FuzzTotals = { sequences: 0, steps: 0, calls: 0, callbacks: 0, eligible: 0, inProgressChecks: 0, rcuCallbacks: 0, hostileCallbacks: 0, oopses: 0, staleUses: 0, rule7Uses: 0, underflows: 0, unloadsAfter: 0, unloadsClean: 0, enomem: 0, callbackCalls: 0, mightSleeps: 0, rule1Uses: 0, interruptsOther: 0, exploreRandom: 0, explorePct: 0, exploreDfs: 0, deadlocks: 0, shortened: 0 };
  const seed = envInt('UTRACE_FUZZ_SEED') ?? options.seed ?? (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  const path = process.env['UTRACE_FUZZ_PATH'] || options.path;
  // Runs after the first failure are fast-check shrinking it: not counted.
  let shrinking = false;
  const property = fc.asyncProperty(scenarioArb, async (sc) => {
    let stats: RunStats;
    try {
      // One sequence in ten is also run through the explorer (random, replay), one in fifty
      // also with PCT and dfs, and its first predicted failure shortened and replayed.
      stats = await checkScenario(sc, totals.sequences % 50 === 0 ? 'deep' : totals.sequences % 10 === 0 ? 'random' : false, (c) => {
        if (shrinking) return;
        totals.exploreRandom += c.random;
        totals.explorePct += c.pct;
        totals.exploreDfs += c.dfs;
        totals.deadlocks += c.deadlocks;
        totals.shortened += c.shortened;
      });
    } catch (e) {
      shrinking = true;
      throw e;
    }
    if (!shrinking) {
      totals.sequences++;
      totals.steps += stats.steps;
      totals.calls += stats.calls;
      totals.callbacks += stats.callbacks;
      totals.eligible += stats.eligible;
      totals.inProgressChecks += stats.inProgressChecks;
      totals.rcuCallbacks += stats.rcuCallbacks;
      totals.hostileCallbacks += stats.hostileCallbacks;
      totals.staleUses += stats.staleUses;
      totals.rule7Uses += stats.rule7Uses;
      if (stats.underflow === true) totals.underflows++;
      if (stats.oops !== undefined) totals.oopses++;
      if (stats.unload === 'after-unload') totals.unloadsAfter++;
      if (stats.unload === 'clean') totals.unloadsClean++;
      totals.enomem += stats.enomem;
      totals.callbackCalls += stats.callbackCalls;
      if (stats.mightSleep === true) totals.mightSleeps++;
      totals.rule1Uses += stats.rule1Uses;
      totals.interruptsOther += stats.interruptsOther;
      if (stats.deadlock !== undefined) totals.deadlocks++;
      options.onSequence?.(totals);
    }
  });
  const details = await fc.check(property, {
    numRuns: options.numRuns,
    seed,
    ...(path !== undefined ? { path, endOnFailure: true } : {}),
  } as fc.Parameters<[Scenario]>);
  if (details.failed) {
    let report = fc.defaultReportMessage(details) ?? 'property failed';
    const error = details.errorInstance;
    const what = error instanceof Error ? error.message : String(error);
    if (!report.includes(what)) report += `\nGot error: ${what}`;
    const env = `UTRACE_FUZZ_SEED=${details.seed} UTRACE_FUZZ_PATH="${details.counterexamplePath ?? ''}"`;
    const replay = `Replay (runs the shrunk counterexample only): ${env} npm run fuzz   (or: ${env} npm test)`;
    throw new FuzzFailure(`${report}\n${replay}`, details.seed, details.counterexamplePath ?? undefined);
  }
  return totals;
}
