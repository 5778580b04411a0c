/**
 * `utrace_control`.
 * @packageDocumentation
 */
import type { any_engine } from '../../types/engine.js';
import type { control_result } from '../../types/results.js';
import type { checked_engine } from '../../types/rules.js';
import type { task_struct } from '../../types/task.js';
import { UTRACE_DETACH } from '../constants/resume-actions.js';
import { control } from '../kernel/calls/control.js';
import { isFixed, moveTo } from './transition.js';
import { asInteger, taskAndEngine } from './validate.js';
import { EINPROGRESS } from '../constants/errno.js';

/**
 * Asks the traced thread to do `action`; never blocks, so it may be called inside an RCU
 * read-side section.
 *
 * - `UTRACE_STOP`: 0 only when `target` is already stopped; else `-EINPROGRESS`, and a
 *   `report_quiesce` or `report_signal` follows that must return `UTRACE_STOP` to stop it.
 * - `UTRACE_RESUME`: withdraw this engine's stop.
 * - `UTRACE_REPORT`, `UTRACE_SINGLESTEP`, `UTRACE_BLOCKSTEP`: need `UTRACE_EVENT(QUIESCE)`.
 * - `UTRACE_INTERRUPT`: like REPORT, and interrupt a system call.
 * - `UTRACE_DETACH`: detach. If `target` was stopped, 0 means no callback will be made any
 *   more. Else `-EINPROGRESS` says a callback may still be running: the detach completes
 *   when it finishes; wait with {@link utrace_barrier} before freeing what it uses.
 *
 * Accepted states: attached, events-cleared, the engine a callback was given, and an
 * rcu-only engine before its events are enabled (rule 7). Not a detached engine.
 *
 * @param target - the traced task the engine is attached to.
 * @param engine - the engine handle.
 * @param action - a resume action, `UTRACE_STOP` to `UTRACE_DETACH`.
 * @returns `{ ret, engine }`; an accepted DETACH (0 or `-EINPROGRESS`) moves a counted
 * reference to `'detached'` and revokes the handle passed in (an rcu-only pointer stays
 * rcu-only, and no call takes it afterwards). `ret` is:
 * - `0`: done;
 * - `-EINPROGRESS`: STOP not yet in effect, or DETACH while a callback may be running;
 * - `-ESRCH`: the engine is detached (a second DETACH gets this), or the task is dead and
 *   the action is not DETACH, or DETACH after reap began;
 * - `-EALREADY`: DETACH while `report_death` may be running: it and `report_reap` will come;
 * - `-EINVAL`: `action` out of range, or REPORT / SINGLESTEP / BLOCKSTEP without QUIESCE;
 * - `-EOPNOTSUPP`: SINGLESTEP on an architecture without it.
 * @throws `UtraceUsageError` for a bad task or engine, a non-integer action, or a stale handle.
 * @example
 * ```ts
 * import { Kernel, sys, defineOps, utrace_attach_task, utrace_control, IS_ERR,
 *   UTRACE_ATTACH_CREATE, UTRACE_DETACH } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('traced', [sys(1)]);
 * const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({}), null);
 * if (!IS_ERR(engine)) {
 *   const r = utrace_control(task, engine, UTRACE_DETACH);
 *   console.log(r.ret); // 0
 * }
 * ```
 * @public
 * @category Kernel calls
 */
export function utrace_control<E extends any_engine, const A extends number>(
  target: task_struct,
  engine: checked_engine<E, 'utrace_control'>,
  action: A,
): control_result<E, A> {
  const call = 'utrace_control';
  const { task, handle, kernel } = taskAndEngine(target, engine, call);
  const act = asInteger(action, 'action', call);
  const record = kernel.useEngine(handle, call);
  const ret = control(kernel, task, record, act);
  // An RCU-kept pointer or a callback's engine keeps its state (rule 7 refuses the pointer from now on).
  const accepted = act === UTRACE_DETACH && (ret === 0 || ret === -EINPROGRESS) && !isFixed(handle.state);
  const next = accepted ? moveTo(handle, 'detached', 'utrace_control(UTRACE_DETACH)') : handle;
  return { ret, engine: next } as unknown as control_result<E, A>;
}
