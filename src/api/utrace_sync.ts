/**
 * The blocking calls proposed in the 2008 thread: `utrace_set_events_sync`,
 * `utrace_clear_events_sync` and `utrace_detach_sync`.
 * @packageDocumentation
 */
import type { any_engine } from '../../types/engine.js';
import type { detach_sync_result, set_events_sync_result } from '../../types/results.js';
import type { checked_engine } from '../../types/rules.js';
import type { task_struct } from '../../types/task.js';
import { detachSync, setEventsSync } from '../kernel/calls/sync.js';
import { moveTo, noteEventsEnabled, stateAfterSet } from './transition.js';
import { asEvents, taskAndEngine } from './validate.js';
import { ESRCH } from '../constants/errno.js';

/**
 * Like {@link utrace_set_events}, but waits until no callback for a cleared event can be
 * running: a 0 return means none is running and none will be made. Blocking: call it from a
 * tracer thread, never from a callback or inside an RCU read-side section.
 *
 * Accepted states: a counted reference, attached or events-cleared. Not an rcu-only engine
 * (while it waits, a callback returning `UTRACE_DETACH` could free the engine under it: take
 * a counted reference with {@link utrace_engine_get} before enabling events), not a detached
 * one, not the engine a callback was given.
 *
 * @param target - the traced task the engine is attached to.
 * @param engine - a counted handle.
 * @param events - the new event mask (`UTRACE_EVENT(...)` bits).
 * @returns `{ ret, engine }`; `ret` is `0` (the engine is `'events-cleared'` when only REAP
 * or nothing is left), `-ESRCH` (detached; `report_reap` is running; or the task is dead and
 * the call newly sets DEATH or QUIESCE, whose report is over) or `-ERESTARTSYS` (the tracer
 * thread was interrupted).
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys, defineOps, utrace_attach_task, utrace_set_events,
 *   utrace_set_events_sync, utrace_detach_sync, utrace_engine_put, IS_ERR, UTRACE_ATTACH_CREATE,
 *   UTRACE_EVENT, UTRACE_RESUME } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('traced', [sys(1), sys(2)]);
 * const ops = defineOps({ report_syscall_entry: () => UTRACE_RESUME, report_reap: () => undefined });
 * const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
 * if (IS_ERR(engine)) throw new Error('attach failed');
 * utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY') | UTRACE_EVENT('REAP'));
 * kernel.tracer('tracer', async () => {
 *   const r = await utrace_set_events_sync(task, engine, UTRACE_EVENT('REAP'));
 *   if (r.ret !== 0) return utrace_engine_put(r.engine); // -ESRCH: detached; -ERESTARTSYS
 *   console.log(r.engine.flags); // 2: no syscall callback runs or will run
 *   const d = await utrace_detach_sync(task, r.engine);
 *   utrace_engine_put(d.engine);
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel calls
 */
export function utrace_set_events_sync<E extends any_engine, const Ev extends number>(
  target: task_struct,
  engine: checked_engine<E, 'utrace_set_events_sync'>,
  events: Ev,
): Promise<set_events_sync_result<E, Ev>> {
  return syncSet(target, engine, events, 'utrace_set_events_sync') as Promise<set_events_sync_result<E, Ev>>;
}

/**
 * `utrace_set_events_sync(target, engine, 0)`: no callback of this engine is running and
 * none will be made once it returns 0. Blocking: from a tracer thread only.
 *
 * Accepted states: a counted reference, attached or events-cleared (as
 * {@link utrace_set_events_sync}).
 *
 * @param target - the traced task the engine is attached to.
 * @param engine - a counted handle.
 * @returns as {@link utrace_set_events_sync}, with the engine `'events-cleared'` on 0.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys, defineOps, utrace_attach_task, utrace_set_events,
 *   utrace_clear_events_sync, utrace_control, utrace_engine_put, IS_ERR, UTRACE_ATTACH_CREATE,
 *   UTRACE_DETACH, UTRACE_EVENT, UTRACE_RESUME } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('traced', [sys(1), sys(2)]);
 * const data = kernel.kmalloc('data', { n: 0 });
 * const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_entry: () => UTRACE_RESUME }), data);
 * if (IS_ERR(engine)) throw new Error('attach failed');
 * utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
 * kernel.tracer('tracer', async () => {
 *   const r = await utrace_clear_events_sync(task, engine);
 *   if (r.ret === -512) return utrace_engine_put(r.engine); // interrupted: nothing synced
 *   kernel.kfree(data); // 0: no callback runs or will run; -ESRCH: the engine is detached
 *   utrace_engine_put(r.ret === 0 ? utrace_control(task, r.engine, UTRACE_DETACH).engine : r.engine);
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel calls
 */
export function utrace_clear_events_sync<E extends any_engine>(
  target: task_struct,
  engine: checked_engine<E, 'utrace_clear_events_sync'>,
): Promise<set_events_sync_result<E, 0>> {
  return syncSet(target, engine, 0, 'utrace_clear_events_sync') as Promise<set_events_sync_result<E, 0>>;
}

/** Checks run before the returned promise exists, so a misuse throws at the call. */
function syncSet(target: unknown, engine: unknown, events: unknown, call: string): Promise<unknown> {
  const { task, handle, kernel } = taskAndEngine(target, engine, call);
  const mask = asEvents(events, call);
  const thread = kernel.currentTracer(call);
  const record = kernel.useEngine(handle, call);
  return setEventsSync(kernel, thread, task, record, mask, true, () => kernel.useEngine(handle, call)).then((ret) => {
    noteEventsEnabled(record);
    if (kernel.tracing) kernel.log(`${call}(${task}, ${record.name}, 0x${mask.toString(16)}) = ${ret}`);
    const next = ret === 0 ? moveTo(handle, stateAfterSet(mask), call) : ret === -ESRCH ? moveTo(handle, 'detached', call) : handle;
    return { ret, engine: next };
  });
}

/**
 * The thread's safe detach: sync the events down to `UTRACE_EVENT(REAP)`, then
 * `UTRACE_DETACH`, waiting out every callback in progress. Not interruptible. Blocking: from
 * a tracer thread only.
 *
 * Accepted states: a counted reference, attached or events-cleared. Not an rcu-only engine
 * (take a counted reference with {@link utrace_engine_get} before enabling events), not a
 * detached one, not the engine a callback was given (a callback returns `UTRACE_DETACH`
 * instead).
 *
 * @param target - the traced task the engine is attached to.
 * @param engine - a counted handle.
 * @returns `{ ret, engine }` with the engine `'detached'`; `ret` is only ever:
 * - `0`: every callback has finished and none will be made: free your data, unload;
 * - `-ESRCH`: `report_reap` is running now (or the engine was already detached): do the
 *   last cleanup there, or in `release`.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys, defineOps, utrace_attach_task, utrace_set_events,
 *   utrace_detach_sync, utrace_engine_put, IS_ERR, UTRACE_ATTACH_CREATE, UTRACE_EVENT,
 *   UTRACE_RESUME } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('traced', [sys(1), sys(2)]);
 * const data = kernel.kmalloc('data', { n: 0 });
 * const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_entry: () => UTRACE_RESUME }), data);
 * if (IS_ERR(engine)) throw new Error('attach failed');
 * utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
 * kernel.tracer('tracer', async () => {
 *   const r = await utrace_detach_sync(task, engine); // 0 or -ESRCH, never -EINPROGRESS
 *   kernel.kfree(data);
 *   utrace_engine_put(r.engine);
 * });
 * const outcome = await kernel.run(new RoundRobinScheduler());
 * console.log(outcome.status); // 'ok'
 * ```
 * @public
 * @category Kernel calls
 */
export function utrace_detach_sync<E extends any_engine>(
  target: task_struct,
  engine: checked_engine<E, 'utrace_detach_sync'>,
): Promise<detach_sync_result<E>> {
  const call = 'utrace_detach_sync';
  const { task, handle, kernel } = taskAndEngine(target, engine, call);
  const thread = kernel.currentTracer(call);
  const record = kernel.useEngine(handle, call);
  return detachSync(kernel, thread, task, record, () => kernel.useEngine(handle, call)).then((ret) => {
    if (kernel.tracing) kernel.log(`${call}(${task}, ${record.name}) = ${ret}`);
    return { ret, engine: moveTo(handle, 'detached', call) } as unknown as detach_sync_result<E>;
  });
}
