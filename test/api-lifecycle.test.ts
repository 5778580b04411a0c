/**
 * The blocking calls (SPEC §2; ref §1.5, §1.6, §3.9): utrace_barrier, the *_sync calls of
 * the 2008 thread, and utrace_prepare_examine / utrace_finish_examine, each return code in
 * the situation that yields it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EAGAIN,
  EINPROGRESS,
  EINVAL,
  ERESTARTSYS,
  ESRCH,
  EXIT_DEAD,
  kill,
  RoundRobinScheduler,
  schedule,
  SIGKILL,
  sys,
  utrace_barrier,
  utrace_clear_events_sync,
  utrace_control,
  UTRACE_DETACH,
  utrace_detach_sync,
  utrace_engine_put,
  UTRACE_EVENT,
  utrace_examiner_init,
  utrace_finish_examine,
  utrace_prepare_examine,
  UTRACE_RESUME,
  utrace_set_events_sync,
  UTRACE_STOP,
} from '../src/index.js';
import { ENGINE_STOP } from '../src/kernel/engine.js';
import {
  assertOk,
  assertOrder,
  attach,
  type Eng,
  FIRST,
  inCallback,
  inCallbackNamed,
  oneTask,
  rec,
  runUntil,
  script,
  T,
  traced,
  waitUntil,
} from './support/kernel-helpers.js';

const REAP = UTRACE_EVENT('REAP');
const DEATH = UTRACE_EVENT('DEATH');
const ENTRY = UTRACE_EVENT('SYSCALL_ENTRY');
const SYSEXIT = UTRACE_EVENT('SYSCALL_EXIT');
const TRACER = FIRST + 1;
const TRACER2 = FIRST + 2;

describe('utrace_barrier (ref §1.5)', () => {
  it('returns 0 at once when no callback of the engine is in progress (ref §1.5)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    let ret = 1;
    kernel.tracer('tracer', async () => {
      ret = await utrace_barrier(task, engine);
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(script(TRACER)));
    assert.equal(ret, 0);
  });

  it('waits while a callback of the engine is in progress, returns 0 after it, with its return value already applied (ref §1.5)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_STOP }, ENTRY);
    const seen: unknown[] = [];
    kernel.tracer('tracer', async () => {
      seen.push(inCallback(kernel, engine));
      seen.push(await utrace_barrier(task, engine));
      seen.push(inCallback(kernel, engine), (rec(engine).flags & ENGINE_STOP) !== 0);
      await waitUntil(() => traced(task));
      utrace_control(task, engine, UTRACE_RESUME);
      utrace_engine_put(engine);
    });
    const outcome = await kernel.run(script(runUntil(tid, () => inCallback(kernel, engine)), TRACER));
    assertOk(outcome);
    assert.deepEqual(seen, [true, 0, false, true]);
    assertOrder(outcome, /report_syscall_entry of engine#1 returns UTRACE_STOP/, /utrace_barrier\(traced\[1\], engine#1\) = 0/);
  });

  it('after UTRACE_DETACH it waits until the task unlinks the engine at its next safe point, then returns -ESRCH (ref §1.5, §5 traps 3-4)', async () => {
    const { kernel, task, engine } = oneTask([sys(1), sys(2)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    const seen: unknown[] = [];
    kernel.tracer('tracer', async () => {
      const d = utrace_control(task, engine, UTRACE_DETACH);
      seen.push(d.ret, rec(engine).linked);
      seen.push(await utrace_barrier(task, d.engine as Eng), rec(engine).linked);
      utrace_engine_put(d.engine as Eng);
    });
    assertOk(await kernel.run(script(TRACER)));
    assert.deepEqual(seen, [0, true, -ESRCH, false]);
  });

  it('on an engine detached at reap, with the task already reaped, returns -ESRCH (ref §1.5 "The task may already be reaped", §5 trap 10)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    let ret = 0;
    kernel.tracer('tracer', async () => {
      await waitUntil(() => task.exit_state === EXIT_DEAD && !rec(engine).linked);
      ret = await utrace_barrier(task, engine);
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.equal(ret, -ESRCH);
  });

  it('returns -ERESTARTSYS when the tracer thread is interrupted while it waits (ref §1.5, §5 trap 5)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    let ret = 0;
    const waiter = kernel.tracer('waiter', async () => {
      ret = await utrace_barrier(task, engine);
      await waitUntil(() => !inCallback(kernel, engine));
      utrace_engine_put(engine);
    });
    kernel.tracer('signaller', async () => {
      waiter.interrupt();
    });
    const outcome = await kernel.run(script(runUntil(tid, () => inCallback(kernel, engine)), TRACER, TRACER2, TRACER));
    assertOk(outcome);
    assert.equal(ret, -ERESTARTSYS);
    assert.ok(inCallback(kernel, engine) === false);
  });
});

describe('utrace_set_events_sync / utrace_clear_events_sync (SPEC §2, thread proposal)', () => {
  it('waits out a callback in progress of an event being cleared, then returns 0; the callback is not made again (SPEC §2)', async () => {
    const calls: number[] = [];
    const { kernel, task, engine, tid } = oneTask(
      [sys(1), sys(2)],
      { report_syscall_entry: (_a, _e, r) => (calls.push(r.syscall_nr), UTRACE_RESUME), report_syscall_exit: () => UTRACE_RESUME },
      ENTRY | SYSEXIT,
    );
    const seen: unknown[] = [];
    kernel.tracer('tracer', async () => {
      const r = await utrace_set_events_sync(task, engine, SYSEXIT);
      seen.push(r.ret, inCallback(kernel, engine));
      const d = await utrace_detach_sync(task, r.engine as Eng);
      seen.push(d.ret);
      utrace_engine_put(d.engine as Eng);
    });
    const outcome = await kernel.run(script(runUntil(tid, () => inCallback(kernel, engine)), TRACER));
    assertOk(outcome);
    assert.deepEqual(seen, [0, false, 0]);
    assert.deepEqual(calls, [1]);
    assertOrder(outcome, /utrace_set_events\(traced\[1\], engine#1, 0x80\) = -115/, /report_syscall_entry of engine#1 returns/, /utrace_set_events_sync\(traced\[1\], engine#1, 0x80\) = 0/);
  });

  it('utrace_clear_events_sync is utrace_set_events_sync(.., 0): 0 means no callback of the engine runs any more (SPEC §2)', async () => {
    const calls: number[] = [];
    const { kernel, task, engine, tid } = oneTask([sys(1), sys(2)], { report_syscall_entry: () => (calls.push(1), UTRACE_RESUME) }, ENTRY);
    let ret = 1;
    kernel.tracer('tracer', async () => {
      const r = await utrace_clear_events_sync(task, engine);
      ret = r.ret;
      assert.equal(rec(engine).flags, 0);
      const d = utrace_control(task, r.engine as Eng, UTRACE_DETACH);
      utrace_engine_put(d.engine as Eng);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => inCallback(kernel, engine)), TRACER)));
    assert.equal(ret, 0);
    assert.deepEqual(calls, [1]);
  });

  it('returns -ESRCH on a detached engine (SPEC §2)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    let ret = 0;
    kernel.tracer('tracer', async () => {
      await waitUntil(() => !rec(engine).linked);
      const r = await utrace_set_events_sync(task, engine, 0);
      ret = r.ret;
      utrace_engine_put(r.engine as Eng);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.equal(ret, -ESRCH);
  });

  it('returns -ERESTARTSYS when the tracer thread is interrupted while it waits (SPEC §2)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    let ret = 0;
    const waiter = kernel.tracer('waiter', async () => {
      const r = await utrace_set_events_sync(task, engine, 0);
      ret = r.ret;
      const d = await utrace_detach_sync(task, r.engine as Eng);
      utrace_engine_put(d.engine as Eng);
    });
    kernel.tracer('signaller', async () => {
      waiter.interrupt();
    });
    const outcome = await kernel.run(script(runUntil(tid, () => inCallback(kernel, engine)), TRACER, TRACER2, TRACER));
    assertOk(outcome);
    assert.equal(ret, -ERESTARTSYS);
    // The interrupted call did not claim the callback had finished.
    assertOrder(outcome, /signal sent to tracer waiter/, /utrace_set_events_sync\(traced\[1\], engine#1, 0x0\) = -512/, /report_syscall_entry of engine#1 returns/);
  });

  it('waits out report_death (-EALREADY) when clearing DEATH on a dying task, then returns 0 (SPEC §2; ref §1.3 case a)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_death: () => UTRACE_RESUME }, DEATH);
    let ret = 1;
    kernel.tracer('tracer', async () => {
      const r = await utrace_set_events_sync(task, engine, 0);
      ret = r.ret;
      utrace_engine_put(r.engine as Eng);
    });
    // The tracer blocks on -EALREADY; the task finishes its death reports before init reaps it.
    const outcome = await kernel.run(
      script(runUntil(tid, () => inCallbackNamed(kernel, engine, 'report_death')), TRACER, runUntil(tid, () => T(task).thread.done), TRACER),
    );
    assertOk(outcome);
    assert.equal(ret, 0);
    assertOrder(outcome, /report_death of engine#1 returns/, /utrace_set_events_sync\(traced\[1\], engine#1, 0x0\) = 0/);
  });
});

describe('utrace_detach_sync (SPEC §2)', () => {
  it('mid-callback: waits for the callback, returns 0, and no callback is made afterwards (SPEC §2; ref §3.9)', async () => {
    const calls: number[] = [];
    const { kernel, task, engine, tid } = oneTask([sys(1), sys(2)], { report_syscall_entry: (_a, _e, r) => (calls.push(r.syscall_nr), UTRACE_RESUME) }, ENTRY);
    let ret = 1;
    kernel.tracer('tracer', async () => {
      const d = await utrace_detach_sync(task, engine);
      ret = d.ret;
      utrace_engine_put(d.engine as Eng);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => inCallback(kernel, engine)), TRACER)));
    assert.equal(ret, 0);
    assert.deepEqual(calls, [1]);
  });

  it('returns -ESRCH while report_reap is running (SPEC §2)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_reap: () => undefined }, REAP);
    let ret = 0;
    kernel.tracer('tracer', async () => {
      const d = await utrace_detach_sync(task, engine);
      ret = d.ret;
      utrace_engine_put(d.engine as Eng);
    });
    assertOk(
      await kernel.run(script(runUntil(tid, () => task.exit_state !== 0), runUntil(1, () => inCallbackNamed(kernel, engine, 'report_reap')), TRACER)),
    );
    assert.equal(ret, -ESRCH);
  });

  it('waits out report_death (-EALREADY) on a dying task and returns 0 or -ESRCH, never -EALREADY (SPEC §2)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_death: () => UTRACE_RESUME, report_reap: () => undefined }, DEATH | REAP);
    let ret = 1;
    kernel.tracer('tracer', async () => {
      const d = await utrace_detach_sync(task, engine);
      ret = d.ret;
      utrace_engine_put(d.engine as Eng);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => inCallbackNamed(kernel, engine, 'report_death')), TRACER)));
    assert.ok(ret === 0 || ret === -ESRCH, `detach_sync returned ${ret}`);
  });
});

describe('utrace_prepare_examine / utrace_finish_examine (ref §1.6)', () => {
  it('prepare returns -EINVAL when this engine does not keep the task stopped (ref §1.6)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    let ret = 0;
    kernel.tracer('tracer', async () => {
      ret = await utrace_prepare_examine(task, engine, utrace_examiner_init());
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(script(TRACER)));
    assert.equal(ret, -EINVAL);
  });

  it('prepare returns -EINVAL when the task is stopped by another engine only (ref §1.6 ENGINE_STOP)', async () => {
    const once = { report_syscall_entry: (_a: number, _e: unknown, r: { syscall_nr: number }) => (r.syscall_nr === 1 ? UTRACE_STOP : UTRACE_RESUME) as never };
    const { kernel, task, engine } = oneTask([sys(1), sys(2)], once, ENTRY);
    const watcher = attach(task, {}, 0);
    const rets: number[] = [];
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      rets.push(await utrace_prepare_examine(task, watcher, utrace_examiner_init()));
      utrace_control(task, engine, UTRACE_RESUME);
      utrace_engine_put(engine);
      utrace_engine_put(watcher);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(rets, [-EINVAL]);
  });

  it('on a task this engine keeps stopped, prepare returns 0 and finish returns 0 (ref §1.6)', async () => {
    const once = { report_syscall_entry: (_a: number, _e: unknown, r: { syscall_nr: number }) => (r.syscall_nr === 1 ? UTRACE_STOP : UTRACE_RESUME) as never };
    const { kernel, task, engine } = oneTask([sys(1), sys(2)], once, ENTRY);
    const rets: number[] = [];
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      const exam = utrace_examiner_init();
      rets.push(await utrace_prepare_examine(task, engine, exam));
      rets.push(utrace_finish_examine(task, engine, exam));
      utrace_control(task, engine, UTRACE_RESUME);
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(rets, [0, 0]);
  });

  it('finish returns -EINVAL when the engine resumed the task in between: it no longer keeps it stopped (ref §1.6 utrace_finish_examine)', async () => {
    const once = { report_syscall_entry: (_a: number, _e: unknown, r: { syscall_nr: number }) => (r.syscall_nr === 1 ? UTRACE_STOP : UTRACE_RESUME) as never };
    const { kernel, task, engine } = oneTask([sys(1), sys(2)], once, ENTRY);
    const rets: number[] = [];
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      const exam = utrace_examiner_init();
      rets.push(await utrace_prepare_examine(task, engine, exam));
      utrace_control(task, engine, UTRACE_RESUME);
      rets.push(utrace_finish_examine(task, engine, exam));
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(rets, [0, -EINVAL]);
  });

  it('finish returns -EAGAIN when SIGKILL woke the task between prepare and finish (ref §1.6, §3.6)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1), sys(2)], { report_syscall_entry: () => UTRACE_STOP }, ENTRY);
    const rets: number[] = [];
    kernel.tracer('examiner', async () => {
      const exam = utrace_examiner_init();
      rets.push(await utrace_prepare_examine(task, engine, exam));
      await schedule();
      rets.push(utrace_finish_examine(task, engine, exam));
      await waitUntil(() => !rec(engine).linked);
      utrace_engine_put(engine);
    });
    kernel.tracer('killer', async () => {
      kill(task, SIGKILL);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => traced(task)), TRACER, TRACER, TRACER2, TRACER)));
    assert.deepEqual(rets, [0, -EAGAIN]);
  });

  it('prepare returns -EAGAIN when SIGKILL wakes the task while it waits for it to be off the CPU (ref §1.6)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1), sys(2)], { report_syscall_entry: () => UTRACE_STOP }, ENTRY);
    const rets: number[] = [];
    kernel.tracer('examiner', async () => {
      rets.push(await utrace_prepare_examine(task, engine, utrace_examiner_init()));
      await waitUntil(() => !rec(engine).linked);
      utrace_engine_put(engine);
    });
    kernel.tracer('killer', async () => {
      kill(task, SIGKILL);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => traced(task)), TRACER, TRACER2, TRACER)));
    assert.deepEqual(rets, [-EAGAIN]);
  });

  it('prepare returns -EAGAIN on a running task whose stop this engine asked for but that has not stopped yet (ref §1.6 TASK_RUNNING)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_quiesce: () => UTRACE_RESUME }, UTRACE_EVENT('QUIESCE'));
    const rets: number[] = [];
    kernel.tracer('tracer', async () => {
      rets.push(utrace_control(task, engine, UTRACE_STOP).ret);
      rets.push(await utrace_prepare_examine(task, engine, utrace_examiner_init()));
      utrace_control(task, engine, UTRACE_RESUME);
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(script(TRACER)));
    assert.deepEqual(rets, [-EINPROGRESS, -EAGAIN]);
  });

  it('prepare returns -ESRCH when the task this engine keeps stopped has exited (ref §1.6 exit_state)', async () => {
    const { kernel, task, engine, tid } = oneTask([sys(1)], { report_exit: () => UTRACE_STOP }, UTRACE_EVENT('EXIT'));
    const rets: number[] = [];
    kernel.tracer('examiner', async () => {
      rets.push(await utrace_prepare_examine(task, engine, utrace_examiner_init()));
      await waitUntil(() => !rec(engine).linked);
      utrace_engine_put(engine);
    });
    kernel.tracer('killer', async () => {
      kill(task, SIGKILL);
    });
    // Stopped in report_exit; SIGKILL wakes it and it dies; the examiner comes before the reap.
    assertOk(await kernel.run(script(runUntil(tid, () => traced(task)), TRACER2, runUntil(tid, () => task.exit_state !== 0), TRACER)));
    assert.deepEqual(rets, [-ESRCH]);
  });

  it('prepare and finish return -ESRCH on a detached engine (ref §1.6, §3.4)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    const rets: number[] = [];
    kernel.tracer('tracer', async () => {
      const d = utrace_control(task, engine, UTRACE_DETACH);
      const exam = utrace_examiner_init();
      rets.push(await utrace_prepare_examine(task, d.engine as Eng, exam));
      rets.push(utrace_finish_examine(task, d.engine as Eng, exam));
      utrace_engine_put(d.engine as Eng);
    });
    assertOk(await kernel.run(script(TRACER)));
    assert.deepEqual(rets, [-ESRCH, -ESRCH]);
  });
});
