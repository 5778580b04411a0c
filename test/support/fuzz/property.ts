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

/** Totals over a fuzzing session. */
export interface FuzzTotals {
  sequences: number;
  steps: number;
  calls: number;
  callbacks: number;
  eligible: number;
  inProgressChecks: number;
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
export async function checkScenario(sc: Scenario): Promise<RunStats> {
  const result = await runScenario(sc);
  if (result.problems.length === 0) return result.stats;
  // Same scenario, same seed: the same run, now with the kernel's trace kept for the report.
  const traced = await runScenario(sc, { trace: true });
  throw new Error(formatFailure(sc, traced.problems.length > 0 ? traced : result));
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
  const totals: FuzzTotals = { sequences: 0, steps: 0, calls: 0, callbacks: 0, eligible: 0, inProgressChecks: 0 };
  const seed = envInt('UTRACE_FUZZ_SEED') ?? options.seed ?? (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  const path = process.env['UTRACE_FUZZ_PATH'] || options.path;
  // Runs after the first failure are fast-check shrinking it: not counted.
  let shrinking = false;
  const property = fc.asyncProperty(scenarioArb, async (sc) => {
    let stats: RunStats;
    try {
      stats = await checkScenario(sc);
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
