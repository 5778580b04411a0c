/**
 * Determinism: the same seed gives a byte-identical outcome (status, failure, schedule,
 * trace, threads) run after run, and a recorded schedule, written as a schedule string and
 * read back, replays the same failure every time.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  clone,
  defineOps,
  exec,
  exit,
  IS_ERR,
  type KBox,
  Kernel,
  kill,
  module_unload,
  RandomScheduler,
  raise,
  rcu_read_section,
  schedule,
  SIGCONT,
  SIGSTOP,
  SIGUSR1,
  synchronize_rcu,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_barrier,
  utrace_control,
  UTRACE_DETACH,
  utrace_detach_sync,
  utrace_engine_get,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_REPORT,
  UTRACE_RESUME,
  utrace_set_events,
  utrace_set_events_sync,
  UTRACE_STOP,
  wait,
  type ExecutionOutcome,
  type Scheduler,
  type task_struct,
} from '../src/index.js';
import { ReplayScheduler } from '../src/sched/replay.js';
import { decodeSchedule, encodeSchedule } from '../src/sched/schedule-string.js';
import { runScenario } from './support/fuzz/harness.js';
import { scenarioArb } from './support/fuzz/scenario.js';

type Eng = any;
const REPEATS = 1000;

const fingerprint = (outcome: ExecutionOutcome): string => createHash('sha256').update(JSON.stringify(outcome)).digest('hex');

/**
 * A busy scenario: three tasks (a clone, a wait, signals, an exec, a job-control stop), three
 * engines (one owned by a module, one whose callbacks stop the task and detach), and two
 * tracers using set_events, barrier, the sync calls, RCU, references, kill and module unload.
 */
async function busyRun(scheduler: Scheduler): Promise<ExecutionOutcome> {
  const kernel = new Kernel();
  const mod = kernel.load_module('tracer_mod');
  const loop = (from: number, n: number) => Array.from({ length: n }, (_, i) => sys(from + i, i));
  const a = kernel.spawn('shell', [
    sys(1),
    clone([sys(2), exec('/bin/ls'), ...loop(20, 6), exit(3)], { comm: 'ls' }),
    ...loop(30, 4),
    wait(),
    raise(SIGUSR1),
    sys(4),
  ]);
  const b = kernel.spawn('daemon', [sys(5), raise(SIGSTOP), ...loop(40, 8), sys(7)]);
  const c = kernel.spawn('worker', [...loop(50, 6), exec('/bin/true'), ...loop(60, 6)]);
  const counts = kernel.kmalloc('counts', { n: 0 });
  const bump = (): number => {
    counts.value.n++;
    return UTRACE_RESUME;
  };
  const e1 = utrace_attach_task(a, UTRACE_ATTACH_CREATE, { owner: mod, report_syscall_entry: bump, report_clone: bump, report_signal: bump } as never, counts as never) as Eng;
  let stops = 0;
  const e2 = utrace_attach_task(
    b,
    UTRACE_ATTACH_CREATE,
    defineOps({
      report_syscall_entry: () => (stops++ < 1 ? UTRACE_STOP : UTRACE_RESUME),
      report_quiesce: () => UTRACE_RESUME,
      report_jctl: () => UTRACE_REPORT,
      report_death: () => UTRACE_DETACH,
    }),
    null,
  ) as Eng;
  const e3 = utrace_attach_task(c, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_exit: () => UTRACE_DETACH, report_exec: () => UTRACE_RESUME }, 'may-detach'), null) as Eng;
  for (const e of [e1, e2, e3]) assert.ok(!IS_ERR(e));
  const r1 = utrace_set_events(a, e1, UTRACE_EVENT('SYSCALL_ENTRY') | UTRACE_EVENT('CLONE') | UTRACE_EVENT('SIGNAL_TERM'));
  const r2 = utrace_set_events(b, e2, UTRACE_EVENT('SYSCALL_ENTRY') | UTRACE_EVENT('QUIESCE') | UTRACE_EVENT('JCTL') | UTRACE_EVENT('DEATH'));
  const g3 = rcu_read_section(() => utrace_engine_get(e3));
  const r3 = utrace_set_events(c, g3.engine, UTRACE_EVENT('SYSCALL_EXIT') | UTRACE_EVENT('EXEC'));
  kernel.tracer('first', async () => {
    await schedule();
    const s = utrace_set_events(a, r1.engine, UTRACE_EVENT('CLONE'));
    if (s.ret !== 0) await utrace_barrier(a, s.engine);
    await schedule();
    const sync = await utrace_set_events_sync(b, r2.engine, UTRACE_EVENT('QUIESCE') | UTRACE_EVENT('DEATH') | UTRACE_EVENT('JCTL'));
    utrace_control(b, sync.engine, UTRACE_RESUME);
    kill(b, SIGCONT);
    const d1 = await utrace_detach_sync(a, s.engine);
    utrace_engine_put(d1.engine);
    await synchronize_rcu();
    await module_unload(mod);
    while (kill(b, SIGCONT) === 0) {
      utrace_control(b, sync.engine, UTRACE_RESUME);
      await schedule();
    }
    rcu_read_section(() => utrace_engine_put(sync.engine));
    kernel.kfree(counts as KBox<unknown>);
  });
  kernel.tracer('second', async () => {
    for (let i = 0; i < 3; i++) await schedule();
    const d = utrace_control(c, r3.engine, UTRACE_DETACH);
    await utrace_barrier(c, d.engine);
    rcu_read_section(() => {
      // One put: the counted reference utrace_engine_get gave (the RCU-kept pointer owes none).
      utrace_engine_put(d.engine);
    });
  });
  return kernel.run(scheduler);
}

describe('determinism', () => {
  it(`the same seed gives a byte-identical outcome on ${REPEATS} repeated runs of a busy scenario`, async () => {
    const reference = await busyRun(new RandomScheduler(4242));
    assert.ok(reference.trace.length > 100, `a non-trivial run: ${reference.trace.length} trace lines, ${reference.schedule.length} steps`);
    assert.ok(reference.threads.length >= 7);
    assert.equal(reference.status, 'ok', `${reference.failure?.check}: ${reference.failure?.message}`);
    console.log(`busy run: ${reference.schedule.length} steps, ${reference.trace.length} trace lines, ${reference.preemptions} preemptions`);
    const json = JSON.stringify(reference);
    const digest = fingerprint(reference);
    for (let i = 0; i < REPEATS; i++) {
      const again = await busyRun(new RandomScheduler(4242));
      const text = JSON.stringify(again);
      if (text !== json) {
        assert.equal(text, json, `run ${i} differs from the first`);
      }
    }
    // Different seeds give different interleavings (the test is not vacuous).
    const digests = new Set<string>([digest]);
    for (let seed = 0; seed < 20; seed++) digests.add(fingerprint(await busyRun(new RandomScheduler(seed))));
    assert.ok(digests.size > 10, `${digests.size} distinct outcomes over 21 seeds`);
  });

  /** The thread's first race: set_events(0) returns -EINPROGRESS and the tracer frees what the callback uses. */
  async function raceRun(scheduler: Scheduler): Promise<ExecutionOutcome> {
    const kernel = new Kernel();
    const task: task_struct = kernel.spawn('traced', [sys(1), sys(2), sys(3)]);
    const data = kernel.kmalloc('counts', { n: 0 });
    const e = utrace_attach_task(
      task,
      UTRACE_ATTACH_CREATE,
      defineOps({
        report_syscall_entry: () => {
          data.value.n++;
          return UTRACE_RESUME;
        },
      }),
      data,
    ) as Eng;
    const r = utrace_set_events(task, e, UTRACE_EVENT('SYSCALL_ENTRY'));
    kernel.tracer('tracer', async () => {
      await schedule();
      const s = utrace_set_events(task, r.engine, 0);
      kernel.kfree(data as KBox<unknown>);
      const d = utrace_control(task, s.engine, UTRACE_DETACH);
      utrace_engine_put(d.engine);
    });
    return kernel.run(scheduler);
  }

  it(`a failing schedule, written as a schedule string and read back, replays the same failure on ${REPEATS} repeats`, async () => {
    let failing: ExecutionOutcome | undefined;
    for (let seed = 0; seed < 500 && failing === undefined; seed++) {
      const outcome = await raceRun(new RandomScheduler(seed));
      if (outcome.status === 'failed') failing = outcome;
    }
    assert.ok(failing !== undefined, 'some seed lands the kfree inside the callback');
    assert.equal(failing.failure?.check, 'use-after-free');
    const text = encodeSchedule(failing.schedule);
    assert.deepEqual(decodeSchedule(text), failing.schedule);
    const json = JSON.stringify(failing);
    for (let i = 0; i < REPEATS; i++) {
      const replay = new ReplayScheduler(decodeSchedule(text));
      const again = await raceRun(replay);
      replay.assertFinished();
      const same = JSON.stringify(again);
      if (same !== json) assert.equal(same, json, `replay ${i} differs`);
    }
  });

  it('the fuzzer\'s runs are deterministic too: the same generated scenario gives the same outcome and the same checks', async () => {
    const scenarios = fc.sample(scenarioArb, { numRuns: 60, seed: 7 });
    for (const sc of scenarios) {
      const a = await runScenario(sc, { trace: true });
      const b = await runScenario(sc, { trace: true });
      assert.deepEqual(b.stats, a.stats);
      assert.deepEqual(b.problems, a.problems);
      assert.equal(JSON.stringify(b.outcome), JSON.stringify(a.outcome));
      // And the outcome's schedule string replays it step for step.
      assert.ok(a.outcome !== undefined);
      const replayed = await runScenario(sc, { trace: true, replay: decodeSchedule(encodeSchedule(a.outcome.schedule)) });
      assert.equal(JSON.stringify(replayed.outcome), JSON.stringify(a.outcome));
      assert.deepEqual(replayed.stats, a.stats);
    }
  });
});
