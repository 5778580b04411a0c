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
 * - `ptrace_report_exec`, lines 474-493; `ptrace_report_quiesce`, lines 600-609;
 *   `ptrace_release`, lines 611-614; the ops table, lines 616-625.
 *
 * Left out, and why:
 * - `report_signal`, `report_clone`, `report_exit`, the syscall callbacks and the
 *   `UTRACE_EVENT_SIGNAL_ALL` events: the signal path rests on `UTRACE_INTERRUPT` reaching
 *   `report_signal` with `UTRACE_SIGNAL_REPORT`, which this runtime does not do yet
 *   (docs/kernel-mapping.md); without it, `ctx->siginfo` is never set and the detach paths
 *   take their `UTRACE_DETACH` branch. The exec stop (`PTRACE_O_TRACEEXEC`) stands in for
 *   every ptrace stop: the tracee reports, stops, and only the debugger resumes it.
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
  type Kernel,
  type KBox,
  exec,
  sys,
  type task_struct,
  UTRACE_ATTACH_CREATE,
  UTRACE_ATTACH_MATCH_OPS,
  type attach_error,
  utrace_attach_task,
  utrace_control,
  UTRACE_EVENT,
  UTRACE_REPORT,
  UTRACE_RESUME,
  type utrace_resume_action_t,
  utrace_set_events,
  UTRACE_STOP,
} from '../../src/index.js';

/** `PTRACE_O_TRACEEXEC`: stop the tracee after a successful exec. */
export const PTRACE_O_TRACEEXEC = 0x10;
/** `PTRACE_O_DETACHED`: the engine is detaching itself; a later attach may reuse it. */
export const PTRACE_O_DETACHED = 0x200;
/** `PTRACE_EVENT_EXEC`, the exec stop's event. */
export const PTRACE_EVENT_EXEC = 4;
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

/** `ptrace_utrace_ops`, with the callbacks this gallery keeps (see the header). */
export function ptraceOps(kernel: Kernel) {
  return defineOps(
    {
      report_quiesce: (_action, engine: callback_engine<KBox<ptrace_context>>, event: number) => {
        const ctx = engine.data.value;
        if (ptrace_event_pending(ctx)) return UTRACE_STOP;
        return event ? UTRACE_RESUME : ctx.resume;
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
  const tracee = kernel.spawn('tracee', [exec('/bin/true'), sys(1)]);
  const ops = ptraceOps(kernel);
  const ctx = kernel.kmalloc<ptrace_context>('ptrace_context', { options: 0, signr: 0, siginfo: false, stop_code: 0, resume: UTRACE_RESUME });
  const engine = utrace_attach_task(tracee, UTRACE_ATTACH_CREATE, ops, ctx);
  if (IS_ERR(engine)) throw new Error('utrace_attach_task failed');
  // ptrace_set_events: QUIESCE for resume handling, CLONE and EXEC (SIGNAL_ALL left out).
  ctx.value.options = PTRACE_O_TRACEEXEC;
  utrace_set_events(tracee, engine, UTRACE_EVENT('QUIESCE') | UTRACE_EVENT('CLONE') | UTRACE_EVENT('EXEC'));
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
