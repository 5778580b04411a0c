/**
 * Negative errno values as literal types, so results narrow on them.
 * @packageDocumentation
 */

/** `-EPERM` @public */ export type NEG_EPERM = -1;
/** `-ENOENT` @public */ export type NEG_ENOENT = -2;
/** `-ESRCH` @public */ export type NEG_ESRCH = -3;
/** `-EAGAIN` @public */ export type NEG_EAGAIN = -11;
/** `-ENOMEM` @public */ export type NEG_ENOMEM = -12;
/** `-EEXIST` @public */ export type NEG_EEXIST = -17;
/** `-EINVAL` @public */ export type NEG_EINVAL = -22;
/** `-EOPNOTSUPP` @public */ export type NEG_EOPNOTSUPP = -95;
/** `-EALREADY` @public */ export type NEG_EALREADY = -114;
/** `-EINPROGRESS` @public */ export type NEG_EINPROGRESS = -115;
/** `-ERESTARTSYS` @public */ export type NEG_ERESTARTSYS = -512;
