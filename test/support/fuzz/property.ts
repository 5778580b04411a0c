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
export async function checkScenario(sc: Scenario, throughExplore = false): Promise<RunStats> {
  const result = await runScenario(sc);
  if (result.problems.length === 0) {
    if (throughExplore) await checkThroughExplore(sc, result.outcome!);
    return result.stats;
  }
  // Same scenario, same seed: the same run, now with the kernel's trace kept for the report.
  const traced = await runScenario(sc, { trace: true });
  throw new Error(formatFailure(sc, traced.problems.length > 0 ? traced : result));
}

/**
 * The same scenario run through the explorer, as a user's search would: a few random runs,
 * every one checked against the model; then the scenario's own run
 * replayed from its schedule string with the `replay` strategy, which must give the same
 * outcome. A model violation in any of these runs fails the property.
 */
async function checkThroughExplore(sc: Scenario, outcome: ExecutionOutcome): Promise<void> {
  const execute = async (scheduler: Scheduler): Promise<ExecutionOutcome> => {
    const r = await runScenario(sc, { scheduler });
    if (r.problems.length > 0) throw new Error(`through explore (${scheduler.constructor.name}): ${r.problems.join("; ")}`);
    return r.outcome!;
  };
  // Only fair strategies: dfs (whose runs avoid preemptions) and PCT let a tracer polling with
  // schedule() (the drain) keep the CPU, so a task may stop after the tracer left and stay
  // stopped: a deadlock the correct tracer of these scenarios does not guard against.
  const strategies: readonly StrategyOptions[] = [{ kind: 'random', seed: sc.seed }];
  // A scenario that unloads its module without waiting, puts a reference twice, or whose callbacks misbehave, fails a
  // kernel check on purpose; `execute` has already checked that the model predicted that
  // failure for the run that failed.
  const predicted = new Set(['module-code-after-unload', 'oops', 'refcount-underflow', 'might_sleep']);
  for (const strategy of strategies) {
    const r = await explore(execute, { strategy, maxExecutions: 3 });
    if (r.status === 'failed' && !predicted.has(r.outcome.failure?.check ?? '')) {
      throw new Error(`through explore (${r.strategy}): the run failed with ${r.outcome.failure?.check}: ${r.outcome.failure?.message}`);
    }
  }
  const schedule = encodeSchedule(outcome.schedule);
  const replay = await explore(execute, { strategy: { kind: 'replay', schedule } });
  if (outcome.status !== 'ok') {
    if (replay.status !== 'failed' || replay.outcome.failure?.check !== outcome.failure?.check) {
      throw new Error(`through explore: the replay of ${schedule} did not fail the '${outcome.failure?.check}' check again (${replay.status})`);
    }
    return;
  }
  if (replay.status === 'failed') throw new Error(`through explore: the replay of ${schedule} failed`);
  if (replay.status !== 'exhausted' || replay.executions !== 1) throw new Error(`through explore: the replay of ${schedule} ended ${replay.status}`);
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
  const totals: FuzzTotals = { sequences: 0, steps: 0, calls: 0, callbacks: 0, eligible: 0, inProgressChecks: 0, rcuCallbacks: 0, hostileCallbacks: 0, oopses: 0, staleUses: 0, rule7Uses: 0, underflows: 0, unloadsAfter: 0, unloadsClean: 0 };
  const seed = envInt('UTRACE_FUZZ_SEED') ?? options.seed ?? (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  const path = process.env['UTRACE_FUZZ_PATH'] || options.path;
  // Runs after the first failure are fast-check shrinking it: not counted.
  let shrinking = false;
  const property = fc.asyncProperty(scenarioArb, async (sc) => {
    let stats: RunStats;
    try {
      // One sequence in ten is also run through the explorer (random, PCT, replay).
      stats = await checkScenario(sc, totals.sequences % 10 === 0);
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
