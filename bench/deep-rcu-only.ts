/**
 * A deep variant of the detach race, for the benchmark against a peer: the callback touches
 * the tracer's data and detaches its engine on the 7th of 10 system calls only, so a schedule
 * breaks a rule only when the tracer's clear lands inside that one callback.
 *
 * The engine's ops may detach it, so set-up takes a counted reference before enabling events
 * (SPEC §3, memory rule v2). The tracer does some other work first ({@link DEEP_TRACER_WORK}
 * `schedule()` calls), then clears the events through that reference; on `-EINPROGRESS` it
 * waits a grace period (`synchronize_rcu`), which does not wait for a callback: the bug. Then
 * it frees its data and puts the reference.
 *
 * - The clear lands between callbacks: 0, nothing runs any more. Safe.
 * - It lands inside callbacks 1 to 6: `-EINPROGRESS`; that callback touches no data. Safe.
 * - It lands after the 7th callback detached the engine: `-ESRCH`. Safe.
 * - It lands inside the 7th callback before its body: `-EINPROGRESS`, the grace period ends,
 *   the data is freed, and the callback reads it: `use-after-free`.
 * @packageDocumentation
 */
import {
  type callback_engine,
  defineOps,
  IS_ERR,
  type KBox,
  schedule,
  synchronize_rcu,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  UTRACE_DETACH,
  utrace_engine_get,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
} from '../src/index.js';
import { defineScenario, type Scenario } from '../src/scenario/index.js';

/** System calls the traced task makes. */
export const DEEP_SYSCALLS = 10;
/** The system call (counting from 1) whose callback detaches the engine. */
export const DEEP_DETACH_AT = 7;
/**
 * `schedule()` calls the tracer makes before its clear. With none, a uniformly random
 * scheduler almost never holds the tracer back until the 7th callback (fewer than one run in
 * 100,000); with four it does about once in a few thousand runs, which keeps the comparison
 * measurable.
 */
export const DEEP_TRACER_WORK = 4;

const EINPROGRESS = -115;

/**
 * The scenario; `work` is the number of `schedule()` calls the tracer makes before its clear,
 * `detachAt` the system call (from 1) whose callback touches the data and detaches.
 */
export function deepRcuOnlyScenario(work = DEEP_TRACER_WORK, detachAt = DEEP_DETACH_AT): Scenario {
  return defineScenario({
    name: 'deep-rcu-only',
    description: `The callback touches the tracer's data and detaches on system call ${detachAt} of ${DEEP_SYSCALLS}; after some other work the tracer clears the events, waits a grace period on -EINPROGRESS and frees its data: the callback reads freed memory only when the clear landed inside that one callback.`,
    expect: 'unsafe',
    build(kernel) {
      const program = Array.from({ length: DEEP_SYSCALLS }, (_, i) => sys(i));
      const task = kernel.spawn('traced', program);
      const data = kernel.kmalloc('probe data', { hits: 0 });
      let seen = 0;
      const ops = defineOps(
        {
          report_syscall_entry: (_action: number, engine: callback_engine<KBox<{ hits: number }>>) => {
            if (++seen !== detachAt) return UTRACE_RESUME;
            engine.data.value.hits++;
            return UTRACE_DETACH;
          },
        },
        'may-detach',
      );
      const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, data);
      if (IS_ERR(engine)) throw new Error('utrace_attach_task failed');
      // The counted reference is taken before any event is enabled (SPEC §3 rule 7).
      const counted = utrace_engine_get(engine).engine;
      utrace_set_events(task, counted, UTRACE_EVENT('SYSCALL_ENTRY'));

      kernel.tracer('tracer', async () => {
        for (let i = 0; i < work; i++) await schedule();
        const cleared = utrace_set_events(task, counted, 0);
        // The bug: a grace period does not wait for a callback in progress (a callback is
        // no RCU reader); utrace_barrier would.
        if (cleared.ret === EINPROGRESS) await synchronize_rcu();
        kernel.kfree(data);
        utrace_engine_put(counted);
      });
    },
  });
}

/** The scenario as the benchmark runs it. */
export const deepRcuOnly: Scenario = deepRcuOnlyScenario();
