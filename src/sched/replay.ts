/**
 * Replay: run a recorded schedule again, step for step, and fail loudly the moment the run
 * stops matching it.
 *
 * @packageDocumentation
 */
import { describeArg, isArray } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { decodeSchedule, MAX_SCHEDULE_THREAD_ID } from './schedule-string.js';
import type { Scheduler, SchedulingPoint } from './scheduler.js';

/**
 * Thrown when a run stops following the schedule being replayed: the recorded thread cannot
 * run at a step, threads can still run after the schedule ran out, or the run ended before
 * the schedule did. A replay is exact or it fails; it never guesses.
 * @public
 * @category Scheduling
 */
export class ScheduleDivergedError extends Error {
  /** Step at which the run and the schedule parted. */
  readonly step: number;
  /** Thread the schedule holds for that step, or `undefined` when the schedule had run out. */
  readonly expected: number | undefined;
  /** Threads that could run at that step, ascending; empty when the run had ended. */
  readonly runnable: readonly number[];

  /**
   * Makes the error for a replay that left its schedule at `step`.
   * @param step - the step at which run and schedule parted.
   * @param expected - the recorded thread for that step, `undefined` past the schedule's end.
   * @param runnable - the threads that could run then (copied).
   * @param detail - optional words to add to the message.
   */
  constructor(step: number, expected: number | undefined, runnable: readonly number[], detail?: string) {
    const set = `[${runnable.join(', ')}]`;
    let message: string;
    if (expected === undefined) {
      message = `The run diverged from the replayed schedule at step ${step}: the schedule ran out but threads ${set} can still run`;
    } else if (runnable.length === 0) {
      message = `The run diverged from the replayed schedule at step ${step}: the run ended, but the schedule expects thread ${expected} to run`;
    } else {
      message = `The run diverged from the replayed schedule at step ${step}: the schedule expects thread ${expected}, but the runnable threads are ${set}`;
    }
    super(detail === undefined ? message : `${message} (${detail})`);
    this.name = 'ScheduleDivergedError';
    this.step = step;
    this.expected = expected;
    this.runnable = runnable.slice();
  }
}

/**
 * Replays a recorded schedule exactly: at step `i` it picks `schedule[i]`.
 *
 * `pick` throws {@link ScheduleDivergedError} when the recorded thread is not runnable or the
 * schedule has run out while threads can still run. The first such error is also kept in
 * {@link ReplayScheduler.divergence}, so a caller can tell even if the simulation swallowed
 * the exception. After the run, {@link ReplayScheduler.assertFinished} checks that the whole
 * schedule was used. One instance serves one run.
 * @public
 * @category Scheduling
 */
export class ReplayScheduler implements Scheduler {
  readonly #schedule: readonly number[];
  #consumed = 0;
  #divergence: ScheduleDivergedError | undefined;

  /**
   * Makes a scheduler that replays `schedule` exactly.
   * @param schedule - the thread to run at each step (copied).
   */
  constructor(schedule: readonly number[]) {
    let copy: unknown[] | undefined;
    try {
      copy = isArray(schedule) ? Array.from(schedule) : undefined;
    } catch {
      copy = undefined;
    }
    const ok = copy !== undefined && copy.every((t: unknown) => typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= MAX_SCHEDULE_THREAD_ID);
    if (!ok) {
      throw new UtraceUsageError('bad-option', `ReplayScheduler: schedule must be an array of thread ids (integers from 0 to ${MAX_SCHEDULE_THREAD_ID}), as ExecutionOutcome.schedule or decodeSchedule gives; got ${isArray(schedule) ? 'an array holding something else' : describeArg(schedule)}`);
    }
    this.#schedule = copy as number[];
  }

  /** Builds a replay scheduler from a schedule string; throws `ScheduleFormatError` on bad text. */
  static fromString(text: string): ReplayScheduler {
    return new ReplayScheduler(decodeSchedule(text));
  }

  /** Number of steps in the schedule being replayed. */
  get length(): number {
    return this.#schedule.length;
  }

  /** Number of steps replayed so far. */
  get consumed(): number {
    return this.#consumed;
  }

  /** The first divergence seen, or `undefined` while the run follows the schedule. */
  get divergence(): ScheduleDivergedError | undefined {
    return this.#divergence;
  }

  /** Returns the recorded thread for `point.step`; throws {@link ScheduleDivergedError} if it cannot run. */
  pick(point: SchedulingPoint): number {
    const step = point.step;
    const expected = this.#schedule[step];
    if (expected === undefined || !point.runnable.includes(expected)) {
      throw this.#diverge(new ScheduleDivergedError(step, expected, point.runnable));
    }
    this.#consumed = step + 1;
    return expected;
  }

  /**
   * Throws the divergence seen during the run, if any, or a {@link ScheduleDivergedError}
   * when the run ended before the whole schedule was replayed. Call it once the run is over.
   */
  assertFinished(): void {
    if (this.#divergence !== undefined) throw this.#divergence;
    if (this.#consumed < this.#schedule.length) {
      throw this.#diverge(
        new ScheduleDivergedError(
          this.#consumed,
          this.#schedule[this.#consumed],
          [],
          `${this.#consumed} of ${this.#schedule.length} recorded steps were replayed`,
        ),
      );
    }
  }

  #diverge(error: ScheduleDivergedError): ScheduleDivergedError {
    this.#divergence ??= error;
    return error;
  }
}
