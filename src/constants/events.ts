/**
 * Event bits (`enum utrace_events` and `UTRACE_EVENT(name)`), bit for bit as in the final
 * kernel API.
 * @packageDocumentation
 */
import type { utrace_event_bit, utrace_event_name } from '../../types/events.js';
import { describeArg } from './integer-arg.js';
import { UtraceUsageError } from '../errors.js';

/**
 * Bit index of each event in `enum utrace_events` (`_UTRACE_EVENT_QUIESCE` is 0, ...).
 * @example
 * ```ts
 * import { UTRACE_EVENT_INDEX } from 'utrace';
 * console.log(UTRACE_EVENT_INDEX.SYSCALL_ENTRY); // 6
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_EVENT_INDEX = Object.freeze({
  /** Safe point before every other event, and the pure report (event 0). */
  QUIESCE: 0,
  /** The zombie was reaped; the final event, in the reaper's context. */
  REAP: 1,
  /** clone, fork or vfork succeeded; reported in the parent. */
  CLONE: 2,
  /** execve succeeded. */
  EXEC: 3,
  /** Exit in progress; the task is still live. */
  EXIT: 4,
  /** The thread is dead. */
  DEATH: 5,
  /** System call entry. */
  SYSCALL_ENTRY: 6,
  /** System call exit. */
  SYSCALL_EXIT: 7,
  /** A signal will run a handler. */
  SIGNAL: 8,
  /** A signal will be ignored. */
  SIGNAL_IGN: 9,
  /** A signal will stop the task. */
  SIGNAL_STOP: 10,
  /** A signal will terminate the task. */
  SIGNAL_TERM: 11,
  /** A signal will terminate the task with a core dump. */
  SIGNAL_CORE: 12,
  /** A job-control stop or continue completed. */
  JCTL: 13,
} as const);

/**
 * Number of event bits (`_UTRACE_NEVENTS`); the kernel's private `ENGINE_STOP` bit is the
 * next one.
 * @example
 * ```ts
 * import { _UTRACE_NEVENTS } from 'utrace';
 * console.log(_UTRACE_NEVENTS); // 14
 * ```
 * @public
 * @category Constants
 */
export const _UTRACE_NEVENTS: 14 = 14;

/**
 * `UTRACE_EVENT(name)`: the mask bit of one event, `1 << _UTRACE_EVENT_name`.
 *
 * @param name - the event's name as in the kernel, without the `_UTRACE_EVENT_` prefix.
 * @returns the bit, typed as its literal value so unions of bits stay readable.
 * @throws `UtraceUsageError` when `name` is not an event name.
 * @example
 * ```ts
 * import { UTRACE_EVENT } from 'utrace';
 * const events = UTRACE_EVENT('SYSCALL_ENTRY') | UTRACE_EVENT('DEATH');
 * console.log(events); // 96
 * ```
 * @public
 * @category Constants
 */
export function UTRACE_EVENT<N extends utrace_event_name>(name: N): utrace_event_bit<N> {
  const index = typeof name === 'string' ? (UTRACE_EVENT_INDEX as Record<string, number>)[name] : undefined;
  if (typeof index !== 'number' || !Object.hasOwn(UTRACE_EVENT_INDEX, name)) {
    throw new UtraceUsageError(
      'event-name',
      `UTRACE_EVENT: ${typeof name === 'string' ? name : describeArg(name)} is not an event name; use one of ${Object.keys(UTRACE_EVENT_INDEX).join(', ')}`,
    );
  }
  return (1 << index) as utrace_event_bit<N>;
}

/**
 * The two syscall events: `UTRACE_EVENT(SYSCALL_ENTRY) | UTRACE_EVENT(SYSCALL_EXIT)`.
 * @example
 * ```ts
 * import { UTRACE_EVENT_SYSCALL } from 'utrace';
 * console.log(UTRACE_EVENT_SYSCALL); // 192
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_EVENT_SYSCALL: 0xc0 = 0xc0;

/**
 * The five signal events: SIGNAL, SIGNAL_IGN, SIGNAL_STOP, SIGNAL_TERM, SIGNAL_CORE.
 * @example
 * ```ts
 * import { UTRACE_EVENT_SIGNAL_ALL } from 'utrace';
 * console.log(UTRACE_EVENT_SIGNAL_ALL.toString(16)); // 1f00
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_EVENT_SIGNAL_ALL: 0x1f00 = 0x1f00;

/**
 * The events that make the kernel call the death report: `DEATH | QUIESCE`.
 * @example
 * ```ts
 * import { _UTRACE_DEATH_EVENTS } from 'utrace';
 * console.log(_UTRACE_DEATH_EVENTS); // 33
 * ```
 * @public
 * @category Constants
 */
export const _UTRACE_DEATH_EVENTS: 0x21 = 0x21;

/**
 * Every event bit at once.
 * @example
 * ```ts
 * import { UTRACE_EVENT_ALL } from 'utrace';
 * console.log(UTRACE_EVENT_ALL.toString(16)); // 3fff
 * ```
 * @public
 * @category Constants
 */
export const UTRACE_EVENT_ALL: 0x3fff = 0x3fff;
