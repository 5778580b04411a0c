/**
 * `enum utrace_resume_action`: what a traced thread does after the callbacks, and what
 * {@link utrace_control} asks of it. The values are the final kernel API's
 * (`UTRACE_API_VERSION 20091216`). When several engines choose, the smallest value wins.
 * @packageDocumentation
 */
import { integerArg } from './integer-arg.js';

/**
 * Stay quiescent after the callbacks; sticky until the same engine changes it.
 * @example
 * ```ts
 * import { UTRACE_STOP } from 'utrace';
 * const keepStopped = () => UTRACE_STOP;
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_STOP: 0 = 0;
/**
 * Make a `report_signal` callback soon, interrupting a system call as if by SIGSTOP.
 * @example
 * ```ts
 * import { UTRACE_INTERRUPT } from 'utrace';
 * console.log(UTRACE_INTERRUPT); // 1
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_INTERRUPT: 1 = 1;
/**
 * Make some callback (`report_quiesce` or `report_signal`) soon.
 * @example
 * ```ts
 * import { UTRACE_REPORT } from 'utrace';
 * console.log(UTRACE_REPORT); // 2
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_REPORT: 2 = 2;
/**
 * Resume in user mode for one instruction.
 * @example
 * ```ts
 * import { UTRACE_SINGLESTEP } from 'utrace';
 * console.log(UTRACE_SINGLESTEP); // 3
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_SINGLESTEP: 3 = 3;
/**
 * Resume in user mode until the next branch.
 * @example
 * ```ts
 * import { UTRACE_BLOCKSTEP } from 'utrace';
 * console.log(UTRACE_BLOCKSTEP); // 4
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_BLOCKSTEP: 4 = 4;
/**
 * Resume normally.
 * @example
 * ```ts
 * import { UTRACE_RESUME } from 'utrace';
 * const carryOn = () => UTRACE_RESUME;
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_RESUME: 5 = 5;
/**
 * Detach this engine (implies {@link UTRACE_RESUME}). Returned from any callback but
 * `report_death`, it leaves the tracer's engine pointer kept alive only by RCU.
 * @example
 * ```ts
 * import { UTRACE_DETACH } from 'utrace';
 * const done = () => UTRACE_DETACH;
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_DETACH: 6 = 6;
/**
 * One past the largest resume action; a bound, not an action.
 * @example
 * ```ts
 * import { UTRACE_RESUME_MAX } from 'utrace';
 * console.log(UTRACE_RESUME_MAX); // 7
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_RESUME_MAX: 7 = 7;
/**
 * Bits that hold the resume action in a callback's return value (`ilog2(MAX) + 1`).
 * @example
 * ```ts
 * import { UTRACE_RESUME_BITS } from 'utrace';
 * console.log(UTRACE_RESUME_BITS); // 3
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_RESUME_BITS: 3 = 3;
/**
 * Mask of the resume action in a callback's return value.
 * @example
 * ```ts
 * import { UTRACE_RESUME_MASK } from 'utrace';
 * console.log(0x15 & UTRACE_RESUME_MASK); // 5
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_RESUME_MASK: 7 = 7;

/**
 * `utrace_resume_action(action)`: the resume action part of a callback's `action` argument or
 * return value, `action & UTRACE_RESUME_MASK`.
 * @example
 * ```ts
 * import { utrace_resume_action, UTRACE_SYSCALL_ABORT, UTRACE_STOP } from 'utrace';
 * console.log(utrace_resume_action(UTRACE_SYSCALL_ABORT | UTRACE_STOP)); // 0
 * ```
 * @public
 * @category Constants
 */
export function utrace_resume_action(action: number): number {
  return integerArg(action, 'action', 'utrace_resume_action') & UTRACE_RESUME_MASK;
}
