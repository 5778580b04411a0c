/**
 * Signal numbers (x86 Linux) and their default dispositions.
 * @packageDocumentation
 */

/** Hang up. @example `SIGHUP === 1` @public */ export const SIGHUP: 1 = 1;
/** Interrupt. @example `SIGINT === 2` @public */ export const SIGINT: 2 = 2;
/** Trace trap. @example `SIGTRAP === 5` @public */ export const SIGTRAP: 5 = 5;
/** Kill; never shown to engines and always wins. @example `SIGKILL === 9` @public */ export const SIGKILL: 9 = 9;
/** User signal 1. @example `SIGUSR1 === 10` @public */ export const SIGUSR1: 10 = 10;
/** Segmentation fault (dumps core). @example `SIGSEGV === 11` @public */ export const SIGSEGV: 11 = 11;
/** User signal 2. @example `SIGUSR2 === 12` @public */ export const SIGUSR2: 12 = 12;
/** Terminate. @example `SIGTERM === 15` @public */ export const SIGTERM: 15 = 15;
/** Child status changed (ignored by default). @example `SIGCHLD === 17` @public */ export const SIGCHLD: 17 = 17;
/** Continue a stopped task. @example `SIGCONT === 18` @public */ export const SIGCONT: 18 = 18;
/** Stop; cannot be caught. @example `SIGSTOP === 19` @public */ export const SIGSTOP: 19 = 19;
/** Terminal stop. @example `SIGTSTP === 20` @public */ export const SIGTSTP: 20 = 20;
/** `report_jctl` type: the task stopped. @example `CLD_STOPPED === 5` @public */ export const CLD_STOPPED: 5 = 5;
/** `report_jctl` type: the task continued. @example `CLD_CONTINUED === 6` @public */ export const CLD_CONTINUED: 6 = 6;

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
