/**
 * `delete_module` as the kernel does it (SPEC §6): the module's exit function runs, then its
 * code and static data are freed; data used afterwards is a use-after-free naming the object,
 * a callback of the module made afterwards is module-code-after-unload. `module_unload` keeps
 * working as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defineOps,
  delete_module,
  IS_ERR,
  Kernel,
  module_data,
  module_unload,
  RoundRobinScheduler,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_barrier,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
} from '../src/index.js';
import { defineScenario, runScenario } from '../src/explore/index.js';

/** A probe module whose callback counts into module data; the exit function detaches, and waits or not. */
function probeModule(waits: boolean): ReturnType<typeof defineScenario> {
  return defineScenario({
    name: waits ? 'delete-module-waits' : 'delete-module-no-wait',
    description: 'A module exit function detaches its engine, with or without utrace_barrier, before the module is freed.',
    expect: waits ? 'safe' : 'unsafe',
    build(kernel) {
      const task = kernel.spawn('traced', [sys(1), sys(2)]);
      const mod = kernel.load_module('probe');
      const hits = module_data(mod, 'probe_hits', 0);
      const ops = defineOps({ owner: mod, report_syscall_entry: () => ((hits.value += 1), UTRACE_RESUME) });
      const e = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
      if (IS_ERR(e)) throw new Error('attach failed');
      utrace_set_events(task, e, UTRACE_EVENT('SYSCALL_ENTRY'));
      kernel.tracer('rmmod', async () => {
        await delete_module(mod, async () => {
          const r = utrace_control(task, e, UTRACE_DETACH);
          if (waits) await utrace_barrier(task, r.engine);
          utrace_engine_put(r.engine);
        });
      });
    },
  });
}

describe('delete_module', () => {
  it('an exit function that detaches and waits with utrace_barrier is clean under dfs', async () => {
    const report = await runScenario(probeModule(true), { strategy: { kind: 'dfs', bound: 2 } });
    assert.equal(report.result.status, 'exhausted', report.counterexample?.outcome.failure?.message);
  });

  it('one that does not wait is found: a callback of the freed module, or its data used after the free', async () => {
    const report = await runScenario(probeModule(false), { strategy: { kind: 'dfs', bound: 2 } });
    assert.equal(report.result.status, 'failed');
    const failure = report.counterexample!.outcome.failure!;
    assert.ok(['module-code-after-unload', 'use-after-free'].includes(failure.check), `${failure.check}: ${failure.message}`);
  });

  it('module data used after the module is freed is a use-after-free naming the object and the module', async () => {
    const kernel = new Kernel();
    const mod = kernel.load_module('stap');
    const count = module_data(mod, '__stp_attach_count', 3);
    const order: string[] = [];
    kernel.tracer('rmmod', async () => {
      await delete_module(mod, () => {
        order.push(`exit sees ${count.value}`);
      });
      order.push('freed');
      count.value = 0;
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.deepEqual(order, ['exit sees 3', 'freed']);
    assert.equal(outcome.failure?.check, 'use-after-free');
    assert.match(outcome.failure.message, /static data "__stp_attach_count" of module stap written after delete_module freed the module/);
  });

  it('the exit function runs before the free; the module is going meanwhile, then unloaded', async () => {
    const kernel = new Kernel();
    const mod = kernel.load_module('m');
    const states: string[] = [];
    kernel.tracer('rmmod', async () => {
      await delete_module(mod, async () => {
        states.push(mod.state);
      });
      states.push(mod.state);
    });
    assert.equal((await kernel.run(new RoundRobinScheduler())).status, 'ok');
    assert.deepEqual(states, ['going', 'unloaded']);
  });

  it('module data is no leak and never needs kfree; misuse is a usage error', async () => {
    const kernel = new Kernel();
    const mod = kernel.load_module('m');
    module_data(mod, 'table', [1, 2]);
    assert.equal((await kernel.run(new RoundRobinScheduler())).status, 'ok');
    assert.throws(() => module_data({} as never, 'x', 0), /pass a module made by Kernel.load_module/);
    assert.throws(() => module_data(mod, 3 as never, 0), /label is a string/);
  });

  it('module_unload keeps working as before', async () => {
    const kernel = new Kernel();
    const mod = kernel.load_module('m');
    kernel.tracer('rmmod', async () => module_unload(mod));
    assert.equal((await kernel.run(new RoundRobinScheduler())).status, 'ok');
    assert.equal(mod.state, 'unloaded');
  });

  it('a second delete_module is a usage error', async () => {
    const kernel = new Kernel();
    const mod = kernel.load_module('m');
    let error: unknown;
    kernel.tracer('rmmod', async () => {
      await delete_module(mod);
      try {
        await delete_module(mod);
      } catch (e) {
        error = e;
      }
    });
    await kernel.run(new RoundRobinScheduler());
    assert.match(String(error), /module m is already unloaded/);
  });
});

describe('the task list (for_each_process, do_each_thread, find_task_by_vpid)', () => {
  it('walks the tasks not yet reaped, in pid order, and finds one by pid', async () => {
    const { for_each_process, do_each_thread, find_task_by_vpid, schedule } = await import('../src/index.js');
    const kernel = new Kernel();
    const a = kernel.spawn('a', [sys(1)]);
    kernel.spawn('b', [sys(1), sys(2)]);
    const seen: string[][] = [];
    let found: unknown;
    let missing: unknown = 'unset';
    kernel.tracer('finder', async () => {
      seen.push(for_each_process().map((p) => p.comm));
      found = find_task_by_vpid(a.pid);
      while (find_task_by_vpid(a.pid) !== undefined) await schedule();
      missing = find_task_by_vpid(a.pid);
      seen.push(do_each_thread().map((p) => p.comm));
    });
    const outcome = await kernel.run({ pick: (p) => (p.runnable.includes(4) ? 4 : p.runnable[0]!) });
    assert.equal(outcome.status, 'ok', outcome.failure?.message);
    assert.deepEqual(seen[0], ['a', 'b']);
    assert.equal(found, a);
    assert.equal(missing, undefined);
    assert.ok(!seen[1]!.includes('a'));
    assert.throws(() => for_each_process(), /the task list is read while the kernel runs/);
  });
});
