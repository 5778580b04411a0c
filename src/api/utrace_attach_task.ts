/**
 * `utrace_attach_task` and `utrace_attach_pid`.
 * @packageDocumentation
 */
import type { attach_state, utrace_engine } from '../../types/engine.js';
import type { err_ptr } from '../../types/err-ptr.js';
import type { NEG_EEXIST, NEG_EINVAL, NEG_ENOENT, NEG_ENOMEM, NEG_EPERM, NEG_ESRCH } from '../../types/errno.js';
import type { utrace_engine_ops } from '../../types/ops.js';
import type { pid_struct, task_struct } from '../../types/task.js';
import { ERR_PTR } from '../constants/err-ptr.js';
import { UtraceUsageError } from '../errors.js';
import { attachTask } from '../kernel/calls/attach.js';
import { EngineHandle } from '../kernel/engine.js';
import { PidRef } from './pid.js';
import { isInstance } from '../constants/integer-arg.js';
import { asInteger, asTask, describe } from './validate.js';

/**
 * The errors `utrace_attach_task` may return.
 * @public
 */
export type attach_error = err_ptr<NEG_ENOENT | NEG_EINVAL | NEG_EPERM | NEG_ENOMEM | NEG_EEXIST | NEG_ESRCH>;

/**
 * What an attach returns for ops `O` and data `D`: the engine (rcu-only when its callbacks
 * may detach it), or an error value.
 * @public
 */
export type attach_result<O, D> = utrace_engine<attach_state<O>, D, O> | attach_error;

function attach(task: unknown, flags: unknown, ops: unknown, data: unknown, call: string): unknown {
  const t = asTask(task, call);
  const f = asInteger(flags, 'flags', call);
  // UTRACE_ATTACH_MATCH_MASK | CREATE | EXCLUSIVE: other bits (or a negative number, or one
  // past 32 bits, which bitwise tests would misread) are no flags of the kernel's.
  if (f < 0 || f > 0x3f) {
    throw new UtraceUsageError('attach-flags', `${call}: flags must be made of UTRACE_ATTACH_* bits (0 to 0x3f); got ${describe(f)}`);
  }
  if (ops !== null && ops !== undefined && typeof ops !== 'object') {
    throw new UtraceUsageError('bad-ops', `${call}: ops must be a utrace_engine_ops object (see defineOps); got ${describe(ops)}`);
  }
  const r = attachTask(t.kernel, t, f, ops as utrace_engine_ops<unknown> | null | undefined, data);
  if (typeof r === 'number') return ERR_PTR(r);
  return new EngineHandle(r.engine, 'attached');
}

/**
 * Attaches a new engine to `target`, or looks up an attached one.
 *
 * With `UTRACE_ATTACH_CREATE` a new engine is made; it gets callbacks from the next event
 * on (never for an event being reported now) once its events are set with
 * {@link utrace_set_events}. The pointer returned is the tracer's own, not a counted
 * reference; give it up with {@link utrace_engine_put}. Without `UTRACE_ATTACH_CREATE` the
 * first attached engine matching `UTRACE_ATTACH_MATCH_OPS` / `_DATA` is returned with a new
 * counted reference. `UTRACE_ATTACH_EXCLUSIVE` refuses a second matching engine.
 *
 * The engine's type state is `'rcu-only'` when some callback of `ops` other than
 * `report_death` may return `UTRACE_DETACH` (its pointer may be kept alive only by RCU),
 * `'attached'` otherwise.
 *
 * @returns the engine, or an error value (test with `IS_ERR`, read with `PTR_ERR`):
 * - `-ENOENT`: lookup only, and no engine matches (or none was ever attached);
 * - `-EINVAL`: `UTRACE_ATTACH_CREATE` with no ops;
 * - `-EPERM`: `target` is a kernel thread;
 * - `-ENOMEM`: allocation failed;
 * - `-EEXIST`: `UTRACE_ATTACH_EXCLUSIVE` and a matching engine exists;
 * - `-ESRCH`: the task is being reaped and never had an engine.
 * @throws `UtraceUsageError` when `target` is not a task or `flags` not an integer.
 * @example
 * ```ts
 * import { Kernel, sys, defineOps, utrace_attach_task, IS_ERR, UTRACE_ATTACH_CREATE, UTRACE_RESUME } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('traced', [sys(1)]);
 * const ops = defineOps({ report_syscall_entry: () => UTRACE_RESUME });
 * const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
 * if (!IS_ERR(engine)) console.log(engine.flags); // 0
 * ```
 * @public
 */
export function utrace_attach_task<const O extends utrace_engine_ops<D>, D>(
  target: task_struct,
  flags: number,
  ops: O,
  data: D,
): attach_result<O, D> {
  return attach(target, flags, ops, data, 'utrace_attach_task') as attach_result<O, D>;
}

/**
 * {@link utrace_attach_task} for the task `pid` names.
 * @returns as utrace_attach_task, and `-ESRCH` when no task has that pid any more.
 * @example
 * ```ts
 * import { Kernel, sys, defineOps, find_get_pid, utrace_attach_pid, IS_ERR, PTR_ERR, UTRACE_ATTACH_CREATE } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('traced', [sys(1)]);
 * const engine = utrace_attach_pid(find_get_pid(kernel, task.pid), UTRACE_ATTACH_CREATE, defineOps({}), null);
 * console.log(IS_ERR(engine)); // false
 * ```
 * @public
 */
export function utrace_attach_pid<const O extends utrace_engine_ops<D>, D>(
  pid: pid_struct,
  flags: number,
  ops: O,
  data: D,
): attach_result<O, D> {
  if (!isInstance(pid, PidRef)) {
    throw new UtraceUsageError('bad-pid', `utrace_attach_pid: pid must come from find_get_pid; got ${describe(pid)}`);
  }
  const task = (pid as PidRef).kernel.find_task_by_pid((pid as PidRef).nr);
  if (task === undefined) return ERR_PTR(-3) as attach_result<O, D>;
  return utrace_attach_task(task, flags, ops, data);
}

