/**
 * `utrace_barrier`.
 * @packageDocumentation
 */
import type { any_engine } from '../../types/engine.js';
import type { NEG_ERESTARTSYS, NEG_ESRCH } from '../../types/errno.js';
import type { checked_engine } from '../../types/rules.js';
import type { task_struct } from '../../types/task.js';
import { UtraceUsageError } from '../errors.js';
import { barrier } from '../kernel/calls/barrier.js';
import { taskAndEngine } from './validate.js';

/**
 * Blocks while `target` may be in a callback of `engine`. The only call that accepts an
 * engine already passed to `UTRACE_DETACH`; it needs no live task, only a counted reference.
 * A 0 return is ordered after earlier utrace_set_events / utrace_control calls: any callback
 * they raced with has finished and its return value has taken effect. Blocking: call it from
 * a tracer thread, never inside an RCU read-side section; from a callback only on that
 * callback's own task, where it returns 0 at once, as the kernel's does when the target is
 * `current` (snajpa/openvz6-kernel\@4aadb2adba8a39015e634507e5c41a74e44968e6:kernel/utrace.c:1315-1353,
 * the early return at lines 1320-1321).
 *
 * Accepted states: a counted reference, attached or detached; the engine a callback was given,
 * inside that callback, on its own task. Not an rcu-only engine (rule 1), not an
 * events-cleared one (nothing can be running).
 *
 * @param target - the traced task (it may already be reaped).
 * @param engine - a counted handle, or the callback's own engine.
 * @returns
 * - `0`: no callback of this engine is in progress (the engine is attached);
 * - `-ESRCH`: the engine is fully detached: every callback has finished (the normal result
 *   after `UTRACE_DETACH`, once the task unlinked it);
 * - `-ERESTARTSYS`: the tracer thread was interrupted by a signal.
 * @throws `UtraceUsageError` for a bad task or engine, a stale handle, or a call outside a
 * tracer thread.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys, defineOps, utrace_attach_task, utrace_control,
 *   utrace_barrier, utrace_engine_put, utrace_set_events, IS_ERR, UTRACE_ATTACH_CREATE,
 *   UTRACE_DETACH, UTRACE_EVENT, UTRACE_RESUME } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('traced', [sys(1)]);
 * const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_entry: () => UTRACE_RESUME }), null);
 * if (IS_ERR(engine)) throw new Error('attach failed');
 * utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
 * kernel.tracer('tracer', async () => {
 *   const r = utrace_control(task, engine, UTRACE_DETACH);
 *   if (r.ret === -115) console.log(await utrace_barrier(task, r.engine)); // -3, once unlinked
 *   utrace_engine_put(r.engine);
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel calls
 */
export function utrace_barrier<E extends any_engine>(
  target: task_struct,
  engine: checked_engine<E, 'utrace_barrier'>,
): Promise<0 | NEG_ESRCH | NEG_ERESTARTSYS> {
  const call = 'utrace_barrier';
  const { task, handle, kernel } = taskAndEngine(target, engine, call);
  if (kernel.callback !== null && kernel.current !== null && kernel.current === task.thread) {
    // target == current (reference §1.5): from a callback of the task itself, nothing to wait for.
    const record = kernel.useEngine(handle, call);
    if (kernel.tracing) kernel.log(`utrace_barrier(${task}, ${record.name}) = 0: called on the current task`);
    return Promise.resolve(0);
  }
  const thread = kernel.currentTracer(call);
  if (handle.state === 'in-callback') {
    throw new UtraceUsageError(
      'callback-engine',
      `${call}: the engine a callback is given is valid only until that callback returns (and there, on its own task, utrace_barrier returns 0 at once); from a tracer thread, wait on a counted reference: take one with utrace_engine_get in the callback`,
    );
  }
  const record = kernel.useEngine(handle, call);
  return barrier(kernel, thread, task, record, () => kernel.useEngine(handle, call)).then((ret) => {
    if (kernel.tracing) kernel.log(`utrace_barrier(${task}, ${record.name}) = ${ret}`);
    return ret as 0 | NEG_ESRCH | NEG_ERESTARTSYS;
  });
}
