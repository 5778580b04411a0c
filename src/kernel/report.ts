/**
 * The reporting pass, step for step as the kernel's `start_report`, `start_callback`,
 * `finish_callback`, `finish_report` and `REPORT_CALLBACKS`.
 *
 * A callback is in progress from `start_callback` (which sets `utrace->reporting`) to
 * `finish_callback` (which clears it). Scheduling points fall after `start_callback` and
 * after the callback's body, so a tracer's call can land while a callback "may still be
 * running", and the body can run after the tracer freed what it touches.
 * @packageDocumentation
 */
import { incoming } from './incoming-action.js';
import { UTRACE_EVENT_INDEX } from '../constants/events.js';
import {
  UTRACE_DETACH,
  UTRACE_INTERRUPT,
  UTRACE_REPORT,
  UTRACE_RESUME,
  UTRACE_RESUME_MASK,
  UTRACE_STOP,
} from '../constants/resume-actions.js';
import { DETACHED_OPS, ENGINE_STOP, EngineHandle, type EngineRecord } from './engine.js';
import type { Kernel } from './kernel.js';
import { callModuleCode, callModuleGenerator, preemptibleBodies, OOPSED } from './module-code.js';
import {
  clear_engine_wants_stop,
  mark_engine_wants_stop,
  markEngineDetached,
  splice_attaching,
  utrace_reset,
} from './reset.js';
import type { Task, UtraceState } from './task.js';
import type { Wait } from './threads.js';
import type { callback_args, utrace_report_name } from '../../types/event-table.js';
import type { callback_engine, utrace_engine_ops } from '../../types/ops.js';
import type { task_struct } from '../../types/task.js';
import { UTRACE_SIGNAL_HANDLER, UTRACE_SIGNAL_HOLD, UTRACE_SIGNAL_MASK } from '../constants/signal-actions.js';
import { UTRACE_SYSCALL_ABORT } from '../constants/syscall-actions.js';

const QUIESCE = 1 << UTRACE_EVENT_INDEX.QUIESCE;

/** A generator step of the reporting pass returning `T`. @internal */
export type ReportStep<T> = Generator<Wait | undefined, T, void>;

/** `struct utrace_report`: local state of one reporting pass. @internal */
export interface Report {
  result: number;
  action: number;
  resume_action: number;
  detaches: boolean;
  spurious: boolean;
}

/** `INIT_REPORT`. @internal */
export function init_report(): Report {
  return { result: 0, action: UTRACE_RESUME, resume_action: UTRACE_RESUME, detaches: false, spurious: true };
}

/**
 * The callbacks a reporting pass makes, named as in the event table: every report but
 * `report_reap`, which the reaper makes (reap.ts).
 * @internal
 */
export type pass_callback = Exclude<utrace_report_name, 'report_reap'>;

/**
 * The engine as the public type names it: `callback_engine` is a branded, phantom view of the
 * kernel's handle, which only the kernel may make.
 * @internal
 */
export function asCallbackEngine(handle: EngineHandle): callback_engine {
  return handle as unknown as callback_engine;
}

/**
 * A task as the public type names it: `task_struct` is a branded view of the kernel's task.
 * @internal
 */
export function asTaskStruct(task: Task): task_struct {
  return task as unknown as task_struct;
}

/** The handle a callback is given: the engine in state `'in-callback'`. @internal */
export function callbackHandle(engine: EngineRecord): EngineHandle {
  return (engine.callbackHandle ??= new EngineHandle(engine, 'in-callback'));
}

const ACTION_NAMES = ['UTRACE_STOP', 'UTRACE_INTERRUPT', 'UTRACE_REPORT', 'UTRACE_SINGLESTEP', 'UTRACE_BLOCKSTEP', 'UTRACE_RESUME', 'UTRACE_DETACH'];

/** Words for a callback's return value. @internal */
export function describeReturn(ret: number): string {
  const action = ACTION_NAMES[ret & UTRACE_RESUME_MASK] ?? String(ret & UTRACE_RESUME_MASK);
  const extra = ret & ~UTRACE_RESUME_MASK;
  return extra ? `${action} | 0x${extra.toString(16)}` : action;
}

/** A description of a returned value that runs none of its code (no toString, no getters). */
function describeReturned(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return String(value);
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
    case 'bigint':
      return `the bigint ${String(value)}n`;
    case 'undefined':
    case 'boolean':
      return String(value);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      try {
        if (value instanceof Promise) return 'a promise (callbacks must be synchronous: they run on the traced thread and must not sleep)';
      } catch {
        // A revoked Proxy.
      }
      return 'an object';
  }
}

/**
 * Why `value` is no legal return of callback `name` (SPEC rule 4), or null when it is one: a
 * resume action (0 to UTRACE_DETACH); for `report_syscall_entry` with `UTRACE_SYSCALL_ABORT`
 * added; for `report_signal` with a signal action and `UTRACE_SIGNAL_HOLD`; for `report_death`
 * only UTRACE_DETACH or UTRACE_RESUME. Checked on the whole number: nothing is truncated.
 * @internal
 */
export function illegalReturn(name: string, value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return `${describeReturned(value)}, which is not an action`;
  }
  const action = value & UTRACE_RESUME_MASK;
  const extra = value - action;
  const legal =
    action <= UTRACE_DETACH &&
    (name === 'report_death'
      ? extra === 0 && (action === UTRACE_DETACH || action === UTRACE_RESUME)
      : name === 'report_syscall_entry'
        ? extra === 0 || extra === UTRACE_SYSCALL_ABORT
        : name === 'report_signal'
          ? extra <= (UTRACE_SIGNAL_HOLD | UTRACE_SIGNAL_HANDLER) && (extra & ~(UTRACE_SIGNAL_HOLD | UTRACE_SIGNAL_MASK)) === 0
          : extra === 0);
  if (legal) return null;
  const what =
    name === 'report_death'
      ? 'report_death returns only UTRACE_DETACH or UTRACE_RESUME'
      : name === 'report_syscall_entry'
        ? 'report_syscall_entry returns a resume action, with UTRACE_SYSCALL_ABORT added or not'
        : name === 'report_signal'
          ? 'report_signal returns a resume action with a signal action and UTRACE_SIGNAL_HOLD added or not'
          : `${name} returns a resume action (UTRACE_STOP to UTRACE_DETACH)`;
  return `${describeReturned(value)}, which is not a legal value: ${what}`;
}

/**
 * `start_report`: splice new engines in if any, and take the resume action asked for.
 * @internal
 */
export function start_report(utrace: UtraceState): number {
  let resume = utrace.resume;
  if (utrace.pending_attach || (resume > UTRACE_INTERRUPT && resume < UTRACE_RESUME)) {
    splice_attaching(utrace);
    resume = utrace.resume;
    if (resume > UTRACE_INTERRUPT) utrace.resume = UTRACE_RESUME;
  }
  return resume;
}

/**
 * Makes one callback: a scheduling point after start, the body (module code), a
 * scheduling point before finish. The detached ops are kernel code and take no steps.
 * @internal
 */
export function* invoke<K extends pass_callback>(
  kernel: Kernel,
  engine: EngineRecord,
  ops: utrace_engine_ops<unknown>,
  name: K,
  eventBit: number,
  args: (engine: callback_engine) => callback_args<K>,
): ReportStep<number> {
  if (ops === DETACHED_OPS) return name === 'report_quiesce' ? UTRACE_DETACH : UTRACE_RESUME;
  if (kernel.tracing) kernel.log(`start_callback: ${name} of ${engine.name} (utrace->reporting = ${engine.name})`);
  callback_started(kernel, engine, name);
  yield;
  const disabled = engine.disabledSince.size === 0 ? undefined : engine.disabledSince.get(eventBit);
  if (disabled !== undefined) {
    kernel.fail(
      'callback-after-sync',
      `${name} of ${engine.name} was made after a call returned 0 for disabling that event: the sync guarantee is broken`,
      [disabled],
    );
  }
  // The row of the event table for `name`, read as a function of its own arguments (the
  // compiler cannot relate a generic row's callback to its parameter list by itself).
  const fn = ops[name] as ((...a: callback_args<K>) => unknown) | undefined;
  const handle = asCallbackEngine(callbackHandle(engine));
  let ret: number = UTRACE_RESUME;
  if (typeof fn !== 'function') {
    kernel.oops(`${engine.name} asked for the event of ${name} but its ops have no ${name}`);
  } else {
    // A callback made by preemptible() runs piece by piece, preemptible at each `yield preempt`.
    const body = preemptibleBodies.get(fn);
    const value = body === undefined ? callModuleCode(kernel, engine, name, fn, args(handle)) : yield* callModuleGenerator(kernel, engine, name, body, args(handle));
    if (value !== OOPSED) {
      const problem = illegalReturn(name, value);
      if (problem !== null) {
        kernel.oops(`${name} of ${engine.name} returned ${problem} (SPEC rule 4); treated as UTRACE_RESUME`);
      } else if (((value as number) & UTRACE_RESUME_MASK) === UTRACE_DETACH && name !== 'report_death' && engine.claim === 'never-detaches') {
        kernel.oops(
          `${name} of ${engine.name} returned UTRACE_DETACH, but its ops claim never to detach (SPEC rule 3): the tracer holds a counted reference it may block on; declare them with defineOps(ops, 'may-detach'). The engine stays attached (treated as UTRACE_RESUME)`,
        );
      } else {
        ret = value as number;
      }
    }
  }
  callback_finished(kernel, engine, name, ret);
  yield;
  return ret;
}

/**
 * The opening half of the bracket around every callback body (the reporting pass's and
 * `report_reap`'s): the callback is in flight from here. The caller yields next, so a tracer's
 * call can land while the callback "may still be running".
 * @internal
 */
export function callback_started(kernel: Kernel, engine: EngineRecord, name: string): void {
  kernel.inFlight.set(engine, kernel.stepRef(`${name} of ${engine.name} started`));
}

/**
 * The closing half of the bracket: the body returned `ret` (a resume action, or undefined for
 * `report_reap`). The caller yields next, before the pass goes on.
 * @internal
 */
export function callback_finished(kernel: Kernel, engine: EngineRecord, name: string, ret: number | undefined): void {
  kernel.inFlight.delete(engine);
  if (kernel.tracing) kernel.log(ret === undefined ? `${name} of ${engine.name} returns` : `${name} of ${engine.name} returns ${describeReturn(ret)}`);
}

/**
 * `finish_callback_report`: apply one callback's resume action to the pass.
 * @internal
 */
function finish_callback_report(
  kernel: Kernel,
  task: Task,
  report: Report,
  engine: EngineRecord,
  action: number,
  name: string,
): void {
  if (action === UTRACE_DETACH) markEngineDetached(kernel, engine, name === 'report_death' ? 'death' : 'callback', false);
  if (engine.ops === DETACHED_OPS) {
    report.detaches = true;
    return;
  }
  if (action < report.action) report.action = action;
  if (action !== UTRACE_STOP) {
    if (action < report.resume_action) report.resume_action = action;
    if ((engine.flags & ENGINE_STOP) !== 0) clear_engine_wants_stop(engine);
    return;
  }
  if ((engine.flags & ENGINE_STOP) === 0) mark_engine_wants_stop(task, engine);
}

/**
 * `finish_callback`: apply the return value, then clear `utrace->reporting` so that
 * utrace_barrier can stop waiting.
 * @returns true when the engine is now detached.
 * @internal
 */
export function finish_callback(
  kernel: Kernel,
  task: Task,
  utrace: UtraceState,
  report: Report,
  engine: EngineRecord,
  ret: number,
  name: string,
): boolean {
  report.result = ret & ~UTRACE_RESUME_MASK;
  finish_callback_report(kernel, task, report, engine, ret & UTRACE_RESUME_MASK, name);
  utrace.reporting = null;
  engine.counters?.dec(task.cpu);
  return engine.ops === DETACHED_OPS;
}

/**
 * `start_callback`: set `utrace->reporting`, read the engine's flags and ops, make the
 * `report_quiesce` callback first if wanted.
 * @returns the ops to call for `event`, or null when no callback is due.
 * @internal
 */
export function* start_callback(
  kernel: Kernel,
  task: Task,
  utrace: UtraceState,
  report: Report,
  engine: EngineRecord,
  event: number,
): ReportStep<utrace_engine_ops<unknown> | null> {
  utrace.reporting = engine;
  engine.counters?.inc(task.cpu);
  let want = engine.flags;
  const ops = engine.ops;
  if (ops === null) {
    utrace.reporting = null;
    engine.counters?.dec(task.cpu);
    return null;
  }
  if ((want & QUIESCE) !== 0) {
    const ret = yield* invoke(kernel, engine, ops, 'report_quiesce', QUIESCE, (h) => [incoming<'resume'>(report.action), h, event]);
    if (finish_callback(kernel, task, utrace, report, engine, ret, 'report_quiesce')) return null;
    utrace.reporting = engine;
    engine.counters?.inc(task.cpu);
    want = engine.flags;
  }
  if ((want & ENGINE_STOP) !== 0) report.action = UTRACE_STOP;
  if ((want & event) !== 0) {
    report.spurious = false;
    return ops;
  }
  utrace.reporting = null;
  engine.counters?.dec(task.cpu);
  return null;
}

/**
 * `REPORT_CALLBACKS`: one callback per attached engine that wants `event`, in attach order
 * (reverse for syscall entry).
 * @internal
 */
export function* report_callbacks<K extends pass_callback>(
  kernel: Kernel,
  task: Task,
  utrace: UtraceState,
  report: Report,
  event: number,
  name: K,
  args: (report: Report, engine: callback_engine) => callback_args<K>,
  reverse = false,
): ReportStep<void> {
  // The list as it is now: `utrace.attached` is never changed in place (every change makes
  // a new array), so this is a snapshot, as a copy would be.
  const engines = utrace.attached;
  const count = engines.length;
  const callbackArgs = (h: callback_engine): callback_args<K> => args(report, h);
  for (let k = 0; k < count; k++) {
    const engine = engines[reverse ? count - 1 - k : k]!;
    const ops = yield* start_callback(kernel, task, utrace, report, engine, event);
    if (ops === null) continue;
    const ret = yield* invoke(kernel, engine, ops, name, event, callbackArgs);
    finish_callback(kernel, task, utrace, report, engine, ret, name);
  }
}

/**
 * `finish_report_reset`: recompute the flags if nobody wanted this event or an engine detached.
 * @internal
 */
export function finish_report_reset(kernel: Kernel, task: Task, utrace: UtraceState, report: Report): void {
  if (report.spurious || report.detaches) {
    if (utrace_reset(kernel, task, utrace)) report.action = UTRACE_RESUME;
  }
}

/**
 * `finish_report`: record the resume action for the return to user mode; a STOP becomes a
 * REPORT there when the task cannot stop at this point.
 * @internal
 */
export function finish_report(kernel: Kernel, task: Task, utrace: UtraceState, report: Report, will_not_stop: boolean): void {
  let resume = report.action;
  if (resume === UTRACE_STOP) resume = will_not_stop ? UTRACE_REPORT : UTRACE_RESUME;
  if (resume < utrace.resume) {
    utrace.resume = resume;
    task.notify_resume = true;
  }
  finish_report_reset(kernel, task, utrace, report);
}

/**
 * `REPORT`: a whole reporting pass for `event`.
 * @internal
 */
export function* report_event<K extends pass_callback>(
  kernel: Kernel,
  task: Task,
  event: number,
  name: K,
  args: (report: Report, engine: callback_engine) => callback_args<K>,
  will_not_stop = true,
): ReportStep<Report> {
  const utrace = task.utrace!;
  const report = init_report();
  start_report(utrace);
  yield* report_callbacks(kernel, task, utrace, report, event, name, args);
  finish_report(kernel, task, utrace, report, will_not_stop);
  return report;
}

/**
 * `utrace_stop`: block in TASK_TRACED until no engine wants the task stopped, or SIGKILL.
 * @internal
 */
export function* utrace_stop(kernel: Kernel, task: Task, utrace: UtraceState, action: number): ReportStep<void> {
  for (;;) {
    if (action < utrace.resume) {
      utrace.resume = action;
      task.notify_resume = true;
    }
    if ((task.utrace_flags & ENGINE_STOP) === 0) {
      utrace_reset(kernel, task, utrace);
      if ((task.utrace_flags & ENGINE_STOP) !== 0) continue;
      return;
    }
    break;
  }
  if (task.fatal) return;
  task.state = 'traced';
  task.nvcsw++;
  if (kernel.tracing) kernel.log(`${task} stops (TASK_TRACED)`);
  yield { until: () => task.state !== 'traced', what: `an engine to resume ${task} from its tracing stop` };
  if (kernel.tracing) kernel.log(`${task} runs again`);
}

/**
 * `utrace_resume`: at the return to user mode, make the report asked for by `UTRACE_REPORT`
 * and apply the resume action (stop, step). `UTRACE_INTERRUPT` is left to the signal path,
 * which reports it with `report_signal(UTRACE_SIGNAL_REPORT)` (K6 `kernel/utrace.c:1908-1990`,
 * `2031-2087`).
 * @internal
 */
export function* utrace_resume(kernel: Kernel, task: Task): ReportStep<void> {
  const utrace = task.utrace;
  if (utrace === null || !task.notify_resume) return;
  task.notify_resume = false;
  const report = init_report();
  report.action = start_report(utrace);
  switch (report.action) {
    case UTRACE_RESUME:
      return;
    case UTRACE_REPORT:
      if ((task.utrace_flags & QUIESCE) === 0) break;
      report.action = UTRACE_RESUME;
      // A snapshot: `utrace.attached` is never changed in place.
      for (const engine of utrace.attached) {
        yield* start_callback(kernel, task, utrace, report, engine, 0);
      }
      break;
    default:
      report.spurious = false;
      break;
  }
  yield* finish_resume_report(kernel, task, utrace, report);
}

/**
 * `finish_resume_report`: finish the last pass before the return to user mode, and stop there
 * if an engine asked to (K6 `kernel/utrace.c:1852-1900`). `UTRACE_INTERRUPT` leaves
 * `utrace->resume` set, so the signal path that follows makes its report.
 * @internal
 */
export function* finish_resume_report(kernel: Kernel, task: Task, utrace: UtraceState, report: Report): ReportStep<void> {
  finish_report_reset(kernel, task, utrace, report);
  if (report.action === UTRACE_STOP) yield* utrace_stop(kernel, task, utrace, report.resume_action);
}
