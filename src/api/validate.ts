/**
 * Argument checks shared by the facade: JavaScript callers (or `as any`) get a
 * `UtraceUsageError` naming the rule and the fix, never a stray TypeError from inside.
 * @packageDocumentation
 */
import { describeObject, isInstance } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import { ENGINE_STOP, EngineHandle } from '../kernel/engine.js';
import type { Kernel } from '../kernel/kernel.js';
import { Task } from '../kernel/task.js';
import { UTRACE_EVENT_ALL } from '../constants/events.js';

/** The task behind a `task_struct` argument. @internal */
export function asTask(value: unknown, call: string): Task {
  if (!isInstance(value, Task)) {
    throw new UtraceUsageError('bad-task', `${call}: the task argument must be a task_struct made by a Kernel (Kernel.spawn, find_task_by_pid); got ${describe(value)}`);
  }
  return value as Task;
}

/** The handle behind an engine argument. @internal */
export function asHandle(value: unknown, call: string): EngineHandle {
  if (!isInstance(value, EngineHandle)) {
    throw new UtraceUsageError('bad-engine', `${call}: the engine argument must be an engine returned by utrace_attach_task or a call on it; got ${describe(value)}`);
  }
  return value as EngineHandle;
}

/** The task and engine of a call, checked to belong together. @internal */
export function taskAndEngine(task: unknown, engine: unknown, call: string): { task: Task; handle: EngineHandle; kernel: Kernel } {
  const t = asTask(task, call);
  const h = asHandle(engine, call);
  if (h.record.task.kernel !== t.kernel) {
    throw new UtraceUsageError('foreign-engine', `${call}: ${h.record.name} belongs to another kernel than ${t}`);
  }
  if (h.record.task !== t) {
    throw new UtraceUsageError('engine-task-mismatch', `${call}: ${h.record.name} is attached to ${h.record.task}, not ${t}; pass the task it was attached to`);
  }
  return { task: t, handle: h, kernel: t.kernel };
}

/** An event mask: an integer of event bits. @internal */
export function asEvents(value: unknown, call: string): number {
  // The range check comes first: bitwise operators truncate to 32 bits, so 2 ** 40 would pass as 0.
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > (UTRACE_EVENT_ALL | ENGINE_STOP) || (value & ~(UTRACE_EVENT_ALL | ENGINE_STOP)) !== 0) {
    throw new UtraceUsageError('event-bits', `${call}: events must be an integer made of UTRACE_EVENT(...) bits (0 to 0x3fff); got ${describe(value)}`);
  }
  return value;
}

/** An integer argument (an action, flags, a signal). @internal */
export function asInteger(value: unknown, what: string, call: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new UtraceUsageError('not-an-integer', `${call}: ${what} must be an integer; got ${describe(value)}`);
  }
  return value;
}

/** A short description of a bad value for messages; never throws, whatever the value. @internal */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return describeObject(value);
  return typeof value;
}

