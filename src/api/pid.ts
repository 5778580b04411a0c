/**
 * `struct pid` and `find_get_pid`.
 * @packageDocumentation
 */
import type { pid_struct } from '../../types/task.js';
import { isInstance } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { Kernel } from '../kernel/kernel.js';

/** @internal */
export class PidRef implements pid_struct {
  constructor(
    readonly kernel: Kernel,
    readonly nr: number,
  ) {}
}

/**
 * `find_get_pid(nr)`: a `struct pid` naming task `nr` of `kernel`; it keeps naming that
 * number after the task is reaped, when calls through it return -ESRCH.
 * @example
 * ```ts
 * import { Kernel, find_get_pid } from 'utrace';
 * const pid = find_get_pid(new Kernel(), 1);
 * console.log(pid.nr); // 1
 * ```
 * @public
 * @category Kernel calls
 */
export function find_get_pid(kernel: Kernel, nr: number): pid_struct {
  if (!isInstance(kernel, Kernel) || !Number.isInteger(nr)) {
    throw new UtraceUsageError('bad-pid', 'find_get_pid(kernel, nr): pass a Kernel and an integer pid');
  }
  return new PidRef(kernel, nr);
}
