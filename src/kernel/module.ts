/**
 * Loadable modules: the code of ops whose `owner` names the module. Running that code after
 * the module is unloaded is a failure.
 * @packageDocumentation
 */
import type { module_struct } from '../../types/module.js';
import type { StepRef } from '../sched/execution.js';
import type { PercpuCounters } from './percpu.js';
import type { Kernel } from './kernel.js';

/** The kernel of each module, for its static data (`module_data`). @internal */
export const moduleKernels = new WeakMap<Module, Kernel>();

/**
 * A module of the simulated kernel.
 * @internal
 */
export class Module implements module_struct {
  state: 'live' | 'going' | 'unloaded' = 'live';
  unloadedAt: StepRef | null = null;
  /** Counter vectors of ops owned by this module: the module's reference count. */
  readonly counters = new Set<PercpuCounters>();

  constructor(
    readonly name: string,
    readonly kernelId: number,
  ) {}

  /** Callbacks of this module in progress, as the counters see them. */
  inUse(): number {
    let sum = 0;
    for (const c of this.counters) sum += c.sum();
    return sum;
  }
}
