/**
 * `utrace_prepare_examine` and `utrace_finish_examine`.
 * @packageDocumentation
 */
import type { any_engine } from '../../types/engine.js';
import type { NEG_EAGAIN, NEG_EINVAL, NEG_ESRCH } from '../../types/errno.js';
import type { checked_engine } from '../../types/rules.js';
import type { task_struct } from '../../types/task.js';
import { UtraceUsageError } from '../errors.js';
import { finishExamine, prepareExamine, type utrace_examiner } from '../kernel/calls/examine.js';
import { taskAndEngine } from './validate.js';

function asExaminer(value: unknown, call: string): utrace_examiner {
  let ok = false;
  try {
    ok = typeof value === 'object' && value !== null && 'ncsw' in value && 'state' in value;
  } catch {
    ok = false; // a revoked Proxy, or a throwing has trap
  }
  if (!ok) {
    throw new UtraceUsageError('bad-examiner', `${call}: pass an examiner made by utrace_examiner_init()`);
  }
  return value as utrace_examiner;
}

/**
 * Prepares to examine a task that this engine keeps stopped: waits until it is off the
 * CPU and records its state for {@link utrace_finish_examine}. Call it after a 0 from
 * `utrace_control(UTRACE_STOP)` or after a callback returned `UTRACE_STOP`. Blocking: from a
 * tracer thread only.
 *
 * Accepted states: an attached counted reference. Not an rcu-only, events-cleared or detached
 * engine, not the engine a callback was given.
 *
 * @param target - the task to examine.
 * @param engine - a counted handle of an engine keeping `target` stopped.
 * @param exam - an examiner from `utrace_examiner_init()`, handed to utrace_finish_examine.
 * @returns
 * - `0`: examine now, then call utrace_finish_examine;
 * - `-EINVAL`: this engine is not keeping the task stopped;
 * - `-ESRCH`: the task has exited, or the engine is detached;
 * - `-EAGAIN`: the task is running, or woke (SIGKILL) while waited for.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys, defineOps, utrace_attach_task, utrace_set_events,
 *   utrace_prepare_examine, utrace_finish_examine, utrace_examiner_init, utrace_detach_sync,
 *   utrace_engine_put, schedule, IS_ERR, UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_STOP } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('traced', [sys(1)]);
 * const ops = defineOps({ report_syscall_entry: () => UTRACE_STOP }); // stop it at syscall entry
 * const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
 * if (IS_ERR(engine)) throw new Error('attach failed');
 * utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
 * kernel.tracer('tracer', async () => {
 *   const exam = utrace_examiner_init();
 *   let ret = await utrace_prepare_examine(task, engine, exam);
 *   while (ret === -22 || ret === -11) { // not stopped by us yet, or still running
 *     await schedule();
 *     ret = await utrace_prepare_examine(task, engine, exam);
 *   }
 *   if (ret === 0) console.log(utrace_finish_examine(task, engine, exam)); // 0: what was read holds
 *   const d = await utrace_detach_sync(task, engine); // detaching resumes the task
 *   utrace_engine_put(d.engine);
 * });
 * await kernel.run(new RoundRobinScheduler());
 * ```
 * @public
 * @category Kernel calls
 */
export function utrace_prepare_examine<E extends any_engine>(
  target: task_struct,
  engine: checked_engine<E, 'utrace_prepare_examine'>,
  exam: utrace_examiner,
): Promise<0 | NEG_EINVAL | NEG_ESRCH | NEG_EAGAIN> {
  const call = 'utrace_prepare_examine';
  const { task, handle, kernel } = taskAndEngine(target, engine, call);
  const examiner = asExaminer(exam, call);
  const thread = kernel.currentTracer(call);
  const record = kernel.useEngine(handle, call);
  return prepareExamine(kernel, thread, task, record, examiner) as Promise<0 | NEG_EINVAL | NEG_ESRCH | NEG_EAGAIN>;
}

/**
 * Ends an examination begun with {@link utrace_prepare_examine}. On any error, discard
 * what was read in between: the task ran (SIGKILL can wake it).
 *
 * Accepted states: an attached counted reference.
 *
 * @param target - the examined task.
 * @param engine - the handle given to utrace_prepare_examine.
 * @param exam - the examiner given to utrace_prepare_examine.
 * @returns `0`, `-EINVAL` (this engine is not keeping the task stopped), `-ESRCH`
 * (detached) or `-EAGAIN` (the task ran since prepare).
 * @example
 * ```ts
 * import { utrace_examiner_init } from 'utrace';
 * const exam = utrace_examiner_init(); // ... then: utrace_finish_examine(task, engine, exam)
 * ```
 * @public
 * @category Kernel calls
 */
export function utrace_finish_examine<E extends any_engine>(
  target: task_struct,
  engine: checked_engine<E, 'utrace_finish_examine'>,
  exam: utrace_examiner,
): 0 | NEG_EINVAL | NEG_ESRCH | NEG_EAGAIN {
  const call = 'utrace_finish_examine';
  const { task, handle, kernel } = taskAndEngine(target, engine, call);
  const examiner = asExaminer(exam, call);
  const record = kernel.useEngine(handle, call);
  return finishExamine(kernel, task, record, examiner) as 0 | NEG_EINVAL | NEG_ESRCH | NEG_EAGAIN;
}
