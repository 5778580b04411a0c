/**
 * ptrace implemented by a utrace engine (`kernel/ptrace-utrace.c` of the RHEL 6 kernel): the
 * part its detach entries share: the per-tracee context, the ops, the attach, the engine
 * lookup and the wake-up. The detach paths themselves are in `ptrace-detach.ts` (the
 * debugger's `PTRACE_DETACH`), `ptrace-exit-detach.ts` (the debugger exits) and
 * `ptrace-exit-detach-cached.ts` (a deliberate mistake).
 *
 * Source: seyko2/openvz_rhel6_kernel_mirror@901de73b44812c10001cfd2a31d2f1c6fb9e8e55:kernel/ptrace-utrace.c
 * - `struct ptrace_context`, lines 57-67, and `PTRACE_O_DETACHED`, line 72;
 * - `ptrace_event_pending`, `set_stop_code`, `ptrace_context`, lines 80-99;
 * - `ptrace_lookup_engine`, lines 103-107 (a lookup by ops, data `NULL`);
 * - `ptrace_set_events`, lines 196-214, and `ptrace_attach_task`, lines 219-235;
 * - `ptrace_wake_up`, lines 237-259;
 * - `PTRACE_EVENT_SIGNAL`, line 76;
 * - `resume_signal`, lines 495-531, and `ptrace_report_signal`, lines 533-598;
 * - `ptrace_report_exec`, lines 474-493; `ptrace_report_quiesce`, lines 600-609;
 *   `ptrace_release`, lines 611-614; the ops table, lines 616-625.
 *
 * Left out, and why:
 * - `report_clone`, `report_exit` and the syscall callbacks: the tracee neither clones nor
 *   is single-stepped or syscall-traced, so they would only resume it.
 * - In `report_signal`: the `UTRACE_SIGNAL_HANDLER` case (tasks here install no handlers),
 *   the SIGTRAP that `ptrace_resume` may leave in `ctx->signr` (no syscall stepping), and in
 *   `resume_signal` the siginfo rewrite and the blocked-signal requeue (no handlers, no
 *   blocked signals). `ctx->siginfo` is a flag: the pointer's being set is all the detach
 *   path reads.
 * - `ptrace_attach`'s SIGSTOP is sent by the debugger; here the tracee raises it first
 *   thing, which is where it arrives in every schedule in which the attach has finished.
 * - `ptrace_wake_up`'s clearing of `SIGNAL_STOP_STOPPED` under the siglock (a group-stop
 *   compatibility detail; no group stop here), the tasklist lock and `ptrace_do_detach`'s
 *   unlinking (nothing else reads the ptrace links here).
 * - `UTRACE_ATTACH_EXCLUSIVE | UTRACE_ATTACH_MATCH_OPS` on the CREATE: no other ptrace engine
 *   exists in these scenarios, so the flags change nothing; plain `UTRACE_ATTACH_CREATE`
 *   keeps the flags a literal the compiler reads.
 * - The reference: `ptrace_attach_task` puts the engine its CREATE gave. `report_quiesce`
 *   returns `ctx->resume`, which may be `UTRACE_DETACH`, so under this package's memory rule
 *   the CREATE gives an RCU-kept pointer that owes no put: the set-up enables the events
 *   through it and gives it up, which is what the put does in the kernel.
 * @packageDocumentation
 */
import {
  defineOps,
  IS_ERR,
  type callback_engine,
  current,
  type Kernel,
  type KBox,
  exec,
  raise,
  SIGSTOP,
  sys,
  type task_struct,
  UTRACE_ATTACH_CREATE,
  UTRACE_ATTACH_MATCH_OPS,
  type attach_error,
  utrace_attach_task,
  utrace_control,
  UTRACE_EVENT,
  UTRACE_EVENT_SIGNAL_ALL,
  UTRACE_DETACH,
  UTRACE_INTERRUPT,
  UTRACE_REPORT,
  UTRACE_RESUME,
  type utrace_resume_action_t,
  utrace_set_events,
  utrace_signal_action,
  UTRACE_SIGNAL_DELIVER,
  UTRACE_SIGNAL_IGN,
  UTRACE_SIGNAL_REPORT,
  utrace_signal_return,
  UTRACE_STOP,
  WARN_ON,
} from '../../src/index.js';

/** `PTRACE_O_TRACEEXEC`: stop the tracee after a successful exec. */
export const PTRACE_O_TRACEEXEC = 0x10;
/** `PTRACE_O_DETACHED`: the engine is detaching itself; a later attach may reuse it. */
export const PTRACE_O_DETACHED = 0x200;
/** `PTRACE_EVENT_EXEC`, the exec stop's event. */
export const PTRACE_EVENT_EXEC = 4;
/** `PTRACE_EVENT_SIGNAL`: the stop of a signal reported to the debugger (ptrace-utrace's own). */
export const PTRACE_EVENT_SIGNAL = 3 << 16;
/** `SIGTRAP`, the low byte of every stop code. */
const SIGTRAP = 5;

/** `struct ptrace_context`: what the tracer and the callbacks share, freed by `->release`. */
export interface ptrace_context {
  /** `options`: the `PTRACE_O_*` bits, or `PTRACE_O_DETACHED`. */
  options: number;
  /** `signr`: the signal to deliver on resume. */
  signr: number;
  /** `siginfo`: whether a reported signal waits for the debugger (the pointer, non-NULL). */
  siginfo: boolean;
  /** `stop_code`: the pending stop, 0 when none. */
  stop_code: number;
  /** `resume`: how `report_quiesce` resumes the tracee (`UTRACE_DETACH` once detaching). */
  resume: utrace_resume_action_t;
}

/** `ptrace_event_pending`: a stop the debugger has not consumed yet. */
export function ptrace_event_pending(ctx: ptrace_context): boolean {
  return ctx.stop_code !== 0;
}

/** `set_stop_code`. */
function set_stop_code(ctx: ptrace_context, event: number): void {
  ctx.stop_code = (event << 8) | SIGTRAP;
}

/**
 * `resume_signal`: hand the tracee the signal the debugger chose (`ctx->signr`), or none. The
 * tasks here install no handlers and block no signal, so it is delivered with its default
 * disposition.
 */
function resume_signal(ctx: ptrace_context) {
  const signr = ctx.signr;
  ctx.siginfo = false;
  ctx.signr = 0;
  if (!signr) return UTRACE_SIGNAL_IGN; // the debugger cancelled the signal
  return UTRACE_SIGNAL_DELIVER;
}

/** `ptrace_utrace_ops`, with the callbacks this gallery keeps (see the header). */
export function ptraceOps(kernel: Kernel) {
  return defineOps(
    {
      report_quiesce: (_action, engine: callback_engine<KBox<ptrace_context>>, event: number) => {
        const ctx = engine.data.value;
        if (ptrace_event_pending(ctx)) return UTRACE_STOP;
        return event ? UTRACE_RESUME : ctx.resume;
      },
      report_signal: (action, engine: callback_engine<KBox<ptrace_context>>, _regs, info) => {
        const ctx = engine.data.value;
        const resume = ctx.resume;
        if (ptrace_event_pending(ctx)) {
          WARN_ON(utrace_signal_action(action) !== UTRACE_SIGNAL_REPORT);
          return utrace_signal_return(UTRACE_SIGNAL_REPORT, UTRACE_STOP);
        }
        if (utrace_signal_action(action) === UTRACE_SIGNAL_REPORT) {
          // (UTRACE_SIGNAL_HANDLER, which falls through to here, needs a handler: none here)
          if (!ctx.siginfo) return utrace_signal_return(UTRACE_SIGNAL_IGN, resume);
          return utrace_signal_return(resume_signal(ctx), resume);
        }
        WARN_ON(ctx.siginfo);
        if (resume === UTRACE_DETACH) return action; // raced with the exiting tracer
        ctx.siginfo = true;
        // "Make sure the subsequent UTRACE_SIGNAL_REPORT clears ->siginfo"
        const me = current();
        if (me === undefined || utrace_control(me, engine, UTRACE_INTERRUPT).ret !== 0) WARN_ON(true);
        ctx.signr = info.si_signo;
        ctx.stop_code = (PTRACE_EVENT_SIGNAL << 8) | ctx.signr;
        return utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_STOP);
      },
      report_exec: (_action, engine: callback_engine<KBox<ptrace_context>>) => {
        const ctx = engine.data.value;
        if ((ctx.options & PTRACE_O_TRACEEXEC) === 0) return UTRACE_RESUME; // (the SIGTRAP is left out)
        set_stop_code(ctx, PTRACE_EVENT_EXEC);
        return UTRACE_STOP;
      },
      release: (data: KBox<ptrace_context>) => {
        kernel.kfree(data); // ptrace_release: kfree(data)
      },
    },
    'may-detach',
  );
}

/** The ops type, for the detach paths' lookups. */
export type ptrace_ops = ReturnType<typeof ptraceOps>;

/** What the set-up made. */
export interface Traced {
  /** The tracee. */
  readonly tracee: task_struct;
  /** `ptrace_utrace_ops`. */
  readonly ops: ptrace_ops;
  /** The context the attach allocated (only the mistaken variant keeps using it). */
  readonly ctx: KBox<ptrace_context>;
}

/**
 * `ptrace_attach_task(tracee, PTRACE_O_TRACEEXEC)` on a tracee that execs, then makes a
 * system call: `kzalloc` the context, attach, `ptrace_set_events`.
 */
export function ptraceAttach(kernel: Kernel): Traced {
  const tracee = kernel.spawn('tracee', [raise(SIGSTOP), exec('/bin/true'), sys(1)]);
  const ops = ptraceOps(kernel);
  const ctx = kernel.kmalloc<ptrace_context>('ptrace_context', { options: 0, signr: 0, siginfo: false, stop_code: 0, resume: UTRACE_RESUME });
  const engine = utrace_attach_task(tracee, UTRACE_ATTACH_CREATE, ops, ctx);
  if (IS_ERR(engine)) throw new Error('utrace_attach_task failed');
  // ptrace_set_events: QUIESCE for resume handling, CLONE, EXEC and every signal.
  ctx.value.options = PTRACE_O_TRACEEXEC;
  utrace_set_events(tracee, engine, UTRACE_EVENT('QUIESCE') | UTRACE_EVENT('CLONE') | UTRACE_EVENT('EXEC') | UTRACE_EVENT_SIGNAL_ALL);
  return { tracee, ops, ctx };
}

/** `ptrace_lookup_engine`: a counted reference to the tracee's ptrace engine, or an error. */
export function ptrace_lookup_engine(t: Traced) {
  return utrace_attach_task(t.tracee, UTRACE_ATTACH_MATCH_OPS, t.ops, null);
}

/** The engine a successful lookup gives: a counted reference. */
export type ptrace_engine = Exclude<ReturnType<typeof ptrace_lookup_engine>, attach_error>;

/**
 * `ptrace_wake_up(tracee, engine, action, force_wakeup)`: clear the pending stop unless the
 * action is `UTRACE_REPORT`, then `utrace_control`. Returns what `utrace_control` returns,
 * with the handle the caller puts. (The forced wake-up's `SIGNAL_STOP_STOPPED` clearing is
 * left out: see the header.)
 */
export function ptrace_wake_up(tracee: task_struct, engine: ptrace_engine, action: utrace_resume_action_t) {
  if (action !== UTRACE_REPORT) engine.data.value.stop_code = 0;
  return utrace_control(tracee, engine, action);
}
