/**
 * Negative errno values as literal types, so results narrow on them.
 * @packageDocumentation
 */

/** `-EPERM` @category Lifecycle types @public */ export type NEG_EPERM = -1;
/** `-ENOENT` @category Lifecycle types @public */ export type NEG_ENOENT = -2;
/** `-ESRCH` @category Lifecycle types @public */ export type NEG_ESRCH = -3;
/** `-EAGAIN` @category Lifecycle types @public */ export type NEG_EAGAIN = -11;
/** `-ENOMEM` @category Lifecycle types @public */ export type NEG_ENOMEM = -12;
/** `-EEXIST` @category Lifecycle types @public */ export type NEG_EEXIST = -17;
/** `-EINVAL` @category Lifecycle types @public */ export type NEG_EINVAL = -22;
/** `-EOPNOTSUPP` @category Lifecycle types @public */ export type NEG_EOPNOTSUPP = -95;
/** `-EALREADY` @category Lifecycle types @public */ export type NEG_EALREADY = -114;
/** `-EINPROGRESS` @category Lifecycle types @public */ export type NEG_EINPROGRESS = -115;
/** `-ERESTARTSYS` @category Lifecycle types @public */ export type NEG_ERESTARTSYS = -512;
