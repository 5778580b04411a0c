/**
 * Per-CPU counter vectors bracketing callbacks (Frank Eigler's proposal): increments on the
 * CPU where a callback starts, decrements where it finishes, summed like the module
 * reference count of old.
 * @packageDocumentation
 */
import type { percpu_counters } from '../../types/module.js';

/**
 * A per-CPU counter vector.
 * @internal
 */
export class PercpuCounters implements percpu_counters {
  readonly incs: number[];
  readonly decs: number[];

  constructor(
    readonly nr_cpus: number,
    readonly kernelId: number,
  ) {
    this.incs = new Array<number>(nr_cpus).fill(0);
    this.decs = new Array<number>(nr_cpus).fill(0);
  }

  /** Count a callback starting on `cpu`. */
  inc(cpu: number): void {
    this.incs[cpu % this.nr_cpus]! += 1;
  }

  /** Count a callback finishing on `cpu`. */
  dec(cpu: number): void {
    this.decs[cpu % this.nr_cpus]! += 1;
  }

  /** Callbacks in progress: decrements are read first, as `module_refcount` did. */
  sum(): number {
    let d = 0;
    for (const v of this.decs) d += v;
    let i = 0;
    for (const v of this.incs) i += v;
    return i - d;
  }
}
