/**
 * The event table: one row per callback of `struct utrace_engine_ops`, as `utrace.h` lists them,
 * with the events that make it (their names in `enum utrace_events`), whether it may return
 * `UTRACE_DETACH` in the way SPEC §3 rule 3 is about, its signature, and what it may return in
 * words. `utrace_engine_ops`, the detaching callbacks, the callback names and what each callback
 * may return are derived from it; the run-time table (`UTRACE_CALLBACKS`) satisfies it.
 *
 * Adding an event is a row here, its bit in {@link utrace_event_bits}, and its
 * `utrace_report_<event>` with its call site in the task's program.
 * @packageDocumentation
 */
import type { death_return, incoming_action, resume_return, signal_return, syscall_entry_return } from './actions.js';
import type { utrace_event_name } from './events.js';
import type { callback_engine } from './ops.js';
import type { exit_code_cell, jctl_type, k_sigaction, linux_binfmt, linux_binprm, pt_regs, siginfo_t, task_struct } from './task.js';

/**
 * How a callback stands to `UTRACE_DETACH` (SPEC §3 rule 3): `'may'` when it returns a resume
 * action, so it may detach the engine and leave the tracer's pointer kept only by RCU;
 * `'death'` for `report_death`, whose detach is the ordinary end of an engine; `'never'` for
 * callbacks that return nothing.
 * @public
 * @category Lifecycle types
 */
export type callback_detach = 'may' | 'death' | 'never';

/**
 * The event table (see the module comment): the callbacks of an engine whose callbacks read data
 * of type `D`, by name. Each row has `events` (the names in `enum utrace_events` whose report
 * makes the callback, `never` for `release`), `detach` (see {@link callback_detach}),
 * `callback` (its signature) and `returns` (what it may return, in words, for messages).
 * @public
 * @category Lifecycle types
 */
export interface utrace_callback_table<D = unknown> {
  /** Safe point before each event's callback (`event` is its bit), or a pure report (`event` 0). */
  report_quiesce: {
    /** The events whose report makes this callback. */
    readonly events: 'QUIESCE';
    /** How the callback stands to `UTRACE_DETACH`. */
    readonly detach: 'may';
    /** The signature. */
    callback(action: incoming_action, engine: callback_engine<D>, event: number): resume_return;
    /** What it may return, in words. */
    readonly returns: 'a resume action (UTRACE_STOP .. UTRACE_DETACH)';
  };
  /** A signal is about to be delivered; may change its disposition. */
  report_signal: {
    /** The events whose report makes this callback. */
    readonly events: 'SIGNAL' | 'SIGNAL_IGN' | 'SIGNAL_STOP' | 'SIGNAL_TERM' | 'SIGNAL_CORE';
    /** How the callback stands to `UTRACE_DETACH`. */
    readonly detach: 'may';
    /** The signature. */
    callback(action: incoming_action<'signal'>, engine: callback_engine<D>, regs: pt_regs, info: siginfo_t, orig_ka: k_sigaction | null, return_ka: k_sigaction): signal_return;
    /** What it may return, in words. */
    readonly returns: 'a resume action, or utrace_signal_return(signal action, resume action)';
  };
  /** The thread cloned `child`, which has not run yet. STOP takes effect before user mode. */
  report_clone: {
    /** The events whose report makes this callback. */
    readonly events: 'CLONE';
    /** How the callback stands to `UTRACE_DETACH`. */
    readonly detach: 'may';
    /** The signature. */
    callback(action: incoming_action, engine: callback_engine<D>, clone_flags: number, child: task_struct): resume_return;
    /** What it may return, in words. */
    readonly returns: 'a resume action (UTRACE_STOP .. UTRACE_DETACH)';
  };
  /** Job-control stop or continue (`CLD_STOPPED` / `CLD_CONTINUED`) completed. */
  report_jctl: {
    /** The events whose report makes this callback. */
    readonly events: 'JCTL';
    /** How the callback stands to `UTRACE_DETACH`. */
    readonly detach: 'may';
    /** The signature. */
    callback(action: incoming_action, engine: callback_engine<D>, type: jctl_type, notify: number): resume_return;
    /** What it may return, in words. */
    readonly returns: 'a resume action (UTRACE_STOP .. UTRACE_DETACH)';
  };
  /** An exec succeeded. */
  report_exec: {
    /** The events whose report makes this callback. */
    readonly events: 'EXEC';
    /** How the callback stands to `UTRACE_DETACH`. */
    readonly detach: 'may';
    /** The signature. */
    callback(action: incoming_action, engine: callback_engine<D>, fmt: linux_binfmt, bprm: linux_binprm, regs: pt_regs): resume_return;
    /** What it may return, in words. */
    readonly returns: 'a resume action (UTRACE_STOP .. UTRACE_DETACH)';
  };
  /** Syscall entry; STOP stops before the call, `UTRACE_SYSCALL_ABORT` skips it. */
  report_syscall_entry: {
    /** The events whose report makes this callback. */
    readonly events: 'SYSCALL_ENTRY';
    /** How the callback stands to `UTRACE_DETACH`. */
    readonly detach: 'may';
    /** The signature. */
    callback(action: incoming_action<'syscall'>, engine: callback_engine<D>, regs: pt_regs): syscall_entry_return;
    /** What it may return, in words. */
    readonly returns: 'a resume action, or utrace_syscall_return(syscall action, resume action)';
  };
  /** Syscall exit; the return value may be rewritten. */
  report_syscall_exit: {
    /** The events whose report makes this callback. */
    readonly events: 'SYSCALL_EXIT';
    /** How the callback stands to `UTRACE_DETACH`. */
    readonly detach: 'may';
    /** The signature. */
    callback(action: incoming_action, engine: callback_engine<D>, regs: pt_regs): resume_return;
    /** What it may return, in words. */
    readonly returns: 'a resume action (UTRACE_STOP .. UTRACE_DETACH)';
  };
  /** Exit in progress; `code.code` may be rewritten; STOP stops here. */
  report_exit: {
    /** The events whose report makes this callback. */
    readonly events: 'EXIT';
    /** How the callback stands to `UTRACE_DETACH`. */
    readonly detach: 'may';
    /** The signature. */
    callback(action: incoming_action, engine: callback_engine<D>, orig_code: number, code: exit_code_cell): resume_return;
    /** What it may return, in words. */
    readonly returns: 'a resume action (UTRACE_STOP .. UTRACE_DETACH)';
  };
  /** The thread is dead. Only `UTRACE_DETACH` (no `report_reap` then) or `UTRACE_RESUME`. */
  report_death: {
    /** The events whose report makes this callback. */
    readonly events: 'DEATH';
    /** How the callback stands to `UTRACE_DETACH`. */
    readonly detach: 'death';
    /** The signature. */
    callback(engine: callback_engine<D>, group_dead: boolean, signal: number): death_return;
    /** What it may return, in words. */
    readonly returns: 'UTRACE_DETACH or UTRACE_RESUME';
  };
  /** The thread was reaped, in the reaper's context; the final event. Returns nothing. */
  report_reap: {
    /** The events whose report makes this callback. */
    readonly events: 'REAP';
    /** How the callback stands to `UTRACE_DETACH`. */
    readonly detach: 'never';
    /** The signature. */
    callback(engine: callback_engine<D>, task: task_struct): undefined;
    /** What it may return, in words. */
    readonly returns: 'nothing (undefined)';
  };
  /** Not an event: called with the engine's data when the engine is freed. Returns nothing. */
  release: {
    /** The events whose report makes this callback. */
    readonly events: never;
    /** How the callback stands to `UTRACE_DETACH`. */
    readonly detach: 'never';
    /** The signature. */
    callback(data: D): undefined;
    /** What it may return, in words. */
    readonly returns: 'nothing (undefined)';
  };
}

/**
 * The name of a callback of `struct utrace_engine_ops` (`release` included).
 * @public
 * @category Lifecycle types
 */
export type utrace_callback_name = keyof utrace_callback_table;

/**
 * The callbacks made for an event (every callback but `release`).
 * @public
 * @category Lifecycle types
 */
export type utrace_report_name = { [K in utrace_callback_name]: [utrace_callback_table[K]['events']] extends [never] ? never : K }[utrace_callback_name];

/**
 * The parameters of callback `K` for an engine whose callbacks read data of type `D`.
 * @public
 * @category Lifecycle types
 */
export type callback_args<K extends utrace_callback_name, D = unknown> = Parameters<utrace_callback_table<D>[K]['callback']>;

/**
 * The callbacks of {@link utrace_engine_ops}, each optional, derived from the table.
 * @public
 * @category Lifecycle types
 */
export type engine_callbacks<D> = { [K in keyof utrace_callback_table<D>]?: utrace_callback_table<D>[K]['callback'] };
