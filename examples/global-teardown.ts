/**
 * The teardown of a global engine, shared by `global-counters` and `global-no-counters`: one
 * set of ops, owned by a module, attached to every task; the tracer detaches each engine
 * without waiting (`-EINPROGRESS` is not looked at), gives each pointer up, and unloads the
 * module. Whether that is safe depends only on whether the ops name per-CPU counters for
 * `module_unload` to wait on.
 * @packageDocumentation
 */
import {
  defineOps,
  type Kernel,
  module_unload,
  sys,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
} from '../src/index.js';
import { attachEach } from '../src/scenario/index.js';

/**
 * Options of {@link buildGlobalTeardown}.
 * @public
 */
export interface GlobalTeardownOptions {
  /** Traced tasks, each making one system call (default 3). */
  readonly tasks?: number;
  /** Whether the ops name a per-CPU counter vector that `module_unload` waits on. */
  readonly counters: boolean;
}

/**
 * Sets up the global engine and its tracer thread in `kernel`.
 * @public
 */
export function buildGlobalTeardown(kernel: Kernel, options: GlobalTeardownOptions): void {
  const count = options.tasks ?? 3;
  const tasks = Array.from({ length: count }, (_, i) => kernel.spawn(`traced-${String.fromCharCode(97 + i)}`, [sys(1)]));
  const mod = kernel.load_module('global_tracer');
  const ops = defineOps({
    owner: mod,
    ...(options.counters ? { percpu_counters: kernel.alloc_percpu_counters() } : {}),
    report_syscall_entry: () => UTRACE_RESUME,
  });
  const engines = attachEach(tasks, ops, null, UTRACE_EVENT('SYSCALL_ENTRY'));

  kernel.tracer('tracer', async () => {
    engines.forEach((engine, i) => {
      // -EINPROGRESS is not waited for: with counters, they cover the callback in progress.
      const detached = utrace_control(tasks[i]!, engine, UTRACE_DETACH);
      utrace_engine_put(detached.engine);
    });
    await module_unload(mod); // waits until the per-CPU counters (if any) sum to zero
  });
}
