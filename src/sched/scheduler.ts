/**
 * The scheduler interface: the one thing the simulation asks at every scheduling point.
 *
 * The scheduler knows nothing of utrace. It sees numbered threads, which of them can run,
 * and which one ran last; it answers with the thread to run next. Strategies (round robin,
 * seeded random, PCT, depth-first search under a preemption bound, replay) are
 * interchangeable implementations of {@link Scheduler}.
 *
 * @packageDocumentation
 */
import { describeArg, isArray, readFields } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';

/**
 * What a scheduler is shown at one scheduling point.
 * @public
 * @category Scheduling
 */
export interface SchedulingPoint {
  /** Index of the step about to be taken, counting from 0 at the start of the execution. */
  readonly step: number;
  /** Ids of the threads that can take a step now, in ascending order; never empty. */
  readonly runnable: readonly number[];
  /**
   * Id of the thread that took the previous step, or `-1` before the first step. Choosing a
   * different thread while this one is still in `runnable` is a preemption.
   */
  readonly previous: number;
}

/**
 * Picks the thread that takes the next step.
 * @public
 * @category Scheduling
 */
export interface Scheduler {
  /**
   * Returns one of `point.runnable`. Called once per step, in step order, so an
   * implementation may keep state across calls.
   */
  pick(point: SchedulingPoint): number;
}

/**
 * Whether choosing `chosen` at `point` is a preemption: the previous thread could have run
 * on but another was chosen.
 * @public
 * @category Scheduling
 */
export function isPreemption(point: SchedulingPoint, chosen: number): boolean {
  const bad = (): never => {
    throw new UtraceUsageError('bad-option', `isPreemption(point, chosen): point must be a SchedulingPoint { step, runnable, previous }; got ${describeArg(point)}`);
  };
  if (typeof point !== 'object' || point === null) bad();
  const { runnable, previous } = readFields(point, ['runnable', 'previous'], 'isPreemption', 'bad-option', 'point');
  if (!isArray(runnable)) bad();
  return previous !== -1 && chosen !== previous && (runnable as unknown[]).includes(previous);
}
