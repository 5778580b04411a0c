/**
 * Writing ops so the compiler keeps the literal return types of the callbacks, which the
 * detach inference reads; and building combined return values.
 * @packageDocumentation
 */
import type { combined_return, utrace_resume_action_t, utrace_signal_action_t, utrace_syscall_action_t } from '../../types/actions.js';
import type { utrace_engine_ops } from '../../types/ops.js';
import { integerArg, readFields } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';

/**
 * Returns `ops` unchanged, typed with each callback's literal return type, so that
 * `utrace_attach_task` can tell whether a callback may return `UTRACE_DETACH` (the engine
 * is then `'rcu-only'`). Each callback is checked against what it may return (SPEC rule 4).
 * @example
 * ```ts
 * import { defineOps, UTRACE_RESUME, UTRACE_DETACH } from 'utrace';
 * const ops = defineOps({
 *   report_syscall_entry: () => UTRACE_RESUME,
 *   report_death: () => UTRACE_DETACH,
 * });
 * ```
 * @public
 */
export function defineOps<const O extends utrace_engine_ops<D>, D = any>(ops: O): O {
  if (typeof ops !== 'object' || ops === null) {
    throw new UtraceUsageError('bad-ops', 'defineOps: pass an object of callbacks (report_syscall_entry, report_death, ...)');
  }
  // Every field the kernel will read must be readable: a revoked Proxy or a throwing getter is refused here.
  readFields(ops, OPS_FIELDS, 'defineOps', 'bad-ops', 'ops');
  return ops;
}

/** The fields of an ops object the kernel reads. */
const OPS_FIELDS = [
  'report_quiesce', 'report_signal', 'report_clone', 'report_jctl', 'report_exec', 'report_syscall_entry',
  'report_syscall_exit', 'report_exit', 'report_death', 'report_reap', 'release', 'owner', 'percpu_counters',
] as const;

/**
 * `UTRACE_SYSCALL_ABORT | action` (or `UTRACE_SYSCALL_RUN | action`) for
 * `report_syscall_entry`, typed so the resume action stays visible to the compiler.
 * @example
 * ```ts
 * import { utrace_syscall_return, UTRACE_SYSCALL_ABORT, UTRACE_RESUME } from 'utrace';
 * console.log(utrace_syscall_return(UTRACE_SYSCALL_ABORT, UTRACE_RESUME)); // 21
 * ```
 * @public
 */
export function utrace_syscall_return<R extends utrace_resume_action_t>(
  syscall_action: utrace_syscall_action_t,
  action: R,
): combined_return<R, 'syscall'> {
  const call = 'utrace_syscall_return';
  return (integerArg(syscall_action, 'syscall_action', call) | integerArg(action, 'action', call)) as combined_return<R, 'syscall'>;
}

/**
 * `signal_action | action` (and `UTRACE_SIGNAL_HOLD` when `hold`) for `report_signal`,
 * typed so the resume action stays visible to the compiler.
 * @example
 * ```ts
 * import { utrace_signal_return, UTRACE_SIGNAL_IGN, UTRACE_RESUME } from 'utrace';
 * console.log(utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_RESUME)); // 21
 * ```
 * @public
 */
export function utrace_signal_return<R extends utrace_resume_action_t>(
  signal_action: utrace_signal_action_t,
  action: R,
  hold = false,
): combined_return<R, 'signal'> {
  const call = 'utrace_signal_return';
  return (integerArg(signal_action, 'signal_action', call) | integerArg(action, 'action', call) | (hold ? 0x100 : 0)) as combined_return<R, 'signal'>;
}
