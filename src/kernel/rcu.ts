/**
 * RCU: read-side sections, grace periods driven by a kernel thread the scheduler runs like
 * any other, `call_rcu` and `synchronize_rcu`.
 *
 * A read-side section's body is synchronous, so no scheduling point falls inside one and a
 * grace period never ends while a section is open. The grace-period thread is runnable
 * whenever callbacks wait or a `synchronize_rcu` caller waits; one step of it ends a grace
 * period and runs the callbacks queued before it began.
 * @packageDocumentation
 */
import type { Step } from './threads.js';

/**
 * RCU state of one kernel.
 * @internal
 */
export class Rcu {
  /** Grace periods completed. */
  completed = 0;
  /** Grace periods asked for by synchronize_rcu callers. */
  requested = 0;
  readonly #callbacks: Array<() => void> = [];

  /** `call_rcu`: run `fn` after the next grace period. */
  call(fn: () => void): void {
    this.#callbacks.push(fn);
  }

  /** RCU callbacks waiting for the next grace period (for the state key). */
  get pendingCallbacks(): number {
    return this.#callbacks.length;
  }

  /** Whether the grace-period thread has work. */
  get busy(): boolean {
    return this.#callbacks.length > 0 || this.requested > this.completed;
  }

  /** The grace-period kernel thread. */
  *thread(log: (text: string) => void): Step {
    for (;;) {
      yield { until: () => this.busy, what: 'a call_rcu or synchronize_rcu' };
      const batch = this.#callbacks.splice(0);
      this.completed += 1;
      if (this.requested < this.completed) this.requested = this.completed;
      log(`grace period ${this.completed} ends${batch.length ? `: ${batch.length} RCU callback(s) run` : ''}`);
      for (const fn of batch) fn();
    }
  }
}
