/**
 * Kernel fidelity around callbacks (SPEC §3 rules 4 and 5, reference §1.5 and §2): what a
 * callback returns is checked as a whole number against the legal set of that callback, never
 * truncated; a callback that throws or is async is an oops naming it; utrace_barrier on the
 * callback's own task returns 0 at once; defineOps refuses hostile ops with a UtraceUsageError.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defineOps,
  Kernel,
  RoundRobinScheduler,
  schedule,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_barrier,
  UTRACE_DETACH,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
  UTRACE_SIGNAL_HOLD,
  UTRACE_SIGNAL_IGN,
  UTRACE_STOP,
  UTRACE_SYSCALL_ABORT,
  UtraceUsageError,
} from '../src/index.js';
import { illegalReturn } from '../src/kernel/report.js';
import { assertFailed, assertOk, engineOf, rec } from './support/kernel-helpers.js';

const ENTRY = UTRACE_EVENT('SYSCALL_ENTRY');

/** Runs one task whose report_syscall_entry returns `value`; returns the outcome and whether the syscall still ran. */
async function returning(value: unknown) {
  const kernel = new Kernel();
  const task = kernel.spawn('traced', [sys(1)]);
  const ops = defineOps({ report_syscall_entry: (() => value) as never });
  const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null));
  utrace_set_events(task, engine, ENTRY);
  utrace_engine_put(engine);
  return kernel.run(new RoundRobinScheduler());
}

/** An object whose every conversion to a primitive throws. */
const hostile = {
  toString(): string {
    throw new Error('toString ran');
  },
  valueOf(): number {
    throw new Error('valueOf ran');
  },
};

describe('callback return values are validated whole (SPEC rule 4)', () => {
  const bad: [string, unknown][] = [
    ['2 ** 32 + 6 (which truncates to UTRACE_DETACH)', 2 ** 32 + 6],
    ['2 ** 32 (which truncates to UTRACE_STOP)', 2 ** 32],
    ['1e300', 1e300],
    ['-1', -1],
    ['1.5', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['7 (UTRACE_RESUME_MAX)', 7],
    ['0x20 (a signal action, on syscall entry)', 0x20 | UTRACE_RESUME],
    ['the string "5"', '5'],
    ['a bigint', 5n],
    ['null', null],
    ['undefined', undefined],
    ['a null-prototype object', Object.create(null)],
    ['an object whose toString throws', hostile],
    ['a symbol', Symbol('s')],
  ];
  for (const [label, value] of bad) {
    it(`report_syscall_entry returning ${label} is an oops naming the callback, and counts as UTRACE_RESUME`, async () => {
      const outcome = await returning(value);
      const failure = assertFailed(outcome, 'oops');
      assert.match(failure.message, /^report_syscall_entry of engine#1 returned .*\(SPEC rule 4\); treated as UTRACE_RESUME/);
      assert.ok(outcome.trace.some((e) => /syscall 1 runs/.test(e.text)), 'the syscall ran: the value was not read as an action');
    });
  }

  it('an async callback is refused by defineOps; a callback returning a promise is an oops naming it', async () => {
    assert.throws(
      () => defineOps({ report_syscall_entry: (async () => UTRACE_RESUME) as never }),
      (e: unknown) => e instanceof UtraceUsageError && /ops.report_syscall_entry is an async function: callbacks run on the traced thread and must not sleep/.test(e.message),
    );
    const failure = assertFailed(await returning(Promise.resolve(UTRACE_RESUME)), 'oops');
    assert.match(failure.message, /report_syscall_entry of engine#1 returned a promise \(callbacks must be synchronous/);
  });

  it('the legal set of each callback is accepted, and only it', () => {
    assert.equal(illegalReturn('report_exec', UTRACE_DETACH), null);
    assert.equal(illegalReturn('report_exec', UTRACE_STOP), null);
    assert.equal(illegalReturn('report_syscall_entry', UTRACE_SYSCALL_ABORT | UTRACE_RESUME), null);
    assert.match(illegalReturn('report_exec', UTRACE_SYSCALL_ABORT | UTRACE_RESUME)!, /report_exec returns a resume action/);
    assert.equal(illegalReturn('report_signal', UTRACE_SIGNAL_IGN | UTRACE_SIGNAL_HOLD | UTRACE_RESUME), null);
    assert.match(illegalReturn('report_signal', 0x200 | UTRACE_RESUME)!, /report_signal returns/);
    assert.equal(illegalReturn('report_death', UTRACE_DETACH), null);
    assert.equal(illegalReturn('report_death', UTRACE_RESUME), null);
    assert.match(illegalReturn('report_death', UTRACE_STOP)!, /report_death returns only UTRACE_DETACH or UTRACE_RESUME/);
  });

  it('a callback that throws, even a value whose conversions throw, is an oops naming the callback; no TypeError escapes', async () => {
    for (const thrown of [new Error('boom'), hostile, Object.create(null)]) {
      const kernel = new Kernel();
      const task = kernel.spawn('traced', [sys(1)]);
      const ops = defineOps({
        report_syscall_entry: () => {
          throw thrown;
        },
      });
      const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null));
      utrace_set_events(task, engine, ENTRY);
      utrace_engine_put(engine);
      const failure = assertFailed(await kernel.run(new RoundRobinScheduler()), 'oops');
      assert.match(failure.message, /^report_syscall_entry of engine#1 threw/);
    }
  });
});

describe('utrace_barrier on the callback\'s own task (reference §1.5, SPEC rule 5)', () => {
  it('returns 0 at once from inside a callback of that task, with no might_sleep', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const results: Promise<number>[] = [];
    const ops = defineOps({
      report_syscall_entry: (_action, engine) => {
        results.push(utrace_barrier(task, engine));
        return UTRACE_RESUME;
      },
    });
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null));
    utrace_set_events(task, engine, ENTRY);
    utrace_engine_put(engine);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.deepEqual(await Promise.all(results), [0]);
    assert.ok(outcome.trace.some((e) => /utrace_barrier\(traced\[1\], engine#1\) = 0: called on the current task/.test(e.text)));
  });
});

describe('a callback\'s engine kept past its callback', () => {
  it('is refused by utrace_barrier in a tracer thread (it was valid only until the callback returned)', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    let saved: unknown;
    const ops = defineOps({ report_syscall_entry: (_action, engine) => ((saved = engine), UTRACE_RESUME) });
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null));
    utrace_set_events(task, engine, ENTRY);
    kernel.tracer('tracer', async () => {
      while (saved === undefined) await schedule();
      await utrace_barrier(task, saved as never);
    });
    await assert.rejects(kernel.run(new RoundRobinScheduler()), (e: unknown) => e instanceof UtraceUsageError && e.rule === 'callback-engine');
  });
});

describe('defineOps refuses hostile ops with a UtraceUsageError (never a raw TypeError)', () => {
  const kernel = new Kernel();
  const other = new Kernel();
  const throwingGetter = Object.defineProperty({}, 'report_exec', {
    enumerable: true,
    get() {
      throw new Error('getter ran');
    },
  });
  const trappedProxy = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('trap ran');
      },
    },
  );
  const getTrapProxy = new Proxy({ report_exec: () => UTRACE_RESUME }, {
    get() {
      throw new Error('get trap ran');
    },
  });
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const cases: [string, unknown, unknown, RegExp][] = [
    ['null', null, undefined, /ops must be an object of callbacks/],
    ['a function', () => UTRACE_RESUME, undefined, /ops must be an object of callbacks/],
    ['an array', [], undefined, /ops must be an object of callbacks/],
    ['a throwing getter', throwingGetter, undefined, /reading ops.report_exec threw/],
    ['a Proxy whose ownKeys trap throws', trappedProxy, undefined, /listing the members of ops threw/],
    ['a Proxy whose get trap throws', getTrapProxy, undefined, /reading ops.\w+ threw/],
    ['a revoked Proxy', revoked.proxy, undefined, /listing the members of ops threw/],
    ['a callback that is not a function', { report_exec: 5 }, undefined, /ops.report_exec must be a function/],
    ['a misspelt callback', { report_syscal_entry: () => UTRACE_RESUME }, undefined, /ops has a member "report_syscal_entry"/],
    ['an owner that is no module', { owner: { name: 'm', state: 'live' } }, undefined, /ops.owner must be a module made by Kernel.load_module/],
    ['percpu_counters that are no counters', { percpu_counters: { nr_cpus: 2, sum: () => 0 } }, undefined, /ops.percpu_counters must come from alloc_percpu_counters/],
    [
      'owner and percpu_counters of different kernels',
      { owner: kernel.load_module('m'), percpu_counters: other.alloc_percpu_counters() },
      undefined,
      /ops.owner and ops.percpu_counters belong to different kernels/,
    ],
    ['a bad claim', {}, 'sometimes', /the claim must be 'may-detach'/],
  ];
  for (const [label, ops, claim, re] of cases) {
    it(`${label}`, () => {
      assert.throws(
        () => defineOps(ops as never, claim as never),
        (e: unknown) => {
          assert.ok(e instanceof UtraceUsageError, `a UtraceUsageError, got ${e instanceof Error ? e.name : typeof e}`);
          assert.equal(e.rule, 'bad-ops');
          assert.match(e.message, re);
          return true;
        },
      );
    });
  }

  it('owner and percpu_counters of one kernel together are fine; attaching them in another kernel is refused', () => {
    const k = new Kernel();
    const ops = defineOps({ owner: k.load_module('m'), percpu_counters: k.alloc_percpu_counters(), report_exec: () => UTRACE_RESUME });
    const task = new Kernel().spawn('traced', [sys(1)]);
    assert.throws(
      () => utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null),
      (e: unknown) => e instanceof UtraceUsageError && e.rule === 'foreign-ops',
    );
  });

  it('the ops returned are a frozen copy: changing them after attach is impossible', () => {
    const source = { report_exec: () => UTRACE_RESUME };
    const ops = defineOps(source);
    assert.ok(Object.isFrozen(ops));
    assert.notEqual(ops as unknown, source);
    source.report_exec = () => UTRACE_DETACH as never;
    const task = new Kernel().spawn('traced', [sys(1)]);
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null));
    assert.equal((rec(engine).userOps.report_exec as () => number)(), UTRACE_RESUME);
    assert.throws(() => Object.assign(ops, { report_exec: () => UTRACE_DETACH }), TypeError);
    utrace_engine_put(engine);
  });

  it('after attach, no write, delete or added member changes the callbacks the kernel calls (defineOps TSDoc)', () => {
    const ops = defineOps({ report_exec: () => UTRACE_RESUME });
    const task = new Kernel().spawn('traced', [sys(1)]);
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null));
    const writable = ops as unknown as Record<string, unknown>;
    assert.throws(() => Object.assign(ops, { report_exec: () => UTRACE_DETACH }), TypeError);
    assert.throws(() => { writable['report_exec'] = () => UTRACE_DETACH; }, TypeError);
    assert.throws(() => { delete writable['report_exec']; }, TypeError);
    assert.throws(() => { writable['report_syscall_exit'] = () => UTRACE_DETACH; }, TypeError);
    assert.throws(() => Object.defineProperty(ops, 'report_exec', { value: () => UTRACE_DETACH }), TypeError);
    assert.equal((writable['report_exec'] as () => number)(), UTRACE_RESUME);
    assert.equal(writable['report_syscall_exit'], undefined);
    const kept = rec(engine).userOps;
    assert.equal((kept.report_exec as () => number)(), UTRACE_RESUME);
    assert.equal(kept.report_syscall_exit, undefined);
    utrace_engine_put(engine);
  });
});
