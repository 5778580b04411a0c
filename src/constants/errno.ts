/**
 * The errno values the utrace calls return, negated as in C (`return -ESRCH;`).
 * @packageDocumentation
 */

/** Operation not permitted (attach to a kernel thread). @example `-EPERM === -1` @public */
export const EPERM: 1 = 1;
/** No such engine (lookup without `UTRACE_ATTACH_CREATE`). @example `-ENOENT === -2` @public */
export const ENOENT: 2 = 2;
/** No such task, or the engine is detached. @example `-ESRCH === -3` @public */
export const ESRCH: 3 = 3;
/** Try again: the examined task ran. @example `-EAGAIN === -11` @public */
export const EAGAIN: 11 = 11;
/** Out of memory. @example `-ENOMEM === -12` @public */
export const ENOMEM: 12 = 12;
/** A matching engine exists (`UTRACE_ATTACH_EXCLUSIVE`). @example `-EEXIST === -17` @public */
export const EEXIST: 17 = 17;
/** Invalid argument. @example `-EINVAL === -22` @public */
export const EINVAL: 22 = 22;
/** Operation not supported (single-step on an architecture without it). @example `-EOPNOTSUPP === -95` @public */
export const EOPNOTSUPP: 95 = 95;
/** `report_death` or `report_reap` may already be running. @example `-EALREADY === -114` @public */
export const EALREADY: 114 = 114;
/** A callback of this engine may still be running. @example `-EINPROGRESS === -115` @public */
export const EINPROGRESS: 115 = 115;
/** The caller was interrupted by a signal; restart the call. @example `-ERESTARTSYS === -512` @public */
export const ERESTARTSYS: 512 = 512;
