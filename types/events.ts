/**
 * Event names and bits at the type level.
 * @packageDocumentation
 */

/**
 * Bit of each event, by name (`UTRACE_EVENT(name)`).
 * @public
 * @category Lifecycle types
 */
export interface utrace_event_bits {
  /** Safe point before every other event, and the pure report (event 0). */
  QUIESCE: 0x1;
  /** The zombie was reaped; the final event, in the reaper's context. */
  REAP: 0x2;
  /** clone, fork or vfork succeeded; reported in the parent. */
  CLONE: 0x4;
  /** execve succeeded. */
  EXEC: 0x8;
  /** Exit in progress; the task is still live. */
  EXIT: 0x10;
  /** The thread is dead. */
  DEATH: 0x20;
  /** System call entry. */
  SYSCALL_ENTRY: 0x40;
  /** System call exit. */
  SYSCALL_EXIT: 0x80;
  /** A signal will run a handler. */
  SIGNAL: 0x100;
  /** A signal will be ignored. */
  SIGNAL_IGN: 0x200;
  /** A signal will stop the task. */
  SIGNAL_STOP: 0x400;
  /** A signal will terminate the task. */
  SIGNAL_TERM: 0x800;
  /** A signal will terminate the task with a core dump. */
  SIGNAL_CORE: 0x1000;
  /** A job-control stop or continue completed. */
  JCTL: 0x2000;
}

/**
 * The name of an event, as in `enum utrace_events` without the `_UTRACE_EVENT_` prefix.
 * @public
 * @category Lifecycle types
 */
export type utrace_event_name = keyof utrace_event_bits;

/**
 * The literal bit of event `N`.
 * @public
 * @category Lifecycle types
 */
export type utrace_event_bit<N extends utrace_event_name> = utrace_event_bits[N];
