/**
 * Signals: sending (`kill`), and delivery at the return to user mode with the
 * `report_signal` and `report_jctl` reports. SIGKILL is never shown to engines and breaks
 * every stop.
 * @packageDocumentation
 */
import { incoming } from './incoming-action.js';
import { UTRACE_EVENT_INDEX, UTRACE_EVENT_SIGNAL_ALL } from '../constants/events.js';
import { UTRACE_INTERRUPT, UTRACE_REPORT, UTRACE_RESUME, UTRACE_RESUME_MASK } from '../constants/resume-actions.js';
import {
  UTRACE_SIGNAL_CORE,
  UTRACE_SIGNAL_DELIVER,
  UTRACE_SIGNAL_IGN,
  UTRACE_SIGNAL_MASK,
  UTRACE_SIGNAL_REPORT,
  UTRACE_SIGNAL_STOP,
  UTRACE_SIGNAL_TERM,
  UTRACE_SIGNAL_TSTP,
} from '../constants/signal-actions.js';
import { ESRCH } from '../constants/errno.js';
import type { k_sigaction, pt_regs, siginfo_t } from '../../types/task.js';
import { DETACHED_OPS } from './engine.js';
import type { Kernel } from './kernel.js';
import {
  finish_callback,
  finish_report,
  finish_resume_report,
  init_report,
  invoke,
  type Report,
  type ReportStep,
} from './report.js';
import { splice_attaching } from './reset.js';
import { CLD_CONTINUED, CLD_STOPPED, defaultAction, SIGCONT, SIGKILL, SIGSTOP, SIGTERM } from './signals.js';
import type { Task, UtraceState } from './task.js';
import { utrace_report_jctl } from './utrace-report.js';

const bit = (name: keyof typeof UTRACE_EVENT_INDEX): number => 1 << UTRACE_EVENT_INDEX[name];
const JCTL = bit('JCTL');
const QUIESCE = bit('QUIESCE');

/**
 * Sends `signo` to `task`. SIGKILL wakes it from any stop; SIGCONT ends a job-control stop.
 * As `prepare_signal` does, a stop signal discards a pending SIGCONT and SIGCONT discards every
 * pending stop signal (K6, `snajpa/openvz6-kernel@4aadb2adba8a39015e634507e5c41a74e44968e6:kernel/signal.c:716-735`).
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
    if (task.pending.some(isStopSignal)) {
      const kept = task.pending.filter((s) => !isStopSignal(s));
      task.pending.splice(0, task.pending.length, ...kept);
      if (kernel.tracing) kernel.log(`SIGCONT discards the stop signals pending for ${task}`);
    }
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

/** `sig_kernel_stop`: a signal whose default action stops the task. */
function isStopSignal(signo: number): boolean {
  return defaultAction(signo) === 'stop';
}

/** `SIGQUIT`: the signal `utrace_get_signal` stands for a core dump with when none is named. */
const SIGQUIT = 3;

/** `regs.syscall_nr` outside a system call. */
const NO_SYSCALL = -1;

/** The event bit and signal action of a signal's default disposition. */
function disposition(signo: number): { event: number; action: number } {
  switch (defaultAction(signo)) {
    case 'ignore':
    case 'continue':
      return { event: bit('SIGNAL_IGN'), action: UTRACE_SIGNAL_IGN };
    case 'stop':
      return { event: bit('SIGNAL_STOP'), action: signo === SIGSTOP ? UTRACE_SIGNAL_STOP : UTRACE_SIGNAL_TSTP };
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
    yield* utrace_report_jctl(kernel, task, CLD_STOPPED, 1);
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
 * The reporting pass of `utrace_get_signal` (K6 `kernel/utrace.c:2177-2213`): every engine that
 * wants `event` or QUIESCE is shown the signal, in attach order, by `report_signal` if its ops
 * have one (with `action` the disposition so far or'ed with the resume action so far), else by
 * `report_quiesce` (its return or'ed with the disposition so far). No `report_quiesce` comes
 * first. `UTRACE_REPORT` and `UTRACE_INTERRUPT` returned here become `UTRACE_RESUME`.
 */
function* report_signal_callbacks(
  kernel: Kernel,
  task: Task,
  utrace: UtraceState,
  report: Report,
  event: number,
  args: { regs: pt_regs; info: siginfo_t; orig_ka: k_sigaction | null; return_ka: k_sigaction },
): ReportStep<void> {
  // A snapshot: `utrace.attached` is never changed in place.
  for (const engine of utrace.attached) {
    utrace.reporting = engine;
    engine.counters?.inc(task.cpu);
    const want = engine.flags;
    const ops = engine.ops;
    if (ops === null || (want & (event | QUIESCE)) === 0) {
      utrace.reporting = null;
      engine.counters?.dec(task.cpu);
      continue;
    }
    let ret: number;
    let name: 'report_signal' | 'report_quiesce';
    if (ops !== DETACHED_OPS && ops.report_signal !== undefined) {
      name = 'report_signal';
      const shown = (want & event) !== 0 ? event : QUIESCE;
      ret = yield* invoke(kernel, engine, ops, name, shown, (h) => [incoming<'signal'>(report.result | report.action), h, args.regs, args.info, args.orig_ka, args.return_ka]);
    } else {
      name = 'report_quiesce';
      ret = report.result | (yield* invoke(kernel, engine, ops, name, QUIESCE, (h) => [incoming<'resume'>(report.action), h, event]));
    }
    const resume = ret & UTRACE_RESUME_MASK;
    if (resume === UTRACE_INTERRUPT || resume === UTRACE_REPORT) ret = ret - resume + UTRACE_RESUME;
    finish_callback(kernel, task, utrace, report, engine, ret, name);
  }
}

/** What the task does with a signal once the engines chose: K6 `kernel/utrace.c:2222-2290`. */
type SignalOutcome = 'term' | 'stop' | 'ignore';

function outcomeOf(signalAction: number, info: siginfo_t, return_ka: k_sigaction): SignalOutcome {
  switch (signalAction) {
    case UTRACE_SIGNAL_TERM:
    case UTRACE_SIGNAL_CORE:
      return 'term';
    case UTRACE_SIGNAL_STOP:
    case UTRACE_SIGNAL_TSTP:
      return 'stop';
    case UTRACE_SIGNAL_DELIVER: {
      // The signal's own default action, unless an engine installed another handler; a task
      // here runs no handlers, so a handler lets it go on like an ignored signal.
      if (return_ka.sa_handler !== 'default' || info.si_signo === 0) return 'ignore';
      const dflt = defaultAction(info.si_signo);
      return dflt === 'term' || dflt === 'core' ? 'term' : dflt === 'stop' ? 'stop' : 'ignore';
    }
    default:
      return 'ignore';
  }
}

/**
 * `get_signal_to_deliver` with `utrace_get_signal` (K6 `kernel/utrace.c:2020-2342`): report the
 * continue of a job-control stop; make the report `UTRACE_INTERRUPT` asks for (or that a pending
 * `UTRACE_REPORT` or attach turns a signal's arrival into) as `report_signal` with
 * `UTRACE_SIGNAL_REPORT`; then dequeue each pending signal, show it to the engines that want its
 * event or QUIESCE, and act on the disposition they chose.
 * @returns the signal that kills the task, or 0.
 * @internal
 */
export function* get_signal(kernel: Kernel, task: Task): ReportStep<number> {
  for (;;) {
    if (task.continued) {
      task.continued = false;
      if (task.utrace !== null && (task.utrace_flags & JCTL) !== 0) {
        yield* utrace_report_jctl(kernel, task, CLD_CONTINUED, 1);
      }
    }
    if (task.fatal) return SIGKILL;
    const utrace = task.utrace;
    const report = init_report();
    let signo = 0;
    let event = 0;
    let orig_ka: k_sigaction | null = null;
    // TIF_SIGPENDING is set by a pending signal or by UTRACE_INTERRUPT.
    const sigpending = task.pending.length > 0 || utrace?.resume === UTRACE_INTERRUPT;
    if (utrace !== null && task.utrace_flags !== 0 && sigpending && (utrace.resume < UTRACE_RESUME || utrace.pending_attach)) {
      // An explicit report asked for before any signal is looked at.
      splice_attaching(utrace);
      report.result = UTRACE_SIGNAL_REPORT;
      const resume = utrace.resume;
      utrace.resume = UTRACE_RESUME;
      if (resume > UTRACE_REPORT) {
        report.action = resume;
        report.spurious = false;
        yield* finish_resume_report(kernel, task, utrace, report);
        continue;
      }
      if ((task.utrace_flags & QUIESCE) === 0) continue;
    } else {
      if (task.pending.length === 0) return 0;
      signo = task.pending.shift()!;
      const { event: e, action: dflt } = disposition(signo);
      const shown = utrace !== null && (task.utrace_flags & UTRACE_EVENT_SIGNAL_ALL) !== 0 && (task.utrace_flags & (e | QUIESCE)) !== 0;
      if (!shown) {
        const outcome = outcomeOf(dflt, { si_signo: signo, si_pid: 0 }, { sa_handler: 'default' });
        if (kernel.tracing) kernel.log(`${task} takes signal ${signo} (action 0x${dflt.toString(16)})`);
        if (outcome === 'term') return signo;
        if (outcome === 'stop') yield* do_signal_stop(kernel, task);
        continue;
      }
      event = e;
      report.result = dflt;
      orig_ka = { sa_handler: 'default' };
    }
    const info: siginfo_t = { si_signo: signo, si_pid: 0 };
    const return_ka: k_sigaction = { sa_handler: 'default' };
    const regs: pt_regs = { syscall_nr: NO_SYSCALL, args: [], return_value: 0 };
    yield* report_signal_callbacks(kernel, task, utrace!, report, event, { regs, info, orig_ka, return_ka });
    const action = report.result & UTRACE_SIGNAL_MASK;
    const outcome = outcomeOf(action, info, return_ka);
    if (kernel.tracing) kernel.log(`${task} takes signal ${info.si_signo} (action 0x${action.toString(16)})`);
    if (outcome === 'ignore') {
      // On the way back to user mode: stop here if an engine asked to.
      yield* finish_resume_report(kernel, task, utrace!, report);
      continue;
    }
    // The task acts on the signal: a UTRACE_STOP becomes a report at the next return to user mode.
    finish_report(kernel, task, utrace!, report, true);
    if (task.fatal) return SIGKILL;
    if (outcome === 'term') return info.si_signo !== 0 ? info.si_signo : action === UTRACE_SIGNAL_CORE ? SIGQUIT : SIGTERM;
    yield* do_signal_stop(kernel, task);
  }
}
