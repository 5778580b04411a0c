/**
 * Signals: sending (`kill`), and delivery at the return to user mode with the
 * `report_signal` and `report_jctl` reports. SIGKILL is never shown to engines and breaks
 * every stop.
 * @packageDocumentation
 */
import { UTRACE_EVENT_INDEX } from '../constants/events.js';
import { UTRACE_STOP } from '../constants/resume-actions.js';
import {
  UTRACE_SIGNAL_CORE,
  UTRACE_SIGNAL_DELIVER,
  UTRACE_SIGNAL_IGN,
  UTRACE_SIGNAL_MASK,
  UTRACE_SIGNAL_STOP,
  UTRACE_SIGNAL_TERM,
  UTRACE_SIGNAL_TSTP,
} from '../constants/signal-actions.js';
import type { Kernel } from './kernel.js';
import {
  finish_report_reset,
  init_report,
  report_callbacks,
  report_event,
  type ReportStep,
  start_report,
  utrace_stop,
} from './report.js';
import { CLD_CONTINUED, CLD_STOPPED, defaultAction, SIGCONT, SIGKILL } from './signals.js';
import type { Task } from './task.js';
import { ESRCH } from '../constants/errno.js';

const bit = (name: keyof typeof UTRACE_EVENT_INDEX): number => 1 << UTRACE_EVENT_INDEX[name];
const JCTL = bit('JCTL');

/**
 * Sends `signo` to `task`. SIGKILL wakes it from any stop; SIGCONT ends a job-control stop.
 * @returns 0, or -ESRCH when the task has exited.
 * @internal
 */
export function send_signal(kernel: Kernel, task: Task, signo: number): number {
  if (task.exit_state !== 0) return -ESRCH;
  if (kernel.tracing) kernel.log(`signal ${signo} sent to ${task}`);
  if (signo === SIGKILL) {
    task.fatal = true;
    if (task.state === 'traced' || task.state === 'stopped') {
      task.state = 'running';
      task.nvcsw++;
    }
    return 0;
  }
  if (signo === SIGCONT) {
    if (task.jobctl) {
      task.jobctl = false;
      task.continued = true;
      if (task.state === 'stopped') {
        task.state = 'running';
        task.nvcsw++;
      }
    }
    return 0;
  }
  task.pending.push(signo);
  return 0;
}

/** The event bit and signal action of a signal's default disposition. */
function disposition(signo: number): { event: number; action: number } {
  switch (defaultAction(signo)) {
    case 'ignore':
    case 'continue':
      return { event: bit('SIGNAL_IGN'), action: UTRACE_SIGNAL_IGN };
    case 'stop':
      return { event: bit('SIGNAL_STOP'), action: UTRACE_SIGNAL_STOP };
    case 'core':
      return { event: bit('SIGNAL_CORE'), action: UTRACE_SIGNAL_CORE };
    default:
      return { event: bit('SIGNAL_TERM'), action: UTRACE_SIGNAL_TERM };
  }
}

/**
 * The job-control stop: `report_jctl(CLD_STOPPED)`, then TASK_STOPPED until SIGCONT or
 * SIGKILL.
 */
function* do_signal_stop(kernel: Kernel, task: Task): ReportStep<void> {
  task.jobctl = true;
  if (task.utrace !== null && (task.utrace_flags & JCTL) !== 0) {
    yield* report_event(kernel, task, JCTL, 'report_jctl', (r, h) => [r.action, h, CLD_STOPPED, 1]);
  }
  if (task.fatal || !task.jobctl) return;
  task.state = 'stopped';
  task.nvcsw++;
  if (kernel.tracing) kernel.log(`${task} stops (job control)`);
  // Only SIGCONT or SIGKILL (state 'running') ends the stop: utrace_do_stop turning it into
  // TASK_TRACED, and the wakeup back to TASK_STOPPED, leave the task asleep here, as in K6.
  yield { until: () => task.state === 'running', what: `SIGCONT to ${task}` };
}

/**
 * `get_signal_to_deliver` with `utrace_get_signal`: report the continue of a job-control
 * stop, then dequeue and report each pending signal and act on the disposition engines
 * chose.
 * @returns the signal that kills the task, or 0.
 * @internal
 */
export function* get_signal(kernel: Kernel, task: Task): ReportStep<number> {
  if (task.continued) {
    task.continued = false;
    if (task.utrace !== null && (task.utrace_flags & JCTL) !== 0) {
      yield* report_event(kernel, task, JCTL, 'report_jctl', (r, h) => [r.action, h, CLD_CONTINUED, 1]);
    }
  }
  while (task.pending.length > 0) {
    if (task.fatal) return SIGKILL;
    const signo = task.pending.shift()!;
    const { event, action: dflt } = disposition(signo);
    let action = dflt;
    const utrace = task.utrace;
    if (utrace !== null && (task.utrace_flags & event) !== 0) {
      const report = init_report();
      report.result = dflt;
      start_report(utrace);
      const info = { si_signo: signo, si_pid: 0 };
      const regs = { syscall_nr: -1, args: [], return_value: 0 };
      const return_ka = { sa_handler: 'default' as const };
      yield* report_callbacks(kernel, task, utrace, report, event, 'report_signal', (r, h) => [
        r.result | r.action,
        h,
        regs,
        info,
        { sa_handler: 'default' as const },
        return_ka,
      ]);
      const chosen = report.result & UTRACE_SIGNAL_MASK;
      if (chosen !== UTRACE_SIGNAL_DELIVER) action = chosen;
      finish_report_reset(kernel, task, utrace, report);
      if (report.action === UTRACE_STOP) yield* utrace_stop(kernel, task, utrace, report.resume_action);
      if (task.fatal) return SIGKILL;
    }
    if (kernel.tracing) kernel.log(`${task} takes signal ${signo} (action 0x${action.toString(16)})`);
    switch (action) {
      case UTRACE_SIGNAL_TERM:
      case UTRACE_SIGNAL_CORE:
        return signo;
      case UTRACE_SIGNAL_STOP:
      case UTRACE_SIGNAL_TSTP:
        yield* do_signal_stop(kernel, task);
        if (task.fatal) return SIGKILL;
        if (task.continued) return yield* get_signal(kernel, task);
        break;
      default:
        break;
    }
  }
  return task.fatal ? SIGKILL : 0;
}
