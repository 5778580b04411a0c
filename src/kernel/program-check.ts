/**
 * Checks of task programs: the builders (`sys`, `exec`, `clone`, ...) check their arguments,
 * and `Kernel.spawn` checks every event of a program (hand-built ones included), so a bad
 * event is refused with a UtraceUsageError before the run, not met as a TypeError inside it.
 * @packageDocumentation
 */
import { UtraceUsageError } from '../errors.js';
import { describeArg } from '../constants/integer-arg.js';

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

/**
 * Checks every event of `program` (and of the programs of its clones).
 * @internal
 */
export function checkProgram(program: unknown, call: string): void {
  if (!Array.isArray(program)) badEvent(call, 'a program must be an array of events', program);
  program.forEach((ev: unknown, i: number) => {
    const at = `${call}: event ${i}`;
    if (typeof ev !== 'object' || ev === null) badEvent(at, 'an event must be an object made by a program builder', ev);
    const e = ev as Record<string, unknown>;
    switch (e['kind']) {
      case 'syscall':
        eventInteger(e['nr'], 'the system call number', at);
        if (!Array.isArray(e['args'])) badEvent(at, 'the system call arguments must be an array of integers', e['args']);
        for (const a of e['args'] as unknown[]) eventInteger(a, 'a system call argument', at);
        return;
      case 'exec':
        eventString(e['filename'], 'the file name', at);
        return;
      case 'clone':
        eventInteger(e['flags'], 'clone flags', at);
        eventString(e['comm'], 'the child name', at);
        checkProgram(e['program'], `${at} (the child program)`);
        return;
      case 'raise':
        eventSignal(e['signo'], at);
        return;
      case 'wait':
        return;
      case 'exit':
        eventInteger(e['code'], 'the exit code', at);
        return;
      default:
        badEvent(at, `unknown event kind (one of syscall, exec, clone, raise, wait, exit)`, e['kind']);
    }
  });
}
