/**
 * `utrace_set_events`.
 * @packageDocumentation
 */
import type { any_engine } from '../../types/engine.js';
import type { set_events_result } from '../../types/results.js';
import type { checked_engine } from '../../types/rules.js';
import type { task_struct } from '../../types/task.js';
import { setEvents } from '../kernel/calls/set-events.js';
import { noteEventsEnabled, retag, stateAfterSet } from './transition.js';
import { asEvents, taskAndEngine } from './validate.js';
import { ESRCH } from '../constants/errno.js';

/**
 * Chooses which events `engine` gets callbacks for; never blocks.
 *
 * If `target` was stopped before the call, no callback for a cleared event is made after a
 * 0 return. If it was not and the call clears events, it returns `-EINPROGRESS` while a
 * callback of this engine may be running: a 0 return means no disabled callback can be
 * made; after `-EINPROGRESS` wait with {@link utrace_barrier} or use
 * {@link utrace_set_events_sync}. Adding events never returns `-EINPROGRESS`, nor does a
 * call on the current task.
 *
 * Accepted states: attached, events-cleared, the engine a callback was given, and an
 * rcu-only engine in the call that enables its events (rule 7: no call takes that pointer
 * afterwards). Not a detached engine.
 *
 * @param target - the traced task the engine is attached to.
 * @param engine - the engine handle.
 * @param events - the event mask, `UTRACE_EVENT(...)` bits or-ed together.
 * @returns `{ ret, engine }` where `ret` is:
 * - `0`: done; after a clear down to nothing (or REAP only) the engine is
 *   `'events-cleared'` and the tracer may free what its callbacks use;
 * - `-EINPROGRESS`: a callback of this engine may still be running;
 * - `-EALREADY`: clearing DEATH or QUIESCE while `report_death` may run, clearing REAP after
 *   reap began, or setting DEATH or QUIESCE on a dying task;
 * - `-ESRCH`: the engine is detached.
 * @throws `UtraceUsageError` for a bad task, engine or mask, or a stale handle.
 * @example
 * ```ts
 * import { Kernel, sys, defineOps, utrace_attach_task, utrace_set_events, IS_ERR,
 *   UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('traced', [sys(1)]);
 * const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_entry: () => UTRACE_RESUME }), null);
 * if (!IS_ERR(engine)) {
 *   const r = utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
 *   console.log(r.ret); // 0
 * }
 * ```
 * @public
 * @category Kernel calls
 */
export function utrace_set_events<E extends any_engine, const Ev extends number>(
  target: task_struct,
  engine: checked_engine<E, 'utrace_set_events'>,
  events: Ev,
): set_events_result<E, Ev> {
  const call = 'utrace_set_events';
  const { task, handle, kernel } = taskAndEngine(target, engine, call);
  const mask = asEvents(events, call);
  const record = kernel.useEngine(handle, call);
  const ret = setEvents(kernel, task, record, mask);
  noteEventsEnabled(record);
  const next = ret === 0 ? retag(handle, stateAfterSet(mask)) : ret === -ESRCH ? retag(handle, 'detached') : handle;
  return { ret, engine: next } as unknown as set_events_result<E, Ev>;
}
