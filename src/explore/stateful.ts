/**
 * Stateful search over every interleaving, as SPIN makes it: a depth-first search over
 * schedules that keys every state it reaches and does not go on from a state it has seen
 * before. With no preemption bound, a search that finishes has covered every interleaving:
 * every state reachable under any schedule was reached and every step out of it was taken.
 *
 * The threads' states live in generators and async functions and cannot be copied, so the
 * search cannot jump back to a state: every run starts from a fresh simulation and replays
 * the choices that led to the state it goes on from. The key of a state is the kernel's state
 * and each thread's history (see `src/kernel/state-key.ts` for what it assumes); it needs the
 * kernel's trace, so runs must trace (`scenarioExecute(scenario, { trace: true })`, which
 * `runScenario` and the CLI pick for this strategy).
 *
 * @packageDocumentation
 */
import { describeArg } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { runningKernel } from '../kernel/current.js';
import { ThreadHistories } from '../kernel/state-key.js';
import type { ExecutionOutcome } from '../sched/execution.js';
import type { Scheduler, SchedulingPoint } from '../sched/scheduler.js';
import type { Strategy } from './strategy.js';

/**
 * Most distinct states a {@link StatefulStrategy} keeps when none is given: about 100 MB of
 * keys.
 * @public
 * @category Explorer
 */
export const DEFAULT_MAX_STATES = 1_000_000;

/**
 * The counts of a stateful search, as {@link StatefulStrategy.counts} gives them.
 * @public
 * @category Explorer
 */
export interface StateCounts {
  /** Distinct states reached at scheduling points (keys kept). */
  readonly states: number;
  /** Steps taken out of a new state: each (state, thread) pair tried once. */
  readonly transitions: number;
  /** Runs made. */
  readonly executions: number;
  /**
   * Steps out of states on the search's current path not taken yet: when a limit stopped the
   * search, what is left of the path it was on (the states below those steps were not
   * covered). Zero once the search is complete.
   */
  readonly untried: number;
  /** Whether the state cap stopped the search. */
  readonly stateCapHit: boolean;
}

/** A run that replayed its prefix into another state: the simulation is not deterministic. */
const NONDETERMINISM =
  'The simulation is not deterministic given its schedule: the same choices led somewhere else. A ' +
  "scenario's build and tracer threads must depend only on the kernel they are given and on the " +
  'schedule, and an Execute must build a fresh simulation for every run';

/**
 * Thrown by the scheduler of a {@link StatefulStrategy} whose run reached a state seen before,
 * when its caller asked for it ({@link StatefulStrategy.abortRuns}): the rest of the run
 * teaches the search nothing. `explore` catches it and counts the run as a passing one.
 * @internal
 */
export class PrunedRun extends Error {
  constructor() {
    super('the stateful search pruned this run at a state seen before');
    this.name = 'PrunedRun';
  }
}

/**
 * Depth-first search over every schedule, pruned at states seen before; no preemption bound.
 *
 * Each run replays the path to the deepest state with a step not yet taken, takes that step,
 * and goes on taking the first runnable thread (in ascending id order) from every new state,
 * keying each state it reaches. At the first state it has seen before, the search has nothing
 * more to learn from the run: under `explore` the run stops there; under another loop it is
 * finished with the previous thread kept running (its outcome still counts: a failure there is
 * a real failure). `next` returns `undefined`
 * when every step out of every state reached has been taken, or when `maxStates` distinct
 * states are kept ({@link StatefulStrategy.counts} then says `stateCapHit`, and `explore`
 * reports a `'states'` limit, not an exhaustion).
 *
 * Exhaustion here means every interleaving was covered, under the key's assumptions: threads
 * are deterministic given what the kernel told them, and share state only through the kernel
 * (see the state key's documentation). Runs must keep the kernel's trace, which carries what
 * each thread was told.
 *
 * @example
 * ```ts
 * import { explore, scenarioExecute, StatefulStrategy, type Scenario } from 'utrace/explore';
 * declare const scenario: Scenario;
 * const strategy = new StatefulStrategy();
 * const result = await explore(scenarioExecute(scenario, { trace: true }), { strategy, maxSeconds: 60 });
 * if (result.status === 'exhausted') console.log(`proven over all interleavings: ${strategy.counts.states} states`);
 * ```
 * @public
 * @category Explorer
 */
export class StatefulStrategy implements Strategy {
  /** Always `'stateful'`. */
  readonly name = 'stateful';
  /** Most distinct states kept before the search stops. */
  readonly maxStates: number;
  /**
   * Stop a run at the first state seen before by throwing {@link PrunedRun} from the
   * scheduler, rather than finishing it; `explore` sets this, since it catches the throw.
   * @internal
   */
  abortRuns = false;
  /** `stateful (all interleavings, at most N states)`. */
  readonly description: string;

  readonly #visited = new Set<string>();
  /** Runnable threads at each state of the current path. */
  readonly #runnable: number[][] = [];
  /** Index into `#runnable[d]` of the thread taken at depth d. */
  readonly #chosen: number[] = [];
  /** Depths of the path the current run replays. */
  #prefix = 0;
  #transitions = 0;
  #executions = 0;
  #capHit = false;
  #pruned = false;
  #histories = new ThreadHistories();
  #state: 'fresh' | 'running' | 'between' | 'exhausted' = 'fresh';
  readonly #scheduler: Scheduler;

  /**
   * Makes a stateful search.
   * @param options - `maxStates`: most distinct states kept (default {@link DEFAULT_MAX_STATES}),
   * a positive integer.
   * @throws `UtraceUsageError` (rule `'bad-option'`) on a `maxStates` that is not a positive integer.
   */
  constructor(options: { readonly maxStates?: number } = {}) {
    const maxStates = (typeof options === 'object' && options !== null ? options.maxStates : undefined) ?? DEFAULT_MAX_STATES;
    if (!Number.isInteger(maxStates) || maxStates < 1) {
      throw new UtraceUsageError('bad-option', `StatefulStrategy: maxStates must be a positive integer, got ${describeArg(maxStates)}`);
    }
    this.maxStates = maxStates;
    this.description = `stateful (all interleavings, at most ${maxStates.toLocaleString('en-US')} states)`;
    this.#scheduler = { pick: (point) => this.#pick(point) };
  }

  /** The search's counts so far. */
  get counts(): StateCounts {
    let untried = 0;
    if (this.#state !== 'exhausted' || this.#capHit) {
      for (let d = 0; d < this.#chosen.length; d++) untried += this.#runnable[d]!.length - 1 - this.#chosen[d]!;
    }
    return { states: this.#visited.size, transitions: this.#transitions, executions: this.#executions, untried, stateCapHit: this.#capHit };
  }

  /** Whether the search stopped at its state cap rather than covering every state. */
  get stateCapHit(): boolean {
    return this.#capHit;
  }

  /** The scheduler for the next run, or `undefined` when the search is over (complete or capped). */
  next(): Scheduler | undefined {
    switch (this.#state) {
      case 'exhausted':
        return undefined;
      case 'running':
        throw new UtraceUsageError('strategy-protocol', 'StatefulStrategy.next: the previous run has not been completed; call complete(outcome) after each run');
      case 'between': {
        if (this.#capHit) {
          this.#state = 'exhausted';
          return undefined;
        }
        let d = this.#chosen.length - 1;
        while (d >= 0 && this.#chosen[d]! + 1 >= this.#runnable[d]!.length) d--;
        if (d < 0) {
          this.#state = 'exhausted';
          this.#chosen.length = 0;
          this.#runnable.length = 0;
          return undefined;
        }
        this.#chosen[d]!++;
        this.#chosen.length = d + 1;
        this.#runnable.length = d + 1;
        this.#prefix = d + 1;
        this.#transitions++;
        break;
      }
      case 'fresh':
        this.#prefix = 0;
        break;
    }
    this.#pruned = false;
    this.#histories = new ThreadHistories();
    this.#state = 'running';
    this.#executions++;
    return this.#scheduler;
  }

  /**
   * Reports that the run is over. Throws if no run is outstanding or if the run ended inside
   * the path it was replaying (the simulation is then not deterministic).
   */
  complete(outcome: ExecutionOutcome): void {
    if (this.#state !== 'running') {
      throw new UtraceUsageError('strategy-protocol', 'StatefulStrategy.complete: no run is outstanding; call next() first');
    }
    this.#state = 'between';
    if (outcome.schedule.length < this.#prefix) {
      throw new UtraceUsageError('strategy-protocol', `StatefulStrategy: the run ended after ${outcome.schedule.length} steps while replaying a path of ${this.#prefix} steps. ${NONDETERMINISM}`);
    }
  }

  #pick(point: SchedulingPoint): number {
    if (this.#state !== 'running') throw new UtraceUsageError('strategy-protocol', 'StatefulStrategy: pick called outside a run handed out by next()');
    const { step, runnable, previous } = point;
    const histories = this.#histories;
    const kernel = runningKernel();
    if (kernel === null || !kernel.tracing) {
      throw new UtraceUsageError(
        'bad-option',
        'StatefulStrategy: the stateful search keys states by what each thread was told, which the kernel writes in its trace; run the scenario with the trace on: scenarioExecute(scenario, { trace: true }) (runScenario and the CLI do so for this strategy)',
      );
    }
    if (previous >= 0) histories.stepped(previous);
    histories.update(kernel);
    if (step < this.#prefix) {
      const was = this.#runnable[step]!;
      if (was.length !== runnable.length || was.some((id, i) => id !== runnable[i])) {
        throw new UtraceUsageError('strategy-protocol', `StatefulStrategy: step ${step} offers runnable threads [${runnable.join(', ')}], not [${was.join(', ')}] as before. ${NONDETERMINISM}`);
      }
      return was[this.#chosen[step]!]!;
    }
    if (!this.#pruned) {
      const key = histories.key(kernel);
      if (this.#visited.has(key)) {
        this.#pruned = true;
      } else if (this.#visited.size >= this.maxStates) {
        this.#capHit = true;
        this.#pruned = true;
      } else {
        this.#visited.add(key);
        this.#runnable.push(runnable.slice());
        this.#chosen.push(0);
        this.#transitions++;
        return runnable[0]!;
      }
    }
    if (this.abortRuns) throw new PrunedRun();
    // Past the search's frontier: finish the run without preempting.
    return runnable.includes(previous) ? previous : runnable[0]!;
  }
}
