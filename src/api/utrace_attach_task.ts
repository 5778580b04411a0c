/**
 * `utrace_attach_task` and `utrace_attach_pid`.
 * @packageDocumentation
 */
import type { attach_state, claim_of, detaching_callbacks, utrace_engine } from '../../types/engine.js';
import type { err_ptr } from '../../types/err-ptr.js';
import type { NEG_EEXIST, NEG_EINVAL, NEG_ENOENT, NEG_ENOMEM, NEG_EPERM, NEG_ESRCH } from '../../types/errno.js';
import type { defined_ops, detach_claim } from '../../types/ops.js';
import type { pid_struct, task_struct } from '../../types/task.js';
import { ERR_PTR } from '../constants/err-ptr.js';
import { UtraceUsageError } from '../errors.js';
import { attachTask } from '../kernel/calls/attach.js';
import { CountedRef, EngineHandle } from '../kernel/engine.js';
import { Module } from '../kernel/module.js';
import { opsForAttach } from './define-ops.js';
import { PidRef } from './pid.js';
import { isInstance } from '../constants/integer-arg.js';
import { asInteger, asTask, describe } from './validate.js';
import { ESRCH } from '../constants/errno.js';
import { UTRACE_ATTACH_CREATE, UTRACE_ATTACH_EXCLUSIVE, UTRACE_ATTACH_MATCH_MASK } from '../constants/attach-flags.js';

/** Every `UTRACE_ATTACH_*` bit. */
const ATTACH_FLAGS_ALL = UTRACE_ATTACH_MATCH_MASK | UTRACE_ATTACH_CREATE | UTRACE_ATTACH_EXCLUSIVE;

/**
 * The errors `utrace_attach_task` may return.
 * @public
 * @category Kernel calls
 */
export type attach_error = err_ptr<NEG_ENOENT | NEG_EINVAL | NEG_EPERM | NEG_ENOMEM | NEG_EEXIST | NEG_ESRCH>;

/**
 * The flags of a lookup (no `UTRACE_ATTACH_CREATE`), as literal values.
 * @public
 * @category Kernel calls
 */
export type lookup_flags =
  | 0x0 | 0x1 | 0x2 | 0x3 | 0x4 | 0x5 | 0x6 | 0x7 | 0x8 | 0x9 | 0xa | 0xb | 0xc | 0xd | 0xe | 0xf
  | 0x20 | 0x21 | 0x22 | 0x23 | 0x24 | 0x25 | 0x26 | 0x27 | 0x28 | 0x29 | 0x2a | 0x2b | 0x2c | 0x2d | 0x2e | 0x2f;

/**
 * The state an attach with flags `F` and ops `O` gives: `'attached'` for a lookup (a counted
 * reference), the state of the ops' claim for a CREATE, either when the flags are not a
 * literal the compiler can read.
 * @public
 * @category Kernel calls
 */
export type attach_state_for<O, F extends number> = [F] extends [lookup_flags]
  ? 'attached'
  : number extends F
    ? attach_state<O> | 'attached'
    : attach_state<O>;

/**
 * `O` itself, unless its visible callbacks contradict its claim (an `Object.assign` result
 * adding a detaching callback to never-detaches ops): then a sentence naming them.
 * @public
 * @category Kernel calls
 */
export type consistent_ops<O> = [claim_of<O>] extends ['never-detaches']
  ? [detaching_callbacks<O>] extends [never]
    ? O
    : `utrace_attach: these ops claim never to detach, but ${detaching_callbacks<O> & string} may return UTRACE_DETACH; make them with defineOps(ops, 'may-detach')`
  : O;

/**
 * The data type ops `O` take (their callbacks read it).
 * @public
 * @category Kernel calls
 */
export type data_of_ops<O> = O extends defined_ops<infer D, detach_claim> ? D : never;

/**
 * The flags of a lookup that ignores its data argument (no `UTRACE_ATTACH_CREATE`, no
 * `UTRACE_ATTACH_MATCH_DATA`), as literal values.
 * @public
 * @category Kernel calls
 */
export type dataless_lookup_flags = Exclude<lookup_flags, 0x2 | 0x3 | 0x6 | 0x7 | 0xa | 0xb | 0xe | 0xf | 0x22 | 0x23 | 0x26 | 0x27 | 0x2a | 0x2b | 0x2e | 0x2f>;

/**
 * The data an attach with flags `F` takes for ops `O`: the ops' data type, or also `null` for a
 * lookup that does not match on data (the kernel ignores the argument then, and callers pass
 * `NULL`).
 * @public
 * @category Kernel calls
 */
export type attach_data<O, F extends number> = [F] extends [dataless_lookup_flags] ? data_of_ops<O> | null : data_of_ops<O>;

/**
 * The data type of the engine an attach with flags `F`, ops `O` and data `D` gives: `D` for a
 * CREATE or a lookup on data; the ops' data type for a lookup that ignores its data argument
 * (the engine found was made with these ops, so with data of their type), unless the ops'
 * callbacks read `unknown`.
 * @public
 * @category Kernel calls
 */
export type attached_data<O, D, F extends number> = [F] extends [dataless_lookup_flags]
  ? unknown extends data_of_ops<O> ? D : data_of_ops<O>
  : D;

/**
 * What an attach returns for ops `O`, data `D` and flags `F`: the engine (rcu-only when a
 * CREATE attach of may-detach ops), or an error value. A union of ops gives a union of engines.
 * @public
 * @category Kernel calls
 */
export type attach_result<O, D, F extends number = number> =
  | (O extends unknown ? utrace_engine<attach_state_for<O, F>, D, O> : never)
  | attach_error;

function attach(task: unknown, flags: unknown, ops: unknown, data: unknown, call: string): unknown {
  const t = asTask(task, call);
  const f = asInteger(flags, 'flags', call);
  // UTRACE_ATTACH_MATCH_MASK | CREATE | EXCLUSIVE: other bits (or a negative number, or one
  // past 32 bits, which bitwise tests would misread) are no flags of the kernel's.
  if (f < 0 || f > ATTACH_FLAGS_ALL) {
    throw new UtraceUsageError('attach-flags', `${call}: flags must be made of UTRACE_ATTACH_* bits (0 to 0x3f); got ${describe(f)}`);
  }
  // No ops: a lookup matches on data or takes the first engine; a CREATE gets -EINVAL.
  const given = ops === null || ops === undefined ? null : opsForAttach(ops, call);
  if (given !== null) {
    const { owner, percpu_counters: counters } = given.ops as { owner?: unknown; percpu_counters?: { kernelId: number } };
    const kernelId = (owner instanceof Module ? owner.kernelId : undefined) ?? counters?.kernelId;
    if (kernelId !== undefined && kernelId !== t.kernel.id) {
      throw new UtraceUsageError('foreign-ops', `${call}: the ops' owner or percpu_counters belong to another kernel than ${t}; make them with the kernel the task runs in`);
    }
  }
  const r = attachTask(t.kernel, t, f, given?.ops, data, given?.claim ?? 'never-detaches');
  if (typeof r === 'number') return ERR_PTR(r);
  if (!r.lookup && r.engine.claim === 'may-detach') return new EngineHandle(r.engine, 'rcu-only');
  return new EngineHandle(r.engine, 'attached', new CountedRef());
}

/**
 * Attaches a new engine to `target`, or looks up an attached one (SPEC §3, memory rule v2).
 *
 * With `UTRACE_ATTACH_CREATE` a new engine is made; it gets callbacks from the next event
 * on (never for an event being reported now) once its events are set with
 * {@link utrace_set_events}. For ops that never detach, the handle returned is a counted
 * reference (`'attached'`) that owes exactly one {@link utrace_engine_put}. For ops made with
 * `defineOps(ops, 'may-detach')` it is an RCU-kept pointer (`'rcu-only'`) that owes no put:
 * before enabling any event, take a counted reference with {@link utrace_engine_get} (which
 * consumes it), or enable the events through it and never touch it again (rule 7).
 *
 * Without `UTRACE_ATTACH_CREATE` the first attached engine matching `UTRACE_ATTACH_MATCH_OPS`
 * / `_DATA` is returned as a new counted reference (`'attached'`), which owes one put.
 * `UTRACE_ATTACH_EXCLUSIVE` refuses a second matching engine.
 *
 * @param target - the task to trace (kept alive by the caller).
 * @param flags - `UTRACE_ATTACH_*` bits; a literal lets the compiler tell a lookup from a CREATE.
 * @param ops - ops made by {@link defineOps} (plain objects from JavaScript are checked, frozen
 * and taken as never detaching); for a lookup, the ops to match, or null.
 * @param data - the engine's private data, of the type the ops' callbacks read; a lookup
 * without `UTRACE_ATTACH_MATCH_DATA` ignores it and also takes `null`, and the engine it finds
 * carries the ops' data type.
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
 * @category Kernel calls
 */
export function utrace_attach_task<const O extends defined_ops<any, detach_claim>, D extends attach_data<O, F>, const F extends number>(
  target: task_struct,
  flags: F,
  ops: consistent_ops<O>,
  data: D,
): attach_result<O, attached_data<O, D, F>, F> {
  return attach(target, flags, ops, data, 'utrace_attach_task') as attach_result<O, attached_data<O, D, F>, F>;
}

/**
 * {@link utrace_attach_task} for the task `pid` names.
 * @param pid - a pid from {@link find_get_pid}.
 * @param flags - as utrace_attach_task.
 * @param ops - as utrace_attach_task.
 * @param data - as utrace_attach_task.
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
 * @category Kernel calls
 */
export function utrace_attach_pid<const O extends defined_ops<any, detach_claim>, D extends attach_data<O, F>, const F extends number>(
  pid: pid_struct,
  flags: F,
  ops: consistent_ops<O>,
  data: D,
): attach_result<O, attached_data<O, D, F>, F> {
  if (!isInstance(pid, PidRef)) {
    throw new UtraceUsageError('bad-pid', `utrace_attach_pid: pid must come from find_get_pid; got ${describe(pid)}`);
  }
  const task = (pid as PidRef).kernel.find_task_by_pid((pid as PidRef).nr);
  if (task === undefined) return ERR_PTR(-ESRCH) as attach_result<O, attached_data<O, D, F>, F>;
  return attach(task, flags, ops, data, 'utrace_attach_pid') as attach_result<O, attached_data<O, D, F>, F>;
}

