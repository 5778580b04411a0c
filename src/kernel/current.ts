/**
 * The kernel whose run is in progress in this process, if any: what `current` refers to
 * for calls that take no task or engine (`rcu_read_section`, `synchronize_rcu`).
 * @internal
 */
import type { Kernel } from './kernel.js';

let running: Kernel | null = null;

/** @internal */
export function runningKernel(): Kernel | null {
  return running;
}

/** @internal */
export function setRunningKernel(kernel: Kernel | null): void {
  running = kernel;
}

let setupDepth = 0;

/** RCU read-side sections open in set-up code, outside any thread. @internal */
export function setupRcuDepth(): number {
  return setupDepth;
}

/** @internal */
export function adjustSetupRcuDepth(delta: number): void {
  setupDepth += delta;
}
