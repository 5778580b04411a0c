/**
 * A deep variant of the rcu-only race, for the benchmark against a peer: the callback
 * detaches its engine on the 7th of 10 system calls only, so a schedule breaks a rule only
 * when the tracer's clear lands inside that one callback and a grace period ends before the
 * tracer's retry.
 *
 * The engine's ops may detach it, so it is rcu-only; set-up takes a counted reference (inside
 * an RCU read-side section) that keeps it allocated whatever the callbacks do. The tracer
 * does some other work first ({@link DEEP_TRACER_WORK} `schedule()` calls), then clears the
 * events through that reference and gives the reference up at once: the bug.
 * While `-EINPROGRESS` says a callback is still running, it waits a grace period
 * (`synchronize_rcu`) and retries the clear inside `rcu_read_section` with the pointer
 * `utrace_attach_task` gave it.
 *
 * - The clear lands between callbacks: 0, nothing runs any more, the tracer detaches. Safe.
 * - It lands inside callbacks 1 to 6: `-EINPROGRESS`; that callback returns UTRACE_RESUME,
 *   and the retry gets 0 (or `-ESRCH` once the task is reaped). Safe.
 * - It lands after the 7th callback detached the engine: `-ESRCH` through the counted
 *   reference. Safe.
 * - It lands inside the 7th callback: `-EINPROGRESS`, the reference is gone, the callback
 *   returns UTRACE_DETACH, the task unlinks the engine and queues its free (`call_rcu`). If
 *   the grace period that frees it ends before the retry, the retry reads freed memory:
 *   `use-after-free`. An RCU-kept pointer is good only inside the read-side section that
 *   found it, not in a later one.
 * @packageDocumentation
 */
import {
  defineOps,
  IS_ERR,
  rcu_read_section,
  schedule,
  synchronize_rcu,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_control,
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
const ESRCH = -3;

/** The scenario; `work` is the number of `schedule()` calls the tracer makes before its clear. */
export function deepRcuOnlyScenario(work = DEEP_TRACER_WORK): Scenario {
  return defineScenario({
    name: 'deep-rcu-only',
    description: `The callback detaches on the ${DEEP_DETACH_AT}th of ${DEEP_SYSCALLS} system calls; after some other work the tracer drops its counted reference right after a clear that may return -EINPROGRESS and retries after a grace period: the retry reads freed memory only when the clear landed inside that one callback.`,
    expect: 'unsafe',
    build(kernel) {
      const program = Array.from({ length: DEEP_SYSCALLS }, (_, i) => sys(i));
      const task = kernel.spawn('traced', program);
      let seen = 0;
      const ops = defineOps({
        report_syscall_entry: () => (++seen === DEEP_DETACH_AT ? UTRACE_DETACH : UTRACE_RESUME),
      });
      const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
      if (IS_ERR(engine)) throw new Error('utrace_attach_task failed');
      utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
      const ref = rcu_read_section(() => utrace_engine_get(engine));
      if (ref.ret !== 0) throw new Error('utrace_engine_get failed');
      const counted = ref.engine;

      kernel.tracer('tracer', async () => {
        for (let i = 0; i < work; i++) await schedule();
        // 0: no callback runs or will run; detach and give the pointer up. -ESRCH: the engine
        // is detached already (by its callback, or at reap); give the pointer up.
        const finish = (ret: number): number => {
          if (ret === 0) utrace_engine_put(utrace_control(task, engine, UTRACE_DETACH).engine);
          else if (ret === ESRCH) utrace_engine_put(engine);
          return ret;
        };
        let ret = rcu_read_section(() => {
          const first = utrace_set_events(task, counted, 0);
          // The bug: the counted reference goes while a callback may still be running.
          utrace_engine_put(first.engine);
          return finish(first.ret);
        });
        while (ret === EINPROGRESS) {
          await synchronize_rcu();
          ret = rcu_read_section(() => finish(utrace_set_events(task, engine, 0).ret));
        }
      });
    },
  });
}

/** The scenario as the benchmark runs it. */
export const deepRcuOnly: Scenario = deepRcuOnlyScenario();
