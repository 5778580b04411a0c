/**
 * `utrace_report_<event>`: one function per event, named and ordered as in the kernel's
 * `utrace.c`, each called from its site in the task's program (task-main.ts, signal.ts, reap.ts)
 * under the test `tracehook.h` makes (the task's `utrace_flags` has the event). Each is a whole
 * reporting pass built from report.ts. The signal report, `utrace_get_signal`, is in signal.ts;
 * the reap report, `utrace_reap`, in reap.ts.
 *
 * A new event is a row of the event table (`types/event-table.ts`), its callback's signature
 * there, and a `utrace_report_<event>` here with its call site.
 * @packageDocumentation
 */
import { incoming } from './incoming-action.js';
import { UTRACE_EVENT_INDEX } from '../constants/events.js';
import { UTRACE_REPORT, UTRACE_RESUME, UTRACE_STOP } from '../constants/resume-actions.js';
import { UTRACE_SYSCALL_ABORT, UTRACE_SYSCALL_MASK, UTRACE_SYSCALL_RESUMED } from '../constants/syscall-actions.js';
import type { jctl_type, pt_regs } from '../../types/task.js';
import type { Kernel } from './kernel.js';
import { utrace_maybe_reap } from './reap.js';
import {
  asTaskStruct,
  finish_report,
  init_report,
  report_callbacks,
  report_event,
  type ReportStep,
  start_report,
  utrace_stop,
} from './report.js';
import { splice_attaching } from './reset.js';
import type { Task } from './task.js';

const bit = (name: keyof typeof UTRACE_EVENT_INDEX): number => 1 << UTRACE_EVENT_INDEX[name];
const SYSCALL_ENTRY = bit('SYSCALL_ENTRY');
const SYSCALL_EXIT = bit('SYSCALL_EXIT');
const EXEC = bit('EXEC');
const CLONE = bit('CLONE');
const JCTL = bit('JCTL');
const EXIT = bit('EXIT');
const DEATH = bit('DEATH');
/** `CLONE_VFORK` from `<linux/sched.h>`. */
export const CLONE_VFORK = 0x4000;
/** `regs.syscall_nr` of execve on x86-64, as `report_exec` sees it. */
const NR_EXECVE = 59;

/**
 * `utrace_report_exec`: `report_exec` with the new image's format and file.
 * @internal
 */
export function* utrace_report_exec(kernel: Kernel, task: Task, filename: string): ReportStep<void> {
  const regs: pt_regs = { syscall_nr: NR_EXECVE, args: [], return_value: 0 };
  yield* report_event(kernel, task, EXEC, 'report_exec', (r, h) => [incoming<'resume'>(r.action), h, { name: 'elf' }, { filename }, regs]);
}

/**
 * `utrace_report_syscall_entry`: engines in reverse order; STOP stops before the call, and a
 * REPORT or INTERRUPT asked for while stopped repeats the pass with `UTRACE_SYSCALL_RESUMED`.
 * @returns true when the system call is to be skipped (`UTRACE_SYSCALL_ABORT`, or SIGKILL).
 * @internal
 */
export function* utrace_report_syscall_entry(kernel: Kernel, task: Task, regs: pt_regs): ReportStep<boolean> {
  const utrace = task.utrace!;
  const report = init_report();
  let resume_report = 0;
  do {
    start_report(utrace);
    const flag = resume_report;
    yield* report_callbacks(kernel, task, utrace, report, SYSCALL_ENTRY, 'report_syscall_entry', (r, h) => [incoming<'syscall'>(flag | r.result | r.action), h, regs], true);
    finish_report(kernel, task, utrace, report, false);
    resume_report = 0;
    if (report.action !== UTRACE_STOP) break;
    yield* utrace_stop(kernel, task, utrace, report.resume_action);
    if (task.fatal) {
      report.result = UTRACE_SYSCALL_ABORT;
    } else if (utrace.resume <= UTRACE_REPORT) {
      report.detaches = false;
      report.spurious = true;
      report.action = UTRACE_RESUME;
      report.resume_action = UTRACE_RESUME;
      resume_report = UTRACE_SYSCALL_RESUMED;
    }
  } while (resume_report !== 0);
  return (report.result & UTRACE_SYSCALL_MASK) === UTRACE_SYSCALL_ABORT;
}

/**
 * `utrace_report_syscall_exit`: `report_syscall_exit`, which may rewrite the return value.
 * @internal
 */
export function* utrace_report_syscall_exit(kernel: Kernel, task: Task, regs: pt_regs): ReportStep<void> {
  yield* report_event(kernel, task, SYSCALL_EXIT, 'report_syscall_exit', (r, h) => [incoming<'resume'>(r.action), h, regs]);
}

/**
 * `utrace_report_clone`, then `utrace_finish_vfork`: `report_clone` in the parent before the
 * child runs; the child starts after it. A STOP stops at the return to user mode, or, for
 * `CLONE_VFORK`, right after the child is started (before the vfork wait).
 * @internal
 */
export function* utrace_report_clone(kernel: Kernel, task: Task, clone_flags: number, child: Task): ReportStep<void> {
  const utrace = task.utrace!;
  const report = init_report();
  start_report(utrace);
  yield* report_callbacks(kernel, task, utrace, report, CLONE, 'report_clone', (r, h) => [incoming<'resume'>(r.action), h, clone_flags, asTaskStruct(child)]);
  finish_report(kernel, task, utrace, report, (clone_flags & CLONE_VFORK) === 0);
  child.started = true;
  if ((clone_flags & CLONE_VFORK) !== 0 && report.action === UTRACE_STOP) yield* utrace_stop(kernel, task, utrace, UTRACE_RESUME);
}

/**
 * `utrace_report_jctl`: `report_jctl` for a job-control stop (`CLD_STOPPED`) or continue
 * (`CLD_CONTINUED`).
 * @internal
 */
export function* utrace_report_jctl(kernel: Kernel, task: Task, type: jctl_type, notify: number): ReportStep<void> {
  yield* report_event(kernel, task, JCTL, 'report_jctl', (r, h) => [incoming<'resume'>(r.action), h, type, notify]);
}

/**
 * `utrace_report_exit`: `report_exit`, which may rewrite the exit code; a STOP stops here.
 * @returns the exit code the engines left.
 * @internal
 */
export function* utrace_report_exit(kernel: Kernel, task: Task, code: number): ReportStep<number> {
  const cell = { code };
  const report = yield* report_event(kernel, task, EXIT, 'report_exit', (r, h) => [incoming<'resume'>(r.action), h, code, cell]);
  if (report.action === UTRACE_STOP) yield* utrace_stop(kernel, task, task.utrace!, report.resume_action);
  return cell.code;
}

/**
 * `utrace_report_death`: `report_death` to every engine that wants it, then the reap bookkeeping.
 * @internal
 */
export function* utrace_report_death(kernel: Kernel, task: Task, signal: number): ReportStep<void> {
  const utrace = task.utrace!;
  utrace.death = true;
  utrace.resume = UTRACE_RESUME;
  splice_attaching(utrace);
  const report = init_report();
  yield* report_callbacks(kernel, task, utrace, report, DEATH, 'report_death', (_r, h) => [h, true, signal]);
  yield* utrace_maybe_reap(kernel, task, utrace, false);
}
