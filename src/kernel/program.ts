/**
 * What a simulated task does: a program of events, run one after another. A task whose
 * program ends without `exit` exits with code 0.
 * @packageDocumentation
 */
import { readFields } from '../constants/integer-arg.js';
import { checkProgram, checked, eventInteger, eventSignal, eventString, badEvent } from './program-check.js';

/**
 * A system call: entry report, the call itself, exit report.
 * @public
 * @category Kernel simulation
 */
export interface SyscallEvent {
  /** The event's tag. */
  readonly kind: 'syscall';
  /** System call number. */
  readonly nr: number;
  /** Arguments shown to callbacks in `regs.args`. */
  readonly args: readonly number[];
}

/**
 * A successful exec of `filename`.
 * @public
 * @category Kernel simulation
 */
export interface ExecEvent {
  /** The event's tag. */
  readonly kind: 'exec';
  /** Path executed. */
  readonly filename: string;
}

/**
 * A clone: a child task that runs `program`, created before `report_clone` and started
 * after it.
 * @public
 * @category Kernel simulation
 */
export interface CloneEvent {
  /** The event's tag. */
  readonly kind: 'clone';
  /** `clone_flags` shown to `report_clone`. */
  readonly flags: number;
  /** Name of the child. */
  readonly comm: string;
  /** What the child runs. */
  readonly program: readonly ProgramEvent[];
}

/**
 * The task sends itself a signal (`raise`); it is delivered at the next return to user mode.
 * @public
 * @category Kernel simulation
 */
export interface RaiseEvent {
  /** The event's tag. */
  readonly kind: 'raise';
  /** Signal number. */
  readonly signo: number;
}

/**
 * The task waits for a child to become a zombie and reaps it (`wait4`); returns at once
 * when it has no child.
 * @public
 * @category Kernel simulation
 */
export interface WaitEvent {
  /** The event's tag. */
  readonly kind: 'wait';
}

/**
 * The task calls `exit(code)`.
 * @public
 * @category Kernel simulation
 */
export interface ExitEvent {
  /** The event's tag. */
  readonly kind: 'exit';
  /** Exit code. */
  readonly code: number;
}

/**
 * One event of a task's program.
 * @public
 * @category Kernel simulation
 */
export type ProgramEvent = SyscallEvent | ExecEvent | CloneEvent | RaiseEvent | WaitEvent | ExitEvent;

/**
 * A system call event.
 * @example
 * ```ts
 * import { sys } from 'utrace';
 * const program = [sys(0), sys(1, 1, 4096)];
 * ```
 * @public
 * @category Kernel simulation
 */
export function sys(nr: number, ...args: number[]): SyscallEvent {
  eventInteger(nr, 'the system call number', 'sys');
  for (const a of args) eventInteger(a, 'a system call argument', 'sys');
  return checked({ kind: 'syscall', nr, args: checked([...args]) });
}

/**
 * An exec event.
 * @example
 * ```ts
 * import { exec } from 'utrace';
 * const program = [exec('/bin/true')];
 * ```
 * @public
 * @category Kernel simulation
 */
export function exec(filename: string): ExecEvent {
  eventString(filename, 'the file name', 'exec');
  return checked({ kind: 'exec', filename });
}

/**
 * A clone event whose child runs `program`.
 * @example
 * ```ts
 * import { clone, sys } from 'utrace';
 * const program = [clone([sys(1)], { comm: 'child' })];
 * ```
 * @public
 * @category Kernel simulation
 */
export function clone(program: readonly ProgramEvent[], options: { flags?: number; comm?: string } = {}): CloneEvent {
  const events = checkProgram(program, 'clone');
  if (typeof options !== 'object' || options === null) badEvent('clone', 'options must be an object { flags, comm }', options);
  const o = readFields(options, ['flags', 'comm'], 'clone', 'program-event');
  if (o.flags !== undefined) eventInteger(o.flags, 'clone flags', 'clone');
  if (o.comm !== undefined) eventString(o.comm, 'the child name', 'clone');
  return checked({ kind: 'clone', flags: (o.flags as number | undefined) ?? 0, comm: (o.comm as string | undefined) ?? 'child', program: events });
}

/**
 * The task sends itself signal `signo`.
 * @example
 * ```ts
 * import { raise, SIGUSR1 } from 'utrace';
 * const program = [raise(SIGUSR1)];
 * ```
 * @public
 * @category Kernel simulation
 */
export function raise(signo: number): RaiseEvent {
  eventSignal(signo, 'raise');
  return checked({ kind: 'raise', signo });
}

/**
 * The task reaps one zombie child, waiting for one if needed.
 * @example
 * ```ts
 * import { clone, wait, sys } from 'utrace';
 * const program = [clone([sys(1)]), wait()];
 * ```
 * @public
 * @category Kernel simulation
 */
export function wait(): WaitEvent {
  return checked({ kind: 'wait' });
}

/**
 * The task exits with `code`.
 * @example
 * ```ts
 * import { exit } from 'utrace';
 * const program = [exit(3)];
 * ```
 * @public
 * @category Kernel simulation
 */
export function exit(code = 0): ExitEvent {
  eventInteger(code, 'the exit code', 'exit');
  return checked({ kind: 'exit', code });
}
