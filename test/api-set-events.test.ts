/**
 * utrace_set_events: every return code of ref §1.3 (SPEC §2), each in the situation that
 * yields it, with the tracer's call landed at an exact point by a scripted scheduler.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EALREADY,
  EINPROGRESS,
  ESRCH,
  RoundRobinScheduler,
  sys,
  utrace_barrier,
  utrace_control,
  utrace_engine_put,
  UTRACE_DETACH,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
  UTRACE_STOP,
} from '../src/index.js';
import {
  assertOk,
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
  traced,
  waitUntil,
} from './support/kernel-helpers.js';

const QUIESCE = UTRACE_EVENT('QUIESCE');
const REAP = UTRACE_EVENT('REAP');
const DEATH = UTRACE_EVENT('DEATH');
const ENTRY = UTRACE_EVENT('SYSCALL_ENTRY');
const EXIT = UTRACE_EVENT('SYSCALL_EXIT');
const TRACER = FIRST + 1;

describe('utrace_set_events returns 0 (ref §1.3)', () => {
  it('returns 0 and the enabled callbacks come from the next event on (ref §1.3)', async () => {
    const calls: string[] = [];
    const { kernel, engine } = oneTask([sys(1), sys(2)], { report_syscall_entry: () => (calls.push('entry'), UTRACE_RESUME) }, ENTRY);
    assert.equal(engine.flags, ENTRY);
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(calls, ['entry', 'entry']);
  });

  it('masks out the private ENGINE_STOP bit (1 << 14) of the events passed (ref §1.3)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], {}, 0);
    const r = utrace_set_events(task, engine, (1 << 14) | REAP);
    assert.equal(r.ret, 0);
    assert.equal(rec(engine).flags, REAP);
    utrace_engine_put(r.engine as Eng);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });
});

describe('utrace_set_events returns -ESRCH (ref §1.3)', () => {
  it('returns -ESRCH on an engine already passed to UTRACE_DETACH (ref §1.3, §5 trap 3)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    const d = utrace_control(task, engine, UTRACE_DETACH);
    assert.equal(d.ret, 0);
    const r = utrace_set_events(task, d.engine as Eng, EXIT);
    assert.equal(r.ret, -ESRCH);
    utrace_engine_put(d.engine as Eng);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('returns -ESRCH on an engine detached implicitly at reap (ref §1.3 "including forcible detach at reap")', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    let ret = 0;
    kernel.tracer('tracer', async () => {
      await waitUntil(() => !rec(engine).linked);
      ret = utrace_set_events(task, engine, 0).ret;
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.equal(ret, -ESRCH);
  });
});

describe('utrace_set_events returns -EALREADY in each of its three cases (ref §1.3, §3.3)', () => {
  it('(a) clearing DEATH while report_death is in progress returns -EALREADY (ref §1.3 utrace->death)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_death: () => UTRACE_RESUME }, DEATH);
    const rets: number[] = [];
    kernel.tracer('tracer', async () => {
      rets.push(utrace_set_events(task, engine, 0).ret);
      rets.push(utrace_set_events(task, engine, ENTRY).ret);
      await waitUntil(() => !rec(engine).linked);
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => inCallbackNamed(kernel, engine, 'report_death')), TRACER)));
    assert.deepEqual(rets, [-EALREADY, -EALREADY]);
  });

  it('(a) clearing QUIESCE while report_death may have begun returns -EALREADY (ref §1.3 utrace->death)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_quiesce: () => UTRACE_RESUME, report_death: () => UTRACE_RESUME }, DEATH | QUIESCE);
    let ret = 0;
    kernel.tracer('tracer', async () => {
      ret = utrace_set_events(task, engine, DEATH).ret;
      await waitUntil(() => !rec(engine).linked);
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => inCallbackNamed(kernel, engine, 'report_death')), TRACER)));
    assert.equal(ret, -EALREADY);
  });

  it('(b) clearing REAP after reaping began returns -EALREADY (ref §1.3 utrace->reap; K6, UP10 gives -ESRCH)', async () => {
    const reaped: string[] = [];
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_reap: () => void reaped.push('reap') }, REAP);
    let ret = 0;
    kernel.tracer('tracer', async () => {
      ret = utrace_set_events(task, engine, 0).ret;
      await waitUntil(() => !rec(engine).linked);
      utrace_engine_put(engine);
    });
    const outcome = await kernel.run(
      script(
        runUntil(tid, () => task.exit_state !== 0),
        runUntil(INIT, () => inCallbackNamed(kernel, engine, 'report_reap')),
        TRACER,
      ),
    );
    assertOk(outcome);
    assert.equal(ret, -EALREADY);
    assert.deepEqual(reaped, ['reap']);
  });

  it('(c) newly setting DEATH or QUIESCE on a dead (zombie) target returns -EALREADY; other bits are set (ref §1.3 exit_state)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    const rets: number[] = [];
    kernel.tracer('tracer', async () => {
      rets.push(utrace_set_events(task, engine, ENTRY | DEATH).ret);
      rets.push(utrace_set_events(task, engine, ENTRY | QUIESCE).ret);
      rets.push(utrace_set_events(task, engine, ENTRY | EXIT).ret);
      const d = utrace_control(task, engine, UTRACE_DETACH);
      rets.push(d.ret);
      utrace_engine_put(d.engine as Eng);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => task.exit_state !== 0), TRACER)));
    assert.deepEqual(rets, [-EALREADY, -EALREADY, 0, 0]);
  });
});

describe('utrace_set_events returns -EINPROGRESS only when clearing during a callback of this engine on a running task (ref §1.3, §3.2)', () => {
  it('clearing events while a callback of this engine is in progress returns -EINPROGRESS (ref §1.3 utrace->reporting == engine)', async () => {
    const calls: number[] = [];
    const { kernel, task, engine, tid } = oneTask([sys(1), sys(2)], { report_syscall_entry: (_a, _e, regs) => (calls.push(regs.syscall_nr), UTRACE_RESUME) }, ENTRY);
    let ret = 0;
    let after = 0;
    kernel.tracer('tracer', async () => {
      ret = utrace_set_events(task, engine, 0).ret;
      after = await utrace_barrier(task, engine);
      const d = utrace_control(task, engine, UTRACE_DETACH);
      utrace_engine_put(d.engine as Eng);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => inCallback(kernel, engine)), TRACER)));
    assert.equal(ret, -EINPROGRESS);
    assert.equal(after, 0);
    // The callback in progress finished; the cleared event was not reported again.
    assert.deepEqual(calls, [1]);
  });

  it('after -EINPROGRESS, calling utrace_set_events again once the callback finished returns 0 (ref §1.3 DOC recovery rule)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1), sys(2)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    const rets: number[] = [];
    kernel.tracer('tracer', async () => {
      rets.push(utrace_set_events(task, engine, 0).ret);
      await waitUntil(() => !inCallback(kernel, engine) && rec(engine).task.utrace?.reporting !== rec(engine));
      rets.push(utrace_set_events(task, engine, 0).ret);
      const d = utrace_control(task, engine, UTRACE_DETACH);
      utrace_engine_put(d.engine as Eng);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => inCallback(kernel, engine)), TRACER)));
    assert.deepEqual(rets, [-EINPROGRESS, 0]);
  });

  it('adding events while a callback of this engine is in progress returns 0, never -EINPROGRESS (ref §1.3, §5 trap 17)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME, report_syscall_exit: () => UTRACE_RESUME }, ENTRY);
    let ret = 1;
    kernel.tracer('tracer', async () => {
      ret = utrace_set_events(task, engine, ENTRY | EXIT).ret;
      const d = utrace_control(task, engine, UTRACE_DETACH);
      await utrace_barrier(task, d.engine as Eng);
      utrace_engine_put(d.engine as Eng);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => inCallback(kernel, engine)), TRACER)));
    assert.equal(ret, 0);
  });

  it('clearing the events of an engine while only another engine\'s callback is in progress returns 0 (ref §1.3 utrace->reporting == engine)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    const other = attach(task, { report_syscall_exit: () => UTRACE_RESUME }, EXIT);
    let ret = 1;
    kernel.tracer('tracer', async () => {
      ret = utrace_set_events(task, engine, 0).ret;
      utrace_engine_put(engine);
      utrace_engine_put(other);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => inCallback(kernel, other)), TRACER)));
    assert.equal(ret, 0);
  });

  it('clearing events on a stopped target returns 0, and no disabled callback is made afterwards (ref §1.3)', async () => {
    const calls: number[] = [];
    const { kernel, task, engine } = oneTask(
      [sys(1), sys(2), sys(3)],
      { report_syscall_entry: (_a, _e, regs) => (calls.push(regs.syscall_nr), UTRACE_STOP) },
      ENTRY,
    );
    const rets: number[] = [];
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      rets.push(utrace_set_events(task, engine, 0).ret);
      rets.push(utrace_control(task, engine, UTRACE_RESUME).ret);
      await waitUntil(() => !rec(engine).linked);
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(rets, [0, 0]);
    assert.deepEqual(calls, [1]);
  });

  it('clearing its own events from its callback (target == current) returns 0 (ref §1.3 "never when target == current")', async () => {
    const calls: number[] = [];
    const rets: number[] = [];
    const { kernel, engine } = oneTask(
      [sys(1), sys(2)],
      {
        report_syscall_entry: (_a, e, regs) => {
          calls.push(regs.syscall_nr);
          rets.push(utrace_set_events(rec(e).task as never, e, 0).ret);
          return UTRACE_RESUME;
        },
      },
      ENTRY,
    );
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(rets, [0]);
    assert.deepEqual(calls, [1]);
  });
});
