/**
 * The kernel's assertions in tracer and callback code (`WARN_ON`, `BUG_ON`) and end-of-run
 * properties written by the user (SPEC §6): each a named failure.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BUG_ON,
  defineOps,
  IS_ERR,
  Kernel,
  RoundRobinScheduler,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
  WARN_ON,
} from '../src/index.js';
import { defineScenario, runScenario } from '../src/explore/index.js';

describe('WARN_ON', () => {
  it('a false condition is no failure and returns false', async () => {
    const kernel = new Kernel();
    let ret: boolean | undefined;
    kernel.tracer('tracer', async () => {
      ret = WARN_ON(0, 'never');
    });
    assert.equal((await kernel.run(new RoundRobinScheduler())).status, 'ok');
    assert.equal(ret, false);
  });

  it('in tracer code: a failure with check WARN_ON naming the thread; the run goes on', async () => {
    const kernel = new Kernel();
    let after = false;
    kernel.tracer('tracer', async () => {
      if (WARN_ON(true, 'refcount is odd')) after = true;
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.failure?.check, 'WARN_ON');
    assert.match(outcome.failure.message, /WARN_ON fired in tracer: refcount is odd/);
    assert.equal(outcome.failure.thread, 2);
    assert.equal(after, true, 'the code after a warning runs');
  });

  it('in a callback: names the callback, the engine and the task', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_entry: () => (WARN_ON(1), UTRACE_RESUME) }), null);
    if (IS_ERR(e)) throw new Error('attach failed');
    utrace_set_events(task, e, UTRACE_EVENT('SYSCALL_ENTRY'));
    kernel.tracer('tracer', async () => {
      utrace_engine_put(utrace_control(task, e, UTRACE_DETACH).engine);
    });
    const outcome = await kernel.run({ pick: (p) => p.runnable[0]! });
    assert.equal(outcome.failure?.check, 'WARN_ON');
    assert.match(outcome.failure.message, /WARN_ON fired in traced\[1\], in report_syscall_entry of engine#1/);
  });

  it('outside a run, or with a non-string what, is a usage error', () => {
    assert.throws(() => WARN_ON(true), /assertions are checked while the kernel runs/);
  });
});

describe('BUG_ON', () => {
  it('in tracer code: an oops with check BUG_ON that ends the thread', async () => {
    const kernel = new Kernel();
    let after = false;
    kernel.tracer('tracer', async () => {
      BUG_ON(1 > 0, 'impossible state');
      after = true;
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.failure?.check, 'BUG_ON');
    assert.match(outcome.failure.message, /BUG_ON fired in tracer: impossible state: the thread is killed/);
    assert.equal(after, false);
  });

  it('in a callback: the task thread ends there; BUG_ON is the failure, not what follows', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    let calls = 0;
    const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_entry: () => (calls++, BUG_ON(true), UTRACE_RESUME) }), null);
    if (IS_ERR(e)) throw new Error('attach failed');
    utrace_set_events(task, e, UTRACE_EVENT('SYSCALL_ENTRY'));
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.failure?.check, 'BUG_ON');
    assert.equal(calls, 1, 'the task made no second syscall');
    assert.equal(outcome.failure.thread, 2);
  });

  it('a false condition does nothing', async () => {
    const kernel = new Kernel();
    kernel.tracer('tracer', async () => BUG_ON(false));
    assert.equal((await kernel.run(new RoundRobinScheduler())).status, 'ok');
    assert.throws(() => BUG_ON(false, 3 as unknown as string), /assertions are checked while the kernel runs/);
  });
});

describe('end-of-run properties', () => {
  it('Kernel.property: checked at the end of a clean run, a named failure when false or thrown', async () => {
    for (const [check, want] of [
      [() => true, undefined],
      [() => false, /end-of-run property "the flag is set" does not hold/],
      [() => {
        throw new Error('boom');
      }, /end-of-run property "the flag is set" threw: boom/],
    ] as const) {
      const kernel = new Kernel();
      kernel.spawn('t', [sys(1)]);
      kernel.property('the flag is set', check);
      const outcome = await kernel.run(new RoundRobinScheduler());
      if (want === undefined) assert.equal(outcome.status, 'ok');
      else {
        assert.equal(outcome.failure?.check, 'property');
        assert.match(outcome.failure.message, want);
      }
    }
  });

  it('a scenario field: every run is checked, and the explorer finds the schedule that breaks it', async () => {
    const scenario = defineScenario({
      name: 'order-property',
      description: 'Two tracers append to a log; the property wants a before b.',
      expect: 'unsafe',
      properties: {
        'a logs before b': () => order.join('') === 'ab',
      },
      build(kernel) {
        order.length = 0;
        kernel.spawn('t', [sys(1)]);
        kernel.tracer('a', async () => void order.push('a'));
        kernel.tracer('b', async () => void order.push('b'));
      },
    });
    const order: string[] = [];
    const report = await runScenario(scenario, { strategy: { kind: 'dfs', bound: 1 } });
    assert.equal(report.result.status, 'failed');
    assert.equal(report.counterexample!.outcome.failure!.check, 'property');
    assert.match(report.counterexample!.outcome.failure!.message, /"a logs before b"/);
  });

  it('bad properties are refused up front', () => {
    assert.throws(() => defineScenario({ name: 'x', description: 'x', expect: 'safe', build() {}, properties: { p: 3 as never } }), /property "p" must be a function/);
    assert.throws(() => new Kernel().property('p', 3 as never), /Kernel.property\(name, check\)/);
  });

  it('a property is not checked when the run already failed', async () => {
    const kernel = new Kernel();
    let checked = false;
    kernel.property('p', () => (checked = true));
    kernel.tracer('tracer', async () => void WARN_ON(true));
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.failure?.check, 'WARN_ON');
    assert.equal(checked, false);
  });
});
