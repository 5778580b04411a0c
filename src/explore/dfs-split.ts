/**
 * The bounded depth-first search split into subtrees by schedule prefix, so that workers and
 * shards can search parts of one tree apart and their results add up to the whole search.
 *
 * Choices are numbered as `DfsStrategy` numbers them (the previous thread first, then the
 * other runnable threads in ascending id order; only the previous thread once the bound is
 * used up), and every search here runs its schedules in ascending lexicographic order of those
 * choice numbers, which is the order of a deepest-first `dfs`. The tree is cut at its first
 * `depth` branching steps (steps with more than one allowed choice): each schedule prefix up
 * to there is one subtree, the subtrees in lexicographic order of their prefixes partition the
 * schedules, and runs of subtree `i` come after every run of subtree `i - 1`. So the first
 * failure of the whole search is the first failure of the first subtree that has one, and its
 * run index is the runs of the subtrees before plus its index in its own subtree.
 *
 * @packageDocumentation
 */
import { UtraceUsageError } from '../errors.js';
import type { ExecutionOutcome } from '../sched/execution.js';
import type { Scheduler, SchedulingPoint } from '../sched/scheduler.js';

const NONDETERMINISM =
  'The simulation is not deterministic given its schedule: the same choices led somewhere else ' +
  '(a scenario must depend only on the kernel it is given and on the schedule)';

/**
 * A deepest-first search over the subtree below a prefix of choice numbers, backtracking only
 * at steps at or after the prefix, and, when `branchLimit` is finite, only at the first
 * `branchLimit` branching steps of a run (then each run is the first run of one subtree).
 * @internal
 */
export class LexicographicDfs {
  /** Choices allowed at each step of the last run. */
  #choices: number[] = [];
  /** Choice number taken at each step of the last run. */
  #chosen: number[] = [];
  /** Steps the next run replays from the trail; -1 before the first run. */
  #replay = -1;
  #preemptions = 0;
  #done = false;

  /**
   * @param bound - preemptions allowed per run.
   * @param prefix - the subtree's choice numbers for its first steps.
   * @param branchLimit - backtrack only at the first this many branching steps of a run.
   */
  constructor(
    readonly bound: number,
    readonly prefix: readonly number[],
    readonly branchLimit = Infinity,
  ) {}

  /** The scheduler of the next run, or `undefined` when the subtree is done. */
  next(): Scheduler | undefined {
    if (this.#done) return undefined;
    if (this.#replay === -1) {
      this.#chosen = [...this.prefix];
      this.#choices = [];
      this.#replay = this.prefix.length;
    }
    this.#preemptions = 0;
    return { pick: (point) => this.#pick(point) };
  }

  #pick(point: SchedulingPoint): number {
    const { step, runnable, previous } = point;
    const canStay = previous !== -1 && runnable.includes(previous);
    const count = canStay ? (this.#preemptions >= this.bound ? 1 : runnable.length) : runnable.length;
    let index: number;
    if (step < this.#replay) {
      index = this.#chosen[step]!;
      const known = this.#choices[step];
      if ((known !== undefined && known !== count) || index >= count) throw new UtraceUsageError('execute-contract', `dfs: step ${step}: ${NONDETERMINISM}`);
    } else {
      index = 0;
      this.#chosen[step] = 0;
    }
    this.#choices[step] = count;
    let thread: number;
    if (canStay) {
      if (index === 0) thread = previous;
      else {
        const others = runnable.filter((t) => t !== previous);
        thread = others[index - 1]!;
        this.#preemptions++;
      }
    } else {
      thread = runnable[index]!;
    }
    return thread;
  }

  /**
   * Takes the outcome of the run made with the last scheduler and picks where the next one
   * diverges. Returns the prefix of this run up to its `branchLimit`-th branching step (the
   * subtree it is the first run of), or the whole run when it has fewer.
   */
  complete(outcome: ExecutionOutcome): number[] {
    const length = outcome.schedule.length;
    if (length < this.prefix.length && outcome.failure === undefined) throw new UtraceUsageError('execute-contract', `dfs: the run ended inside its prefix: ${NONDETERMINISM}`);
    this.#choices.length = length;
    this.#chosen.length = length;
    let branches = 0;
    let cut = length;
    for (let s = 0; s < length; s++) {
      if (this.#choices[s]! > 1) {
        if (branches === this.branchLimit) {
          cut = s;
          break;
        }
        branches++;
      }
    }
    // The deepest step (within the limit) with an untried choice.
    let s = Math.min(cut, length) - 1;
    for (; s >= this.prefix.length; s--) {
      if (this.#choices[s]! > 1 && this.#chosen[s]! + 1 < this.#choices[s]!) break;
    }
    const subtree = this.#chosen.slice(0, cut);
    if (s < this.prefix.length) {
      this.#done = true;
    } else {
      this.#chosen[s]!++;
      this.#chosen.length = s + 1;
      this.#choices.length = s + 1;
      this.#replay = s + 1;
    }
    return subtree;
  }
}
