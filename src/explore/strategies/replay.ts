/**
 * The `replay` strategy: exactly one run, following a schedule string.
 *
 * @packageDocumentation
 */
import { ReplayScheduler } from '../../sched/replay.js';
import { decodeSchedule, encodeSchedule } from '../../sched/schedule-string.js';
import type { Scheduler } from '../../sched/scheduler.js';
import type { Strategy, StrategyDefinition } from './definition.js';

/**
 * Options of the `replay` strategy: exactly one run, following the schedule string exactly.
 * @public
 * @category Explorer
 */
export interface ReplayStrategyOptions {
  /** One run of a given schedule. */
  readonly kind: 'replay';
  /** The schedule string, as printed by the explorer. */
  readonly schedule: string;
}

/** Exactly one run, replaying a schedule string exactly. */
class ReplayStrategy implements Strategy {
  readonly name = 'replay';
  readonly description: string;
  readonly #schedule: readonly number[];
  #scheduler: ReplayScheduler | undefined;
  #handedOut = false;

  constructor(schedule: string) {
    this.#schedule = decodeSchedule(schedule);
    const text = encodeSchedule(this.#schedule);
    this.description = `replay (${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
  }

  next(): Scheduler | undefined {
    if (this.#handedOut) return undefined;
    this.#handedOut = true;
    this.#scheduler = new ReplayScheduler(this.#schedule);
    return this.#scheduler;
  }

  complete(): void {
    this.#scheduler?.assertFinished();
  }
}

/**
 * The `replay` strategy's entry in the registry.
 * @internal
 */
export const replay: StrategyDefinition<ReplayStrategyOptions> = {
  name: 'replay',
  summary: 'one run of a printed schedule string',
  endless: false,
  flags: [{ field: 'schedule', option: 'replay', value: 'SCHEDULE', type: 'schedule', implies: true, required: true, help: 'replay a printed schedule string (implies --strategy replay)' }],
  make: (options) => new ReplayStrategy(options.schedule),
};
