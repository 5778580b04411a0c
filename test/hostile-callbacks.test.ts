/**
 * Callbacks that misbehave: an invalid return value is an oops naming the callback and is read
 * as UTRACE_RESUME (never as UTRACE_DETACH: the engine stays attached and keeps its events);
 * a callback that throws something without a usable message is described, not a crash.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RoundRobinScheduler, sys, UTRACE_DETACH, utrace_control, utrace_engine_put, UTRACE_EVENT, UTRACE_RESUME,
} from '../src/index.js';
import { oneTask } from './support/kernel-helpers.js';

const ENTRY = UTRACE_EVENT('SYSCALL_ENTRY');

describe('a callback returning what it may not', () => {
  for (const [label, value] of [
    ['7 (UTRACE_RESUME_MAX)', 7],
    ['-1', -1],
    ['a string', 'UTRACE_DETACH'],
  ] as const) {
    it(`${label}: an oops naming the callback, read as UTRACE_RESUME (the engine stays attached)`, async () => {
      let calls = 0;
      const { kernel, task, engine } = oneTask([sys(1), sys(2)], {
        report_syscall_entry: () => {
          calls++;
          return (calls === 1 ? value : UTRACE_RESUME) as never;
        },
      }, ENTRY);
      let detachRet: number | undefined;
      kernel.tracer('tracer', async () => {
        while (task.exit_state === 0) await (await import('../src/index.js')).schedule();
        const r = utrace_control(task, engine, UTRACE_DETACH);
        detachRet = r.ret;
        utrace_engine_put(r.engine);
      });
      const outcome = await kernel.run(new RoundRobinScheduler());
      assert.equal(calls, 2, 'the engine kept its events: both syscall entries were reported');
      assert.equal(outcome.failure?.check, 'oops');
      assert.match(outcome.failure.message, /report_syscall_entry/);
      assert.notEqual(detachRet, undefined);
    });
  }
});

describe('a callback that throws something odd', () => {
  for (const [label, make] of [
    ['undefined', (): unknown => undefined],
    ['an object without a prototype', (): unknown => Object.create(null)],
    ['a revoked Proxy', (): unknown => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; }],
  ] as const) {
    it(`${label}: an oops naming the callback, the run goes on`, async () => {
      const { kernel, task, engine } = oneTask([sys(1)], {
        report_syscall_entry: () => {
          throw make();
        },
      }, ENTRY);
      kernel.tracer('tracer', async () => {
        while (task.exit_state === 0) await (await import('../src/index.js')).schedule();
        utrace_engine_put(utrace_control(task, engine, UTRACE_DETACH).engine);
      });
      const outcome = await kernel.run(new RoundRobinScheduler());
      assert.equal(outcome.failure?.check, 'oops');
      assert.match(outcome.failure.message, /report_syscall_entry of engine#1 threw/);
    });
  }
});
