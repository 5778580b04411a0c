/**
 * Misuse the kernel answers with no errno (SPEC §3 rule 6, §4): stale handles after a
 * transition, and bad arguments from JavaScript callers or `as any`. Each throws a
 * UtraceUsageError naming the rule, never a TypeError from inside.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  find_get_pid,
  Kernel,
  rcu_read_section,
  RoundRobinScheduler,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_pid,
  utrace_attach_task,
  utrace_barrier,
  utrace_control,
  UTRACE_DETACH,
  utrace_detach_sync,
  utrace_engine_get,
  utrace_engine_put,
  UTRACE_EVENT,
  utrace_examiner_init,
  utrace_finish_examine,
  utrace_prepare_examine,
  UTRACE_RESUME,
  utrace_set_events,
  utrace_set_events_sync,
  UtraceUsageError,
  kill,
  synchronize_rcu,
  type Scheduler,
} from '../src/index.js';
import { assertOk, attach, type Eng, oneTask } from './support/kernel-helpers.js';

const ENTRY = UTRACE_EVENT('SYSCALL_ENTRY');


type AnyFn = (...args: unknown[]) => unknown;
const call = (fn: unknown, ...args: unknown[]): unknown => (fn as AnyFn)(...args);

/** Asserts `fn` throws (or rejects with) a UtraceUsageError for `rule`, and returns it. */
async function usage(fn: () => unknown, rule?: string): Promise<UtraceUsageError> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  assert.ok(!(error instanceof TypeError), `a TypeError escaped: ${String(error)}`);
  assert.ok(error instanceof UtraceUsageError, `expected a UtraceUsageError, got ${String(error)}`);
  if (rule !== undefined) assert.equal(error.rule, rule);
  return error;
}

describe('stale handles (SPEC §3 rule 6)', () => {
  it('after an accepted UTRACE_DETACH, the old handle throws a UtraceUsageError naming the call made and the call that revoked it (SPEC §3 rule 6; ref §5 trap 3)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    const d = utrace_control(task, engine, UTRACE_DETACH);
    assert.equal(d.ret, 0);
    const e1 = await usage(() => utrace_set_events(task, engine, 0), 'stale-handle');
    assert.match(e1.message, /^utrace_set_events: /);
    assert.match(e1.message, /utrace_control\(UTRACE_DETACH\)/);
    const e2 = await usage(() => utrace_control(task, engine, UTRACE_RESUME), 'stale-handle');
    assert.match(e2.message, /^utrace_control: /);
    await usage(() => utrace_engine_get(engine), 'stale-handle');
    await usage(() => utrace_engine_put(engine), 'stale-handle');
    // The handle the call returned is the one to use.
    utrace_engine_put(d.engine as Eng);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('after utrace_detach_sync, the old handle is stale for utrace_barrier too; the returned one works (SPEC §2, §3)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    const messages: string[] = [];
    kernel.tracer('tracer', async () => {
      const d = await utrace_detach_sync(task, engine);
      messages.push((await usage(() => utrace_barrier(task, engine), 'stale-handle')).message);
      await utrace_barrier(task, d.engine as Eng);
      utrace_engine_put(d.engine as Eng);
    });
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.match(messages[0]!, /^utrace_barrier: .*utrace_detach_sync/);
  });

  it('after the last utrace_engine_put the handle is stale (SPEC §3)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    utrace_engine_put(engine);
    const e = await usage(() => utrace_set_events(task, engine, 0), 'stale-handle');
    assert.match(e.message, /utrace_engine_put/);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('utrace_engine_put on the handle a callback was given is refused: it holds no reference of the tracer\'s (ref §1.1, §2 "engine passed to a callback")', async () => {
    let rule = '';
    const { kernel, engine } = oneTask(
      [sys(1)],
      {
        report_syscall_entry: (_a, e) => {
          try {
            utrace_engine_put(e as never);
          } catch (err) {
            rule = err instanceof UtraceUsageError ? err.rule : String(err);
          }
          return UTRACE_RESUME;
        },
      },
      ENTRY,
    );
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    assert.equal(rule, 'put-callback-engine');
  });
});

describe('bad arguments throw UtraceUsageError, never TypeError (SPEC §2, §4)', () => {
  it('a null or non-task target, for every call that takes a task (SPEC §4)', async () => {
    const { kernel, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    for (const bad of [null, undefined, 42, 'task', {}]) {
      await usage(() => call(utrace_attach_task, bad, UTRACE_ATTACH_CREATE, {}, null), 'bad-task');
      await usage(() => call(utrace_set_events, bad, engine, 0), 'bad-task');
      await usage(() => call(utrace_control, bad, engine, UTRACE_RESUME), 'bad-task');
      await usage(() => call(utrace_barrier, bad, engine), 'bad-task');
      await usage(() => call(utrace_set_events_sync, bad, engine, 0), 'bad-task');
      await usage(() => call(utrace_prepare_examine, bad, engine, utrace_examiner_init()), 'bad-task');
      await usage(() => call(kill, bad, 9), 'bad-task');
    }
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('a number, null or plain object passed as the engine (SPEC §4)', async () => {
    const kernel = new Kernel();
    const task = kernel.spawn('traced', [sys(1)]);
    for (const bad of [7, null, undefined, { flags: 0 }]) {
      await usage(() => call(utrace_set_events, task, bad, 0), 'bad-engine');
      await usage(() => call(utrace_control, task, bad, UTRACE_RESUME), 'bad-engine');
      await usage(() => call(utrace_engine_get, bad), 'bad-engine');
      await usage(() => call(utrace_engine_put, bad), 'bad-engine');
      await usage(() => call(utrace_barrier, task, bad), 'bad-engine');
      await usage(() => call(utrace_detach_sync, task, bad), 'bad-engine');
      await usage(() => call(utrace_finish_examine, task, bad, utrace_examiner_init()), 'bad-engine');
    }
  });

  it('NaN, fractional, negative or out-of-range event masks (bits past 0x3fff and ENGINE_STOP) (ref §1.8, SPEC §4)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    for (const bad of [NaN, 0.5, -1, 1 << 15, 2 ** 40, '1', null]) {
      await usage(() => call(utrace_set_events, task, engine, bad), 'event-bits');
    }
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('a non-integer action or attach flags (ref §1.2, §1.4; SPEC §4)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    for (const bad of [NaN, 1.5, '6', undefined]) {
      await usage(() => call(utrace_control, task, engine, bad), 'not-an-integer');
      await usage(() => call(utrace_attach_task, task, bad, {}, null), 'not-an-integer');
    }
    await usage(() => call(utrace_attach_task, task, UTRACE_ATTACH_CREATE, 5, null), 'bad-ops');
    await usage(() => call(utrace_attach_pid, 5, UTRACE_ATTACH_CREATE, {}, null), 'bad-pid');
    await usage(() => call(find_get_pid, {}, 1), 'bad-pid');
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('an engine of another kernel (SPEC §4)', async () => {
    const a = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    const other = new Kernel();
    const foreignTask = other.spawn('elsewhere', [sys(1)]);
    await usage(() => utrace_set_events(foreignTask, a.engine, 0), 'foreign-engine');
    await usage(() => utrace_control(foreignTask, a.engine, UTRACE_RESUME), 'foreign-engine');
    utrace_engine_put(a.engine);
    assertOk(await a.kernel.run(new RoundRobinScheduler()));
  });

  it('a task and an engine that do not belong together (SPEC §4)', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    const second = kernel.spawn('second', [sys(2)]);
    const e2 = attach(second, { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    const err = await usage(() => utrace_set_events(second, engine, 0), 'engine-task-mismatch');
    assert.match(err.message, /attached to traced\[1\], not second\[2\]/);
    await usage(() => utrace_control(task, e2, UTRACE_RESUME), 'engine-task-mismatch');
    utrace_engine_put(engine);
    utrace_engine_put(e2);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('a blocking call outside a tracer thread (set-up code) is refused (SPEC §2 "Blocking calls are async")', async () => {
    const { kernel, task, engine } = oneTask([sys(1)], { report_syscall_entry: () => UTRACE_RESUME }, ENTRY);
    await usage(() => utrace_barrier(task, engine), 'blocking-outside-tracer');
    await usage(() => utrace_set_events_sync(task, engine, 0), 'blocking-outside-tracer');
    await usage(() => synchronize_rcu(), 'blocking-outside-tracer');
    utrace_engine_put(engine);
    assertOk(await kernel.run(new RoundRobinScheduler()));
  });

  it('kernel and helper misuse: bad nr_cpus, bad spawn, kfree of a non-KBox, bad event name, async RCU body, a second run, a scheduler picking a thread that cannot run (SPEC §4)', async () => {
    await usage(() => new Kernel({ nr_cpus: 0 }), 'kernel-options');
    const kernel = new Kernel();
    await usage(() => call(kernel.spawn.bind(kernel), 'x', 'not a program'), 'spawn-arguments');
    await usage(() => call(kernel.kfree.bind(kernel), { value: 1 }), 'kfree-argument');
    await usage(() => call(UTRACE_EVENT, 'NOPE'), 'event-name');
    await usage(() => rcu_read_section((async () => 1) as never), 'rcu-section-body');
    kernel.spawn('t', [sys(1)]);
    assertOk(await kernel.run(new RoundRobinScheduler()));
    await usage(() => kernel.run(new RoundRobinScheduler()), 'run-once');
    const k2 = new Kernel();
    k2.spawn('t', [sys(1)]);
    const bad: Scheduler = { pick: () => 99 };
    await usage(() => k2.run(bad), 'scheduler');
  });
});


