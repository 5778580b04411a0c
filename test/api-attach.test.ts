/**
 * utrace_attach_task / utrace_attach_pid: every return code of ref §1.2 (SPEC §2), in the
 * situation that yields it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EEXIST,
  EINVAL,
  ENOENT,
  ENOMEM,
  EPERM,
  ESRCH,
  EXIT_DEAD,
  find_get_pid,
  Kernel,
  RoundRobinScheduler,
  sys,
  UTRACE_ATTACH_CREATE,
  UTRACE_ATTACH_EXCLUSIVE,
  UTRACE_ATTACH_MATCH_DATA,
  UTRACE_ATTACH_MATCH_OPS,
  utrace_attach_pid,
  utrace_attach_task,
  utrace_control,
  utrace_engine_put,
  UTRACE_DETACH,
  UTRACE_RESUME,
  defineOps,
} from '../src/index.js';
import { assertFailed, assertOk, engineOf, errOf, type Eng, rec, waitUntil } from './support/kernel-helpers.js';

const opsA = defineOps({ report_syscall_entry: () => UTRACE_RESUME });
const opsB = defineOps({ report_syscall_exit: () => UTRACE_RESUME });

describe('utrace_attach_task: create (ref §1.1, §1.2)', () => {
  it('UTRACE_ATTACH_CREATE of never-detaching ops returns a new engine with no events and one counted reference, which owes one put (ref §1.1, SPEC §3 memory rule v2)', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, opsA, 'data'));
    assert.equal(engine.flags, 0);
    assert.equal(engine.data, 'data');
    assert.equal(engine.ops, opsA);
    assert.equal(rec(engine).refs, 1);
    utrace_engine_put(engine);
    assert.equal(rec(engine).refs, 0);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('UTRACE_ATTACH_CREATE with null or undefined ops returns -EINVAL (ref §1.2)', () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    assert.equal(errOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, null as never, null as never)), -EINVAL);
    assert.equal(errOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, undefined as never, null as never)), -EINVAL);
  });

  it('attaching to a kernel thread returns -EPERM (ref §1.2, PF_KTHREAD)', async () => {
    const kernel = new Kernel();
    const kthread = kernel.spawn('kworker', [sys(1)], { kthread: true });
    assert.equal(errOf(utrace_attach_task(kthread, UTRACE_ATTACH_CREATE, opsA, null)), -EPERM);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('UTRACE_ATTACH_EXCLUSIVE returns -EEXIST when a matching engine exists; without MATCH flags any engine matches (ref §1.2)', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const first = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, opsA, 'a'));
    assert.equal(errOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE | UTRACE_ATTACH_EXCLUSIVE | UTRACE_ATTACH_MATCH_OPS, opsA, null)), -EEXIST);
    assert.equal(errOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE | UTRACE_ATTACH_EXCLUSIVE, opsB, 'other')), -EEXIST);
    assert.equal(errOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE | UTRACE_ATTACH_EXCLUSIVE | UTRACE_ATTACH_MATCH_DATA, opsA, 'a')), -EEXIST);
    // A matching rule that the first engine does not meet lets the exclusive attach through.
    const second = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE | UTRACE_ATTACH_EXCLUSIVE | UTRACE_ATTACH_MATCH_OPS, opsB, null));
    assert.notEqual(rec(second), rec(first));
    utrace_engine_put(first);
    utrace_engine_put(second);
    // The failed attaches made no engine: nothing leaks.
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('an allocation failure returns -ENOMEM, and the next attach succeeds (ref §1.2)', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    kernel.fail_next_allocations(1);
    assert.equal(errOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, opsA, null)), -ENOMEM);
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, opsA, null));
    // The engine allocation can fail too, once struct utrace exists.
    kernel.fail_next_allocations(1);
    assert.equal(errOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, opsB, null)), -ENOMEM);
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('attaching to a task that is being reaped and never had an engine returns -ESRCH (ref §1.2, EXIT_DEAD)', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('short', [sys(1)]);
    let ret = 0;
    kernel.tracer('tracer', async () => {
      await waitUntil(() => task.exit_state === EXIT_DEAD);
      ret = errOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, opsA, null));
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.equal(ret, -ESRCH);
  });
});

describe('utrace_attach_task: lookup (ref §1.1, §1.2)', () => {
  it('a lookup on a task that was never attached returns -ENOENT (ref §1.2, no struct utrace)', () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    assert.equal(errOf(utrace_attach_task(task, 0, opsA, null)), -ENOENT);
    assert.equal(errOf(utrace_attach_task(task, UTRACE_ATTACH_MATCH_OPS, opsA, null)), -ENOENT);
  });

  it('a lookup with no matching engine returns -ENOENT (ref §1.2)', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, opsA, 'a'));
    assert.equal(errOf(utrace_attach_task(task, UTRACE_ATTACH_MATCH_OPS, opsB, null)), -ENOENT);
    assert.equal(errOf(utrace_attach_task(task, UTRACE_ATTACH_MATCH_DATA, opsA, 'b')), -ENOENT);
    assert.equal(errOf(utrace_attach_task(task, UTRACE_ATTACH_MATCH_OPS | UTRACE_ATTACH_MATCH_DATA, opsA, 'b')), -ENOENT);
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('a successful lookup returns the same engine with a counted reference the caller must put (ref §1.1 "A lookup takes a reference", §5 trap 1)', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, opsA, 'a'));
    const found = engineOf(utrace_attach_task(task, UTRACE_ATTACH_MATCH_OPS | UTRACE_ATTACH_MATCH_DATA, opsA, 'a'));
    assert.equal(rec(found), rec(engine));
    assert.notEqual(found, engine, 'a new handle: each counted handle owes its own put');
    assert.equal(rec(engine).refs, 2);
    const any = engineOf(utrace_attach_task(task, 0, opsB, null));
    assert.equal(rec(any), rec(engine));
    assert.equal(rec(engine).refs, 3);
    utrace_engine_put(found);
    utrace_engine_put(any);
    assert.equal(rec(engine).refs, 1);
    utrace_engine_put(engine);
    assert.equal(rec(engine).refs, 0);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('the counted reference of a lookup that is never put leaks the engine (ref §1.1, §5 trap 1; SPEC §4 leak)', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, opsA, 'a'));
    engineOf(utrace_attach_task(task, UTRACE_ATTACH_MATCH_OPS, opsA, null));
    // One put gives up the attach's counted reference; the lookup's is still held.
    utrace_engine_put(engine);
    assert.equal(rec(engine).refs, 1);
    const failure = assertFailed(await kernel.run(new RoundRobinScheduler()), 'leak');
    assert.match(failure.message, /engine#1 leaked/);
  });

  it('a lookup skips an engine marked detached (ref §1.2 "Matching skips engines that are detached")', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const engine = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE, opsA, 'a'));
    const d = utrace_control(task, engine, UTRACE_DETACH);
    assert.equal(d.ret, 0);
    assert.equal(errOf(utrace_attach_task(task, UTRACE_ATTACH_MATCH_OPS, opsA, null)), -ENOENT);
    // ...and an exclusive attach is no longer refused by it.
    const again = engineOf(utrace_attach_task(task, UTRACE_ATTACH_CREATE | UTRACE_ATTACH_EXCLUSIVE, opsA, 'a'));
    utrace_engine_put(d.engine as Eng);
    utrace_engine_put(again);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });
});

describe('utrace_attach_pid (ref §1.2)', () => {
  it('attaches through a struct pid while the task lives (ref §1.2 utrace_attach_pid)', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    const engine = engineOf(utrace_attach_pid(find_get_pid(kernel, task.pid), UTRACE_ATTACH_CREATE, opsA, null));
    assert.equal(rec(engine).task, task as never);
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('returns -ESRCH once the task is reaped and the pid names no task (ref §1.2 get_pid_task)', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('short', [sys(1)]);
    const pid = find_get_pid(kernel, task.pid);
    let ret = 0;
    kernel.tracer('tracer', async () => {
      await waitUntil(() => task.exit_state === EXIT_DEAD);
      ret = errOf(utrace_attach_pid(pid, UTRACE_ATTACH_CREATE, opsA, null));
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.equal(ret, -ESRCH);
    assert.equal(errOf(utrace_attach_pid(find_get_pid(kernel, 999), UTRACE_ATTACH_CREATE, opsA, null)), -ESRCH);
  });
});
