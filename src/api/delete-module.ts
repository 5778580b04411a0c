/**
 * `delete_module`: module unload as the kernel does it, with the module's static data.
 * @packageDocumentation
 */
import type { module_struct } from '../../types/module.js';
import { describeArg, isInstance } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { runningKernel } from '../kernel/current.js';
import { KBox } from '../kernel/kbox.js';
import { Module, moduleKernels } from '../kernel/module.js';

const moduleData = new WeakMap<Module, KBox<unknown>[]>();

function asModule(value: unknown, call: string): Module {
  if (!isInstance(value, Module)) throw new UtraceUsageError('bad-module', `${call}: pass a module made by Kernel.load_module; got ${describeArg(value)}`);
  return value as Module;
}

/**
 * Declares static data of module `mod` (a global variable of the module's C file): a
 * {@link KBox} that lives as long as the module and is freed with it by
 * {@link delete_module}. Reading or writing it afterwards (a callback still running, a
 * `release` made late, tracer code) is a `use-after-free` naming the object and the module.
 * It is not tracer data: never `kfree` it, and it is no leak when the module stays loaded.
 * @param mod - a module made by `Kernel.load_module`.
 * @param label - the variable's name, for messages.
 * @param value - its initial value.
 * @throws `UtraceUsageError` (rule `bad-module`) when `mod` is not a module, (rule
 * `module-arguments`) when `label` is not a string.
 * @example
 * ```ts
 * import { Kernel, module_data } from 'utrace';
 * const kernel = new Kernel();
 * const mod = kernel.load_module('stap_task_finder');
 * const inuse = module_data(mod, '__stp_attach_count', 0);
 * console.log(inuse.value); // 0
 * ```
 * @public
 * @category Kernel calls
 */
export function module_data<T>(mod: module_struct, label: string, value: T): KBox<T> {
  const m = asModule(mod, 'module_data');
  if (typeof label !== 'string') throw new UtraceUsageError('module-arguments', `module_data(mod, label, value): label is a string naming the variable in messages; got ${describeArg(label)}`);
  const kernel = moduleKernels.get(m)!;
  const box = new KBox<T>(kernel, label, value);
  box.moduleName = m.name;
  const list = moduleData.get(m) ?? [];
  list.push(box as KBox<unknown>);
  moduleData.set(m, list);
  return box;
}

/**
 * Unloads `mod` as the kernel's `delete_module(2)` does without `O_NONBLOCK`: no new
 * reference may be taken (`going`), the caller sleeps until the module's reference count
 * (the per-CPU counters of the ops it owns) is zero, the module's `exit` function runs (on
 * this tracer thread; it may sleep), and then the module's code and static data (every
 * {@link module_data}) are freed. After that, a callback or `release` of the module is
 * `module-code-after-unload`, and a use of its data a `use-after-free` naming it; a callback
 * of the module still running when the code is freed is `module-code-after-unload` too.
 * `module_unload` is the same sequence without an exit function and without module data.
 * Blocking: tracer code only.
 * @param mod - a module made by `Kernel.load_module`.
 * @param exit - the module's exit function (`module_exit`), if any.
 * @returns a promise resolved once the module is freed.
 * @throws `UtraceUsageError` (rule `bad-module`) for a bad module, (rule `module-state`)
 * when it is already going or unloaded, (rule `blocking-outside-tracer`) outside a tracer.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, delete_module, module_data } from 'utrace';
 * const kernel = new Kernel();
 * const mod = kernel.load_module('probe');
 * const hits = module_data(mod, 'hits', 0);
 * kernel.tracer('rmmod', async () => {
 *   await delete_module(mod, async () => {
 *     hits.value = 0; // the exit function may still use the module's data
 *   });
 * });
 * console.log((await kernel.run(new RoundRobinScheduler())).status); // 'ok'
 * ```
 * @public
 * @category Kernel calls
 */
export async function delete_module(mod: module_struct, exit?: () => Promise<void> | void): Promise<void> {
  const m = asModule(mod, 'delete_module');
  if (exit !== undefined && typeof exit !== 'function') throw new UtraceUsageError('module-arguments', `delete_module(mod, exit): exit is the module's exit function, or left out; got ${describeArg(exit)}`);
  const kernel = runningKernel();
  if (kernel === null || kernel.id !== m.kernelId) {
    throw new UtraceUsageError('blocking-outside-tracer', 'delete_module blocks, so it can only be called from a tracer thread of the module\'s kernel while it runs');
  }
  const thread = kernel.currentTracer('delete_module');
  if (m.state !== 'live') throw new UtraceUsageError('module-state', `delete_module: module ${m.name} is already ${m.state}`);
  m.state = 'going';
  kernel.progressMark++;
  if (kernel.tracing) kernel.log(`delete_module(${m.name}): going; waiting for its reference count (per-CPU counters: ${m.inUse()})`);
  if (m.inUse() !== 0) await thread.block({ until: () => m.inUse() === 0, what: `the reference count of module ${m.name} to drop to zero (delete_module)` }, false);
  if (exit !== undefined) {
    if (kernel.tracing) kernel.log(`delete_module(${m.name}): running its exit function`);
    await exit();
  }
  const at = kernel.stepRef(`delete_module(${m.name}) freed the module's code and static data`);
  for (const box of moduleData.get(m) ?? []) box.markFreed(at);
  m.state = 'unloaded';
  m.unloadedAt = at;
  for (const [engine, started] of kernel.inFlight) {
    if (engine.owner === m) {
      kernel.fail('module-code-after-unload', `module ${m.name} freed by delete_module while ${started.what}: its code is still running; the exit function must detach and wait (utrace_barrier, or the per-CPU counters) first`, [started]);
    }
  }
  if (kernel.tracing) kernel.log(`delete_module(${m.name}): code and static data freed`);
}
