/**
 * The kernel's ERR_PTR idiom: a call that returns a pointer returns an error value instead
 * when it fails, tested with {@link IS_ERR} and read with {@link PTR_ERR}.
 * @packageDocumentation
 */
import type { err_ptr } from '../../types/err-ptr.js';
import { UtraceUsageError } from '../errors.js';
import { describeArg } from './integer-arg.js';

/** `MAX_ERRNO`: error values hold -1 .. -4095. */
const MAX_ERRNO = 4095;

const cache = new Map<number, err_ptr<number>>();

/**
 * `ERR_PTR(-errno)`: the error value for a negative errno. The same errno always gives the
 * same (frozen) object.
 * @throws `UtraceUsageError` when `error` is not an integer from -4095 to -1 (`-MAX_ERRNO`).
 * @example
 * ```ts
 * import { ERR_PTR, PTR_ERR, ESRCH } from 'utrace';
 * console.log(PTR_ERR(ERR_PTR(-ESRCH))); // -3
 * ```
 * @public
 * @category Constants
 */
export function ERR_PTR<E extends number>(error: E): err_ptr<E> {
  if (typeof error !== 'number' || !Number.isInteger(error) || error > -1 || error < -MAX_ERRNO) {
    throw new UtraceUsageError('err-ptr', `ERR_PTR: error must be a negative errno from -1 to -${MAX_ERRNO} (for example -ESRCH); got ${describeArg(error)}`);
  }
  let value = cache.get(error);
  if (value === undefined) {
    value = Object.freeze({ err_ptr: error }) as err_ptr<number>;
    cache.set(error, value);
  }
  return value as err_ptr<E>;
}

/**
 * `IS_ERR(ptr)`: whether a returned pointer is an error value.
 * @example
 * ```ts
 * import { IS_ERR, ERR_PTR, ENOENT } from 'utrace';
 * console.log(IS_ERR(ERR_PTR(-ENOENT))); // true
 * ```
 * @public
 * @category Constants
 */
export function IS_ERR<T>(ptr: T): ptr is Extract<T, err_ptr<number>> {
  if (typeof ptr !== 'object' || ptr === null) return false;
  try {
    return typeof (ptr as { err_ptr?: unknown }).err_ptr === 'number';
  } catch {
    return false; // a revoked Proxy or a throwing getter is no error value
  }
}

/**
 * `PTR_ERR(ptr)`: the negative errno held by an error value.
 * @throws `UtraceUsageError` when `ptr` is not an error value (test it with {@link IS_ERR} first).
 * @example
 * ```ts
 * import { ERR_PTR, PTR_ERR, EEXIST } from 'utrace';
 * console.log(PTR_ERR(ERR_PTR(-EEXIST)) === -EEXIST); // true
 * ```
 * @public
 * @category Constants
 */
export function PTR_ERR<E extends number>(ptr: err_ptr<E>): E {
  if (!IS_ERR(ptr)) {
    throw new UtraceUsageError('err-ptr', `PTR_ERR: ptr is not an error value (got ${describeArg(ptr)}); test the result with IS_ERR before reading its errno`);
  }
  return ptr.err_ptr;
}
