/**
 * The memory rule (SPEC §3, ref §1.1) and the run-time checks (SPEC §4): release on the last
 * put, how long detached engines live, RCU-kept pointers, refcount underflow, leaks,
 * might_sleep, deadlock, step limit, oops and module unload.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alloc_percpu_counters,
  EINPROGRESS,
  ESRCH,
  Kernel,
  module_unload,
  rcu_read_section,
  RoundRobinScheduler,
  synchronize_rcu,
  sys,
  UTRACE_ATTACH_MATCH_OPS,
  utrace_attach_task,
  utrace_barrier,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_get,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
  utrace_set_events_sync,
  UTRACE_STOP,
  type utrace_engine_ops,
} from '../src/index.js';
import {
  assertFailed,
  assertOk,
  assertOrder,
  attach,
  type Eng,
  engineOf,
  FIRST,
  inCallback,
  oneTask,
  RCU_GP,
  rec,
  runUntil,
  script,
  traced,
  waitUntil,
} from './support/kernel-helpers.js';

const ENTRY = UTRACE_EVENT('SYSCALL_ENTRY');
const TRACER = FIRST + 1;

describe('the memory rule (SPEC §3, ref §1.1)', () => {
  it('an engine detached by the tracer stays allocated, even across grace periods, until the tracer\'s put (SPEC §3)', async () => {
    const released: unknown[] = [];
    const { kernel, task, engine } = oneTask(
      [sys(1), sys(2)],
      { report_syscall_entry: () => UTRACE_STOP, release: (d) => void released.push(d) },
      ENTRY,
      { data: () => 'D' },
    );
    const seen: unknown[] = [];
    kernel.tracer('tracer', async () => {
      await waitUntil(() => traced(task));
      const d = utrace_control(task, engine, UTRACE_DETACH);
      seen.push(d.ret, rec(engine).linked);
      await synchronize_rcu();
      await synchronize_rcu();
      seen.push(rec(engine).freedAt === null, released.length);
      seen.push(await utrace_barrier(task, d.engine as Eng));
      utrace_engine_put(d.engine as Eng);
      seen.push(rec(engine).freedAt !== null, released.length);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(seen, [0, false, true, 0, -ESRCH, true, 1]);
  });

  it('an engine detached by report_death returning UTRACE_DETACH stays allocated until the tracer\'s put (SPEC §3; ref §2 report_death)', async () => {
    const released: unknown[] = [];
    const { kernel, engine } = oneTask(
      [sys(1)],
      { report_death: () => UTRACE_DETACH, release: (d) => void released.push(d) },
      UTRACE_EVENT('DEATH'),
      { data: () => 'D' },
    );
    const seen: unknown[] = [];
    kernel.tracer('tracer', async () => {
      await waitUntil(() => !rec(engine).linked);
      await synchronize_rcu();
      // No PROVE_RCU here: a report_death detach leaves the tracer's pointer its own.
      seen.push(rec(engine).detachedBy, rec(engine).freedAt === null, released.length);
      utrace_engine_put(engine);
      seen.push(rec(engine).freedAt !== null, released.length);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.deepEqual(seen, ['death', true, 0, true, 1]);
  });

});

describe('run-time checks (SPEC §4)', () => {
  it('an extra utrace_engine_put is a refcount-underflow failure (ref §1.1 kref)', async () => {
    const ops: utrace_engine_ops<any> = { report_syscall_entry: () => UTRACE_RESUME };
    const { kernel, task, engine } = oneTask([sys(1)], ops, ENTRY);
    const lookup = engineOf(utrace_attach_task(task, UTRACE_ATTACH_MATCH_OPS, ops as never, null as never));
    kernel.tracer('tracer', async () => {
      utrace_engine_put(lookup);
      utrace_engine_put(engine);
      utrace_engine_put(lookup);
    });
    const failure = assertFailed(await kernel.run(script(TRACER)), 'refcount-underflow');
    assert.match(failure.message, /utrace_engine_put on engine#1/);
  });

  it('an engine the tracer never puts is a leak at the end of the run (ref §5 trap 1)', async () => {
    const { kernel } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    const failure = assertFailed(await kernel.run(new RoundRobinScheduler()), 'leak');
    assert.match(failure.message, /engine#1 leaked at the end of the run: 1 counted reference\(s\) never put with utrace_engine_put/);
  });

  it('tracer data never kfree\'d is a leak at the end of the run (SPEC §4 leak)', async () => {
    const kernel = new Kernel();
    kernel.spawn('traced', [sys(1)]);
    kernel.kmalloc('counts', { n: 0 });
    const failure = assertFailed(await kernel.run(new RoundRobinScheduler()), 'leak');
    assert.match(failure.message, /tracer data "counts" leaked/);
  });

  it('freeing tracer data twice is reported as a use-after-free (SPEC §4)', async () => {
    const kernel = new Kernel();
    kernel.spawn('traced', [sys(1)]);
    const box = kernel.kmalloc('counts', { n: 0 });
    kernel.tracer('tracer', async () => {
      kernel.kfree(box);
      kernel.kfree(box);
    });
    const failure = assertFailed(await kernel.run(new RoundRobinScheduler()), 'use-after-free');
    assert.match(failure.message, /freed twice/);
  });

  it('a callback that makes a blocking call (utrace_barrier on another task) is a might_sleep failure (ref §2 "must not wait", SPEC rule 5)', async () => {
    let other: { task: unknown; engine: unknown } | undefined;
    const { kernel, engine } = oneTask(
      [sys(1)],
      {
        report_syscall_entry: () => {
          // The check fires in the call itself; the returned promise (if any) is dropped.
          (utrace_barrier as (...a: unknown[]) => Promise<number>)(other!.task, other!.engine).catch(() => undefined);
          return UTRACE_RESUME;
        },
      },
      ENTRY,
    );
    const otherTask = kernel.spawn('other', [sys(2)]);
    other = { task: otherTask, engine: attach(otherTask, {}, 0) };
    utrace_engine_put(engine);
    utrace_engine_put(other.engine as Eng);
    const failure = assertFailed(await kernel.run(new RoundRobinScheduler()), 'might_sleep');
    assert.match(failure.message, /utrace_barrier blocks, but it was called from report_syscall_entry, a callback/);
    assert.equal(failure.thread, FIRST);
  });

  it('a blocking call inside rcu_read_section is a might_sleep failure (SPEC §3 rule 5, §4)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    kernel.tracer('tracer', async () => {
      rcu_read_section(() => {
        utrace_set_events_sync(task, engine, 0).catch(() => undefined);
      });
      utrace_engine_put(engine);
    });
    const failure = assertFailed(await kernel.run(script(TRACER)), 'might_sleep');
    assert.match(failure.message, /utrace_set_events_sync blocks, but it was called inside an RCU read-side section/);
  });

  it('synchronize_rcu inside rcu_read_section is a might_sleep failure (SPEC §4)', async () => {
    const kernel = new Kernel();
    kernel.spawn('traced', [sys(1)]);
    kernel.tracer('tracer', async () => {
      rcu_read_section(() => {
        synchronize_rcu().catch(() => undefined);
      });
    });
    assertFailed(await kernel.run(script(TRACER)), 'might_sleep');
  });

  it('a task left stopped forever is a deadlock, naming what it waits for (SPEC §4)', async () => {
    const { kernel, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_STOP }, ENTRY);
    utrace_engine_put(engine);
    const failure = assertFailed(await kernel.run(new RoundRobinScheduler()), 'deadlock');
    assert.match(failure.message, /traced\[1\] waits for an engine to resume traced\[1\] from its tracing stop/);
  });

  it('a run longer than maxSteps ends with a step-limit failure (SPEC §4)', async () => {
    const kernel = new Kernel();
    kernel.spawn('busy', Array.from({ length: 50 }, (_, i) => sys(i)));
    const outcome = await kernel.run(new RoundRobinScheduler(), { maxSteps: 20 });
    assertFailed(outcome, 'step-limit');
    assert.equal(outcome.schedule.length, 20);
  });

  it('a callback that throws is an oops: other engines still get their events and the run ends failed with check oops (SPEC §4)', async () => {
    const counts = { good: 0 };
    const { kernel, task, engine } = oneTask(
      [sys(1), sys(2)],
      {
        report_syscall_entry: () => {
          throw new Error('bad pointer');
        },
      },
      ENTRY,
    );
    const good = attach(task, { report_syscall_entry: () => (counts.good++, UTRACE_RESUME) }, ENTRY);
    utrace_engine_put(engine);
    utrace_engine_put(good);
    const outcome = await kernel.run(new RoundRobinScheduler());
    const failure = assertFailed(outcome, 'oops');
    assert.match(failure.message, /report_syscall_entry of engine#1 threw: bad pointer/);
    assert.equal(counts.good, 2);
    assertOrder(outcome, /syscall 1 runs/, /syscall 2 runs/);
  });
});

describe('module unload (ref §3.10, §5 trap 11; SPEC §4)', () => {
  it('a callback of a module that was unloaded is a module-code-after-unload failure (ref §3.10; SPEC §4)', async () => {
    const kernel = new Kernel();
    const mod = kernel.load_module('tracemod');
    const task = kernel.spawn('traced', [sys(1)]);
    const engine = attach(task, { owner: mod, report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    kernel.tracer('tracer', async () => {
      utrace_engine_put(engine);
      await module_unload(mod);
    });
    const failure = assertFailed(await kernel.run(script(TRACER)), 'module-code-after-unload');
    assert.match(failure.message, /report_syscall_entry of engine#1 ran after module tracemod was unloaded/);
  });

  it('module_unload while a callback of the module is in progress is found (module-code-after-unload) (ref §5 trap 11; SPEC §5)', async () => {
    const kernel = new Kernel();
    const mod = kernel.load_module('tracemod');
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    const engine = attach(task, { owner: mod, report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    kernel.tracer('tracer', async () => {
      const d = utrace_control(task, engine, UTRACE_DETACH);
      assert.equal(d.ret, -EINPROGRESS);
      utrace_engine_put(d.engine as Eng);
      await module_unload(mod);
    });
    const failure = assertFailed(await kernel.run(script(runUntil(FIRST, () => inCallback(kernel, engine)), TRACER)), 'module-code-after-unload');
    assert.match(failure.message, /module tracemod unloaded while report_syscall_entry of engine#1 started/);
  });

  it('a release of the module that runs after the unload is found: wait for every release before unloading (ref §5 trap 11(d))', async () => {
    const kernel = new Kernel();
    const mod = kernel.load_module('tracemod');
    const task = kernel.spawn('traced', [sys(1)]);
    const engine = attach(task, { owner: mod, report_syscall_entry: () => UTRACE_RESUME, release: () => undefined }, ENTRY);
    kernel.tracer('tracer', async () => {
      const d = utrace_control(task, engine, UTRACE_DETACH);
      assert.equal(await utrace_barrier(task, d.engine as Eng), -ESRCH);
      await module_unload(mod);
      utrace_engine_put(d.engine as Eng);
    });
    const failure = assertFailed(await kernel.run(script(TRACER)), 'module-code-after-unload');
    assert.match(failure.message, /release of engine#1 ran after module tracemod was unloaded/);
  });

  it('detach, utrace_barrier, the last put (release runs), then module_unload runs clean (ref §3.10, §5 trap 11)', async () => {
    const kernel = new Kernel();
    const mod = kernel.load_module('tracemod');
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    let released = 0;
    const engine = attach(task, { owner: mod, report_syscall_entry: () => UTRACE_RESUME, release: () => void released++ }, ENTRY);
    kernel.tracer('tracer', async () => {
      const d = utrace_control(task, engine, UTRACE_DETACH);
      if (d.ret === -EINPROGRESS || d.ret === 0) await utrace_barrier(task, d.engine as Eng);
      utrace_engine_put(d.engine as Eng);
      await module_unload(mod);
    });
    assertOk(await kernel.run(script(runUntil(FIRST, () => inCallback(kernel, engine)), TRACER)));
    assert.equal(released, 1);
  });

  it('module_unload after waiting on the per-CPU counters of its ops runs clean (Eigler\'s proposal, SPEC §1)', async () => {
    const kernel = new Kernel();
    const mod = kernel.load_module('tracemod');
    const counters = alloc_percpu_counters(kernel);
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    const engine = attach(task, { owner: mod, percpu_counters: counters, report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    let inUse = -1;
    kernel.tracer('tracer', async () => {
      inUse = counters.sum();
      const d = utrace_control(task, engine, UTRACE_DETACH);
      assert.equal(d.ret, -EINPROGRESS);
      await module_unload(mod);
      utrace_engine_put(d.engine as Eng);
    });
    const outcome = await kernel.run(script(runUntil(FIRST, () => inCallback(kernel, engine)), TRACER));
    assertOk(outcome);
    assert.equal(inUse, 1);
    assert.equal(counters.sum(), 0);
    assertOrder(outcome, /module tracemod going/, /report_syscall_entry of engine#1 returns/, /module tracemod unloaded/);
  });
});
