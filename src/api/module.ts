/**
 * Module unload and per-CPU counters.
 * @packageDocumentation
 */
import type { module_struct, percpu_counters } from '../../types/module.js';
import { isInstance } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { runningKernel } from '../kernel/current.js';
import { Module } from '../kernel/module.js';
import { Kernel as KernelClass, type Kernel } from '../kernel/kernel.js';

function asModule(value: unknown, call: string): Module {
  if (!isInstance(value, Module)) {
    throw new UtraceUsageError('bad-module', `${call}: pass a module made by Kernel.load_module`);
  }
  return value as Module;
}

/**
 * Unloads `mod` as `delete_module` does: no new reference may be taken, then it waits until
 * the per-CPU counters of every ops it owns sum to zero (the module reference count), then
 * its code is gone. Running its code afterwards (a callback, a `release`) is a
 * `module-code-after-unload` failure, and so is unloading while one of its callbacks is
 * running. Detach every engine first: counters only cover callbacks that have started.
 * Blocking.
 * @param mod - a module made by `Kernel.load_module`.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys, defineOps, module_unload, utrace_attach_task,
 *   utrace_control, utrace_engine_put, utrace_set_events, IS_ERR, UTRACE_ATTACH_CREATE,
 *   UTRACE_DETACH, UTRACE_EVENT, UTRACE_RESUME } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('traced', [sys(1)]);
 * const mod = kernel.load_module('tracer_mod');
 * const ops = defineOps({ owner: mod, percpu_counters: kernel.alloc_percpu_counters(), report_syscall_entry: () => UTRACE_RESUME });
 * const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
 * if (IS_ERR(engine)) throw new Error('attach failed');
 * utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
 * kernel.tracer('tracer', async () => {
 *   utrace_engine_put(utrace_control(task, engine, UTRACE_DETACH).engine); // -EINPROGRESS is fine
 *   await module_unload(mod); // waits until the counters sum to zero
 * });
 * const outcome = await kernel.run(new RoundRobinScheduler());
 * console.log(outcome.status); // 'ok'
 * ```
 * @public
 * @category Kernel calls
 */
export function module_unload(mod: module_struct): Promise<void> {
  const m = asModule(mod, 'module_unload');
  const kernel = runningKernel();
  if (kernel === null || kernel.id !== m.kernelId) {
    throw new UtraceUsageError('blocking-outside-tracer', 'module_unload blocks, so it can only be called from a tracer thread of the module\'s kernel while it runs');
  }
  const thread = kernel.currentTracer('module_unload');
  if (m.state !== 'live') throw new UtraceUsageError('module-state', `module_unload: module ${m.name} is already ${m.state}`);
  m.state = 'going';
  if (kernel.tracing) kernel.log(`module ${m.name} going: waiting for its callbacks (per-CPU counters: ${m.inUse()})`);
  if (m.inUse() === 0) {
    unload(kernel, m);
    return Promise.resolve();
  }
  return thread
    .block({ until: () => m.inUse() === 0, what: `the callbacks of module ${m.name} to finish (per-CPU counters)` }, false)
    .then(() => unload(kernel, m));
}

function unload(kernel: Kernel, m: Module): void {
  for (const [engine, started] of kernel.inFlight) {
    if (engine.owner === m) {
      m.state = 'unloaded';
      m.unloadedAt = kernel.stepRef(`module ${m.name} unloaded`);
      kernel.fail(
        'module-code-after-unload',
        `module ${m.name} unloaded while ${started.what}: its code is still running; detach, then wait (utrace_barrier, or per-CPU counters) before unloading`,
        [started],
      );
    }
  }
  m.state = 'unloaded';
  m.unloadedAt = kernel.stepRef(`module ${m.name} unloaded`);
  if (kernel.tracing) kernel.log(`module ${m.name} unloaded`);
}

/**
 * Allocates a per-CPU counter vector for `kernel`: name it in ops as `percpu_counters` and
 * the kernel increments it before every callback of those engines and decrements it after.
 * @example
 * ```ts
 * import { Kernel, alloc_percpu_counters } from 'utrace';
 * const counters = alloc_percpu_counters(new Kernel());
 * console.log(counters.sum()); // 0
 * ```
 * @public
 * @category Kernel calls
 */
export function alloc_percpu_counters(kernel: Kernel): percpu_counters {
  if (!isInstance(kernel, KernelClass)) throw new UtraceUsageError('bad-kernel', 'alloc_percpu_counters(kernel): pass a Kernel');
  return kernel.alloc_percpu_counters();
}
