/**
 * Searching in worker threads: every run of the simulation happens in a `worker_threads`
 * worker watched by the main thread, so a run that never ends (a callback that spins, a tracer
 * that loops on microtasks) is stopped after its time budget and reported as a `runaway`
 * failure with the schedule it took; and one search can be split across several workers, or
 * across machines (shards), with the same result as in one.
 *
 * @packageDocumentation
 */
import { Worker } from 'node:worker_threads';
import { describeArg, readFields } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import type { ExecutionOutcome } from '../sched/execution.js';
import { encodeSchedule } from '../sched/schedule-string.js';
import type { ExploreResult } from './explore.js';
import { DEFAULT_DFS_ORDER } from './dfs.js';
import { DEFAULT_DFS_BOUND } from './strategies/dfs.js';
import { DEFAULT_PCT_DEPTH, DEFAULT_PCT_EXPECTED_STEPS } from './strategies/pct.js';
import { makeStrategy, type StrategyOptions } from './strategy.js';
import {
  PREEMPTED, SLOT_CANCEL, SLOT_RUNS, SLOT_SCHEDULE, SLOT_STEPS, STREAMED_STEPS, type ScenarioLocator, type WorkerAnswer, type WorkerJob,
} from './worker-protocol.js';

/**
 * Time budget of one run in a worker when none is given, in milliseconds.
 * @public
 * @category Explorer
 */
export const DEFAULT_RUN_BUDGET_MS = 10_000;

/**
 * Branching steps at which a dfs search is cut into subtrees for workers and shards. Fixed, so
 * that every shard of a search cuts it the same way.
 * @internal
 */
export const SPLIT_BRANCHES = 4;

/** Runs of a random or pct search per unit of work. */
const SEED_BLOCK = 64;

/**
 * One shard of a search: `index` from 1 to `count`.
 * @public
 * @category Explorer
 */
export interface ShardIndex {
  /** Which shard, from 1. */
  readonly index: number;
  /** How many shards the search is split into. */
  readonly count: number;
}

/**
 * The first failure a shard found.
 * @public
 * @category Explorer
 */
export interface ShardFailure {
  /** The unit of work (dfs subtree, block of runs) it is in. */
  readonly unit: number;
  /** The failing run's index among the runs of its unit. */
  readonly index: number;
  /** The failing run. */
  readonly outcome: ExecutionOutcome;
}

/**
 * Options of {@link exploreInWorkers}.
 * @public
 * @category Explorer
 */
export interface WorkerExploreOptions {
  /** URL (or absolute file path) of the ES module that exports the scenario; workers import it. */
  readonly module: string | URL;
  /** The export holding the scenario (default `default`): a scenario, or an array or object of scenarios. */
  readonly export?: string;
  /** The scenario's name, when the export holds several. */
  readonly scenario?: string;
  /**
   * The search: `dfs` (deepest-first order only), `random` and `pct` are split across
   * workers; `replay` and any other strategy run whole in one worker.
   */
  readonly strategy: StrategyOptions;
  /** Worker threads to run at once (default 1). */
  readonly workers?: number;
  /** Most milliseconds one run may take before it is stopped as a `runaway` (default {@link DEFAULT_RUN_BUDGET_MS}). */
  readonly budgetMs?: number;
  /** Search only shard `index` (from 1) of `count`; see {@link mergeShards}. */
  readonly shard?: ShardIndex;
  /**
   * Runs of a random or pct search (default no limit; required for a shard of one); a dfs
   * search checks it between its subtrees, so it may run a few more.
   */
  readonly maxExecutions?: number;
  /** Stop once this many seconds have passed (default no limit). */
  readonly maxSeconds?: number;
  /** Stops the search, with a `'limit'` result, once aborted. */
  readonly signal?: AbortSignal;
}

/**
 * What one shard of a search found, JSON-safe: {@link mergeShards} combines the shards of a
 * search into its result.
 * @public
 * @category Explorer
 */
export interface ShardResult {
  /** Format of this record. */
  readonly format: 'utrace-shard-1';
  /** The strategy's options. */
  readonly strategy: StrategyOptions;
  /** The strategy in words. */
  readonly description: string;
  /** This shard, from 1, and the number of shards. */
  readonly shard: ShardIndex;
  /** Units of work of the whole search (dfs subtrees, or blocks of runs), known to every shard. */
  readonly units: number;
  /** Runs of the search's `maxExecutions`, or `null` for none. */
  readonly maxExecutions: number | null;
  /** Every unit this shard finished, with its runs, as `[unit, runs]`. */
  readonly done: readonly (readonly [number, number])[];
  /** The first failure this shard found, in its unit, as the run's index in the unit. */
  readonly failure: ShardFailure | null;
  /** Why the shard stopped early, if a limit stopped it. */
  readonly limit: 'executions' | 'time' | 'aborted' | null;
  /** Milliseconds the shard took. */
  readonly elapsedMs: number;
}

/** A job's end: the worker's answer, or a run stopped by the watchdog. */
type JobEnd = Extract<WorkerAnswer, { kind: 'done' }> | { kind: 'runaway'; executions: number; outcome: ExecutionOutcome };

/**
 * A fixed set of worker threads, each loading the scenario once and then running job after
 * job, watched by a timer: a run that takes longer than the budget gets its worker terminated
 * and replaced, and becomes a `runaway` failure with the schedule streamed so far.
 * @internal
 */
export class WorkerPool {
  readonly #slots: { worker: Worker | undefined; shared: Int32Array; busy: boolean }[] = [];
  readonly #waiting: (() => void)[] = [];
  readonly #url = new URL('./worker-thread.js', import.meta.url);

  constructor(
    size: number,
    readonly locator: ScenarioLocator,
    readonly budgetMs: number,
  ) {
    for (let i = 0; i < size; i++) {
      this.#slots.push({ worker: undefined, shared: new Int32Array(new SharedArrayBuffer(4 * (SLOT_SCHEDULE + STREAMED_STEPS))), busy: false });
    }
  }

  /** Asks every busy worker to stop its job between two runs. */
  cancel(): void {
    for (const slot of this.#slots) if (slot.busy) Atomics.store(slot.shared, SLOT_CANCEL, 1);
  }

  /** Runs a job on the first free worker; `onStart` gets a function that cancels it alone. */
  async run(job: WorkerJob, onStart?: (cancel: () => void) => void): Promise<JobEnd> {
    let slot = this.#slots.find((s) => !s.busy);
    while (slot === undefined) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
      slot = this.#slots.find((s) => !s.busy);
    }
    slot.busy = true;
    try {
      const s = slot;
      onStart?.(() => Atomics.store(s.shared, SLOT_CANCEL, 1));
      return await this.#run(s, job);
    } finally {
      slot.busy = false;
      this.#waiting.shift()?.();
    }
  }

  async #run(slot: { worker: Worker | undefined; shared: Int32Array }, job: WorkerJob): Promise<JobEnd> {
    const shared = slot.shared;
    Atomics.store(shared, SLOT_CANCEL, 0);
    slot.worker ??= new Worker(this.#url, { workerData: { locator: this.locator, memory: shared.buffer } });
    const worker = slot.worker;
    const startRuns = Atomics.load(shared, SLOT_RUNS);
    return await new Promise<JobEnd>((resolve, reject) => {
      let lastRuns = startRuns;
      let lastChange = performance.now();
      const tick = Math.max(5, Math.min(100, this.budgetMs / 4));
      const finish = (): void => {
        clearInterval(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const timer = setInterval(() => {
        const runs = Atomics.load(shared, SLOT_RUNS);
        const now = performance.now();
        if (runs !== lastRuns) {
          lastRuns = runs;
          lastChange = now;
          return;
        }
        if (runs === startRuns || now - lastChange <= this.budgetMs) return;
        finish();
        const outcome = runawayOutcome(shared, this.budgetMs);
        slot.worker = undefined;
        void worker.terminate();
        resolve({ kind: 'runaway', executions: runs - startRuns, outcome });
      }, tick);
      const onMessage = (answer: WorkerAnswer): void => {
        finish();
        if (answer.kind === 'error') {
          const error = new Error(`in a worker: ${answer.message}`);
          error.name = answer.name;
          reject(error);
        } else {
          resolve(answer);
        }
      };
      const onError = (e: unknown): void => {
        finish();
        slot.worker = undefined;
        reject(e instanceof Error ? e : new Error(String(e)));
      };
      const onExit = (code: number): void => {
        finish();
        slot.worker = undefined;
        reject(new Error(`an explorer worker exited (code ${code}) before answering`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(job);
    });
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    await Promise.all(this.#slots.map(async (slot) => {
      const worker = slot.worker;
      slot.worker = undefined;
      if (worker !== undefined) await worker.terminate();
    }));
  }
}

/** The failed outcome of a run the watchdog stopped, from the schedule it streamed. */
function runawayOutcome(shared: Int32Array, budgetMs: number): ExecutionOutcome {
  const steps = Atomics.load(shared, SLOT_STEPS);
  const kept = Math.min(steps, STREAMED_STEPS);
  const schedule: number[] = [];
  const preemptionSteps: number[] = [];
  for (let i = 0; i < kept; i++) {
    const slot = shared[SLOT_SCHEDULE + i]!;
    schedule.push(slot & ~PREEMPTED);
    if ((slot & PREEMPTED) !== 0) preemptionSteps.push(i);
  }
  const thread = schedule.length === 0 ? -1 : schedule[schedule.length - 1]!;
  return {
    status: 'failed',
    failure: {
      check: 'runaway',
      message:
        `the run did not end within its budget of ${budgetMs} ms: ` +
        (thread === -1 ? 'the scenario hung before its first step' : `thread ${thread} never gave control back in step ${schedule.length - 1}`) +
        ' (a callback that loops forever, or a tracer that keeps queueing microtasks, never yields); the worker running it was terminated' +
        (steps > kept ? `; only the first ${kept} of its ${steps} steps were kept` : ''),
      step: Math.max(0, schedule.length - 1),
      thread,
      related: [],
    },
    schedule,
    preemptions: preemptionSteps.length,
    preemptionSteps,
    trace: [],
    threads: [],
  };
}

/** Checks the options and returns them read once, with defaults. */
function readOptions(options: WorkerExploreOptions): {
  locator: ScenarioLocator;
  strategy: StrategyOptions;
  workers: number;
  budgetMs: number;
  shard: { index: number; count: number };
  maxExecutions: number;
  maxSeconds: number;
  signal: AbortSignal | undefined;
} {
  const bad = (what: string): never => {
    throw new UtraceUsageError('bad-option', `exploreInWorkers: ${what}`);
  };
  if (typeof options !== 'object' || options === null) bad(`options must be an object such as { module: new URL('./scenario.js', import.meta.url), strategy: { kind: 'dfs' } }; got ${describeArg(options)}`);
  const o = readFields(options, ['module', 'export', 'scenario', 'strategy', 'workers', 'budgetMs', 'shard', 'maxExecutions', 'maxSeconds', 'signal'], 'exploreInWorkers', 'bad-option');
  const module = o.module instanceof URL ? o.module.href : typeof o.module === 'string' && o.module !== '' ? (o.module.startsWith('/') ? new URL(`file://${o.module}`).href : o.module) : bad(`module must be the URL of the module exporting the scenario; got ${describeArg(o.module)}`);
  if (o.export !== undefined && typeof o.export !== 'string') bad(`export must be a string; got ${describeArg(o.export)}`);
  if (o.scenario !== undefined && typeof o.scenario !== 'string') bad(`scenario must be a scenario's name; got ${describeArg(o.scenario)}`);
  const strategy = o.strategy as StrategyOptions;
  makeStrategy(strategy);
  const workers = (o.workers ?? 1) as number;
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) bad(`workers must be an integer from 1 to 256; got ${describeArg(workers)}`);
  const budgetMs = (o.budgetMs ?? DEFAULT_RUN_BUDGET_MS) as number;
  if (typeof budgetMs !== 'number' || !(budgetMs > 0) || !Number.isFinite(budgetMs)) bad(`budgetMs must be a positive number of milliseconds; got ${describeArg(budgetMs)}`);
  const shard = (o.shard ?? { index: 1, count: 1 }) as { index: number; count: number };
  if (typeof shard !== 'object' || shard === null || !Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index) || shard.index < 1 || shard.index > shard.count) {
    bad(`shard must be { index, count } with 1 <= index <= count; got ${describeArg(shard)}`);
  }
  const maxExecutions = (o.maxExecutions ?? Infinity) as number;
  if (maxExecutions !== Infinity && (!Number.isInteger(maxExecutions) || maxExecutions < 1)) bad(`maxExecutions must be a positive integer; got ${describeArg(maxExecutions)}`);
  const maxSeconds = (o.maxSeconds ?? Infinity) as number;
  if (typeof maxSeconds !== 'number' || !(maxSeconds > 0)) bad(`maxSeconds must be a positive number; got ${describeArg(maxSeconds)}`);
  if (strategy.kind === 'dfs' && (strategy.order ?? DEFAULT_DFS_ORDER) !== 'deepest-first') {
    bad(`a dfs search in workers runs in the deepest-first order (its first failure is then the same as in one thread); drop order: 'earliest-first'`);
  }
  if ((strategy.kind === 'random' || strategy.kind === 'pct') && shard.count > 1 && maxExecutions === Infinity) {
    bad(`a shard of a ${strategy.kind} search needs maxExecutions, so that the shards split a known set of runs`);
  }
  return {
    locator: { module, export: o.export as string | undefined, name: o.scenario as string | undefined },
    strategy,
    workers,
    budgetMs,
    shard,
    maxExecutions,
    maxSeconds,
    signal: o.signal as AbortSignal | undefined,
  };
}

/**
 * Searches a scenario with every run in a worker thread: the scenario is loaded by each
 * worker from its module (`module`, `export`, `scenario`), and a run that takes longer than
 * `budgetMs` is stopped and reported as a failure with check `'runaway'` and the schedule it
 * took so far; replaying that schedule in workers stops again the same way. A search in the
 * main thread ({@link explore}, {@link runScenario}) cannot do that: no timer can interrupt
 * synchronous code on the thread it runs on, so a spin there hangs the process.
 *
 * With `workers` above 1 the search is split: `dfs` (deepest-first) by schedule prefix into
 * subtrees, `random` and `pct` by run index into blocks of seeds; the result is the same as
 * with one worker: the same status, the same executions for a search that ends (exhausted, a
 * failure), and the same first failure, the first in the order one worker runs them. `pct`
 * without `expectedSteps` fixes it to the length of its first run for every run (in one
 * thread it grows with the longest run seen), so that runs do not depend on which worker made
 * which. A `shard` searches only its part of the split; {@link shardResult} and
 * {@link mergeShards} turn the shards' results into the whole search's.
 *
 * @returns the search's result, as {@link explore} would give it; with a shard, only that
 * shard's units are searched and the result covers them alone (use {@link shardResult}).
 * @throws `UtraceUsageError` (rule `'bad-option'`) on a bad option; an `Error` when a worker
 * cannot load the scenario or a run throws.
 * @example
 * ```ts
 * import { exploreInWorkers } from 'utrace/explore';
 * const result = await exploreInWorkers({
 *   module: new URL('./my-scenario.js', import.meta.url),
 *   strategy: { kind: 'dfs', bound: 2 },
 *   workers: 2,
 *   budgetMs: 2000,
 * });
 * if (result.status === 'failed') console.log(result.outcome.failure?.check, result.schedule);
 * ```
 * @public
 * @category Explorer
 */
export async function exploreInWorkers(options: WorkerExploreOptions): Promise<ExploreResult> {
  return toResult(await searchInWorkers(options));
}

/**
 * Searches one shard of a search in workers (see {@link exploreInWorkers}) and returns what it
 * found as JSON-safe data, for {@link mergeShards}.
 * @example
 * ```ts
 * import { shardResult, mergeShards } from 'utrace/explore';
 * const module = new URL('./my-scenario.js', import.meta.url);
 * const shards = await Promise.all([1, 2, 3].map((index) =>
 *   shardResult({ module, strategy: { kind: 'dfs' }, shard: { index, count: 3 } })));
 * console.log(mergeShards(shards).status);
 * ```
 * @public
 * @category Explorer
 */
export async function shardResult(options: WorkerExploreOptions): Promise<ShardResult> {
  return await searchInWorkers(options);
}

async function searchInWorkers(options: WorkerExploreOptions): Promise<ShardResult> {
  const o = readOptions(options);
  const start = performance.now();
  const description = makeStrategy(o.strategy).description;
  const pool = new WorkerPool(o.workers, o.locator, o.budgetMs);
  const base = {
    format: 'utrace-shard-1' as const,
    strategy: o.strategy,
    description,
    shard: o.shard,
    maxExecutions: o.maxExecutions === Infinity ? null : o.maxExecutions,
  };
  const deadline = start + o.maxSeconds * 1000;
  let limit: 'executions' | 'time' | 'aborted' | null = null;
  const stopped = (): boolean => {
    if (limit !== null) return true;
    if (o.signal?.aborted === true) limit = 'aborted';
    else if (performance.now() >= deadline) limit = 'time';
    return limit !== null;
  };
  const timer = setInterval(() => {
    if (stopped()) pool.cancel();
  }, 50);
  try {
    const kind = o.strategy.kind;
    if (kind !== 'dfs' && kind !== 'random' && kind !== 'pct') {
      // Replay, and any strategy that cannot be split: the whole search in one worker.
      const end = await pool.run({ kind: 'strategy', strategy: o.strategy, maxExecutions: o.maxExecutions });
      const done: [number, number][] = [[0, end.executions]];
      const failure = end.kind === 'runaway' ? { unit: 0, index: end.executions - 1, outcome: end.outcome } : end.failure === undefined ? null : { unit: 0, ...end.failure };
      return { ...base, units: 1, done, failure, limit: null, elapsedMs: performance.now() - start };
    }
    // The units of work, each a job.
    let units: number;
    let jobOf: (unit: number) => WorkerJob;
    if (kind === 'dfs') {
      const bound = o.strategy.bound ?? DEFAULT_DFS_BOUND;
      const list = await pool.run({ kind: 'dfs', bound, prefix: [], branchLimit: SPLIT_BRANCHES });
      if (list.kind === 'runaway') {
        return { ...base, units: 1, done: [], failure: { unit: 0, index: 0, outcome: list.outcome }, limit: null, elapsedMs: performance.now() - start };
      }
      const subtrees = list.subtrees!;
      units = subtrees.length;
      jobOf = (unit) => ({ kind: 'dfs', bound, prefix: subtrees[unit]! });
    } else {
      const s = o.strategy;
      const depth = s.kind === 'pct' ? (s.depth ?? DEFAULT_PCT_DEPTH) : 0;
      let expectedSteps = s.kind === 'pct' ? (s.expectedSteps ?? 0) : 0;
      if (s.kind === 'pct' && expectedSteps === 0) {
        // The first run, as one thread makes it, fixes the run length every run assumes.
        const probe = await pool.run({ kind: 'seeds', strategy: 'pct', seed: s.seed, depth, expectedSteps: DEFAULT_PCT_EXPECTED_STEPS, from: 0, to: 1 });
        expectedSteps = Math.max(1, probe.kind === 'runaway' ? probe.outcome.schedule.length : probe.longest);
      }
      const total = o.maxExecutions;
      units = total === Infinity ? Infinity : Math.ceil(total / SEED_BLOCK);
      jobOf = (unit) => ({
        kind: 'seeds',
        strategy: s.kind as 'random' | 'pct',
        seed: s.seed,
        depth,
        expectedSteps,
        from: unit * SEED_BLOCK,
        to: Math.min(total, (unit + 1) * SEED_BLOCK),
      });
    }
    // Dispatch this shard's units in order, at most `workers` at once; after a failure in unit
    // f, units after f are not started and those running are cancelled.
    const done: [number, number][] = [];
    let failure: ShardResult['failure'] = null;
    const cancels = new Map<number, () => void>();
    let nextUnit = o.shard.index - 1;
    let ran = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        // A dfs search checks maxExecutions between its subtrees (a random or pct one has exactly its runs).
        if (kind === 'dfs' && ran >= o.maxExecutions && limit === null) limit = 'executions';
        if (stopped()) return;
        const unit = nextUnit;
        if (unit >= units || (failure !== null && unit > failure.unit)) return;
        nextUnit += o.shard.count;
        const end = await pool.run(jobOf(unit), (cancel) => cancels.set(unit, cancel));
        cancels.delete(unit);
        if (end.kind === 'runaway' || end.failure !== undefined) {
          const found = end.kind === 'runaway' ? { unit, index: end.executions - 1, outcome: end.outcome } : { unit, ...end.failure! };
          if (failure === null || unit < failure.unit) {
            failure = found;
            for (const [u, cancel] of cancels) if (u > unit) cancel();
          }
        } else if (!end.cancelled) {
          done.push([unit, end.executions]);
          ran += end.executions;
        }
      }
    };
    await Promise.all(Array.from({ length: o.workers }, worker));
    done.sort((a, b) => a[0] - b[0]);
    return { ...base, units, done, failure, limit: failure === null ? limit : null, elapsedMs: performance.now() - start };
  } finally {
    clearInterval(timer);
    await pool.close();
  }
}

/**
 * Combines the results of the shards of one search into the search's result: the same as the
 * search made whole, in one worker (status, executions, first failure), when every shard ran
 * to its end. A failure of one shard is the result when no shard found an earlier one in the
 * search's order; a shard stopped by a limit makes the result a limit, unless a failure was
 * found before its unfinished units.
 * @throws `UtraceUsageError` (rule `'bad-option'`) when the results are not shards of one
 * search: other strategies, other shard counts, a shard missing or given twice.
 * @example
 * ```ts
 * import { mergeShards, type ShardResult } from 'utrace/explore';
 * import { readFileSync } from 'node:fs';
 * const shards = ['1.json', '2.json', '3.json'].map((f) => JSON.parse(readFileSync(f, 'utf8')) as ShardResult);
 * const result = mergeShards(shards);
 * console.log(result.status, result.executions);
 * ```
 * @public
 * @category Explorer
 */
export function mergeShards(shards: readonly ShardResult[]): ExploreResult {
  const bad = (what: string): never => {
    throw new UtraceUsageError('bad-option', `mergeShards: ${what}`);
  };
  if (!Array.isArray(shards) || shards.length === 0) bad('pass the results of every shard of one search, as an array');
  const first = shards[0]!;
  for (const s of shards) {
    if (typeof s !== 'object' || s === null || s.format !== 'utrace-shard-1') bad('a result is not a shard result (format utrace-shard-1)');
    if (JSON.stringify(s.strategy) !== JSON.stringify(first.strategy) || s.units !== first.units || s.maxExecutions !== first.maxExecutions || s.shard.count !== first.shard.count) {
      bad(`the shards are not of one search: ${s.description} shard ${s.shard.index}/${s.shard.count} against ${first.description} shard ${first.shard.index}/${first.shard.count}`);
    }
  }
  const indexes = shards.map((s) => s.shard.index).sort((a, b) => a - b);
  const expected = Array.from({ length: first.shard.count }, (_, i) => i + 1);
  if (JSON.stringify(indexes) !== JSON.stringify(expected)) bad(`shards ${expected.join(', ')} of ${first.shard.count} are needed, once each; got ${indexes.join(', ')}`);
  return toResult({
    ...first,
    shard: { index: 1, count: 1 },
    done: shards.flatMap((s) => s.done).sort((a, b) => a[0] - b[0]),
    failure: shards.map((s) => s.failure).filter((f) => f !== null).sort((a, b) => a.unit - b.unit)[0] ?? null,
    limit: shards.map((s) => s.limit).find((l) => l !== null) ?? null,
    elapsedMs: Math.max(...shards.map((s) => s.elapsedMs)),
  });
}

/** The search's result from the units done and the first failure (a whole search's, or one shard's). */
function toResult(r: ShardResult): ExploreResult {
  const runs = new Map(r.done);
  const summary = (executions: number) => ({ executions, elapsedMs: r.elapsedMs, strategy: r.description });
  if (r.failure !== null) {
    // Runs before the failure: every unit before its unit, then its own up to it.
    let before = 0;
    for (let u = 0; u < r.failure.unit; u++) before += runs.get(u) ?? 0;
    return {
      status: 'failed',
      outcome: r.failure.outcome,
      schedule: encodeSchedule(r.failure.outcome.schedule),
      execution: before + r.failure.index,
      ...summary(before + r.failure.index + 1),
    };
  }
  const executions = r.done.reduce((n, [, k]) => n + k, 0);
  if (r.limit !== null) return { status: 'limit', limit: r.limit, ...summary(executions) };
  if (r.strategy.kind === 'random' || r.strategy.kind === 'pct') return { status: 'limit', limit: 'executions', ...summary(executions) };
  return { status: 'exhausted', ...summary(executions) };
}
