/**
 * Tracer data the kernel can watch: an allocation whose use after free is reported, as
 * KASAN reports it.
 * @packageDocumentation
 */
import type { StepRef } from '../sched/execution.js';
import type { Kernel } from './kernel.js';

/**
 * A piece of tracer data allocated with `kmalloc`. Read and write it through `value`;
 * doing so after `kfree` is a use-after-free failure naming the step that freed it.
 * @public
 * @category Kernel simulation
 */
export class KBox<T> {
  #value: T;
  #freedAt: StepRef | null = null;
  /** @internal */
  readonly kernel: Kernel;
  /** What the allocation is, for messages. */
  readonly label: string;

  /** @internal */
  constructor(kernel: Kernel, label: string, value: T) {
    this.kernel = kernel;
    this.label = label;
    this.#value = value;
  }

  /** The data: reading or writing it after `kfree` is reported as a use-after-free. */
  get value(): T {
    this.#check('read');
    return this.#value;
  }

  set value(v: T) {
    this.#check('write');
    this.kernel.progressMark++;
    this.#value = v;
  }

  /** Whether `kfree` was called. */
  get freed(): boolean {
    return this.#freedAt !== null;
  }

  /** @internal */
  markFreed(at: StepRef): boolean {
    if (this.#freedAt !== null) return false;
    this.#freedAt = at;
    return true;
  }

  /** @internal */
  get freedAt(): StepRef | null {
    return this.#freedAt;
  }

  #check(what: string): void {
    // Tracer code touching data a callback may touch: a point where the tasks may run first.
    this.kernel.preemptPoint(null);
    if (this.#freedAt !== null) {
      this.kernel.fail(
        'use-after-free',
        `tracer data "${this.label}" ${what} after it was freed: a callback may still be running when utrace_set_events or utrace_control returns -EINPROGRESS; wait with utrace_barrier (or a *_sync call) before kfree`,
        [this.#freedAt],
      );
    }
  }
}
