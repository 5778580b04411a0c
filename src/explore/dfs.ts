/**
 * Exhaustive depth-first search over schedules under a preemption bound.
 *
 * The search keeps one trail: for every step of the last run, how many choices were allowed
 * there and which one was taken. The next run replays the trail up to its deepest step that
 * still has an untried choice, takes that choice, and continues with the default choice from
 * there on. Because the simulation is deterministic given the schedule, the replayed prefix
 * meets the same scheduling points as before; the search checks that it does.
 *
 * @packageDocumentation
 */
import { UtraceUsageError } from '../errors.js';
import type { ExecutionOutcome } from '../sched/execution.js';
import type { Scheduler, SchedulingPoint } from '../sched/scheduler.js';
import type { Strategy } from './strategy.js';

const INITIAL_CAPACITY = 256;

/**
 * Depth-first search over every schedule with at most `bound` preemptions, each exactly once.
 *
 * At each scheduling point the choices are tried in a fixed order: first the previous thread
 * (no preemption), then the other runnable threads in ascending id order; when the previous
 * thread cannot run, all runnable threads in ascending order (none is a preemption). Once a
 * run has used `bound` preemptions, only the previous thread is allowed where it can run. So
 * the first run is the non-preemptive one, and the order of runs is deterministic.
 *
 * Protocol: call {@link DfsStrategy.next} for a scheduler, run the simulation once with it,
 * then hand the outcome to {@link DfsStrategy.complete}; repeat until `next` returns
 * `undefined` (every schedule within the bound has been run). The scheduler returned is the
 * same object every time. The search uses no recursion and keeps twelve bytes per step of
 * the trail, so runs of many thousands of steps are fine.
 * @public
 */
export class DfsStrategy implements Strategy {
  /** Always `'dfs'`. */
  readonly name = 'dfs';
  /** The largest number of preemptions a schedule may contain. */
  readonly bound: number;
  /** `dfs (preemption bound N)`. */
  readonly description: string;

  /** Allowed choices at each step of the trail. */
  #choices = new Int32Array(INITIAL_CAPACITY);
  /** Index of the choice taken at each step of the trail. */
  #chosen = new Int32Array(INITIAL_CAPACITY);
  /** Fingerprint of the runnable set and previous thread at each step, to catch nondeterminism. */
  #fingerprint = new Int32Array(INITIAL_CAPACITY);
  /** Steps recorded by the current (or last) run. */
  #length = 0;
  /** Steps of the trail the current run must replay. */
  #prefix = 0;
  /** Preemptions taken so far in the current run. */
  #preemptions = 0;
  #state: 'fresh' | 'running' | 'between' | 'exhausted' = 'fresh';
  #executions = 0;
  readonly #scheduler: Scheduler;

  /**
   * Makes an exhaustive search with at most `bound` preemptions per run.
   * @param bound - the preemption bound, a non-negative integer.
   */
  constructor(bound: number) {
    if (!Number.isInteger(bound) || bound < 0) {
      throw new UtraceUsageError('bad-option', `DfsStrategy: the preemption bound must be a non-negative integer, got ${bound}`);
    }
    this.bound = bound;
    this.description = `dfs (preemption bound ${bound})`;
    this.#scheduler = { pick: (point) => this.#pick(point) };
  }

  /** Number of runs handed out so far. */
  get executions(): number {
    return this.#executions;
  }

  /** Whether every schedule within the bound has been handed out and completed. */
  get exhausted(): boolean {
    return this.#state === 'exhausted';
  }

  /**
   * The scheduler for the next run, or `undefined` when the search space is exhausted.
   * Throws if the previous run was not reported through {@link DfsStrategy.complete}.
   */
  next(): Scheduler | undefined {
    switch (this.#state) {
      case 'exhausted':
        return undefined;
      case 'running':
        throw new UtraceUsageError('strategy-protocol', 'DfsStrategy.next: the previous run has not been completed; call complete(outcome) after each run');
      case 'between': {
        let i = this.#length - 1;
        const choices = this.#choices;
        const chosen = this.#chosen;
        while (i >= 0 && chosen[i]! + 1 >= choices[i]!) i--;
        if (i < 0) {
          this.#state = 'exhausted';
          return undefined;
        }
        chosen[i]!++;
        this.#prefix = i + 1;
        break;
      }
      case 'fresh':
        this.#prefix = 0;
        break;
    }
    this.#length = 0;
    this.#preemptions = 0;
    this.#state = 'running';
    this.#executions++;
    return this.#scheduler;
  }

  /**
   * Reports that the run handed out by the last {@link DfsStrategy.next} is over. Throws if no
   * run is outstanding, or if the run ended before replaying the prefix it was given (the
   * simulation is then not deterministic given its schedule, and the search would be wrong).
   */
  complete(outcome: ExecutionOutcome): void {
    if (this.#state !== 'running') {
      throw new UtraceUsageError('strategy-protocol', 'DfsStrategy.complete: no run is outstanding; call next() first');
    }
    this.#state = 'between';
    if (this.#length < this.#prefix) {
      throw new UtraceUsageError('strategy-protocol', 
        `DfsStrategy: the run ended after ${this.#length} steps (schedule of ${outcome.schedule.length}) while ` +
          `replaying a prefix of ${this.#prefix} steps that an earlier run took; the simulation is not ` +
          'deterministic given its schedule',
      );
    }
  }

  #pick(point: SchedulingPoint): number {
    const step = point.step;
    if (this.#state !== 'running') throw new UtraceUsageError('strategy-protocol', 'DfsStrategy: pick called outside a run handed out by next()');
    if (step !== this.#length) {
      throw new UtraceUsageError('strategy-protocol', `DfsStrategy: scheduling point for step ${step} arrived, expected step ${this.#length}`);
    }
    const runnable = point.runnable;
    const previous = point.previous;
    let previousRunnable = false;
    let fingerprint = (previous + 0x811c9dc5) | 0;
    for (let i = 0; i < runnable.length; i++) {
      const id = runnable[i]!;
      if (id === previous) previousRunnable = true;
      fingerprint = Math.imul(fingerprint ^ id, 0x01000193);
    }
    const allowed = previousRunnable && this.#preemptions >= this.bound ? 1 : runnable.length;
    let choice: number;
    if (step < this.#prefix) {
      if (this.#choices[step] !== allowed || this.#fingerprint[step] !== fingerprint) {
        throw new UtraceUsageError('strategy-protocol', 
          `DfsStrategy: step ${step} offers runnable threads [${runnable.join(', ')}] after thread ${previous}, ` +
            'which differs from an earlier run with the same schedule prefix; the simulation is not ' +
            'deterministic given its schedule',
        );
      }
      choice = this.#chosen[step]!;
    } else {
      if (step >= this.#choices.length) this.#grow();
      this.#choices[step] = allowed;
      this.#chosen[step] = 0;
      this.#fingerprint[step] = fingerprint;
      choice = 0;
    }
    this.#length = step + 1;
    if (!previousRunnable) return runnable[choice]!;
    if (choice === 0) return previous;
    this.#preemptions++;
    // The choice-th thread other than `previous`, in ascending order.
    let k = choice;
    for (let i = 0; i < runnable.length; i++) {
      const id = runnable[i]!;
      if (id !== previous && --k === 0) return id;
    }
    throw new UtraceUsageError('strategy-protocol', `DfsStrategy: choice ${choice} out of range at step ${step}`);
  }

  #grow(): void {
    const size = this.#choices.length * 2;
    const choices = new Int32Array(size);
    choices.set(this.#choices);
    this.#choices = choices;
    const chosen = new Int32Array(size);
    chosen.set(this.#chosen);
    this.#chosen = chosen;
    const fingerprint = new Int32Array(size);
    fingerprint.set(this.#fingerprint);
    this.#fingerprint = fingerprint;
  }
}
