/**
 * Kernel behaviours that real engines rely on, each read from the RHEL 6 kernel (K6:
 * `snajpa/openvz6-kernel@4aadb2adba8a39015e634507e5c41a74e44968e6`) and cited beside its test:
 * `report_exit` for a SIGKILLed task, the signal path's reporting pass (who is shown a
 * signal, in what order, with what `action`), `UTRACE_INTERRUPT` reaching `report_signal` with
 * `UTRACE_SIGNAL_REPORT`, `current()` in a death report after the reap, and SIGCONT discarding
 * pending stop signals.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  current,
  exit,
  Kernel,
  kill,
  raise,
  RoundRobinScheduler,
  SIGCONT,
  SIGKILL,
  SIGSTOP,
  SIGTERM,
  SIGTSTP,
  sys,
  utrace_control,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_INTERRUPT,
  UTRACE_REPORT,
  UTRACE_RESUME,
  UTRACE_SIGNAL_IGN,
  UTRACE_SIGNAL_REPORT,
  UTRACE_SIGNAL_TERM,
  utrace_signal_action,
  utrace_signal_return,
  UTRACE_STOP,
  type task_struct,
} from '../src/index.js';
import { EXIT_DEAD } from '../src/kernel/task.js';
import {
  assertNone,
  assertOk,
  assertOrder,
  attach,
  FIRST,
  inCallbackNamed,
  INIT,
  oneTask,
  runUntil,
  script,
  T,
  traced,
  waitUntil,
} from './support/kernel-helpers.js';

const QUIESCE = UTRACE_EVENT('QUIESCE');
const DEATH = UTRACE_EVENT('DEATH');
const EXIT = UTRACE_EVENT('EXIT');
const ENTRY = UTRACE_EVENT('SYSCALL_ENTRY');
const SIGNAL_TERM = UTRACE_EVENT('SIGNAL_TERM');
const SIGNAL_IGN = UTRACE_EVENT('SIGNAL_IGN');
/** Thread id of the tracer: after init and the task. */
const TRACER = FIRST + 1;
const hex = (n: number): string => `0x${n.toString(16)}`;

describe('report_exit (K6 include/linux/tracehook.h:231-236)', () => {
  it('is made for a SIGKILLed task too, and a UTRACE_STOP from it does not stop the task', async () => {
    const log: string[] = [];
    const { kernel, task, engine } = oneTask(
      [sys(1), sys(2)],
      {
        report_syscall_entry: () => UTRACE_STOP,
        report_exit: (_a, _e, orig) => (log.push(`exit(${orig})`), UTRACE_STOP),
        report_death: (_e, _g, signal) => (log.push(`death(${signal})`), UTRACE_RESUME),
      },
      ENTRY | EXIT | DEATH,
    );
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      assert.equal(kill(task, SIGKILL), 0);
      await waitUntil(() => log.length === 2);
      utrace_engine_put(engine);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(log, ['exit(0)', `death(${SIGKILL})`]);
    assert.equal(T(task).exit_code, SIGKILL);
  });
});

describe('the signal reporting pass (K6 kernel/utrace.c:2020-2213)', () => {
  it('shows the signal to report_signal alone, with the default disposition kept in action (0x25, not 0x5) (utrace.c:2138-2160, 2177-2205)', async () => {
    const log: string[] = [];
    const { kernel, engine } = oneTask(
      [raise(SIGTERM), sys(1)],
      {
        report_quiesce: (_a, _e, event) => (log.push(`quiesce(${hex(event)})`), UTRACE_RESUME),
        report_signal: (action, _e, _regs, info, orig_ka) => (
          log.push(`signal(${hex(action)}, ${info.si_signo}, ${orig_ka?.sa_handler ?? 'null'})`), utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_RESUME)
        ),
      },
      QUIESCE | SIGNAL_TERM,
    );
    utrace_engine_put(engine);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    // The signal's pass is report_signal alone; report_quiesce comes later, for the death report.
    assert.deepEqual(log, [`signal(${hex(UTRACE_SIGNAL_TERM | UTRACE_RESUME)}, ${SIGTERM}, default)`, `quiesce(${hex(DEATH)})`]);
    assertOrder(outcome, /takes signal 15 \(action 0x10\)/, /syscall 1 runs/, /exits \(code 0\)/);
  });

  it('shows a later engine the disposition an earlier one chose', async () => {
    const actions: number[] = [];
    const k = new Kernel();
    const task = k.spawn('traced', [raise(SIGTERM), sys(1)]);
    const first = attach(task, { report_signal: (action) => (actions.push(action), utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_RESUME)) }, SIGNAL_TERM);
    // Returning the signal action it was given keeps the first engine's choice; a bare
    // UTRACE_RESUME would be UTRACE_SIGNAL_DELIVER, the signal's default action.
    const second = attach(task, { report_signal: (action) => (actions.push(action), utrace_signal_return(utrace_signal_action(action) as typeof UTRACE_SIGNAL_IGN, UTRACE_RESUME)) }, SIGNAL_TERM);
    utrace_engine_put(first);
    utrace_engine_put(second);
    assertOk(await k.run(new RoundRobinScheduler()));
    assert.deepEqual(actions.map(hex), [hex(UTRACE_SIGNAL_TERM | UTRACE_RESUME), hex(UTRACE_SIGNAL_IGN | UTRACE_RESUME)]);
    assert.equal(T(task).exit_code, 0);
  });

  it('shows the signal to an engine that asked for QUIESCE but not for its SIGNAL_* bit (utrace.c:2166-2168, 2189-2192)', async () => {
    const log: string[] = [];
    const { kernel, task, engine } = oneTask(
      [raise(SIGTERM), sys(1)],
      {
        report_quiesce: () => UTRACE_RESUME,
        report_signal: (action, _e, _regs, info) => (log.push(`signal(${hex(action)}, ${info.si_signo})`), utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_RESUME)),
      },
      QUIESCE | SIGNAL_IGN,
    );
    utrace_engine_put(engine);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.deepEqual(log, [`signal(${hex(UTRACE_SIGNAL_TERM | UTRACE_RESUME)}, ${SIGTERM})`]);
    assert.equal(T(task).exit_code, 0, 'the engine ignored SIGTERM, so the task lives on');
  });

  it('shows it to a QUIESCE-only engine when another engine wants the signal', async () => {
    const log: string[] = [];
    const { kernel, task, engine } = oneTask(
      [raise(SIGTERM), sys(1)],
      { report_quiesce: () => UTRACE_RESUME, report_signal: (action) => (log.push(`q(${hex(action)})`), utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_RESUME)) },
      QUIESCE,
    );
    const other = attach(
      task,
      { report_signal: (action) => (log.push(`t(${hex(action)})`), utrace_signal_return(utrace_signal_action(action) as typeof UTRACE_SIGNAL_IGN, UTRACE_RESUME)) },
      SIGNAL_TERM,
    );
    utrace_engine_put(engine);
    utrace_engine_put(other);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(log, [`q(${hex(UTRACE_SIGNAL_TERM | UTRACE_RESUME)})`, `t(${hex(UTRACE_SIGNAL_IGN | UTRACE_RESUME)})`]);
    assert.equal(T(task).exit_code, 0);
  });

  it('does not intercept signals when no engine asked for any SIGNAL_* event, as the kernel (utrace.c:2090-2098)', async () => {
    const log: string[] = [];
    const { kernel, task, engine } = oneTask(
      [raise(SIGTERM), sys(1)],
      { report_quiesce: () => UTRACE_RESUME, report_signal: () => (log.push('signal'), UTRACE_RESUME) },
      QUIESCE,
    );
    utrace_engine_put(engine);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.deepEqual(log, []);
    assert.equal(T(task).exit_code, SIGTERM);
    assertNone(outcome, /syscall 1 runs/);
  });

  it('shows it to report_quiesce, with the disposition or-ed in, for ops without report_signal (utrace.c:2194-2201)', async () => {
    const log: string[] = [];
    const { kernel, task, engine } = oneTask(
      [raise(SIGTERM), sys(1)],
      { report_quiesce: (action, _e, event) => (log.push(`quiesce(${hex(action)}, ${hex(event)})`), UTRACE_RESUME) },
      QUIESCE | SIGNAL_TERM,
    );
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(log, [`quiesce(${hex(UTRACE_RESUME)}, ${hex(SIGNAL_TERM)})`, `quiesce(${hex(UTRACE_RESUME)}, ${hex(DEATH)})`]);
    assert.equal(T(task).exit_code, SIGTERM, 'the default disposition (terminate) stands');
  });
});

describe('UTRACE_INTERRUPT (K6 kernel/utrace.c:1242-1260, 2031-2087)', () => {
  it('reaches report_signal with UTRACE_SIGNAL_REPORT, no signal and no orig_ka, and a REPORT returned then does not loop', async () => {
    const log: string[] = [];
    const { kernel, task, engine } = oneTask(
      [sys(1), sys(2)],
      {
        report_quiesce: (_a, _e, event) => (log.push(`quiesce(${hex(event)})`), UTRACE_RESUME),
        report_syscall_entry: (_a, _e, regs) => (log.push(`entry(${regs.syscall_nr})`), UTRACE_RESUME),
        report_signal: (action, _e, _regs, info, orig_ka) => (
          log.push(`signal(${hex(action)}, ${info.si_signo}, ${orig_ka === null ? 'null' : orig_ka.sa_handler})`), UTRACE_REPORT
        ),
      },
      QUIESCE | ENTRY,
    );
    let done = false;
    kernel.tracer('tracer', async () => {
      assert.equal(utrace_control(task, engine, UTRACE_INTERRUPT).ret, 0);
      utrace_engine_put(engine);
      done = true;
    });
    const outcome = await kernel.run(script(runUntil(TRACER, () => done)));
    assertOk(outcome);
    const signalAt = log.indexOf(`signal(${hex(UTRACE_SIGNAL_REPORT | UTRACE_RESUME)}, 0, null)`);
    assert.ok(signalAt >= 0, log.join(' '));
    assert.equal(log.filter((l) => l.startsWith('signal')).length, 1, log.join(' '));
    assert.ok(!log.includes('quiesce(0x0)'), 'no report_quiesce(0) pass replaces it');
  });
});

describe('current() in report_death (K6 kernel/utrace.c:1818-1846: the dying thread reports)', () => {
  it('is the dying task even once init has reaped it', async () => {
    const seen: (task_struct | undefined)[] = [];
    const { kernel, task, engine, tid } = oneTask([exit(0)], { report_death: () => (seen.push(current()), UTRACE_RESUME) }, DEATH);
    utrace_engine_put(engine);
    const outcome = await kernel.run(
      script(runUntil(tid, () => inCallbackNamed(kernel, engine, 'report_death')), runUntil(INIT, () => T(task).exit_state === EXIT_DEAD), runUntil(tid, () => seen.length > 0)),
    );
    assertOk(outcome);
    assert.equal(T(task).exit_state, EXIT_DEAD);
    assert.deepEqual(seen, [task]);
  });
});

describe('SIGCONT (K6 kernel/signal.c:716-735, prepare_signal)', () => {
  for (const stop of [SIGSTOP, SIGTSTP]) {
    it(`discards a pending signal ${stop}: the task never stops`, async () => {
      const { kernel, task, engine } = oneTask([sys(1), sys(2)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
      let done = false;
      kernel.tracer('tracer', async () => {
        assert.equal(kill(task, stop), 0);
        assert.equal(kill(task, SIGCONT), 0);
        utrace_engine_put(engine);
        done = true;
      });
      const outcome = await kernel.run(script(runUntil(TRACER, () => done)));
      assertOk(outcome);
      assertNone(outcome, /stops \(job control\)/);
      assertOrder(outcome, /SIGCONT discards/, /syscall 1 runs/, /syscall 2 runs/, /exits \(code 0\)/);
    });
  }
});
