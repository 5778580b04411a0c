/**
 * utrace_control: every action and every return code of ref §1.4 (SPEC §2), each in the
 * situation that yields it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EALREADY,
  EINPROGRESS,
  EINVAL,
  EOPNOTSUPP,
  ESRCH,
  kill,
  raise,
  RoundRobinScheduler,
  SIGCONT,
  SIGSTOP,
  sys,
  UTRACE_BLOCKSTEP,
  utrace_barrier,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_INTERRUPT,
  UTRACE_REPORT,
  UTRACE_RESUME,
  UTRACE_SINGLESTEP,
  UTRACE_STOP,
} from '../src/index.js';
import {
  assertNone,
  assertOk,
  assertOrder,
  attach,
  type Eng,
  FIRST,
  inCallback,
  inCallbackNamed,
  INIT,
  oneTask,
  rec,
  runUntil,
  script,
  T,
  traced,
  waitUntil,
} from './support/kernel-helpers.js';

const QUIESCE = UTRACE_EVENT('QUIESCE');
const REAP = UTRACE_EVENT('REAP');
const DEATH = UTRACE_EVENT('DEATH');
const ENTRY = UTRACE_EVENT('SYSCALL_ENTRY');
const TRACER = FIRST + 1;

describe('utrace_control(UTRACE_STOP) (ref §1.4)', () => {
  it('on a running task returns -EINPROGRESS; the stop happens when a report_quiesce returns UTRACE_STOP (ref §1.4, §3.2)', async () => {
    const events: number[] = [];
    let stopWanted = false;
    const { kernel, task, engine } = oneTask(
      [sys(1), sys(2)],
      { report_quiesce: (_a, _e, event) => (events.push(event), stopWanted ? UTRACE_STOP : UTRACE_RESUME) },
      QUIESCE,
    );
    const rets: number[] = [];
    kernel.tracer('tracer', async () => {
      stopWanted = true;
      rets.push(utrace_control(task, engine, UTRACE_STOP).ret);
      await waitUntil(() => traced(task));
      rets.push(utrace_control(task, engine, UTRACE_STOP).ret);
      stopWanted = false;
      rets.push(utrace_control(task, engine, UTRACE_RESUME).ret);
      utrace_engine_put(engine);
    });
    const outcome = await kernel.run(script(TRACER));
    assertOk(outcome);
    assert.deepEqual(rets, [-EINPROGRESS, 0, 0]);
    // The stop request became a pure report (event 0) at the return to user mode.
    assert.equal(events[0], 0);
    assertOrder(outcome, /enters syscall 1/, /report_quiesce of engine#1 returns UTRACE_STOP/, /stops \(TASK_TRACED\)/, /woken/, /enters syscall 2/);
  });

  it('on a task in a job-control stop returns 0 and turns it into a tracing stop; UTRACE_RESUME puts it back in the job-control stop (ref §1.4)', async () => {
    const { kernel, task, engine } = oneTask([raise(SIGSTOP), sys(1)], {}, 0);
    const rets: number[] = [];
    const states: string[] = [];
    kernel.tracer('tracer', async () => {
      await waitUntil(() => T(task).state === 'stopped');
      rets.push(utrace_control(task, engine, UTRACE_STOP).ret);
      states.push(T(task).state);
      rets.push(utrace_control(task, engine, UTRACE_RESUME).ret);
      states.push(T(task).state);
      rets.push(kill(task, SIGCONT));
      states.push(T(task).state);
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(rets, [0, 0, 0]);
    assert.deepEqual(states, ['traced', 'stopped', 'running']);
  });
});

describe('utrace_control(UTRACE_RESUME) (ref §1.4)', () => {
  it('on a running task returns 0 and changes nothing (ref §1.4 "No effect if the target was not stopped")', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], {}, 0);
    assert.equal(utrace_control(task, engine, UTRACE_RESUME).ret, 0);
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('wakes the task only when no engine wants it stopped any more (ref §1.4 "runs again only when no engine wants it stopped")', async () => {
    const stopAtFirst = { report_syscall_entry: (_a: number, _e: unknown, r: { syscall_nr: number }) => (r.syscall_nr === 1 ? UTRACE_STOP : UTRACE_RESUME) };
    const { kernel, task, engine } = oneTask([sys(1), sys(2)], stopAtFirst, ENTRY);
    const other = attach(task, stopAtFirst, ENTRY);
    const states: string[] = [];
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      assert.equal(utrace_control(task, engine, UTRACE_RESUME).ret, 0);
      states.push(T(task).state);
      assert.equal(utrace_control(task, other, UTRACE_RESUME).ret, 0);
      states.push(T(task).state);
      utrace_engine_put(engine);
      utrace_engine_put(other);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(states, ['traced', 'running']);
  });
});

describe('utrace_control(UTRACE_REPORT / SINGLESTEP / BLOCKSTEP / INTERRUPT) (ref §1.4)', () => {
  it('UTRACE_REPORT, UTRACE_SINGLESTEP and UTRACE_BLOCKSTEP return -EINVAL on an engine without QUIESCE; STOP and INTERRUPT are not checked (ref §1.4, §5 trap 12)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    assert.equal(utrace_control(task, engine, UTRACE_REPORT).ret, -EINVAL);
    assert.equal(utrace_control(task, engine, UTRACE_SINGLESTEP).ret, -EINVAL);
    assert.equal(utrace_control(task, engine, UTRACE_BLOCKSTEP).ret, -EINVAL);
    assert.equal(utrace_control(task, engine, UTRACE_INTERRUPT).ret, 0);
    assert.equal(utrace_control(task, engine, UTRACE_STOP).ret, -EINPROGRESS);
    assert.equal(utrace_control(task, engine, UTRACE_RESUME).ret, 0);
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('UTRACE_REPORT with QUIESCE returns 0 and a report_quiesce(event 0) follows at the return to user mode (ref §1.4, §2)', async () => {
    const events: number[] = [];
    const { kernel, task, engine } = oneTask([sys(1)], { report_quiesce: (_a, _e, ev) => (events.push(ev), UTRACE_RESUME) }, QUIESCE);
    assert.equal(utrace_control(task, engine, UTRACE_REPORT).ret, 0);
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.equal(events[0], 0);
  });

  it('UTRACE_INTERRUPT returns 0 and a report follows at the return to user mode (ref §1.4)', async () => {
    const events: number[] = [];
    const { kernel, task, engine } = oneTask([sys(1)], { report_quiesce: (_a, _e, ev) => (events.push(ev), UTRACE_RESUME) }, QUIESCE);
    assert.equal(utrace_control(task, engine, UTRACE_INTERRUPT).ret, 0);
    assert.equal(T(task).utrace?.resume, UTRACE_INTERRUPT);
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.equal(events[0], 0);
  });

  it('UTRACE_SINGLESTEP returns 0 with arch support and -EOPNOTSUPP without (ref §1.4 arch_has_single_step)', async () => {
    for (const arch_has_single_step of [true, false]) {
      const { kernel, task, engine } = oneTask([sys(1)], { report_quiesce: () => UTRACE_RESUME }, QUIESCE, { kernel: { arch_has_single_step } });
      assert.equal(utrace_control(task, engine, UTRACE_SINGLESTEP).ret, arch_has_single_step ? 0 : -EOPNOTSUPP);
      utrace_engine_put(engine);
      assertOk(await kernel.run(new RoundRobinScheduler()));
    }
  });

  it('UTRACE_BLOCKSTEP without block-step support falls back to UTRACE_SINGLESTEP, and to -EOPNOTSUPP when single-step is missing too (ref §1.4)', async () => {
    const cases = [
      { opts: {}, ret: 0, resume: UTRACE_BLOCKSTEP },
      { opts: { arch_has_block_step: false }, ret: 0, resume: UTRACE_SINGLESTEP },
      { opts: { arch_has_block_step: false, arch_has_single_step: false }, ret: -EOPNOTSUPP, resume: UTRACE_RESUME },
    ];
    for (const c of cases) {
      const { kernel, task, engine } = oneTask([sys(1)], { report_quiesce: () => UTRACE_RESUME }, QUIESCE, { kernel: c.opts });
      assert.equal(utrace_control(task, engine, UTRACE_BLOCKSTEP).ret, c.ret);
      assert.equal(T(task).utrace?.resume, c.resume);
      utrace_engine_put(engine);
      assertOk(await kernel.run(new RoundRobinScheduler()));
    }
  });

  it('an action out of range (UTRACE_RESUME_MAX = 7, or negative) returns -EINVAL (ref §1.4)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], {}, 0);
    assert.equal(utrace_control(task, engine, 7).ret, -EINVAL);
    assert.equal(utrace_control(task, engine, -1).ret, -EINVAL);
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });
});

describe('utrace_control(UTRACE_DETACH) (ref §1.4, §3)', () => {
  it('on a task not in a callback of the engine returns 0; no callback of it is made afterwards (ref §1.4 UTRACE_DETACH)', async () => {
    const calls: number[] = [];
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => (calls.push(1), UTRACE_RESUME) }, ENTRY);
    const d = utrace_control(task, engine, UTRACE_DETACH);
    assert.equal(d.ret, 0);
    utrace_engine_put(d.engine as Eng);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(calls, []);
  });

  it('on a running task mid-callback returns -EINPROGRESS; utrace_barrier then returns -ESRCH once the task unlinked it (ref §1.4, §1.5, §5 trap 3)', async () => {
    const calls: number[] = [];
    const { kernel, task, engine, tid } = oneTask([sys(1), sys(2)], { report_syscall_entry: (_a, _e, r) => (calls.push(r.syscall_nr), UTRACE_RESUME) }, ENTRY);
    const rets: number[] = [];
    kernel.tracer('tracer', async () => {
      const d = utrace_control(task, engine, UTRACE_DETACH);
      rets.push(d.ret);
      rets.push(await utrace_barrier(task, d.engine as Eng));
      assert.equal(rec(engine).linked, false);
      utrace_engine_put(d.engine as Eng);
    });
    const outcome = await kernel.run(script(runUntil(tid, () => inCallback(kernel, engine)), TRACER));
    assertOk(outcome);
    assert.deepEqual(rets, [-EINPROGRESS, -ESRCH]);
    // The callback in progress completed; none came after the detach.
    assert.deepEqual(calls, [1]);
  });

  it('on a stopped task returns 0, unlinks the engine at once and wakes the task (ref §1.4 "If the target is stopped ... utrace_reset() runs at once")', async () => {
    const { kernel, task, engine } = oneTask([sys(1), sys(2)], { report_syscall_entry: () => UTRACE_STOP }, ENTRY);
    const seen: unknown[] = [];
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      const d = utrace_control(task, engine, UTRACE_DETACH);
      seen.push(d.ret, rec(engine).linked, T(task).state);
      utrace_engine_put(d.engine as Eng);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(seen, [0, false, 'running']);
  });

  it('a second UTRACE_DETACH returns -ESRCH (ref §1.4, §5 trap 3)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], {}, 0);
    const d = utrace_control(task, engine, UTRACE_DETACH);
    assert.equal(d.ret, 0);
    const again = utrace_control(task, d.engine as Eng, UTRACE_DETACH);
    assert.equal(again.ret, -ESRCH);
    assert.equal(utrace_control(task, d.engine as Eng, UTRACE_RESUME).ret, -ESRCH);
    utrace_engine_put(again.engine as Eng);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('while report_death is in progress returns -EALREADY; the engine stays attached and report_reap still comes (ref §1.4, §3.3, §5 trap 9)', async () => {
    const calls: string[] = [];
    const { kernel, task, engine, tid } = oneTask(
      [sys(1)],
      { report_death: () => (calls.push('death'), UTRACE_RESUME), report_reap: () => void calls.push('reap') },
      DEATH | REAP,
    );
    let ret = 0;
    kernel.tracer('tracer', async () => {
      const d = utrace_control(task, engine, UTRACE_DETACH);
      ret = d.ret;
      await waitUntil(() => !rec(engine).linked);
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => inCallbackNamed(kernel, engine, 'report_death')), TRACER)));
    assert.equal(ret, -EALREADY);
    assert.deepEqual(calls, ['death', 'reap']);
  });

  it('after reaping began returns -ESRCH: report_reap may be running and the engine is detached implicitly (ref §1.4, §3.4)', async () => {
    const calls: string[] = [];
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_reap: () => void calls.push('reap') }, REAP);
    let ret = 0;
    kernel.tracer('tracer', async () => {
      ret = utrace_control(task, engine, UTRACE_DETACH).ret;
      await waitUntil(() => !rec(engine).linked);
      utrace_engine_put(engine);
    });
    assertOk(
      await kernel.run(
        script(runUntil(tid, () => task.exit_state !== 0), runUntil(INIT, () => inCallbackNamed(kernel, engine, 'report_reap')), TRACER),
      ),
    );
    assert.equal(ret, -ESRCH);
    assert.deepEqual(calls, ['reap']);
  });

  it('on a zombie whose death reports have not begun returns 0, and no report_death comes (ref §1.4 utrace_control_dead)', async () => {
    const calls: string[] = [];
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME, report_reap: () => void calls.push('reap') }, ENTRY | REAP);
    let ret = 1;
    kernel.tracer('tracer', async () => {
      const d = utrace_control(task, engine, UTRACE_DETACH);
      ret = d.ret;
      utrace_engine_put(d.engine as Eng);
    });
    const outcome = await kernel.run(script(runUntil(tid, () => task.exit_state !== 0), TRACER));
    assertOk(outcome);
    assert.equal(ret, 0);
    assert.deepEqual(calls, []);
    assertNone(outcome, /report_reap of engine#1 starts/);
  });

  it('any action but DETACH on a dead task returns -ESRCH (ref §1.4 "Target dead (exit_state) and action is not DETACH")', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    const rets: number[] = [];
    kernel.tracer('tracer', async () => {
      for (const a of [UTRACE_STOP, UTRACE_INTERRUPT, UTRACE_RESUME]) rets.push(utrace_control(task, engine, a).ret);
      const d = utrace_control(task, engine, UTRACE_DETACH);
      rets.push(d.ret);
      utrace_engine_put(d.engine as Eng);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => task.exit_state !== 0), TRACER)));
    assert.deepEqual(rets, [-ESRCH, -ESRCH, -ESRCH, 0]);
  });
});
