/**
 * `atomic_t`: a counter whose reads and writes are single steps, as the kernel's atomics are.
 * @packageDocumentation
 */
import { describeArg } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { runningKernel } from './current.js';

/**
 * The kernel's `atomic_t`: an integer read and written with {@link atomic_read},
 * {@link atomic_set}, {@link atomic_inc}, {@link atomic_dec}, {@link atomic_dec_and_test}.
 * Make one with {@link ATOMIC_INIT}. Every write counts as a change of kernel state, so a
 * polling loop that reads it (`while (atomic_read(c)) await schedule();`) is a livelock only
 * when no thread writes it any more.
 * @example
 * ```ts
 * import { ATOMIC_INIT, atomic_inc, atomic_read } from 'utrace';
 * const count = ATOMIC_INIT(0);
 * atomic_inc(count);
 * console.log(atomic_read(count)); // 1
 * ```
 * @public
 * @category Kernel simulation
 */
export class atomic_t {
  /** @internal */
  counter: number;
  /** What it is: an atomic counter (read it with `atomic_read`). */
  readonly kind = 'atomic_t' as const;

  /** @internal */
  constructor(value: number) {
    this.counter = value;
  }

  /** @internal */
  toString(): string {
    return `atomic_t(${this.counter})`;
  }
}

function asAtomic(v: unknown, call: string): atomic_t {
  if (!(v instanceof atomic_t)) {
    throw new UtraceUsageError('atomic-argument', `${call}: pass an atomic_t made by ATOMIC_INIT(n); got ${describeArg(v)}`);
  }
  return v;
}

function asInt(v: unknown, call: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new UtraceUsageError('atomic-argument', `${call}: the value is an integer; got ${describeArg(v)}`);
  }
  return v;
}

function wrote(): void {
  const k = runningKernel();
  if (k !== null) k.progressMark++;
}

/**
 * `ATOMIC_INIT(i)`: a new {@link atomic_t} holding `i`.
 * @throws `UtraceUsageError` (rule `atomic-argument`) when `i` is not a safe integer.
 * @example
 * ```ts
 * import { ATOMIC_INIT, atomic_read } from 'utrace';
 * console.log(atomic_read(ATOMIC_INIT(3))); // 3
 * ```
 * @public
 * @category Kernel simulation
 */
export function ATOMIC_INIT(i: number): atomic_t {
  return new atomic_t(asInt(i, 'ATOMIC_INIT'));
}

/**
 * `atomic_read(v)`: its value.
 * @example
 * ```ts
 * import { ATOMIC_INIT, atomic_read } from 'utrace';
 * console.log(atomic_read(ATOMIC_INIT(0))); // 0
 * ```
 * @public
 * @category Kernel simulation
 */
export function atomic_read(v: atomic_t): number {
  return asAtomic(v, 'atomic_read').counter;
}

/**
 * `atomic_set(v, i)`: stores `i`.
 * @example
 * ```ts
 * import { ATOMIC_INIT, atomic_set, atomic_read } from 'utrace';
 * const v = ATOMIC_INIT(0);
 * atomic_set(v, 5);
 * console.log(atomic_read(v)); // 5
 * ```
 * @public
 * @category Kernel simulation
 */
export function atomic_set(v: atomic_t, i: number): void {
  const a = asAtomic(v, 'atomic_set');
  a.counter = asInt(i, 'atomic_set');
  wrote();
}

/**
 * `atomic_inc(v)`: adds one.
 * @example
 * ```ts
 * import { ATOMIC_INIT, atomic_inc, atomic_read } from 'utrace';
 * const v = ATOMIC_INIT(0);
 * atomic_inc(v);
 * console.log(atomic_read(v)); // 1
 * ```
 * @public
 * @category Kernel simulation
 */
export function atomic_inc(v: atomic_t): void {
  asAtomic(v, 'atomic_inc').counter++;
  wrote();
}

/**
 * `atomic_dec(v)`: subtracts one.
 * @example
 * ```ts
 * import { ATOMIC_INIT, atomic_dec, atomic_read } from 'utrace';
 * const v = ATOMIC_INIT(1);
 * atomic_dec(v);
 * console.log(atomic_read(v)); // 0
 * ```
 * @public
 * @category Kernel simulation
 */
export function atomic_dec(v: atomic_t): void {
  asAtomic(v, 'atomic_dec').counter--;
  wrote();
}

/**
 * `atomic_dec_and_test(v)`: subtracts one.
 * @returns whether the result is zero.
 * @example
 * ```ts
 * import { ATOMIC_INIT, atomic_dec_and_test } from 'utrace';
 * console.log(atomic_dec_and_test(ATOMIC_INIT(1))); // true
 * ```
 * @public
 * @category Kernel simulation
 */
export function atomic_dec_and_test(v: atomic_t): boolean {
  const a = asAtomic(v, 'atomic_dec_and_test');
  a.counter--;
  wrote();
  return a.counter === 0;
}
