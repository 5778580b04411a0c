/**
 * Faults the runtime must survive and report: a callback that throws, SIGKILL while a tracer
 * waits in a blocking call, a tracer interrupted by a signal, a module unloaded while its
 * callback runs, a task reaped while it is being examined, a run that never ends. Each is
 * either reported with the check named after the kernel's, or answered with the documented
 * errno; none hangs, none leaks, none lets an internal error escape.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defineOps,
  EAGAIN,
  EINVAL,
  ERESTARTSYS,
  ESRCH,
  IS_ERR,
  type KBox,
  Kernel,
  kill,
  module_unload,
  RandomScheduler,
  raise,
  rcu_read_section,
  RoundRobinScheduler,
  schedule,
  SIGCONT,
  SIGKILL,
  SIGSTOP,
  SIGUSR1,
  sys,
  clone,
  wait,
  exit,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
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
  utrace_set_events,
  utrace_set_events_sync,
  UTRACE_STOP,
  type ExecutionOutcome,
  type task_struct,
  type utrace_engine_ops,
  type defined_ops,
} from '../src/index.js';
import type { EngineHandle } from '../src/kernel/engine.js';

type Eng = any;
const ENTRY = UTRACE_EVENT('SYSCALL_ENTRY');
const SEEDS = 60;

function attach(task: task_struct, ops: utrace_engine_ops<any> | defined_ops<any>, events: number, data: unknown = null): Eng {
  const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops as never, data as never);
  assert.ok(!IS_ERR(e));
  const r = utrace_set_events(task, e as Eng, events);
  assert.equal(r.ret, 0);
  return r.engine;
}

/** The kernel's record of every engine was freed and every allocation freed: nothing leaked. */
function assertNothingLeaked(kernel: Kernel, ...engines: Eng[]): void {
  for (const e of engines) assert.notEqual((e as EngineHandle).record.freedAt, null, `${(e as EngineHandle).record.name} was freed`);
  for (const box of kernel.allocations) assert.ok(box.freed, `tracer data "${box.label}" was freed`);
}

/** In a tracer thread: lets the task run until it has exited, continuing job-control stops. */
async function untilExited(...tasks: task_struct[]): Promise<void> {
  for (;;) {
    let alive = false;
    for (const t of tasks) if (kill(t, SIGCONT) === 0) alive = true;
    if (!alive) return;
    await schedule();
  }
}

describe('a callback that throws', () => {
  const throwing: readonly (readonly [string, number, readonly [string, number][]])[] = [
    ['report_syscall_entry', ENTRY, []],
    ['report_syscall_exit', UTRACE_EVENT('SYSCALL_EXIT'), []],
    ['report_quiesce', UTRACE_EVENT('QUIESCE'), []],
    ['report_signal', UTRACE_EVENT('SIGNAL_TERM'), []],
    ['report_exit', UTRACE_EVENT('EXIT'), []],
    ['report_death', UTRACE_EVENT('DEATH'), []],
    ['report_reap', UTRACE_EVENT('REAP'), []],
  ];
  for (const [name, bit] of throwing) {
    it(`${name} throwing is an 'oops' of that engine at the end; the other engine gets every event; nothing leaks (${SEEDS} schedules)`, async () => {
      for (let seed = 0; seed < SEEDS; seed++) {
        const kernel = new Kernel({ trace: false });
        const task = kernel.spawn('traced', [sys(1), sys(2), raise(SIGUSR1)]);
        const seen = kernel.kmalloc('seen', { good: 0 });
        const ran = { bad: 0 };
        const badOps = {
          [name]: () => {
            ran.bad++;
            throw new Error(`bug in ${name}`);
          },
          release: () => undefined,
        } as unknown as utrace_engine_ops<any>;
        const goodOps = defineOps({
          report_syscall_entry: () => {
            seen.value.good++;
            return UTRACE_RESUME;
          },
        });
        const bad = attach(task, badOps, bit);
        const good = attach(task, goodOps, ENTRY);
        let good_calls = -1;
        kernel.tracer('tracer', async () => {
          await untilExited(task);
          // Let init reap it, so that a throwing report_reap runs too.
          while (kernel.find_task_by_pid(task.pid) !== undefined) await schedule();
          for (const e of [bad, good]) {
            const d = await utrace_detach_sync(task, e);
            assert.ok(d.ret === 0 || d.ret === -ESRCH);
            utrace_engine_put(d.engine);
          }
          good_calls = seen.value.good;
          kernel.kfree(seen as KBox<unknown>);
        });
        const outcome = await kernel.run(new RandomScheduler(seed));
        assert.ok(ran.bad >= 1, `seed ${seed}: ${name} ran`);
        assert.equal(outcome.failure?.check, 'oops', `seed ${seed}: ${outcome.failure?.check}: ${outcome.failure?.message}`);
        assert.match(outcome.failure.message, new RegExp(`${name} of ${(bad as EngineHandle).record.name} threw: bug in ${name}`));
        assert.equal(good_calls, 2, `seed ${seed}: the other engine got both syscall entries`);
        assertNothingLeaked(kernel, bad, good);
      }
    });
  }

  it("release throwing is an 'oops' too, and the engine is still freed", async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const e = attach(task, { release: () => { throw new Error('bug in release'); } } as never, 0);
    kernel.tracer('tracer', async () => {
      const d = await utrace_detach_sync(task, e);
      utrace_engine_put(d.engine);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.failure?.check, 'oops');
    assert.match(outcome.failure.message, /release of engine#1 threw: bug in release/);
    assertNothingLeaked(kernel, e);
  });
});

describe('SIGKILL while the tracer waits in a blocking call', () => {
  const calls: readonly (readonly [string, (task: task_struct, e: Eng) => Promise<{ ret: number; engine: Eng } | number>, readonly number[]])[] = [
    ['utrace_set_events_sync', (t, e) => utrace_set_events_sync(t, e, UTRACE_EVENT('REAP')), [0, -ESRCH]],
    ['utrace_clear_events_sync', (t, e) => utrace_clear_events_sync(t, e), [0, -ESRCH]],
    ['utrace_detach_sync', (t, e) => utrace_detach_sync(t, e), [0, -ESRCH]],
    ['utrace_barrier', (t, e) => utrace_barrier(t, e), [0, -ESRCH]],
  ];
  for (const [name, blocking, allowed] of calls) {
    it(`${name} returns (${allowed.join(' or ')}) when the target is killed while it waits; no hang (${SEEDS} schedules)`, async () => {
      let killedWhileWaiting = 0;
      for (let seed = 0; seed < SEEDS; seed++) {
        const kernel = new Kernel({ trace: false });
        const task = kernel.spawn('victim', [sys(1), sys(2), sys(3), sys(4), sys(5), sys(6)]);
        let inBody = false;
        const e = attach(
          task,
          defineOps({
            report_syscall_entry: () => {
              inBody = true;
              return UTRACE_RESUME;
            },
            report_quiesce: () => UTRACE_RESUME,
            report_death: () => UTRACE_RESUME,
          }),
          ENTRY | UTRACE_EVENT('QUIESCE') | UTRACE_EVENT('DEATH') | UTRACE_EVENT('REAP'),
        );
        let waiting = false;
        let ret: number | undefined;
        let handle: Eng = e;
        kernel.tracer('waiter', async () => {
          while (!inBody) await schedule();
          // A callback may well be in progress now: the call blocks until it is over.
          waiting = true;
          const r = await blocking(task, e);
          waiting = false;
          ret = typeof r === 'number' ? r : r.ret;
          if (typeof r !== 'number') handle = r.engine;
          const d = await utrace_detach_sync(task, handle);
          utrace_engine_put(d.engine);
        });
        kernel.tracer('killer', async () => {
          while (!waiting && kernel.find_task_by_pid(task.pid) !== undefined) await schedule();
          if (waiting) killedWhileWaiting++;
          kill(task, SIGKILL);
        });
        const outcome = await kernel.run(new RandomScheduler(seed), { maxSteps: 5000 });
        assert.equal(outcome.status, 'ok', `seed ${seed}: ${outcome.failure?.check}: ${outcome.failure?.message}`);
        assert.ok(ret !== undefined && allowed.includes(ret), `seed ${seed}: ${name} returned ${ret}`);
      }
      assert.ok(killedWhileWaiting > 0, 'some schedule killed the target while the tracer waited');
    });
  }
});

/** A parent blocked in wait() on a child stopped by job control: a barrier on the parent's detached engine waits until the child runs again. */
function stuckParent(): { kernel: Kernel; parent: task_struct; child: () => task_struct | undefined; e: Eng } {
  const kernel = new Kernel();
  const parent = kernel.spawn('parent', [clone([raise(SIGSTOP), sys(1)], { comm: 'child' }), wait(), sys(2)]);
  const e = attach(parent, defineOps({ report_syscall_entry: () => UTRACE_RESUME }), ENTRY);
  return { kernel, parent, child: () => kernel.find_task_by_pid(2), e };
}

describe('a tracer interrupted by a signal', () => {
  it('utrace_barrier waiting for an unlink returns -ERESTARTSYS when interrupted; a second barrier completes', async () => {
    const { kernel, parent, child, e } = stuckParent();
    const results: number[] = [];
    let blocked = false;
    const waiter = kernel.tracer('waiter', async () => {
      while (!(child() !== undefined && (child() as unknown as { state: string }).state === 'stopped')) await schedule();
      for (let i = 0; i < 5; i++) await schedule();
      const d = utrace_control(parent, e, UTRACE_DETACH);
      assert.equal(d.ret, 0);
      blocked = true;
      results.push(await utrace_barrier(parent, d.engine));
      blocked = false;
      kill(child()!, SIGCONT);
      results.push(await utrace_barrier(parent, d.engine));
      utrace_engine_put(d.engine);
    });
    kernel.tracer('interrupter', async () => {
      while (!blocked) await schedule();
      for (let i = 0; i < 20; i++) await schedule();
      assert.ok(blocked, 'the barrier is still waiting: the parent cannot reach a safe point');
      waiter.interrupt();
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.status, 'ok', `${outcome.failure?.check}: ${outcome.failure?.message}`);
    assert.deepEqual(results, [-ERESTARTSYS, -ESRCH]);
  });

  it('a signal that arrives before a blocking call makes it return -ERESTARTSYS only if it would block; a call that need not wait keeps the signal pending', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const e = attach(task, defineOps({ report_syscall_entry: () => UTRACE_RESUME }), ENTRY);
    const results: number[] = [];
    const self = kernel.tracer('self', async () => {
      self.interrupt();
      // Not in a callback of e: the barrier need not wait, returns 0, the signal stays pending.
      results.push(await utrace_barrier(task, e));
      const d = utrace_control(task, e, UTRACE_DETACH);
      // Detached but not unlinked (the task has not run): the barrier would wait, so -ERESTARTSYS.
      results.push(await utrace_barrier(task, d.engine));
      // The signal was consumed: this one waits for the unlink.
      results.push(await utrace_barrier(task, d.engine));
      utrace_engine_put(d.engine);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.status, 'ok', `${outcome.failure?.check}: ${outcome.failure?.message}`);
    assert.deepEqual(results, [0, -ERESTARTSYS, -ESRCH]);
  });

  it('utrace_set_events_sync interrupted while a callback is in progress returns -ERESTARTSYS; the tracer can then wait it out', async () => {
    let interrupted = 0;
    for (let seed = 0; seed < SEEDS; seed++) {
      const kernel = new Kernel({ trace: false });
      const task = kernel.spawn('traced', [sys(1), sys(2), sys(3)]);
      let inBody = false;
      const e = attach(task, defineOps({ report_syscall_entry: () => ((inBody = true), UTRACE_RESUME) }), ENTRY);
      let ret: number | undefined;
      let waiting = false;
      const waiter = kernel.tracer('waiter', async () => {
        while (!inBody) await schedule();
        waiting = true;
        const r = await utrace_set_events_sync(task, e, 0);
        waiting = false;
        ret = r.ret;
        const d = await utrace_detach_sync(task, r.engine);
        utrace_engine_put(d.engine);
      });
      kernel.tracer('interrupter', async () => {
        while (!waiting && ret === undefined) await schedule();
        if (waiting) waiter.interrupt();
      });
      const outcome = await kernel.run(new RandomScheduler(seed));
      assert.equal(outcome.status, 'ok', `seed ${seed}: ${outcome.failure?.check}: ${outcome.failure?.message}`);
      // -ESRCH when the tracer ran again only after the task was reaped (SPEC §2).
      assert.ok(ret === 0 || ret === -ERESTARTSYS || ret === -ESRCH, `seed ${seed}: ${ret}`);
      if (ret === -ERESTARTSYS) interrupted++;
    }
    assert.ok(interrupted > 0, 'some schedule interrupted the wait');
  });
});

describe('a module unloaded while its callback runs', () => {
  it("is reported as 'module-code-after-unload', never a hang or another failure; with the barrier first it is safe", async () => {
    let found = 0;
    for (let seed = 0; seed < SEEDS * 2; seed++) {
      for (const safe of [false, true]) {
        const kernel = new Kernel({ trace: false });
        const mod = kernel.load_module('tracer_mod');
        const task = kernel.spawn('traced', [sys(1), sys(2), sys(3), sys(4)]);
        const e = attach(task, { owner: mod, report_syscall_entry: () => UTRACE_RESUME } as never, ENTRY);
        kernel.tracer('unloader', async () => {
          await schedule();
          const d = utrace_control(task, e, UTRACE_DETACH);
          if (safe) assert.equal(await utrace_barrier(task, d.engine), -ESRCH);
          utrace_engine_put(d.engine);
          await module_unload(mod);
        });
        const outcome = await kernel.run(new RandomScheduler(seed));
        if (safe) {
          assert.equal(outcome.status, 'ok', `seed ${seed} (barrier first): ${outcome.failure?.check}: ${outcome.failure?.message}`);
        } else if (outcome.status === 'failed') {
          assert.equal(outcome.failure?.check, 'module-code-after-unload', `seed ${seed}: ${outcome.failure?.message}`);
          assert.match(outcome.failure!.message, /tracer_mod/);
          found++;
        }
      }
    }
    assert.ok(found > 0, 'some schedule unloaded the module while its callback ran');
  });
});

describe('a task reaped while it is being examined', () => {
  it('prepare/finish_examine answer 0, -EAGAIN, -ESRCH or -EINVAL; the run ends cleanly', async () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < SEEDS * 2; seed++) {
      const kernel = new Kernel({ trace: false });
      const task = kernel.spawn('traced', [sys(1), sys(2), sys(3)]);
      const e = attach(task, defineOps({ report_syscall_entry: () => UTRACE_STOP }), ENTRY);
      let prep: number | undefined;
      let fin: number | undefined;
      kernel.tracer('examiner', async () => {
        while ((task as unknown as { state: string }).state !== 'traced' && task.exit_state === 0) await schedule();
        const exam = utrace_examiner_init();
        prep = await utrace_prepare_examine(task, e, exam);
        await schedule();
        fin = utrace_finish_examine(task, e, exam);
        await untilExited(task);
        while (kernel.find_task_by_pid(task.pid) !== undefined) await schedule();
        const d = await utrace_detach_sync(task, e);
        assert.equal(d.ret, -ESRCH, 'the engine was detached at reap');
        utrace_engine_put(d.engine);
      });
      kernel.tracer('killer', async () => {
        for (let i = seed % 7; i > 0; i--) await schedule();
        kill(task, SIGKILL);
      });
      const outcome = await kernel.run(new RandomScheduler(seed));
      assert.equal(outcome.status, 'ok', `seed ${seed}: ${outcome.failure?.check}: ${outcome.failure?.message}`);
      assert.ok([0, -EAGAIN, -ESRCH, -EINVAL].includes(prep!), `seed ${seed}: prepare returned ${prep}`);
      assert.ok([0, -EAGAIN, -ESRCH, -EINVAL].includes(fin!), `seed ${seed}: finish returned ${fin}`);
      if (prep === 0 && fin === 0) assert.ok(true);
      seen.add(`${prep}/${fin}`);
    }
    assert.ok([...seen].some((s) => s.includes(String(-EAGAIN)) || s.includes(String(-ESRCH))), `the kill landed during an examination in some schedule: ${[...seen].join(', ')}`);
  });

  it('utrace_prepare_examine on a task already reaped returns -ESRCH', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('short', [exit(0)]);
    const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({}), null) as Eng;
    const results: number[] = [];
    kernel.tracer('late', async () => {
      while (kernel.find_task_by_pid(task.pid) !== undefined) await schedule();
      results.push(await utrace_prepare_examine(task, e, utrace_examiner_init()));
      results.push(utrace_finish_examine(task, e, utrace_examiner_init()));
      rcu_read_section(() => utrace_engine_put(e));
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.status, 'ok', `${outcome.failure?.check}: ${outcome.failure?.message}`);
    assert.deepEqual(results, [-ESRCH, -ESRCH]);
  });
});

describe('a run that never ends', () => {
  async function timed(run: () => Promise<ExecutionOutcome>): Promise<{ outcome: ExecutionOutcome; ms: number }> {
    const start = Date.now();
    const outcome = await run();
    return { outcome, ms: Date.now() - start };
  }

  it("a tracer spinning forever on schedule() is stopped at maxSteps and reported as 'livelock' (it changes nothing), promptly", async () => {
    const kernel = new Kernel();
    kernel.spawn('worker', [sys(1)]);
    kernel.tracer('spinner', async () => {
      for (;;) await schedule();
    });
    const { outcome, ms } = await timed(() => kernel.run(new RandomScheduler(1), { maxSteps: 1000 }));
    assert.equal(outcome.failure?.check, 'livelock');
    assert.equal(outcome.schedule.length, 1000);
    assert.match(outcome.failure.message, /1000 steps/);
    assert.ok(ms < 5000, `stopped in ${ms} ms`);
  });

  it("tasks stopped by job control forever, with a tracer polling them, end in 'livelock'; with nobody polling, in 'deadlock'", async () => {
    const poll = new Kernel();
    const t1 = poll.spawn('stopped', [raise(SIGSTOP), sys(1)]);
    poll.tracer('poller', async () => {
      while (t1.exit_state === 0) await schedule();
    });
    const a = await poll.run(new RoundRobinScheduler(), { maxSteps: 500 });
    assert.equal(a.failure?.check, 'livelock');
    assert.match(a.failure.message, /stopped\[1\] waits for/);
    const quiet = new Kernel();
    quiet.spawn('stopped', [raise(SIGSTOP), sys(1)]);
    const b = await quiet.run(new RoundRobinScheduler(), { maxSteps: 500 });
    assert.equal(b.failure?.check, 'deadlock');
    assert.match(b.failure.message, /SIGCONT/);
  });

  it("utrace_set_events_sync newly setting DEATH on a zombie returns -ESRCH at once: its death report is over (SPEC §2, ref §1.3)", async () => {
    const kernel = new Kernel();
    const parent = kernel.spawn('parent', [clone([sys(1)], { comm: 'child' }), raise(SIGSTOP), sys(2)]);
    let child: task_struct | undefined;
    const ep = attach(parent, defineOps({ report_clone: (_a: number, _e: unknown, _f: number, c: task_struct) => ((child = c), UTRACE_RESUME) }), UTRACE_EVENT('CLONE'));
    let ret: number | undefined;
    kernel.tracer('tracer', async () => {
      while (child === undefined || child.exit_state === 0) await schedule();
      const ec = utrace_attach_task(child, UTRACE_ATTACH_CREATE, defineOps({ report_death: () => UTRACE_RESUME }), null) as Eng;
      const r = await utrace_set_events_sync(child, ec, UTRACE_EVENT('DEATH'));
      ret = r.ret;
    });
    void ep;
    const { outcome, ms } = await timed(() => kernel.run(new RoundRobinScheduler(), { maxSteps: 3000 }));
    assert.equal(ret, -3, 'the call returned -ESRCH');
    assert.notEqual(outcome.failure?.check, 'step-limit', `${outcome.failure?.check}: ${outcome.failure?.message}`);
    assert.ok(ms < 5000, `stopped in ${ms} ms`);
  });
});
