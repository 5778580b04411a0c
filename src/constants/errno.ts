/**
 * The errno values the utrace calls return, negated as in C (`return -ESRCH;`).
 * @packageDocumentation
 */

/** Operation not permitted (attach to a kernel thread). @category Constants @public @example `-EPERM === -1` */
export const EPERM: 1 = 1;
/** No such engine (lookup without `UTRACE_ATTACH_CREATE`). @category Constants @public @example `-ENOENT === -2` */
export const ENOENT: 2 = 2;
/** No such task, or the engine is detached. @category Constants @public @example `-ESRCH === -3` */
export const ESRCH: 3 = 3;
/** Try again: the examined task ran. @category Constants @public @example `-EAGAIN === -11` */
export const EAGAIN: 11 = 11;
/** Out of memory. @category Constants @public @example `-ENOMEM === -12` */
export const ENOMEM: 12 = 12;
/** A matching engine exists (`UTRACE_ATTACH_EXCLUSIVE`). @category Constants @public @example `-EEXIST === -17` */
export const EEXIST: 17 = 17;
/** Invalid argument. @category Constants @public @example `-EINVAL === -22` */
export const EINVAL: 22 = 22;
/** Operation not supported (single-step on an architecture without it). @category Constants @public @example `-EOPNOTSUPP === -95` */
export const EOPNOTSUPP: 95 = 95;
/** `report_death` or `report_reap` may already be running. @category Constants @public @example `-EALREADY === -114` */
export const EALREADY: 114 = 114;
/** A callback of this engine may still be running. @category Constants @public @example `-EINPROGRESS === -115` */
export const EINPROGRESS: 115 = 115;
/** The caller was interrupted by a signal; restart the call. @category Constants @public @example `-ERESTARTSYS === -512` */
export const ERESTARTSYS: 512 = 512;
