/**
 * The memory rule, version 2 (SPEC §3), clause by clause: counted references from a
 * never-detaching CREATE attach, from a lookup and from utrace_engine_get, each owing exactly
 * one put; the RCU-kept pointer of a may-detach CREATE attach, which owes none, which
 * utrace_engine_get consumes, and which no call takes after its events are enabled (rule 7);
 * release exactly once; leak and underflow reported; -ESRCH through a held reference after a
 * detach. Also the detach claim of defineOps enforced at run time (rule 3).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defineOps,
  ESRCH,
  IS_ERR,
  Kernel,
  RoundRobinScheduler,
  synchronize_rcu,
  sys,
  UTRACE_ATTACH_CREATE,
  UTRACE_ATTACH_MATCH_OPS,
  utrace_attach_task,
  utrace_barrier,
  utrace_control,
  UTRACE_DETACH,
  utrace_detach_sync,
  utrace_engine_get,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
  UtraceUsageError,
  type task_struct,
} from '../src/index.js';
import { assertFailed, assertOk, type Eng, engineOf, FIRST, rec, runUntil, script, waitUntil } from './support/kernel-helpers.js';

const ENTRY = UTRACE_EVENT('SYSCALL_ENTRY');
const TRACER = FIRST + 1;

/** A kernel with one task running `program`. */
function setup(program = [sys(1), sys(2)]): { kernel: Kernel; task: task_struct } {
  const kernel = new Kernel();
  return { kernel, task: kernel.spawn('traced', program) };
}

/** Ops whose report_syscall_entry returns UTRACE_DETACH, claimed 'may-detach', recording release. */
function oneShotOps(released: unknown[] = []) {
  return defineOps(
    {
      report_syscall_entry: () => UTRACE_DETACH,
      release: (data: unknown) => void released.push(data),
    },
    'may-detach',
  );
}

/** Ops that never detach, recording release. */
function quietOps(released: unknown[] = []) {
  return defineOps({ report_syscall_entry: () => UTRACE_RESUME, release: (data: unknown) => void released.push(data) });
}

/** Asserts `fn` throws a UtraceUsageError for `rule` whose message matches `re`. */
function throwsUsage(fn: () => unknown, rule: string, re?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UtraceUsageError, `a UtraceUsageError, got ${String(e)}`);
    assert.equal(e.rule, rule, e.message);
    if (re) assert.match(e.message, re);
    return true;
  });
}

describe('memory rule v2: counted references (SPEC §3)', () => {
  it('a CREATE attach of never-detaching ops gives a counted reference (attached state) that owes exactly one put', async () => {
    const released: unknown[] = [];
    const { kernel, task } = setup();
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, quietOps(released), 'D'));
    assert.equal((engine as unknown as { state: string }).state, 'attached');
    assert.equal(rec(engine).refs, 1);
    kernel.tracer('tracer', async () => {
      const d = await utrace_detach_sync(task, engine);
      assert.equal(d.ret, 0);
      await waitUntil(() => !rec(engine).linked);
      assert.deepEqual(released, [], 'the counted reference keeps the detached, unlinked engine');
      utrace_engine_put(d.engine);
      assert.deepEqual(released, ['D'], 'release(data) runs at the put that leaves it unreferenced');
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(released, ['D'], 'exactly once');
  });

  it('a counted reference never put is a leak at the end of the run', async () => {
    const { kernel, task } = setup();
    engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, quietOps(), null));
    const failure = assertFailed(await kernel.run(new RoundRobinScheduler()), 'leak');
    assert.match(failure.message, /engine#1 leaked at the end of the run: 1 counted reference\(s\) never put/);
  });

  it('one put too many is a refcount underflow, through the same handle or one a transition returned for it', async () => {
    for (const second of ['same', 'transition'] as const) {
      const { kernel, task } = setup();
      const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, quietOps(), null));
      kernel.tracer('tracer', async () => {
        const d = utrace_control(task, engine, UTRACE_DETACH);
        utrace_engine_put(d.engine);
        utrace_engine_put(second === 'same' ? d.engine : (engine as never));
      });
      const failure = assertFailed(await kernel.run(script(TRACER)), second === 'same' ? 'refcount-underflow' : 'refcount-underflow');
      assert.match(failure.message, /utrace_engine_put on engine#1: this counted reference was already put/);
    }
  });

  it('a lookup gives a new counted handle (attached) that owes its own put; never put, it leaks', async () => {
    const { kernel, task } = setup();
    const ops = oneShotOps();
    const pointer = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null));
    const found = engineOf(utrace_attach_task(task, UTRACE_ATTACH_MATCH_OPS, ops, null));
    assert.notEqual(found, pointer);
    assert.equal((found as unknown as { state: string }).state, 'attached');
    assert.equal(rec(found).refs, 1, 'the lookup took one reference; the RCU-kept pointer none');
    const failure = assertFailed(await kernel.run(new RoundRobinScheduler()), 'leak');
    assert.match(failure.message, /1 counted reference\(s\) never put/);
  });

  it('a lookup of a may-detach engine is safe to block on: after its callback detaches, calls return -ESRCH, utrace_barrier -ESRCH, and the put frees it (release once)', async () => {
    const released: unknown[] = [];
    const { kernel, task } = setup();
    const ops = oneShotOps(released);
    const pointer = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, 'D'));
    utrace_set_events(task, pointer, ENTRY); // fire and forget: the pointer is not used again
    const seen: unknown[] = [];
    kernel.tracer('tracer', async () => {
      const found = utrace_attach_task(task, UTRACE_ATTACH_MATCH_OPS, ops, null);
      if (IS_ERR(found)) return void seen.push('ENOENT');
      const counted = found as Eng;
      await waitUntil(() => !rec(counted).linked);
      await synchronize_rcu();
      await synchronize_rcu();
      seen.push(rec(counted).freedAt === null, released.length);
      seen.push(utrace_set_events(task, counted, 0).ret, utrace_control(task, counted, UTRACE_RESUME).ret, utrace_engine_get(counted).ret);
      seen.push(await utrace_barrier(task, counted));
      utrace_engine_put(counted);
      await synchronize_rcu();
      seen.push(rec(counted).freedAt !== null, released.length);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(seen, [true, 0, -ESRCH, -ESRCH, -ESRCH, -ESRCH, true, 1]);
    assert.deepEqual(released, ['D']);
  });

  it('utrace_engine_get returns a new handle object with a reference of its own: a detach through one does not revoke the other', async () => {
    const released: unknown[] = [];
    const { kernel, task } = setup();
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, quietOps(released), 'D'));
    const got = utrace_engine_get(engine);
    assert.equal(got.ret, 0);
    assert.notEqual(got.engine, engine);
    assert.equal(rec(engine).refs, 2);
    kernel.tracer('tracer', async () => {
      const d = await utrace_detach_sync(task, got.engine as Eng);
      assert.equal(d.ret, 0);
      // The first handle is still a live reference: calls through it say -ESRCH.
      assert.equal(utrace_set_events(task, engine, ENTRY).ret, -ESRCH);
      assert.equal(await utrace_barrier(task, engine), -ESRCH);
      utrace_engine_put(d.engine);
      assert.deepEqual(released, []);
      utrace_engine_put(engine);
      assert.deepEqual(released, ['D']);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('a handle whose counted reference was put is refused as stale', () => {
    const { task } = setup();
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, quietOps(), null));
    const got = utrace_engine_get(engine).engine as Eng;
    utrace_engine_put(got);
    throwsUsage(() => utrace_set_events(task, got, ENTRY), 'stale-handle', /utrace_set_events: this engine handle was revoked when utrace_engine_put/);
    assert.equal(rec(engine).refs, 1);
    utrace_engine_put(engine);
  });
});

describe('memory rule v2: the RCU-kept pointer (SPEC §3, rules 1 and 7)', () => {
  it('a CREATE attach of may-detach ops gives an rcu-only pointer that is no reference: nothing to put, and a put is a refcount underflow', async () => {
    const { kernel, task } = setup();
    const pointer = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, oneShotOps(), null));
    assert.equal((pointer as unknown as { state: string }).state, 'rcu-only');
    assert.equal(rec(pointer).refs, 0);
    kernel.tracer('tracer', async () => {
      utrace_engine_put(pointer as never);
    });
    const failure = assertFailed(await kernel.run(script(TRACER)), 'refcount-underflow');
    assert.match(failure.message, /through its RCU-kept pointer: a CREATE attach of may-detach ops gives no counted reference/);
  });

  it('fire and forget: events enabled through the pointer, the callback detaches, the engine is freed one grace period after it is unlinked and release(data) runs once; no leak', async () => {
    const released: unknown[] = [];
    const { kernel, task } = setup();
    const pointer = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, oneShotOps(released), 'D'));
    assert.equal(utrace_set_events(task, pointer, ENTRY).ret, 0);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.deepEqual(released, ['D']);
    const at = (re: RegExp): number => outcome.trace.findIndex((e) => re.test(e.text));
    assert.ok(at(/engine#1 unlinked/) < at(/grace period \d+ ends/) && at(/grace period \d+ ends/) <= at(/engine#1 freed/));
  });

  it('utrace_engine_get before events are enabled consumes the pointer: the old handle is revoked, the new one is attached and owes the put', async () => {
    const released: unknown[] = [];
    const { kernel, task } = setup();
    const pointer = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, oneShotOps(released), 'D'));
    const got = utrace_engine_get(pointer);
    assert.equal(got.ret, 0);
    assert.equal((got.engine as unknown as { state: string }).state, 'attached');
    assert.equal(rec(pointer).refs, 1);
    throwsUsage(() => utrace_set_events(task, pointer, ENTRY), 'stale-handle', /revoked when utrace_engine_get/);
    const counted = got.engine as Eng;
    utrace_set_events(task, counted, ENTRY);
    kernel.tracer('tracer', async () => {
      // Blocking on the counted reference is safe even if the callback detaches meanwhile.
      const d = await utrace_detach_sync(task, counted);
      assert.ok(d.ret === 0 || d.ret === -ESRCH);
      utrace_engine_put(d.engine);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(released, ['D']);
  });

  it('rule 7: once its events are enabled, every call refuses the rcu-only pointer with a UtraceUsageError naming the rule and the fix', () => {
    const { task } = setup();
    const pointer = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, oneShotOps(), null));
    assert.equal(utrace_set_events(task, pointer, ENTRY).ret, 0);
    const fix = /take a counted reference with utrace_engine_get right after attaching, before enabling events.*UTRACE_ATTACH_MATCH_OPS/i;
    throwsUsage(() => utrace_engine_get(pointer), 'rule-7', fix);
    throwsUsage(() => utrace_set_events(task, pointer, 0), 'rule-7', /utrace_set_events: rule 7: .*its events were enabled/);
    throwsUsage(() => utrace_control(task, pointer, UTRACE_DETACH), 'rule-7', fix);
  });

  it('rule 7: a pointer detached through utrace_control is refused afterwards too', () => {
    const { task } = setup();
    const pointer = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, oneShotOps(), null));
    assert.equal(utrace_control(task, pointer, UTRACE_DETACH).ret, 0);
    throwsUsage(() => utrace_engine_get(pointer), 'rule-7', /it was detached/);
  });

  it('rule 1 at run time: a blocking call refuses the rcu-only pointer even before events are enabled', async () => {
    const { kernel, task } = setup();
    const pointer = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, oneShotOps(), null));
    kernel.tracer('tracer', async () => {
      await utrace_detach_sync(task, pointer as never);
    });
    await assert.rejects(kernel.run(script(TRACER)), (e: unknown) => {
      assert.ok(e instanceof UtraceUsageError);
      assert.equal(e.rule, 'rule-1');
      assert.match(e.message, /utrace_detach_sync: rule 1: a blocking call cannot take an rcu-only engine/);
      return true;
    });
  });
});

describe('the engine a callback is given (PROVE_RCU)', () => {
  it('kept past its callback and used outside any RCU read-side section after the callback detached: PROVE_RCU', async () => {
    const { kernel, task } = setup();
    let kept: unknown;
    const ops = defineOps(
      {
        report_syscall_entry: (_action: number, engine) => {
          kept = engine;
          return UTRACE_DETACH;
        },
      },
      'may-detach',
    );
    const pointer = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null));
    assert.equal(utrace_set_events(task, pointer, ENTRY).ret, 0);
    kernel.tracer('tracer', async () => {
      utrace_set_events(task, kept as Eng, 0);
    });
    // The traced task runs until its callback has detached the engine; then the tracer uses the
    // kept handle, before any grace period could free the engine.
    const failure = assertFailed(await kernel.run(script(runUntil(FIRST, () => rec(pointer).isDetached), runUntil(TRACER, () => false, 1))), 'PROVE_RCU');
    assert.match(failure.message, /through the handle a callback was given, outside that callback/);
  });
});

describe('the detach claim is enforced at run time (SPEC §3 rule 3)', () => {
  it('a never-detaches engine whose callback returns UTRACE_DETACH is an oops at once naming the callback; the engine stays attached', async () => {
    const { kernel, task } = setup();
    // A cast, as JavaScript would: ops claiming never to detach whose callback does.
    const ops = defineOps({ report_syscall_entry: (() => UTRACE_DETACH) as never });
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null));
    utrace_set_events(task, engine, ENTRY);
    const seen: unknown[] = [];
    kernel.tracer('tracer', async () => {
      await waitUntil(() => kernel.oopses.length > 0);
      seen.push(rec(engine).linked, utrace_set_events(task, engine, 0).ret);
      const d = await utrace_detach_sync(task, engine);
      utrace_engine_put(d.engine);
    });
    const failure = assertFailed(await kernel.run(new RoundRobinScheduler()), 'oops');
    assert.match(failure.message, /report_syscall_entry of engine#1 returned UTRACE_DETACH, but its ops claim never to detach \(SPEC rule 3\).*defineOps\(ops, 'may-detach'\)/);
    assert.equal(seen[0], true);
    assert.ok(seen[1] === 0 || seen[1] === -115);
  });

  it('plain ops given to an attach from JavaScript are checked, frozen and claimed never to detach', () => {
    const { task } = setup();
    const plain = { report_syscall_entry: () => UTRACE_RESUME };
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, plain as never, null as never));
    assert.equal(rec(engine).claim, 'never-detaches');
    assert.ok(Object.isFrozen(rec(engine).userOps));
    // The same plain object finds the engine again (UTRACE_ATTACH_MATCH_OPS).
    const found = engineOf(utrace_attach_task(task, UTRACE_ATTACH_MATCH_OPS, plain as never, null as never));
    assert.equal(rec(found), rec(engine));
  });
});
