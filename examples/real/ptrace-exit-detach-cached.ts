/**
 * A deliberate mistake in ptrace-as-an-engine's exit-time detach, documented here, not taken
 * from any kernel's history: the debugger keeps the context pointer it allocated at attach
 * and writes `ctx->resume = UTRACE_DETACH` through it before looking the engine up, instead
 * of reading the context from the engine its lookup returned (`ptrace_context(engine)`).
 *
 * The real code (seyko2/openvz_rhel6_kernel_mirror@901de73b44812c10001cfd2a31d2f1c6fb9e8e55:kernel/ptrace-utrace.c:261-322)
 * takes the context only from the engine of a fresh lookup (line 268, `ptrace_context` at
 * line 275), and returns at once when the lookup fails (lines 272-273): the context belongs
 * to the engine and is freed by `ptrace_release` (lines 611-614) when the engine goes. Here
 * the tracee exits and is reaped while the debugger runs its exit path; its engine is
 * released, the context freed, and the debugger's write lands in freed memory. (The tracee
 * is SIGKILLed by another thread: otherwise its ptrace stops hold it until the debugger
 * detaches, and it cannot die first.) The rest is
 * `ptrace-exit-detach.ts`.
 *
 * Left out: what `ptrace-engine.ts` lists.
 *
 * Expected: unsafe, `use-after-free`, found by exhaustive search under a preemption bound of
 * 1 (test/gallery.test.ts).
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
  type utrace_resume_action_t,
} from '../../src/index.js';
import { defineScenario } from '../../src/scenario/index.js';
import { ptrace_lookup_engine, ptrace_wake_up, ptraceAttach, type Traced } from './ptrace-engine.js';

/** The mistaken `ptrace_detach_task(tracee, -1)`. */
async function ptrace_detach_task(t: Traced): Promise<void> {
  const ctx = t.ctx.value; // THE MISTAKE: the attach-time pointer, not ptrace_context(engine)
  ctx.resume = UTRACE_DETACH; // written before the lookup proves the engine (and ctx) alive
  const engine = ptrace_lookup_engine(t);
  if (IS_ERR(engine)) return;
  const action: utrace_resume_action_t = UTRACE_DETACH;
  let err: number;
  do {
    err = await utrace_barrier(t.tracee, engine);
    if (err === -ERESTARTSYS) await schedule();
  } while (err === -ERESTARTSYS);
  const woken = ptrace_wake_up(t.tracee, engine, action);
  utrace_engine_put(woken.engine);
}

/**
 * The scenario: the one of `ptrace-exit-detach`, with the mistaken exit path.
 * @public
 */
export const scenario = defineScenario({
  name: 'ptrace-exit-detach-cached',
  description:
    'A deliberate mistake: ptrace-as-an-engine\'s exit-time detach writes through the context pointer kept from attach, which ->release has freed once the tracee was reaped.',
  expect: 'unsafe',
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
