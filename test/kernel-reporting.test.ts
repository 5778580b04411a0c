/**
 * The reporting pass (ref §2, §3; SPEC §4): QUIESCE first, attach order (reverse for
 * syscall entry), new engines miss the event in progress, smallest resume action wins,
 * where UTRACE_STOP takes effect, detach from a callback, DEATH/REAP serialisation, SIGKILL,
 * syscall abort, exit code, clone, job control and signal dispositions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CLD_CONTINUED,
  CLD_STOPPED,
  clone,
  exec,
  exit,
  Kernel,
  kill,
  raise,
  RoundRobinScheduler,
  SIGCONT,
  SIGKILL,
  SIGSTOP,
  SIGTERM,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_EVENT_SIGNAL_ALL,
  UTRACE_INTERRUPT,
  UTRACE_REPORT,
  UTRACE_RESUME,
  utrace_set_events,
  UTRACE_SIGNAL_IGN,
  UTRACE_SIGNAL_TERM,
  utrace_signal_action,
  utrace_signal_return,
  UTRACE_STOP,
  UTRACE_SYSCALL_ABORT,
  UTRACE_SYSCALL_RESUMED,
  utrace_syscall_return,
  type utrace_engine_ops,
  type task_struct,
  defineOps,
} from '../src/index.js';
import {
  assertNone,
  assertOk,
  assertOrder,
  attach,
  engineOf,
  find,
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
const CLONE = UTRACE_EVENT('CLONE');
const EXEC = UTRACE_EVENT('EXEC');
const EXIT = UTRACE_EVENT('EXIT');
const DEATH = UTRACE_EVENT('DEATH');
const ENTRY = UTRACE_EVENT('SYSCALL_ENTRY');
const SYSEXIT = UTRACE_EVENT('SYSCALL_EXIT');
const JCTL = UTRACE_EVENT('JCTL');
const SIGNAL_TERM = UTRACE_EVENT('SIGNAL_TERM');
const TRACER = FIRST + 1;

/** Ops that log each callback as `${tag}.${name}` (quiesce with its event bit). */
function logging(log: string[], tag: string, ret: (name: string) => number = () => UTRACE_RESUME): utrace_engine_ops<any> {
  return {
    report_quiesce: (_a, _e, event) => (log.push(`${tag}.quiesce(${event})`), ret('quiesce') as never),
    report_syscall_entry: () => (log.push(`${tag}.entry`), ret('entry') as never),
    report_syscall_exit: () => (log.push(`${tag}.exit`), ret('exit') as never),
    report_exec: () => (log.push(`${tag}.exec`), ret('exec') as never),
  };
}

describe('order of callbacks in a reporting pass (ref §2)', () => {
  it('report_quiesce is made before each event\'s callback, with that event\'s bit (ref §1.8, §2)', async () => {
    const log: string[] = [];
    const { kernel, engine } = oneTask([sys(1), exec('/bin/x')], logging(log, 'e'), QUIESCE | ENTRY | SYSEXIT | EXEC);
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(log.slice(0, 6), [`e.quiesce(${ENTRY})`, 'e.entry', `e.quiesce(${SYSEXIT})`, 'e.exit', `e.quiesce(${EXEC})`, 'e.exec']);
  });

  it('report_quiesce comes for events the engine did not ask for, because another engine did (ref §2 report_quiesce)', async () => {
    const log: string[] = [];
    const { kernel, task, engine } = oneTask([sys(1)], logging(log, 'q'), QUIESCE);
    const other = attach(task, logging(log, 'x'), SYSEXIT);
    utrace_engine_put(engine);
    utrace_engine_put(other);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(log.slice(0, 2), [`q.quiesce(${SYSEXIT})`, 'x.exit']);
  });

  it('engines are called in attach order (ref §2 "Order")', async () => {
    const log: string[] = [];
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const engines = ['a', 'b', 'c'].map((tag) => attach(task, logging(log, tag), SYSEXIT));
    for (const e of engines) utrace_engine_put(e);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(log, ['a.exit', 'b.exit', 'c.exit']);
  });

  it('report_syscall_entry and the report_quiesce before it run in reverse attach order (ref §2 "Order")', async () => {
    const log: string[] = [];
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const engines = ['a', 'b'].map((tag) => attach(task, logging(log, tag), QUIESCE | ENTRY | SYSEXIT));
    for (const e of engines) utrace_engine_put(e);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(log.slice(0, 8), [
      `b.quiesce(${ENTRY})`,
      'b.entry',
      `a.quiesce(${ENTRY})`,
      'a.entry',
      `a.quiesce(${SYSEXIT})`,
      'a.exit',
      `b.quiesce(${SYSEXIT})`,
      'b.exit',
    ]);
  });
});

describe('an engine attached during a report misses that event (ref §1.2, §5 trap 16)', () => {
  it('an engine attached from a callback gets no callback for the event being reported, but gets the next one (ref §1.2, §5 trap 16)', async () => {
    const log: string[] = [];
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    let attached = false;
    const first = attach(
      task,
      {
        report_syscall_entry: (_a, _e, regs) => {
          log.push(`first.entry(${regs.syscall_nr})`);
          if (!attached) {
            attached = true;
            const late = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({
              report_syscall_entry: (_a2, _e2, r2) => (log.push(`late.entry(${r2.syscall_nr})`), UTRACE_RESUME),
              report_syscall_exit: (_a2, _e2, r2) => (log.push(`late.exit(${r2.syscall_nr})`), UTRACE_RESUME),
            }), null));
            assert.equal(utrace_set_events(task, late, ENTRY | SYSEXIT).ret, 0);
            utrace_engine_put(late);
          }
          return UTRACE_RESUME;
        },
      },
      ENTRY,
    );
    utrace_engine_put(first);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(log, ['first.entry(1)', 'late.exit(1)', 'late.entry(2)', 'first.entry(2)', 'late.exit(2)']);
  });

  it('an engine attached by a tracer while the task is in a reporting pass misses that event (ref §1.2 attaching list)', async () => {
    const log: string[] = [];
    const { kernel, task, engine, tid } = oneTask([sys(1), sys(2)], logging(log, 'first'), ENTRY);
    kernel.tracer('tracer', async () => {
      const late = attach(task, logging(log, 'late'), ENTRY);
      utrace_engine_put(late);
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(script(runUntil(tid, () => inCallback(kernel, engine)), TRACER)));
    assert.deepEqual(log, ['first.entry', 'late.entry', 'first.entry']);
  });
});

describe('resume actions across engines (ref §1.4, §2)', () => {
  it('the smallest resume action wins: each callback sees the smallest chosen so far as its action argument (ref §1.4 "Ordering matters", §2)', async () => {
    const actions: number[] = [];
    const quiesced: number[] = [];
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const rets = [UTRACE_REPORT, UTRACE_INTERRUPT, UTRACE_RESUME] as const;
    const engines = rets.map((ret) =>
      attach(
        task,
        {
          report_syscall_exit: (action) => (actions.push(action), ret),
          report_quiesce: (_a, _e, ev) => (quiesced.push(ev), UTRACE_RESUME),
        },
        SYSEXIT | QUIESCE,
      ),
    );
    for (const e of engines) utrace_engine_put(e);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(actions, [UTRACE_RESUME, UTRACE_REPORT, UTRACE_INTERRUPT]);
    // UTRACE_INTERRUPT won: a pure report (event 0) follows at the return to user mode.
    assert.ok(quiesced.includes(0));
  });

  it('UTRACE_STOP from one engine stops the task even when another returns UTRACE_RESUME, and is sticky until that engine resumes it (ref §1.4, §2)', async () => {
    const once = (ret: number) => (_a: number, _e: unknown, regs: { syscall_nr: number }) => (regs.syscall_nr === 1 ? ret : UTRACE_RESUME) as never;
    const { kernel, task, engine } = oneTask([sys(1), sys(2)], { report_syscall_entry: once(UTRACE_STOP) }, ENTRY);
    const other = attach(task, { report_syscall_entry: once(UTRACE_RESUME) }, ENTRY);
    const states: string[] = [];
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      utrace_control(task, other, UTRACE_RESUME);
      states.push(T(task).state);
      utrace_control(task, engine, UTRACE_RESUME);
      states.push(T(task).state);
      utrace_engine_put(engine);
      utrace_engine_put(other);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(states, ['traced', 'running']);
  });

  it('a deferred UTRACE_STOP is cancelled when the last round of callbacks before user mode (report_quiesce, event 0) returns another action (ref §5 traps 12, 13)', async () => {
    const events: number[] = [];
    const { kernel, task, engine } = oneTask(
      [sys(1), sys(2)],
      { report_syscall_exit: () => UTRACE_STOP, report_quiesce: (_a, _e, ev) => (events.push(ev), UTRACE_RESUME) },
      SYSEXIT | QUIESCE,
    );
    utrace_engine_put(engine);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    // Each deferred stop became a report at the return to user mode, and the RESUME there won.
    assert.deepEqual(events, [SYSEXIT, 0, SYSEXIT, 0, DEATH]);
    assertNone(outcome, /stops \(TASK_TRACED\)/);
    assert.equal(T(task).state, 'dead');
  });

  it('UTRACE_STOP returned by report_quiesce holds for that pass even if the event callback after it returns UTRACE_RESUME (ref §2 "smallest wins"; K6 finish_callback_report)', async () => {
    let n = 0;
    const { kernel, task, engine } = oneTask(
      [sys(1)],
      { report_syscall_entry: () => UTRACE_RESUME, report_quiesce: () => (++n === 1 ? UTRACE_STOP : UTRACE_RESUME) },
      ENTRY | QUIESCE,
    );
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      utrace_control(task, engine, UTRACE_RESUME);
      utrace_engine_put(engine);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assertOrder(outcome, /report_quiesce of engine#1 returns UTRACE_STOP/, /report_syscall_entry of engine#1 returns UTRACE_RESUME/, /stops \(TASK_TRACED\)/, /woken/, /syscall 1 runs/);
  });
});

describe('where UTRACE_STOP takes effect (ref §2 table, §5 traps 12 and 14)', () => {
  it('UTRACE_STOP from report_syscall_entry stops before the system call runs (ref §2 report_syscall_entry, §5 trap 14)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_STOP }, ENTRY);
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      utrace_control(task, engine, UTRACE_RESUME);
      utrace_engine_put(engine);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assertOrder(outcome, /report_syscall_entry of engine#1 returns UTRACE_STOP/, /stops \(TASK_TRACED\)/, /woken/, /syscall 1 runs/);
  });

  it('a UTRACE_REPORT asked for while stopped at syscall entry repeats report_syscall_entry with UTRACE_SYSCALL_RESUMED (ref §2 report_syscall_entry)', async () => {
    const actions: number[] = [];
    const { kernel, task, engine } = oneTask(
      [sys(1)],
      { report_quiesce: () => UTRACE_RESUME, report_syscall_entry: (action) => (actions.push(action), actions.length === 1 ? UTRACE_STOP : UTRACE_RESUME) },
      ENTRY | QUIESCE,
    );
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      assert.equal(utrace_control(task, engine, UTRACE_REPORT).ret, 0);
      utrace_engine_put(engine);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.equal(actions.length, 2);
    assert.equal(actions[0]! & UTRACE_SYSCALL_RESUMED, 0);
    assert.equal(actions[1]! & UTRACE_SYSCALL_RESUMED, UTRACE_SYSCALL_RESUMED);
    assertOrder(outcome, /woken/, /start_callback: report_syscall_entry/, /syscall 1 runs/);
  });

  it('UTRACE_STOP from report_exec is deferred to the return to user mode, where a report_quiesce returning UTRACE_STOP keeps it (ref §2, §5 traps 12-14)', async () => {
    let stopping = false;
    const { kernel, task, engine } = oneTask(
      [exec('/bin/x'), sys(1)],
      {
        report_exec: () => ((stopping = true), UTRACE_STOP),
        report_quiesce: (_a, _e, event) => (event === 0 && stopping ? UTRACE_STOP : UTRACE_RESUME),
      },
      EXEC | QUIESCE,
    );
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      stopping = false;
      utrace_control(task, engine, UTRACE_RESUME);
      utrace_engine_put(engine);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assertOrder(outcome, /report_exec of engine#1 returns UTRACE_STOP/, /report_quiesce of engine#1 returns UTRACE_STOP/, /stops \(TASK_TRACED\)/, /woken/, /enters syscall 1/);
  });

  it('UTRACE_STOP from report_exec does not stop at the exec without a QUIESCE callback (ref §5 trap 12)', async () => {
    const { kernel, engine } = oneTask([exec('/bin/x'), sys(1)], { report_exec: () => UTRACE_STOP }, EXEC);
    utrace_engine_put(engine);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assertNone(outcome, /stops \(TASK_TRACED\)/);
    assertOrder(outcome, /report_exec of engine#1 returns UTRACE_STOP/, /syscall 1 runs/);
  });

  it('UTRACE_STOP from report_exit stops in place, before the task becomes a zombie (ref §2 report_exit)', async () => {
    const { kernel, task, engine } = oneTask([sys(1), exit(3)], { report_exit: () => UTRACE_STOP }, EXIT);
    let zombieWhileStopped = true;
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      zombieWhileStopped = task.exit_state !== 0;
      utrace_control(task, engine, UTRACE_RESUME);
      utrace_engine_put(engine);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.equal(zombieWhileStopped, false);
    assertOrder(outcome, /report_exit of engine#1 returns UTRACE_STOP/, /stops \(TASK_TRACED\)/, /woken/, /exits \(code 3\); zombie/);
  });
});

describe('UTRACE_STOP from report_clone (ref §2 report_clone, §5 trap 14)', () => {
  it('is deferred to the return to user mode: the child is started first, and a report_quiesce(event 0) returning UTRACE_STOP keeps the parent stopped', async () => {
    let stopping = false;
    const { kernel, task, engine } = oneTask(
      [clone([sys(7)], { comm: 'kid' }), sys(1)],
      {
        report_clone: () => ((stopping = true), UTRACE_STOP),
        report_quiesce: (_a, _e, event) => (event === 0 && stopping ? UTRACE_STOP : UTRACE_RESUME),
      },
      CLONE | QUIESCE,
    );
    let childStarted = false;
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      childStarted = T(task).children.every((c) => c.started);
      stopping = false;
      utrace_control(task, engine, UTRACE_RESUME);
      utrace_engine_put(engine);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.equal(childStarted, true);
    assertOrder(outcome, /report_clone of engine#1 returns UTRACE_STOP/, /traced\[1\] stops \(TASK_TRACED\)/, /woken/, /traced\[1\] enters syscall 1/);
  });

  it('with CLONE_VFORK, stops the parent after the child is started, before the vfork wait (ref §2 report_clone, K6 utrace_finish_vfork)', async () => {
    const CLONE_VFORK = 0x4000;
    const { kernel, task, engine } = oneTask([clone([sys(7)], { comm: 'kid', flags: CLONE_VFORK }), sys(1)], { report_clone: () => UTRACE_STOP }, CLONE);
    let childStarted = false;
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      childStarted = T(task).children.every((c) => c.started);
      utrace_control(task, engine, UTRACE_RESUME);
      utrace_engine_put(engine);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.equal(childStarted, true);
    assertOrder(outcome, /report_clone of engine#1 returns UTRACE_STOP/, /traced\[1\] stops \(TASK_TRACED\)/, /woken/, /traced\[1\] enters syscall 1/);
  });
});

describe('detaching from a callback (ref §2, §3.5)', () => {
  it('a callback returning UTRACE_DETACH unlinks its engine at that safe point; it gets no more callbacks (ref §2 "A callback may return UTRACE_DETACH")', async () => {
    const log: string[] = [];
    const ops = defineOps(
      {
        report_syscall_entry: (_a, _e, r) => (log.push(`entry(${r.syscall_nr})`), UTRACE_DETACH),
        report_syscall_exit: (_a, _e, r) => (log.push(`exit(${r.syscall_nr})`), UTRACE_RESUME),
      },
      'may-detach',
    );
    const { kernel } = oneTask([sys(1), sys(2)], ops, ENTRY | SYSEXIT);
    // A CREATE attach of may-detach ops gives an RCU-kept pointer, which owes no put (SPEC §3).
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.deepEqual(log, ['entry(1)']);
    assertOrder(outcome, /returns UTRACE_DETACH/, /engine#1 marked detached \(callback\)/, /engine#1 unlinked/, /syscall 1 runs/);
  });

  it('report_death returning UTRACE_DETACH means no report_reap (ref §2 report_death, §3.5)', async () => {
    const log: string[] = [];
    const { kernel, engine } = oneTask(
      [sys(1)],
      { report_death: () => (log.push('death'), UTRACE_DETACH), report_reap: () => void log.push('reap') },
      DEATH | REAP,
    );
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(log, ['death']);
  });

  it('without a detach, report_reap follows report_death, called by the reaper (init) (ref §2 report_reap)', async () => {
    const log: string[] = [];
    const { kernel, task, engine, tid } = oneTask(
      [sys(1)],
      { report_death: () => (log.push('death'), UTRACE_RESUME), report_reap: () => void log.push('reap') },
      DEATH | REAP,
    );
    utrace_engine_put(engine);
    const outcome = await kernel.run(script(runUntil(tid, () => T(task).thread.done)));
    assertOk(outcome);
    assert.deepEqual(log, ['death', 'reap']);
    const i = find(outcome, /report_reap of engine#1 starts/);
    assert.equal(outcome.trace[i]!.thread, INIT);
  });

  it('DEATH and REAP are serialised: a reap arriving during report_death is deferred, and report_reap runs after report_death returns, in the dying thread (ref §3.5)', async () => {
    const log: string[] = [];
    const { kernel, task, engine, tid } = oneTask(
      [sys(1)],
      { report_death: () => (log.push('death'), UTRACE_RESUME), report_reap: () => void log.push('reap') },
      DEATH | REAP,
    );
    utrace_engine_put(engine);
    const outcome = await kernel.run(
      script(runUntil(tid, () => inCallbackNamed(kernel, engine, 'report_death')), runUntil(INIT, () => T(task).utrace?.reap === true)),
    );
    assertOk(outcome);
    assert.deepEqual(log, ['death', 'reap']);
    assertOrder(outcome, /init reaps/, /reap of traced\[1\] deferred/, /report_death of engine#1 returns/, /report_reap of engine#1 starts/);
    const i = find(outcome, /report_reap of engine#1 starts/);
    assert.equal(outcome.trace[i]!.thread, tid);
  });
});

describe('signals (ref §2 report_signal, §3.1)', () => {
  it('SIGKILL breaks a UTRACE_STOP: the task wakes, skips the system call and dies of SIGKILL without a report_signal (ref §3.1)', async () => {
    const log: string[] = [];
    const { kernel, task, engine } = oneTask(
      [sys(1), sys(2)],
      {
        report_syscall_entry: () => UTRACE_STOP,
        report_signal: () => (log.push('signal'), UTRACE_RESUME),
        report_death: (_e, _g, signal) => (log.push(`death(${signal})`), UTRACE_RESUME),
      },
      ENTRY | DEATH | UTRACE_EVENT_SIGNAL_ALL,
    );
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      assert.equal(kill(task, SIGKILL), 0);
      await waitUntil(() => !rec(engine).linked);
      utrace_engine_put(engine);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.deepEqual(log, [`death(${SIGKILL})`]);
    assertOrder(outcome, /stops \(TASK_TRACED\)/, /syscall 1 aborted/, /exits \(signal 9\)/);
    assertNone(outcome, /syscall 2/);
  });

  it('report_signal can change a signal\'s disposition: SIGTERM ignored with utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_RESUME) (ref §1.7, §2)', async () => {
    const actions: number[] = [];
    const { kernel, task, engine } = oneTask(
      [raise(SIGTERM), sys(1)],
      { report_signal: (action, _e, _regs, info) => (actions.push(action, info.si_signo), utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_RESUME)) },
      SIGNAL_TERM,
    );
    utrace_engine_put(engine);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    // The engine was shown the default disposition (terminate).
    assert.equal(utrace_signal_action(actions[0]!), UTRACE_SIGNAL_TERM);
    assert.equal(actions[1], SIGTERM);
    assertOrder(outcome, /takes signal 15 \(action 0x10\)/, /syscall 1 runs/, /exits \(code 0\)/);
    assert.equal(T(task).exit_code, 0);
  });

  it('without an engine changing it, SIGTERM kills the task before its next system call (ref §1.8 SIGNAL_TERM)', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [raise(SIGTERM), sys(1)]);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assertNone(outcome, /syscall 1 runs/);
    assert.equal(T(task).exit_code, SIGTERM);
  });

  it('a job-control stop and SIGCONT are reported to report_jctl (CLD_STOPPED, then CLD_CONTINUED) (ref §1.8 JCTL, §2 report_jctl)', async () => {
    const types: number[] = [];
    const { kernel, task, engine } = oneTask([raise(SIGSTOP), sys(1)], { report_jctl: (_a, _e, type) => (types.push(type), UTRACE_RESUME) }, JCTL);
    kernel.tracer('tracer', async () => {
      await waitUntil(() => T(task).state === 'stopped');
      assert.deepEqual(types, [CLD_STOPPED]);
      assert.equal(kill(task, SIGCONT), 0);
      utrace_engine_put(engine);
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.deepEqual(types, [CLD_STOPPED, CLD_CONTINUED]);
    assertOrder(outcome, /stops \(job control\)/, /signal 18 sent/, /report_jctl/, /syscall 1 runs/);
  });
});

describe('syscalls, exit and clone (ref §2 table)', () => {
  it('UTRACE_SYSCALL_ABORT from report_syscall_entry skips the system call; report_syscall_exit sees -ENOSYS (ref §1.7 UTRACE_SYSCALL_ABORT, §2)', async () => {
    const rets: number[] = [];
    const { kernel, engine } = oneTask(
      [sys(1), sys(2)],
      {
        report_syscall_entry: (_a, _e, r) => (r.syscall_nr === 1 ? utrace_syscall_return(UTRACE_SYSCALL_ABORT, UTRACE_RESUME) : UTRACE_RESUME),
        report_syscall_exit: (_a, _e, r) => (rets.push(r.return_value), UTRACE_RESUME),
      },
      ENTRY | SYSEXIT,
    );
    utrace_engine_put(engine);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assertOrder(outcome, /syscall 1 aborted/, /syscall 2 runs/);
    assert.deepEqual(rets, [-38, 0]);
  });

  it('report_exit may rewrite the exit code (ref §2 report_exit "*code may be changed")', async () => {
    const { kernel, task, engine } = oneTask(
      [exit(3)],
      { report_exit: (_a, _e, orig, code) => (assert.equal(orig, 3), (code.code = 42), UTRACE_RESUME) },
      EXIT,
    );
    utrace_engine_put(engine);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.equal(T(task).exit_code, 42);
    assertOrder(outcome, /exits \(code 42\)/);
  });

  it('report_clone sees the child before it runs and can attach to it; the child runs its own program (ref §1.2, §2 report_clone)', async () => {
    const log: string[] = [];
    let childTask: task_struct | undefined;
    const { kernel, engine, tid } = oneTask(
      [clone([sys(7)], { comm: 'kid' }), sys(1)],
      {
        report_clone: (_a, _e, _flags, child) => {
          childTask = child;
          log.push(`clone(started=${T(child).started})`);
          const ce = attach(child, { report_syscall_entry: (_a2, _e2, r) => (log.push(`child.entry(${r.syscall_nr})`), UTRACE_RESUME) }, ENTRY);
          utrace_engine_put(ce);
          return UTRACE_RESUME;
        },
      },
      CLONE,
    );
    utrace_engine_put(engine);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.deepEqual(log, ['clone(started=false)', 'child.entry(7)']);
    const childLine = find(outcome, /kid\[\d+\] enters syscall 7/);
    assert.ok(childLine > find(outcome, /report_clone of engine#1 returns/));
    assert.notEqual(outcome.trace[childLine]!.thread, tid);
    assert.equal(outcome.trace[childLine]!.thread, T(childTask!).thread.id);
    assert.ok(find(outcome, /syscall 7 runs/) >= 0 && find(outcome, /syscall 1 runs/) >= 0);
  });
});
