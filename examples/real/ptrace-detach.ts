/**
 * ptrace-as-an-engine's `PTRACE_DETACH` with no signal (`ptrace_detach_task(tracee, 0)`): a
 * fresh lookup of the engine, the pending stop cleared, `UTRACE_DETACH`, the put. The context
 * is freed by `->release` once the engine is detached and unreferenced, never by the
 * debugger, so a callback still running after `-EINPROGRESS` reads live memory.
 *
 * Source: seyko2/openvz_rhel6_kernel_mirror@901de73b44812c10001cfd2a31d2f1c6fb9e8e55:kernel/ptrace-utrace.c
 * - `ptrace_detach`, lines 772-782, and `ptrace_do_detach`, lines 751-770: the debugger's
 *   request reaches `ptrace_detach_task(tracee, data)`;
 * - `ptrace_detach_task`, lines 261-322: the lookup (line 268), the context from its engine
 *   (line 275); with `sig` 0 (explicit, no signal) neither branch of lines 277-314 runs and
 *   the action stays `UTRACE_DETACH` (line 269); the wake-up (line 316) and the put (line 321);
 * - `ptrace_wake_up`, lines 237-259: `stop_code = 0` for any action but `UTRACE_REPORT`, then
 *   `utrace_control` (its `SIGNAL_STOP_STOPPED` clearing is left out, see `ptrace-engine.ts`).
 *
 * - `ptrace_check_attach`, lines 627-659: `ptrace()` acts on a tracee stopped for its
 *   debugger only (`UTRACE_STOP` returns 0), so the debugger waits for a stop (its `waitpid`)
 *   before `PTRACE_DETACH`; the tracee stops at its SIGSTOP (in `report_signal`) or at its exec.
 *
 * Left out: what `ptrace-engine.ts` lists; `utrace_unfreeze_stop` and the signal-number check
 * of `ptrace_detach` (no frozen stop, no signal); in `ptrace_check_attach`, the parent check,
 * `utrace_freeze_stop` and `utrace_prepare_examine` (one debugger; nothing examined), and
 * `task_is_stopped_or_traced`, which here is a pending ptrace stop.
 *
 * Expected: safe, no failure in any schedule of exhaustive search under a preemption bound
 * of 2 (test/gallery.test.ts).
 * @packageDocumentation
 */
import {
  ESRCH,
  IS_ERR,
  schedule,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
  type utrace_resume_action_t,
  UTRACE_STOP,
} from '../../src/index.js';
import { defineScenario } from '../../src/scenario/index.js';
import { ptrace_event_pending, ptrace_lookup_engine, ptrace_wake_up, ptraceAttach, type Traced } from './ptrace-engine.js';

/**
 * `ptrace_check_attach(tracee, 0)`: 0 when the tracee is stopped for its debugger, else
 * `-ESRCH` (the `ptrace()` call fails and the debugger waits for the stop).
 */
function ptrace_check_attach(t: Traced): number {
  const engine = ptrace_lookup_engine(t);
  if (IS_ERR(engine)) return -ESRCH;
  let ret = -ESRCH;
  // task_is_stopped_or_traced(child): here, a stop reported to the debugger is pending
  if (ptrace_event_pending(engine.data.value)) {
    const stopped = utrace_control(t.tracee, engine, UTRACE_STOP);
    if (stopped.ret === 0) ret = 0;
    utrace_engine_put(stopped.engine);
    return ret;
  }
  utrace_engine_put(engine);
  return ret;
}

/** `ptrace_detach_task(tracee, 0)`: the explicit branch with no signal. */
function ptrace_detach_task(t: Traced): void {
  const engine = ptrace_lookup_engine(t);
  if (IS_ERR(engine)) return; // the tracee is gone, or no longer traced
  const action: utrace_resume_action_t = UTRACE_DETACH;
  const woken = ptrace_wake_up(t.tracee, engine, action); // explicit: the forced wake-up
  utrace_engine_put(woken.engine);
}

/**
 * The scenario: a debugger traced a task with `PTRACE_O_TRACEEXEC`; the task takes its
 * SIGSTOP, execs (and stops there) and makes a system call, while the debugger waits for a
 * stop and detaches.
 * @public
 */
export const scenario = defineScenario({
  name: 'ptrace-detach',
  description:
    "ptrace-as-an-engine's PTRACE_DETACH: lookup, clear the stop, UTRACE_DETACH, put; ->release frees the context: no schedule breaks a rule.",
  expect: 'safe',
  build(kernel) {
    const traced = ptraceAttach(kernel);
    kernel.tracer('debugger', async () => {
      // waitpid() for the stop, then ptrace(PTRACE_DETACH, pid, 0, 0)
      while (ptrace_check_attach(traced) !== 0) await schedule();
      ptrace_detach_task(traced);
    });
  },
});

export default scenario;
