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
 * Left out: what `ptrace-engine.ts` lists; `utrace_unfreeze_stop` and the signal-number check
 * of `ptrace_detach` (no frozen stop, no signal).
 *
 * Expected: safe, no failure in any schedule of exhaustive search under a preemption bound
 * of 2 (test/gallery.test.ts).
 * @packageDocumentation
 */
import { IS_ERR, UTRACE_DETACH, utrace_engine_put, type utrace_resume_action_t } from '../../src/index.js';
import { defineScenario } from '../../src/scenario/index.js';
import { ptrace_lookup_engine, ptrace_wake_up, ptraceAttach, type Traced } from './ptrace-engine.js';

/** `ptrace_detach_task(tracee, 0)`: the explicit branch with no signal. */
function ptrace_detach_task(t: Traced): void {
  const engine = ptrace_lookup_engine(t);
  if (IS_ERR(engine)) return; // the tracee is gone, or no longer traced
  const action: utrace_resume_action_t = UTRACE_DETACH;
  const woken = ptrace_wake_up(t.tracee, engine, action); // explicit: the forced wake-up
  utrace_engine_put(woken.engine);
}

/**
 * The scenario: a debugger traced a task with `PTRACE_O_TRACEEXEC`; the task execs (and
 * stops there) and makes a system call, while the debugger detaches.
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
      ptrace_detach_task(traced);
    });
  },
});

export default scenario;
