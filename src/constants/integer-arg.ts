/**
 * The argument checks shared by the whole package: a JavaScript caller passing something else
 * than what a call takes (a string for an integer, a revoked Proxy, an object whose getters
 * throw) gets a UtraceUsageError naming the call and what it takes, never a silent 0
 * (UTRACE_STOP), a TypeError from a bitwise operator, or the hostile object's own exception.
 * @packageDocumentation
 */
import { UtraceUsageError, type UsageRule } from '../errors.js';

/**
 * A short description of any value for messages, that never throws: a symbol, a bigint, a
 * revoked Proxy, an object whose `constructor` or `toString` throws included.
 * @internal
 */
export function describeArg(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  if (value === null) return 'null';
  if (typeof value === 'object') return describeObject(value);
  return typeof value;
}

/**
 * `an object (Name)` for an object made by a class, `an array`, `an object without a prototype`,
 * or `an object` when looking at it throws (a revoked Proxy, a throwing getter or trap).
 * @internal
 */
export function describeObject(value: object): string {
  try {
    if (Array.isArray(value)) return 'an array';
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null) return 'an object without a prototype';
    const ctor: unknown = (value as { constructor?: unknown }).constructor;
    const name: unknown = typeof ctor === 'function' ? (ctor as { name?: unknown }).name : undefined;
    return `an object (${typeof name === 'string' && name !== '' ? name : 'Object'})`;
  } catch {
    return 'an object that throws when read (a revoked Proxy, or a throwing getter or trap)';
  }
}

/**
 * A description of any thrown value that cannot itself throw: an `Error`'s name and message,
 * `undefined`, `null`, a string, an object without a prototype, ...
 * @internal
 */
export function describeThrown(value: unknown): string {
  try {
    if (value === undefined) return 'undefined';
    if (value instanceof Error) return `${String(value.name)}: ${String(value.message)}`;
    if (typeof value === 'function') return 'a function';
    return describeArg(value);
  } catch {
    return 'a value that throws when read';
  }
}

/**
 * The message of a thrown `Error`, else {@link describeThrown}: never throws, whatever was thrown.
 * @internal
 */
export function thrownMessage(value: unknown): string {
  try {
    if (value instanceof Error && typeof value.message === 'string') return value.message;
  } catch {
    // a revoked Proxy, or a throwing message getter: described below
  }
  return describeThrown(value);
}

/**
 * Reads the named properties of a caller's object once, into a plain object, so the checks that
 * follow see values and not getters or Proxy traps: a read that throws becomes a
 * UtraceUsageError for `rule`, naming `call` and the property.
 * @internal
 */
export function readFields<K extends string>(value: object, keys: readonly K[], call: string, rule: UsageRule, what = 'options'): Record<K, unknown> {
  const out = {} as Record<K, unknown>;
  for (const key of keys) {
    try {
      out[key] = (value as Record<string, unknown>)[key];
    } catch (e) {
      throw new UtraceUsageError(
        rule,
        `${call}: reading ${what}.${key} threw (${describeThrown(e)}); pass a plain object, not a revoked Proxy or an object whose getters or traps throw`,
      );
    }
  }
  return out;
}

/** `value instanceof ctor`, false (not a TypeError) for a revoked Proxy. @internal */
export function isInstance(value: unknown, ctor: abstract new (...args: never[]) => unknown): boolean {
  try {
    return value instanceof ctor;
  } catch {
    return false;
  }
}

/** `Array.isArray(value)`, false (not a TypeError) for a revoked Proxy. @internal */
export function isArray(value: unknown): value is unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/** `value` when it is an integer, else a UtraceUsageError for `call`. @internal */
export function integerArg(value: unknown, what: string, call: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new UtraceUsageError('not-an-integer', `${call}: ${what} must be an integer (a UTRACE_* value, or a callback's action); got ${describeArg(value)}`);
  }
  return value;
}
