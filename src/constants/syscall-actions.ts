/**
 * `enum utrace_syscall_action`: what `report_syscall_entry` may add to its resume action,
 * and the decoding helper.
 * @packageDocumentation
 */
import { integerArg } from './integer-arg.js';

/** Run the system call. @category Constants @public @example `UTRACE_SYSCALL_RUN === 0x00` */
export const UTRACE_SYSCALL_RUN: 0x00 = 0x00;
/** Skip the system call. @category Constants @public @example `UTRACE_SYSCALL_ABORT === 0x10` */
export const UTRACE_SYSCALL_ABORT: 0x10 = 0x10;
/** Mask of the syscall action. @category Constants @public @example `UTRACE_SYSCALL_MASK === 0xf0` */
export const UTRACE_SYSCALL_MASK: 0xf0 = 0xf0;
/**
 * Flag in the `action` argument: this is a repeat `report_syscall_entry` after a stop.
 * @example `UTRACE_SYSCALL_RESUMED === 0x100`
 * @public
 * @category Constants
 */
export const UTRACE_SYSCALL_RESUMED: 0x100 = 0x100;

/**
 * `utrace_syscall_action(action)`: the syscall action part, `action & UTRACE_SYSCALL_MASK`.
 * @example
 * ```ts
 * import { utrace_syscall_action, UTRACE_SYSCALL_ABORT } from 'utrace';
 * console.log(utrace_syscall_action(0x15) === UTRACE_SYSCALL_ABORT); // true
 * ```
 * @public
 * @category Constants
 */
export function utrace_syscall_action(action: number): number {
  return integerArg(action, 'action', 'utrace_syscall_action') & UTRACE_SYSCALL_MASK;
}
