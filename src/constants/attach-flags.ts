/**
 * Flags of {@link utrace_attach_task} and {@link utrace_attach_pid}.
 * @packageDocumentation
 */

/**
 * Only consider engines whose ops are the ops passed.
 * @example
 * ```ts
 * import { UTRACE_ATTACH_MATCH_OPS } from 'utrace';
 * console.log(UTRACE_ATTACH_MATCH_OPS); // 1
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_ATTACH_MATCH_OPS: 0x1 = 0x1;
/**
 * Only consider engines whose data is the data passed.
 * @example
 * ```ts
 * import { UTRACE_ATTACH_MATCH_DATA } from 'utrace';
 * console.log(UTRACE_ATTACH_MATCH_DATA); // 2
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_ATTACH_MATCH_DATA: 0x2 = 0x2;
/**
 * Mask of the match flags.
 * @example
 * ```ts
 * import { UTRACE_ATTACH_MATCH_MASK } from 'utrace';
 * console.log(UTRACE_ATTACH_MATCH_MASK); // 15
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_ATTACH_MATCH_MASK: 0xf = 0xf;
/**
 * Create a new engine; without it the call only looks one up.
 * @example
 * ```ts
 * import { UTRACE_ATTACH_CREATE } from 'utrace';
 * console.log(UTRACE_ATTACH_CREATE); // 16
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_ATTACH_CREATE: 0x10 = 0x10;
/**
 * Fail with `-EEXIST` when a matching engine is already attached.
 * @example
 * ```ts
 * import { UTRACE_ATTACH_CREATE, UTRACE_ATTACH_EXCLUSIVE } from 'utrace';
 * const flags = UTRACE_ATTACH_CREATE | UTRACE_ATTACH_EXCLUSIVE;
 * console.log(flags); // 48
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_ATTACH_EXCLUSIVE: 0x20 = 0x20;
