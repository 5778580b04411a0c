/**
 * Checks of task programs: the builders (`sys`, `exec`, `clone`, ...) check their arguments,
 * and `Kernel.spawn` checks every event of a program (hand-built ones included), so a bad
 * event is refused with a UtraceUsageError before the run, not met as a TypeError inside it.
 * @packageDocumentation
 */
import { UtraceUsageError } from '../errors.js';
import { describeArg, describeThrown, isArray, readFields } from '../constants/integer-arg.js';
export { isArray } from '../constants/integer-arg.js';
import type { ProgramEvent } from './program.js';

const RULE = 'program-event';

/** Throws the program-event UtraceUsageError for `call`. @internal */
export function badEvent(call: string, what: string, value: unknown): never {
  throw new UtraceUsageError(RULE, `${call}: ${what}; got ${describeArg(value)}. Build events with sys(nr, ...args), exec(file), clone(program, { flags, comm }), raise(sig), wait(), exit(code)`);
}

/** `value` when it is an integer. @internal */
export function eventInteger(value: unknown, what: string, call: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) badEvent(call, `${what} must be an integer`, value);
  return value;
}

/** `value` when it is a signal number (1 to 64). @internal */
export function eventSignal(value: unknown, call: string): number {
  const n = eventInteger(value, 'the signal', call);
  if (n < 1 || n > 64) badEvent(call, 'the signal must be from 1 to 64', value);
  return n;
}

/** `value` when it is a string. @internal */
export function eventString(value: unknown, what: string, call: string): string {
  if (typeof value !== 'string') badEvent(call, `${what} must be a string`, value);
  return value;
}

/** Events and programs already checked and frozen here: reused as they are, never checked twice. */
const CHECKED = new WeakSet<object>();

/**
 * How deep clones may nest in a program built by hand (programs built with `clone()` are
 * checked once, as they are built, and nest without limit).
 * @internal
 */
export const MAX_HAND_BUILT_NESTING = 1000;

/** Marks an event or program made by a builder as checked, and freezes it. @internal */
export function checked<T extends object>(value: T): T {
  Object.freeze(value);
  CHECKED.add(value);
  return value;
}

/** Reads `array[i]` (and whether it is there) once; a throwing trap is a usage error. */
function element(array: unknown[], i: number, at: string): { present: boolean; value: unknown } {
  try {
    return i in array ? { present: true, value: array[i] } : { present: false, value: undefined };
  } catch (e) {
    return badEvent(at, `reading element ${i} threw (${describeThrown(e)})`, undefined);
  }
}

function lengthOf(array: unknown[], at: string): number {
  try {
    const n: unknown = array.length;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
  } catch (e) {
    badEvent(at, `reading the array's length threw (${describeThrown(e)})`, undefined);
  }
  return badEvent(at, 'a program must be an array of events', array);
}

/**
 * Checks every event of `program` (and of the programs of its clones) and returns a frozen copy
 * of it: every field is read once, so a program changed after the call, an event whose getters
 * answer differently on a second read, or a sparse array cannot reach the run.
 * @internal
 */
export function checkProgram(program: unknown, call: string, depth = 0): readonly ProgramEvent[] {
  if (typeof program === 'object' && program !== null && CHECKED.has(program)) return program as readonly ProgramEvent[];
  if (!isArray(program)) badEvent(call, 'a program must be an array of events', program);
  if (depth > MAX_HAND_BUILT_NESTING) {
    badEvent(call, `clones nest more than ${MAX_HAND_BUILT_NESTING} deep in a program built by hand; build nested programs with clone()`, undefined);
  }
  const n = lengthOf(program, call);
  const out: ProgramEvent[] = [];
  for (let i = 0; i < n; i++) {
    const at = depth === 0 ? `${call}: event ${i}` : `${call}: event ${i} of a child program ${depth} clone(s) deep`;
    const { present, value } = element(program, i, at);
    if (!present) badEvent(at, 'the program has a hole here (a sparse array such as [, sys(1)]); give every event', undefined);
    out.push(checkEvent(value, at, depth, call));
  }
  return checked(out);
}

/** Checks one event and returns a frozen copy of it (the event itself when already checked). */
function checkEvent(ev: unknown, at: string, depth: number, call: string): ProgramEvent {
  if (typeof ev !== 'object' || ev === null) badEvent(at, 'an event must be an object made by a program builder', ev);
  if (CHECKED.has(ev)) return ev as ProgramEvent;
  const kind = readFields(ev, ['kind'], at, RULE, 'the event').kind;
  switch (kind) {
    case 'syscall': {
      const e = readFields(ev, ['nr', 'args'], at, RULE, 'the event');
      const nr = eventInteger(e.nr, 'the system call number', at);
      if (!isArray(e.args)) badEvent(at, 'the system call arguments must be an array of integers', e.args);
      const args: number[] = [];
      const n = lengthOf(e.args, at);
      for (let i = 0; i < n; i++) {
        const a = element(e.args, i, at);
        args.push(eventInteger(a.value, 'a system call argument', at));
      }
      return checked({ kind, nr, args: checked(args) });
    }
    case 'exec': {
      const e = readFields(ev, ['filename'], at, RULE, 'the event');
      return checked({ kind, filename: eventString(e.filename, 'the file name', at) });
    }
    case 'clone': {
      const e = readFields(ev, ['flags', 'comm', 'program'], at, RULE, 'the event');
      const flags = eventInteger(e.flags, 'clone flags', at);
      const comm = eventString(e.comm, 'the child name', at);
      const program = checkProgram(e.program, call, depth + 1);
      return checked({ kind, flags, comm, program });
    }
    case 'raise': {
      const e = readFields(ev, ['signo'], at, RULE, 'the event');
      return checked({ kind, signo: eventSignal(e.signo, at) });
    }
    case 'wait':
      return checked({ kind });
    case 'exit': {
      const e = readFields(ev, ['code'], at, RULE, 'the event');
      return checked({ kind, code: eventInteger(e.code, 'the exit code', at) });
    }
    default:
      return badEvent(at, `unknown event kind (one of syscall, exec, clone, raise, wait, exit)`, kind);
  }
}
