/**
 * The argument check shared by the constant helpers (`utrace_resume_action`, `ERR_PTR`, ...):
 * a JavaScript caller passing something else than an integer gets a UtraceUsageError naming
 * the helper and what it takes, not a silent 0 (UTRACE_STOP) or a TypeError from a bitwise
 * operator.
 * @packageDocumentation
 */
import { UtraceUsageError } from '../errors.js';

/** A short, safe description of any value (a symbol or a bigint included). @internal */
export function describeArg(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  return typeof value;
}

/** `value` when it is an integer, else a UtraceUsageError for `call`. @internal */
export function integerArg(value: unknown, what: string, call: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new UtraceUsageError('not-an-integer', `${call}: ${what} must be an integer (a UTRACE_* value, or a callback's action); got ${describeArg(value)}`);
  }
  return value;
}
