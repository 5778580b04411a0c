/**
 * Signal numbers (x86 Linux) and their default dispositions.
 * @packageDocumentation
 */

/** Hang up. @category Kernel simulation @public @example `SIGHUP === 1` */ export const SIGHUP: 1 = 1;
/** Interrupt. @category Kernel simulation @public @example `SIGINT === 2` */ export const SIGINT: 2 = 2;
/** Trace trap. @category Kernel simulation @public @example `SIGTRAP === 5` */ export const SIGTRAP: 5 = 5;
/** Kill; never shown to engines and always wins. @category Kernel simulation @public @example `SIGKILL === 9` */ export const SIGKILL: 9 = 9;
/** User signal 1. @category Kernel simulation @public @example `SIGUSR1 === 10` */ export const SIGUSR1: 10 = 10;
/** Segmentation fault (dumps core). @category Kernel simulation @public @example `SIGSEGV === 11` */ export const SIGSEGV: 11 = 11;
/** User signal 2. @category Kernel simulation @public @example `SIGUSR2 === 12` */ export const SIGUSR2: 12 = 12;
/** Terminate. @category Kernel simulation @public @example `SIGTERM === 15` */ export const SIGTERM: 15 = 15;
/** Child status changed (ignored by default). @category Kernel simulation @public @example `SIGCHLD === 17` */ export const SIGCHLD: 17 = 17;
/** Continue a stopped task. @category Kernel simulation @public @example `SIGCONT === 18` */ export const SIGCONT: 18 = 18;
/** Stop; cannot be caught. @category Kernel simulation @public @example `SIGSTOP === 19` */ export const SIGSTOP: 19 = 19;
/** Terminal stop. @category Kernel simulation @public @example `SIGTSTP === 20` */ export const SIGTSTP: 20 = 20;
/** `report_jctl` type: the task stopped. @category Kernel simulation @public @example `CLD_STOPPED === 5` */ export const CLD_STOPPED: 5 = 5;
/** `report_jctl` type: the task continued. @category Kernel simulation @public @example `CLD_CONTINUED === 6` */ export const CLD_CONTINUED: 6 = 6;

/** The default disposition of a signal. @internal */
export type DefaultAction = 'term' | 'core' | 'stop' | 'ignore' | 'continue';

/** @internal */
export function defaultAction(signo: number): DefaultAction {
  switch (signo) {
    case SIGCHLD:
      return 'ignore';
    case SIGCONT:
      return 'continue';
    case SIGSTOP:
    case SIGTSTP:
      return 'stop';
    case SIGSEGV:
    case SIGTRAP:
      return 'core';
    default:
      return 'term';
  }
}
