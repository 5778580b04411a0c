import { describeArg, isArray } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
/**
 * The schedule string: a schedule (the thread chosen at each step) written as short,
 * copyable text, so that a failing run printed by the explorer can be pasted back to replay it.
 *
 * Format `s1:` followed by runs separated by `.`; a run is a thread id, optionally followed by
 * `x` and how many consecutive steps that thread took. `s1:0x3.1.0x2` is thread 0 three times,
 * thread 1 once, then thread 0 twice. The empty schedule is `s1:`.
 *
 * @packageDocumentation
 */

/**
 * The version tag every schedule string starts with, colon included.
 * @public
 * @category Scheduling
 */
export const SCHEDULE_STRING_PREFIX = 's1:';

/**
 * The largest thread id a schedule string may hold (the largest 32-bit signed integer).
 * @public
 * @category Scheduling
 */
export const MAX_SCHEDULE_THREAD_ID = 0x7fffffff;

/**
 * The largest number of steps a schedule string may decode to; a longer one is rejected
 * rather than allocated.
 * @public
 * @category Scheduling
 */
export const MAX_SCHEDULE_STEPS = 10_000_000;

/**
 * Checks a `maxSteps` option: `undefined`, or an integer from 1 to {@link MAX_SCHEDULE_STEPS}
 * (a longer run would give a schedule string that cannot be read back). `defineScenario`,
 * `Kernel.run` and `encodeSchedule` share this one rule, so a scenario accepted by the first is
 * run by the second and its failing schedule replays.
 * @returns the error message, or `undefined` when the value is fine.
 * @internal
 */
export function maxStepsProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SCHEDULE_STEPS) {
    const got = typeof value === 'number' ? String(value) : typeof value === 'string' ? JSON.stringify(value) : value === null ? 'null' : typeof value;
    return `maxSteps must be an integer from 1 to ${MAX_SCHEDULE_STEPS} (the longest schedule a schedule string holds); got ${got}`;
  }
  return undefined;
}

const FORMAT_HELP =
  'Expected format: "s1:" then runs separated by ".", each run a thread id optionally followed by ' +
  '"x" and a step count, e.g. "s1:0x3.1.0x2" (thread 0 three times, thread 1 once, thread 0 twice).';

/**
 * Thrown by {@link decodeSchedule} when the text is not a schedule string. The message says
 * what was wrong and shows the expected format.
 * @public
 * @category Scheduling
 */
export class ScheduleFormatError extends Error {
  /** The text that failed to decode. */
  readonly input: string;
  /** What was wrong with it, in words, without the format reminder. */
  readonly reason: string;

  /**
   * Makes the error for `input`, saying what is wrong with it.
   * @param input - the text that failed to decode.
   * @param reason - what was wrong, in words.
   */
  constructor(input: string, reason: string) {
    super(`Invalid schedule string ${quote(input)}: ${reason}. ${FORMAT_HELP}`);
    this.name = 'ScheduleFormatError';
    this.input = input;
    this.reason = reason;
  }
}

/**
 * Writes a schedule as a schedule string: consecutive steps of one thread become one run.
 *
 * Throws a `UtraceUsageError` when an entry is not an integer in [0, {@link MAX_SCHEDULE_THREAD_ID}],
 * or when the schedule holds more than {@link MAX_SCHEDULE_STEPS} steps (its string could not be
 * read back).
 * `decodeSchedule(encodeSchedule(s))` equals `s` for every valid schedule `s`.
 *
 * @example
 * ```ts
 * encodeSchedule([0, 0, 0, 1, 0, 0]); // 's1:0x3.1.0x2'
 * encodeSchedule([]);                 // 's1:'
 * ```
 * @public
 * @category Scheduling
 */
export function encodeSchedule(schedule: readonly number[]): string {
  if (!isArray(schedule)) {
    throw new UtraceUsageError('bad-option', `encodeSchedule: schedule must be an array of thread ids; got ${schedule === null ? 'null' : typeof schedule}`);
  }
  const n = schedule.length;
  if (n > MAX_SCHEDULE_STEPS) {
    throw new UtraceUsageError('bad-option', `encodeSchedule: the schedule holds ${n} steps, more than the ${MAX_SCHEDULE_STEPS} a schedule string may hold`);
  }
  let out = SCHEDULE_STRING_PREFIX;
  let i = 0;
  while (i < n) {
    const thread = schedule[i]!;
    if (!Number.isInteger(thread) || thread < 0 || thread > MAX_SCHEDULE_THREAD_ID) {
      throw new UtraceUsageError('bad-option', 
        `encodeSchedule: step ${i} holds ${describeArg(thread)}, not a thread id (an integer in [0, ${MAX_SCHEDULE_THREAD_ID}])`,
      );
    }
    let j = i + 1;
    while (j < n && schedule[j] === thread) j++;
    if (i > 0) out += '.';
    out += j - i === 1 ? String(thread) : `${thread}x${j - i}`;
    i = j;
  }
  return out;
}

/**
 * Reads a schedule string back into the schedule it encodes. Leading and trailing white space
 * is ignored, so a line copied from a terminal decodes as is.
 *
 * Throws {@link ScheduleFormatError} when the text lacks the `s1:` tag, carries another
 * version, has an empty run, a thread id or count that is not a decimal integer, a count of 0,
 * a thread id above {@link MAX_SCHEDULE_THREAD_ID}, or decodes to more than
 * {@link MAX_SCHEDULE_STEPS} steps.
 *
 * @example
 * ```ts
 * decodeSchedule('s1:0x3.1.0x2'); // [0, 0, 0, 1, 0, 0]
 * decodeSchedule('0,1,0');        // throws ScheduleFormatError
 * ```
 * @public
 * @category Scheduling
 */
export function decodeSchedule(text: string): number[] {
  if (typeof text !== 'string') {
    throw new ScheduleFormatError(describeArg(text), `expected a string, got ${typeof text}`);
  }
  const trimmed = text.trim();
  if (!trimmed.startsWith(SCHEDULE_STRING_PREFIX)) {
    const tag = /^([A-Za-z]\d+):/.exec(trimmed);
    if (tag !== null) {
      throw new ScheduleFormatError(text, `unsupported version tag "${tag[1]!}" (this version reads "s1")`);
    }
    throw new ScheduleFormatError(text, 'missing the "s1:" version tag at the start');
  }
  const body = trimmed.slice(SCHEDULE_STRING_PREFIX.length);
  if (body === '') return [];
  const runs = body.split('.');
  const threads: number[] = [];
  const counts: number[] = [];
  let total = 0;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    const where = `run ${r + 1} (${quote(run)})`;
    if (run === '') throw new ScheduleFormatError(text, `run ${r + 1} is empty (two dots in a row, or a dot at an end)`);
    const x = run.indexOf('x');
    const threadText = x === -1 ? run : run.slice(0, x);
    const countText = x === -1 ? '1' : run.slice(x + 1);
    const thread = parseDecimal(threadText);
    if (thread === undefined) {
      throw new ScheduleFormatError(text, `${where}: thread id ${quote(threadText)} is not a decimal integer`);
    }
    if (thread > MAX_SCHEDULE_THREAD_ID) {
      throw new ScheduleFormatError(text, `${where}: thread id ${thread} is above ${MAX_SCHEDULE_THREAD_ID}`);
    }
    const count = parseDecimal(countText);
    if (count === undefined) {
      throw new ScheduleFormatError(text, `${where}: step count ${quote(countText)} after "x" is not a decimal integer`);
    }
    if (count === 0) throw new ScheduleFormatError(text, `${where}: step count must be at least 1`);
    total += count;
    if (total > MAX_SCHEDULE_STEPS) {
      throw new ScheduleFormatError(text, `it decodes to more than ${MAX_SCHEDULE_STEPS} steps`);
    }
    threads.push(thread);
    counts.push(count);
  }
  const schedule = new Array<number>(total);
  let at = 0;
  for (let r = 0; r < threads.length; r++) {
    schedule.fill(threads[r]!, at, at + counts[r]!);
    at += counts[r]!;
  }
  return schedule;
}

/** Parses a non-empty run of ASCII digits; `undefined` for anything else or beyond 2^53. */
function parseDecimal(text: string): number | undefined {
  if (!/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** Quotes user text for an error message, shortened when long. */
function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(shown);
}
