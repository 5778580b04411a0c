/**
 * Exhaustive search over schedules under a preemption bound, stateless: every run starts from
 * a fresh simulation, replays a prefix of choices an earlier run made, takes one choice not
 * tried there before, and continues with the default choice from there on.
 *
 * Two orders pick the untried choice. `deepest-first` keeps one trail (for every step of the
 * last run, how many choices were allowed and which one was taken) and diverges at its
 * deepest step with an untried choice: classic depth-first search. `earliest-first` keeps the
 * tree of scheduling points met so far (`choice-tree.ts`) and diverges at the smallest step
 * with an untried choice, anywhere in the tree. Both run exactly the same set of schedules.
 * Because the simulation is deterministic given the schedule, a replayed prefix meets the same
 * scheduling points as before; the search checks that it does.
 *
 * @packageDocumentation
 */
import { describeArg } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import type { ExecutionOutcome } from '../sched/execution.js';
import type { Scheduler, SchedulingPoint } from '../sched/scheduler.js';
import { ChoiceTree } from './choice-tree.js';
import type { Strategy } from './strategy.js';

const INITIAL_CAPACITY = 256;

/** What a replayed prefix that does not replay means, and what to look for. */
const NONDETERMINISM =
  'The simulation is not deterministic given its schedule: the same choices led somewhere else. A ' +
  "scenario's build and tracer threads must depend only on the kernel they are given and on the " +
  'schedule (not on Math.random, the clock, or state kept from one run to the next), and an ' +
  'Execute must build a fresh simulation for every run';
const ORDERS: readonly string[] = ['earliest-first', 'deepest-first'];

/**
 * The order of {@link DfsStrategy} when none is given, also the default of `makeStrategy` and
 * of `utrace-explore --order`.
 * @internal
 */
export const DEFAULT_DFS_ORDER: 'earliest-first' | 'deepest-first' = 'deepest-first';

/**
 * Exhaustive search over every schedule with at most `bound` preemptions, each exactly once.
 *
 * At each scheduling point the choices are numbered in a fixed order: first the previous
 * thread (no preemption), then the other runnable threads in ascending id order; when the
 * previous thread cannot run, all runnable threads in ascending order (none is a preemption).
 * Once a run has used `bound` preemptions, only the previous thread is allowed where it can
 * run. Every run takes choice 0 at every step after the one where it diverges from the runs
 * before it, so the first run is the non-preemptive one.
 *
 * The `order` decides where the next run diverges:
 *
 * - `'deepest-first'` (the default): at the deepest step of the last run that still has an
 *   untried choice (classic depth-first search), so choices near the end of a run are varied
 *   first. Memory is twelve bytes per step of the longest run.
 * - `'earliest-first'`: at the smallest step that still has an untried choice anywhere in the
 *   tree of scheduling points met so far (breadth-first over the step of the divergence);
 *   among points of one step, the one met first; at one point, choices in ascending order.
 *   Every alternative at step `s` of every run is tried before any at step `s + 1`, so a
 *   scenario with many runnable threads early on spends many runs there. Memory grows with
 *   the number of distinct scheduling points met (24 bytes each, prefixes shared; points
 *   after a run's last step with more than one choice are not kept): about 220 MB for the two
 *   million runs of 23 steps of a global engine on four tasks at bound 2.
 *
 * Both orders run the same set of schedules, and the order of runs is deterministic.
 *
 * Protocol: call {@link DfsStrategy.next} for a scheduler, run the simulation once with it,
 * then hand the outcome to {@link DfsStrategy.complete}; repeat until `next` returns
 * `undefined` (every schedule within the bound has been run). The scheduler returned is the
 * same object every time. The search uses no recursion, so runs of many thousands of steps
 * are fine. In both orders, a replayed prefix that meets a different runnable set, or a run
 * that ends inside its prefix, makes the search throw a `UtraceUsageError` (the simulation
 * is not deterministic given its schedule).
 * @public
 * @category Explorer
 */
export class DfsStrategy implements Strategy {
  /** Always `'dfs'`. */
  readonly name = 'dfs';
  /** The largest number of preemptions a schedule may contain. */
  readonly bound: number;
  /** Where each run diverges from the runs before it: see the class. */
  readonly order: 'earliest-first' | 'deepest-first';
  /** `dfs (preemption bound N, ORDER)`. */
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
  /** The frontier of the earliest-first order; `undefined` in the deepest-first order. */
  readonly #tree: ChoiceTree | undefined;
  /** Tree node of the step where the current run diverged (-1 for the first run). */
  #divergedAt = -1;

  /**
   * Makes an exhaustive search with at most `bound` preemptions per run.
   * @param bound - the preemption bound, a non-negative integer.
   * @param order - where each run diverges: `'deepest-first'` (the default) or
   * `'earliest-first'`; see the class.
   * @throws `UtraceUsageError` (rule `'bad-option'`) on a bound that is not a non-negative
   * integer or an unknown order.
   */
  constructor(bound: number, order: 'earliest-first' | 'deepest-first' = DEFAULT_DFS_ORDER) {
    if (!Number.isInteger(bound) || bound < 0) {
      throw new UtraceUsageError('bad-option', `DfsStrategy: the preemption bound must be a non-negative integer, got ${describeArg(bound)}`);
    }
    if (!ORDERS.includes(order)) {
      throw new UtraceUsageError('bad-option', `DfsStrategy: the order must be 'earliest-first' or 'deepest-first', got ${typeof order === 'string' ? JSON.stringify(order) : typeof order}`);
    }
    this.bound = bound;
    this.order = order;
    this.description = `dfs (preemption bound ${bound}, ${order})`;
    this.#tree = order === 'earliest-first' ? new ChoiceTree() : undefined;
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
        const tree = this.#tree;
        if (tree !== undefined) {
          if (!tree.take()) {
            this.#state = 'exhausted';
            return undefined;
          }
          const step = tree.takenStep;
          while (step >= this.#choices.length) this.#grow();
          tree.fillPath(tree.takenNode, step, tree.takenChoice, this.#choices, this.#chosen, this.#fingerprint);
          this.#divergedAt = tree.takenNode;
          this.#prefix = step + 1;
          break;
        }
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
        this.#divergedAt = -1;
        break;
    }
    this.#length = 0;
    this.#preemptions = 0;
    this.#state = 'running';
    this.#executions++;
    return this.#scheduler;
  }

  /**
   * Reports that the run handed out by the last {@link DfsStrategy.next} is over; in the
   * earliest-first order, adds the scheduling points the run met after its prefix to the tree.
   * Throws if no run is outstanding, or if the run ended before replaying the prefix it was
   * given (the simulation is then not deterministic given its schedule, and the search would
   * be wrong).
   */
  complete(outcome: ExecutionOutcome): void {
    if (this.#state !== 'running') {
      throw new UtraceUsageError('strategy-protocol', 'DfsStrategy.complete: no run is outstanding; call next() first');
    }
    this.#state = 'between';
    if (this.#length < this.#prefix) {
      throw new UtraceUsageError('strategy-protocol', 
        `DfsStrategy: the run ended after ${this.#length} steps (schedule of ${outcome.schedule.length}) while ` +
          `replaying a prefix of ${this.#prefix} steps that an earlier run took. ${NONDETERMINISM}`,
      );
    }
    const tree = this.#tree;
    if (tree === undefined) return;
    // Keep the new points up to the last one with an untried choice; later ones lead nowhere new.
    let last = this.#length - 1;
    while (last >= this.#prefix && this.#choices[last]! <= 1) last--;
    let node = this.#divergedAt;
    for (let step = this.#prefix; step <= last; step++) {
      node = tree.add(step, node, step > 0 ? this.#chosen[step - 1]! : 0, this.#choices[step]!, this.#fingerprint[step]!);
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
            `which differs from an earlier run with the same schedule prefix. ${NONDETERMINISM}`,
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

  /**
   * The search's state between two runs, as plain data (JSON-safe), to continue it later
   * with {@link DfsStrategy.resume}: the bound, the order, the runs made, and the choices of
   * the last run. Only the `'deepest-first'` order can be saved (the other keeps a tree).
   * @throws `UtraceUsageError` for the `'earliest-first'` order, or while a run is outstanding.
   * @example
   * ```ts
   * import { DfsStrategy } from 'utrace/explore';
   * const saved = JSON.stringify(new DfsStrategy(2).checkpoint());
   * const again = DfsStrategy.resume(JSON.parse(saved));
   * console.log(again.executions); // 0
   * ```
   */
  checkpoint(): DfsCheckpoint {
    if (this.order !== 'deepest-first') throw new UtraceUsageError('bad-option', 'DfsStrategy.checkpoint: only the deepest-first order can be saved and resumed');
    if (this.#state === 'running') throw new UtraceUsageError('strategy-protocol', 'DfsStrategy.checkpoint: a run is outstanding; call complete(outcome) first');
    const n = this.#state === 'between' ? this.#length : 0;
    return {
      kind: 'dfs',
      bound: this.bound,
      executions: this.#executions,
      state: this.#state,
      choices: Array.from(this.#choices.subarray(0, n)),
      chosen: Array.from(this.#chosen.subarray(0, n)),
      fingerprints: Array.from(this.#fingerprint.subarray(0, n)),
    };
  }

  /**
   * A deepest-first search that carries on from a {@link DfsStrategy.checkpoint}: its next run
   * is the one the saved search would have made next.
   * @throws `UtraceUsageError` when `saved` is not a checkpoint of this class.
   */
  static resume(saved: DfsCheckpoint): DfsStrategy {
    const ints = (a: unknown): a is number[] => Array.isArray(a) && a.every((v) => Number.isInteger(v));
    const c = saved as Partial<DfsCheckpoint> | null;
    if (
      typeof c !== 'object' || c === null || c.kind !== 'dfs' || !Number.isInteger(c.executions) || !['fresh', 'between', 'exhausted'].includes(c.state as string) ||
      !ints(c.choices) || !ints(c.chosen) || !ints(c.fingerprints) || c.choices.length !== c.chosen.length || c.choices.length !== c.fingerprints.length ||
      c.chosen.some((v, i) => v < 0 || v >= c.choices![i]!)
    ) {
      throw new UtraceUsageError('bad-option', 'DfsStrategy.resume: not a checkpoint made by DfsStrategy.checkpoint()');
    }
    const s = new DfsStrategy(c.bound!, 'deepest-first');
    const n = c.choices.length;
    const size = Math.max(INITIAL_CAPACITY, n);
    s.#choices = new Int32Array(size);
    s.#choices.set(c.choices);
    s.#chosen = new Int32Array(size);
    s.#chosen.set(c.chosen);
    s.#fingerprint = new Int32Array(size);
    s.#fingerprint.set(c.fingerprints);
    s.#length = n;
    s.#state = c.state!;
    s.#executions = c.executions!;
    return s;
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

/**
 * The saved state of a deepest-first {@link DfsStrategy}, from {@link DfsStrategy.checkpoint}.
 * @public
 * @category Explorer
 */
export interface DfsCheckpoint {
  /** Discriminant. */
  readonly kind: 'dfs';
  /** The preemption bound. */
  readonly bound: number;
  /** Runs made so far. */
  readonly executions: number;
  /** Where the search stood: before its first run, between runs, or done. */
  readonly state: 'fresh' | 'between' | 'exhausted';
  /** The number of choices at each step of the last run. */
  readonly choices: readonly number[];
  /** The choice taken at each step of the last run. */
  readonly chosen: readonly number[];
  /** A hash of each step's runnable threads, to catch a scenario that changed. */
  readonly fingerprints: readonly number[];
}
