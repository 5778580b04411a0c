/**
 * The messages between the explorer's main thread and its worker threads, and the layout of
 * the shared memory through which a worker streams the schedule of its current run.
 *
 * @packageDocumentation
 */
import type { ExecutionOutcome } from '../sched/execution.js';
import type { StrategyOptions } from './strategy.js';

/**
 * Where a worker finds the scenario: the module's URL, the export (default `default`), and,
 * when that export holds several scenarios (an array, an object of them, or a module without
 * a default export), the scenario's name.
 * @internal
 */
export interface ScenarioLocator {
  readonly module: string;
  readonly export?: string | undefined;
  readonly name?: string | undefined;
}

/**
 * A piece of a search for one worker.
 *
 * - `strategy`: a whole search with a strategy (replay, or any strategy in one worker).
 * - `dfs`: the runs of the dfs subtree below `prefix` (choice numbers); with `branchLimit`,
 *   only the first run of every subtree below that many branching steps, to list them.
 * - `seeds`: runs `from` to `to - 1` of a random or pct search (run `i` takes the `i`-th seed
 *   drawn from `seed`).
 * @internal
 */
export type WorkerJob =
  | { readonly kind: 'strategy'; readonly strategy: StrategyOptions; readonly maxExecutions: number }
  | { readonly kind: 'dfs'; readonly bound: number; readonly prefix: readonly number[]; readonly branchLimit?: number }
  | {
      readonly kind: 'seeds';
      readonly strategy: 'random' | 'pct';
      readonly seed: number;
      readonly depth: number;
      readonly expectedSteps: number;
      readonly from: number;
      readonly to: number;
    };

/**
 * What a worker answers to a job: the runs it made, the first failing one (its index among
 * the job's runs), and for a `dfs` job with a `branchLimit`, the subtrees' prefixes.
 * @internal
 */
export type WorkerAnswer =
  | {
      readonly kind: 'done';
      readonly executions: number;
      readonly failure: { readonly index: number; readonly outcome: ExecutionOutcome } | undefined;
      readonly subtrees?: readonly (readonly number[])[];
      /** Length of the longest run (the pct probe uses it). */
      readonly longest: number;
      /** The job was cancelled between two runs. */
      readonly cancelled: boolean;
    }
  | { readonly kind: 'error'; readonly message: string; readonly name: string };

/** Slot of the shared memory: runs started (bumped before each run). */
export const SLOT_RUNS = 0;
/** Slot: steps the current run has taken. */
export const SLOT_STEPS = 1;
/** Slot: set by the main thread to ask the worker to stop between two runs. */
export const SLOT_CANCEL = 2;
/** First slot of the current run's schedule: one slot per step, the thread id, plus {@link PREEMPTED} when the step preempted. */
export const SLOT_SCHEDULE = 4;
/** Flag of a step that preempted a thread that could have run on. */
export const PREEMPTED = 1 << 30;
/**
 * Steps of a run the shared memory keeps (4 MiB per worker): a runaway run's schedule is cut
 * there, and then says so.
 * @internal
 */
export const STREAMED_STEPS = 1 << 20;
