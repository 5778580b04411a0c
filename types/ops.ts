/**
 * `struct utrace_engine_ops`: the callbacks of an engine, with what each may return
 * (SPEC rule 4).
 * @packageDocumentation
 */
import type {
  death_return,
  resume_return,
  signal_return,
  syscall_entry_return,
} from './actions.js';
import type { utrace_engine } from './engine.js';
import type { module_struct, percpu_counters } from './module.js';
import type {
  exit_code_cell,
  jctl_type,
  k_sigaction,
  linux_binfmt,
  linux_binprm,
  pt_regs,
  siginfo_t,
  task_struct,
} from './task.js';

/**
 * The engine as a callback sees it: valid until the callback returns.
 * @public
 * @category Lifecycle types
 */
export type callback_engine<D = unknown> = utrace_engine<'in-callback', D, utrace_engine_ops<D>>;

/**
 * The callback table of an engine. Every callback is optional; each is called on the
 * traced thread (or, for `report_reap`, the reaper) at a safe point, with no lock held, and
 * must not sleep. `action` is the action chosen by the engines called before this one.
 * @public
 * @category Lifecycle types
 */
export interface utrace_engine_ops<D = any> {
  /** Safe point before each event's callback (`event` is its bit), or a pure report (`event` 0). */
  readonly report_quiesce?: (action: number, engine: callback_engine<D>, event: number) => resume_return;
  /** A signal is about to be delivered; may change its disposition. */
  readonly report_signal?: (
    action: number,
    engine: callback_engine<D>,
    regs: pt_regs,
    info: siginfo_t,
    orig_ka: k_sigaction | null,
    return_ka: k_sigaction,
  ) => signal_return;
  /** The thread cloned `child`, which has not run yet. STOP takes effect before user mode. */
  readonly report_clone?: (
    action: number,
    engine: callback_engine<D>,
    clone_flags: number,
    child: task_struct,
  ) => resume_return;
  /** Job-control stop or continue (`CLD_STOPPED` / `CLD_CONTINUED`) completed. */
  readonly report_jctl?: (action: number, engine: callback_engine<D>, type: jctl_type, notify: number) => resume_return;
  /** An exec succeeded. */
  readonly report_exec?: (
    action: number,
    engine: callback_engine<D>,
    fmt: linux_binfmt,
    bprm: linux_binprm,
    regs: pt_regs,
  ) => resume_return;
  /** Syscall entry; STOP stops before the call, `UTRACE_SYSCALL_ABORT` skips it. */
  readonly report_syscall_entry?: (action: number, engine: callback_engine<D>, regs: pt_regs) => syscall_entry_return;
  /** Syscall exit; the return value may be rewritten. */
  readonly report_syscall_exit?: (action: number, engine: callback_engine<D>, regs: pt_regs) => resume_return;
  /** Exit in progress; `code.code` may be rewritten; STOP stops here. */
  readonly report_exit?: (
    action: number,
    engine: callback_engine<D>,
    orig_code: number,
    code: exit_code_cell,
  ) => resume_return;
  /** The thread is dead. Only `UTRACE_DETACH` (no `report_reap` then) or `UTRACE_RESUME`. */
  readonly report_death?: (engine: callback_engine<D>, group_dead: boolean, signal: number) => death_return;
  /** The thread was reaped, in the reaper's context; the final event. Returns nothing. */
  readonly report_reap?: (engine: callback_engine<D>, task: task_struct) => undefined;
  /** Not an event: called with the engine's data when the engine is freed. Returns nothing. */
  readonly release?: (data: D) => undefined;
  /** The module whose code these callbacks are (`.owner = THIS_MODULE`). */
  readonly owner?: module_struct;
  /** Per-CPU counters the kernel brackets every callback of this engine with. */
  readonly percpu_counters?: percpu_counters;
}
