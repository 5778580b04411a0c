/**
 * ptrace-as-an-engine's detach when the debugger exits (`exit_ptrace`, then
 * `ptrace_detach_task(tracee, -1)`): the tracee may be running, so the debugger first sets
 * `ctx->resume = UTRACE_DETACH` (from then on `report_quiesce` detaches the engine itself) and
 * waits in `utrace_barrier` for any callback in progress, then detaches. Every access to the
 * context goes through the counted reference of a fresh lookup.
 *
 * Source: seyko2/openvz_rhel6_kernel_mirror@901de73b44812c10001cfd2a31d2f1c6fb9e8e55:kernel/ptrace-utrace.c
 * - `exit_ptrace`, lines 787-805: each traced task, `ptrace_do_detach(tracee, -1)`;
 * - `ptrace_detach_task`, lines 261-322: the lookup (line 268), the implicit branch (lines
 *   277-300), the wake-up (line 316), `PTRACE_O_DETACHED` (lines 318-319), the put (line 321);
 * - `utrace_barrier_uninterruptible`, lines 109-120;
 * - `ptrace_wake_up`, lines 237-259, without a forced wake-up (implicit detach).
 *
 * The tracee's first signal (ptrace's SIGSTOP) stops it in `report_signal`, which sets
 * `ctx->siginfo` and asks for `UTRACE_INTERRUPT`. When the barrier finds it so, the debugger
 * resumes instead of detaching (lines 287-300), and the `report_signal` with
 * `UTRACE_SIGNAL_REPORT` that follows hands the signal back and detaches; both paths are
 * taken in the search.
 *
 * Left out: what `ptrace-engine.ts` lists.
 *
 * Expected: safe, no failure in any schedule of exhaustive search under a preemption bound
 * of 2 (test/gallery.test.ts).
 * @packageDocumentation
 */
import {
  ERESTARTSYS,
  IS_ERR,
  kill,
  schedule,
  SIGKILL,
  utrace_barrier,
  UTRACE_DETACH,
  utrace_engine_put,
  UTRACE_RESUME,
  type utrace_resume_action_t,
} from '../../src/index.js';
import { defineScenario } from '../../src/scenario/index.js';
import { PTRACE_O_DETACHED, ptrace_lookup_engine, ptrace_wake_up, ptraceAttach, type Traced } from './ptrace-engine.js';

/** `ptrace_detach_task(tracee, -1)`: the implicit branch. */
async function ptrace_detach_task(t: Traced): Promise<void> {
  const engine = ptrace_lookup_engine(t);
  if (IS_ERR(engine)) return;
  const ctx = engine.data.value;
  let action: utrace_resume_action_t = UTRACE_DETACH;

  // "We are going to detach, the tracee can be running."
  ctx.resume = UTRACE_DETACH;
  let err: number;
  for (;;) {
    // utrace_barrier_uninterruptible
    err = await utrace_barrier(t.tracee, engine);
    if (err !== -ERESTARTSYS) break;
    await schedule();
  }
  if (err === 0 && ctx.siginfo) action = UTRACE_RESUME; // a signal was reported before the barrier

  const woken = ptrace_wake_up(t.tracee, engine, action); // implicit: no forced wake-up
  if (action !== UTRACE_DETACH) ctx.options = PTRACE_O_DETACHED;
  utrace_engine_put(woken.engine);
}

/**
 * The scenario: a debugger traced a task with `PTRACE_O_TRACEEXEC`; the task takes its
 * SIGSTOP (a ptrace stop), execs (and stops there) and makes a system call, while the debugger exits and another thread sends
 * the task SIGKILL (which ends any stop; the task dies and is reaped).
 * @public
 */
export const scenario = defineScenario({
  name: 'ptrace-exit-detach',
  description:
    "ptrace-as-an-engine's detach at debugger exit: ctx->resume = UTRACE_DETACH, utrace_barrier, then UTRACE_DETACH through a fresh lookup: no schedule breaks a rule.",
  expect: 'safe',
  build(kernel) {
    const traced = ptraceAttach(kernel);
    kernel.tracer('killer', async () => {
      kill(traced.tracee, SIGKILL); // the tracee is killed while its debugger exits
    });
    kernel.tracer('debugger', async () => {
      await ptrace_detach_task(traced);
    });
  },
});

export default scenario;
