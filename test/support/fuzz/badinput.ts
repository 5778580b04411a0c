/**
 * The machinery of the bad-input tables (`test/badinput-*.test.ts`): a fixture kernel with a
 * task and an engine, a cell runner that makes one bad call and checks what it got, then
 * checks that a correct call still behaves (the kernel was not left inconsistent).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  defineOps,
  IS_ERR,
  type KBox,
  Kernel,
  kill,
  PTR_ERR,
  RoundRobinScheduler,
  schedule,
  SIGCONT,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_control,
  UTRACE_DETACH,
  utrace_detach_sync,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
  UtraceUsageError,
  type CheckName,
  type ExecutionOutcome,
  type task_struct,
} from '../../../src/index.js';

/** An engine handle whose lifecycle state the compiler does not track (these tests check the runtime). */
export type Eng = any;

/** What a bad call must get. */
export type Expect =
  /** A UtraceUsageError for this rule, whose message names the function. */
  | { readonly usage: string }
  /** The kernel's answer: returns `-errno` (as a number or as `{ ret }`). */
  | { readonly errno: number }
  /** The kernel's answer as an error value: `ERR_PTR(-errno)`. */
  | { readonly errPtr: number }
  /** A run-time check of the kernel fires; the run reports it. */
  | { readonly failure: CheckName }
  /** A documented error of its own class (e.g. `ScheduleFormatError`), with a message naming the problem. */
  | { readonly error: string }
  /** A documented, harmless answer (e.g. IS_ERR(null) is false). */
  | { readonly returns: unknown };

/** The fixture every cell starts from. */
export interface Fixture {
  readonly kernel: Kernel;
  /** A task running two system calls; the healthy run counts its two syscall entries. */
  readonly task: task_struct;
  /** The engine the healthy run uses. */
  readonly engine: Eng;
  readonly data: KBox<{ n: number }>;
  /** Another task of the same kernel, with an engine of its own. */
  readonly task2: task_struct;
  readonly engine2: Eng;
  /** A second kernel (never run) with a task and an engine. */
  readonly other: { readonly kernel: Kernel; readonly task: task_struct; readonly engine: Eng };
  /** Another engine on `task`, put by the healthy run's teardown. */
  spare(): Eng;
  /** A handle revoked by a transition (the engine behind it was detached and is put at teardown). */
  stale(): Eng;
  /** A detached engine (UTRACE_DETACH accepted), put at teardown. */
  detached(): Eng;
}

const ENTRY = UTRACE_EVENT('SYSCALL_ENTRY');

/** A fresh fixture. */
export function fixture(): Fixture & { readonly teardown: (() => void)[] } {
  const kernel = new Kernel();
  const task = kernel.spawn('traced', [sys(1), sys(2)]);
  const task2 = kernel.spawn('other', [sys(3)]);
  const data = kernel.kmalloc('data', { n: 0 });
  const ops = defineOps({
    report_syscall_entry: () => {
      data.value.n++;
      return UTRACE_RESUME;
    },
  });
  const teardown: (() => void)[] = [];
  const attach = (t: task_struct, k: Kernel): Eng => {
    const e = utrace_attach_task(t, UTRACE_ATTACH_CREATE, defineOps({}), null);
    assert.ok(!IS_ERR(e), `fixture: attach failed in kernel ${k === kernel ? 'main' : 'other'}`);
    return e;
  };
  const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, data);
  assert.ok(!IS_ERR(engine));
  const engine2 = attach(task2, kernel);
  teardown.push(() => utrace_engine_put(engine2));
  const otherKernel = new Kernel();
  const otherTask = otherKernel.spawn('elsewhere', [sys(1)]);
  const other = { kernel: otherKernel, task: otherTask, engine: attach(otherTask, otherKernel) };
  const fx = {
    kernel,
    task,
    engine,
    data,
    task2,
    engine2,
    other,
    teardown,
    spare(): Eng {
      const handle = attach(task, kernel);
      teardown.push(() => utrace_engine_put(handle));
      return handle;
    },
    stale(): Eng {
      const e = attach(task, kernel);
      const r = utrace_control(task, e, UTRACE_DETACH);
      assert.equal(r.ret, 0);
      assert.notEqual(r.engine, e, 'the detach revoked the handle passed in');
      teardown.push(() => utrace_engine_put(r.engine));
      return e;
    },
    detached(): Eng {
      const e = attach(task, kernel);
      const r = utrace_control(task, e, UTRACE_DETACH);
      assert.equal(r.ret, 0);
      teardown.push(() => utrace_engine_put(r.engine));
      return r.engine;
    },
  };
  return fx;
}

/**
 * The correct use that must still work after a bad call: enable syscall entry, let the task
 * run to its exit, detach, put, free. `before` runs first in the tracer thread (a bad call
 * made from inside a run).
 */
export async function healthyRun(
  fx: ReturnType<typeof fixture>,
  before?: () => Promise<void>,
): Promise<{ outcome: ExecutionOutcome; entries: number }> {
  const r = utrace_set_events(fx.task, fx.engine, ENTRY);
  assert.equal(r.ret, 0, 'after the bad call, utrace_set_events still returns 0');
  let entries = -1;
  fx.kernel.tracer('tracer', async () => {
    if (before) await before();
    while (kill(fx.task, SIGCONT) === 0) await schedule();
    const d = await utrace_detach_sync(fx.task, r.engine);
    assert.equal(d.ret, 0, 'after the bad call, utrace_detach_sync still returns 0');
    utrace_engine_put(d.engine);
    for (const f of fx.teardown) f();
    entries = fx.data.value.n;
    fx.kernel.kfree(fx.data as KBox<unknown>);
  });
  const outcome = await fx.kernel.run(new RoundRobinScheduler(), { maxSteps: 5000 });
  return { outcome, entries };
}

/** One row of a table: a function (and parameter), where the call is made, and its bad inputs. */
export interface Row {
  /** `function · parameter`, as shown in the test name. */
  readonly fn: string;
  /** Made at set-up (outside any thread) or from a tracer thread during the run. */
  readonly where: 'setup' | 'tracer';
  /** Makes the call with `bad` in the parameter's place. */
  readonly call: (fx: Fixture, bad: unknown) => unknown;
  /** Label, value (or a function of the fixture making it), expected answer. */
  readonly inputs: readonly (readonly [string, unknown, Expect])[];
  /**
   * Whether the healthy run applies after the call (default true). False for calls that use
   * up the fixture's kernel (Kernel.run): then a fresh fixture's healthy run must still work
   * (no global state was left behind).
   */
  readonly sameKernel?: boolean;
  /** The name the message must mention, when not the function's (an inner call that refused). */
  readonly mentions?: string;
}

/** A value computed from the fixture, for inputs such as "a stale handle". */
export function fromFixture(make: (fx: Fixture) => unknown): { readonly fromFixture: (fx: Fixture) => unknown } {
  return { fromFixture: make };
}

function resolve(fx: Fixture, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'fromFixture' in value) {
    return (value as { fromFixture: (fx: Fixture) => unknown }).fromFixture(fx);
  }
  return value;
}

/** Words for an expectation, for test names. */
export function describeExpect(e: Expect): string {
  if ('usage' in e) return `UtraceUsageError '${e.usage}'`;
  if ('errno' in e) return `returns ${e.errno}`;
  if ('errPtr' in e) return `ERR_PTR(${e.errPtr})`;
  if ('failure' in e) return `the '${e.failure}' check fires`;
  if ('error' in e) return `throws ${e.error}`;
  return `returns ${String(e.returns)}`;
}

function retOf(result: unknown): unknown {
  if (typeof result === 'object' && result !== null && 'ret' in result) return (result as { ret: unknown }).ret;
  return result;
}

/** The words of a function name that its messages must mention (`Kernel.spawn · comm` → `spawn`). */
function nameOf(fn: string): string {
  const base = fn.split(' ')[0]!;
  const last = base.split('.').pop()!;
  return last === 'constructor' ? base.split('.')[0]! : last;
}

/** Checks one call's answer against `expect` (failures are checked on the run's outcome). */
function checkAnswer(row: Row, label: string, expect: Expect, result: unknown, thrown: unknown, threw: boolean): void {
  const where = `${row.fn} with ${label}`;
  if (threw && thrown instanceof TypeError) assert.fail(`${where}: an internal TypeError escaped: ${thrown.message}`);
  if ('usage' in expect) {
    assert.ok(threw, `${where}: expected a UtraceUsageError '${expect.usage}', got a return value ${String(retOf(result))}`);
    assert.ok(thrown instanceof UtraceUsageError, `${where}: expected a UtraceUsageError, got ${String(thrown)}`);
    assert.equal(thrown.rule, expect.usage, `${where}: rule`);
    const name = row.mentions ?? nameOf(row.fn);
    assert.ok(thrown.message.includes(name), `${where}: the message names the function (${name}): ${thrown.message}`);
    assert.ok(thrown.message.length > 30, `${where}: the message says what to do: ${thrown.message}`);
    return;
  }
  if ('failure' in expect) return;
  if ('error' in expect) {
    assert.ok(threw, `${where}: expected a ${expect.error}`);
    assert.equal((thrown as Error).name, expect.error, `${where}: ${String(thrown)}`);
    assert.ok((thrown as Error).message.length > 20);
    return;
  }
  assert.ok(!threw, `${where}: expected ${describeExpect(expect)}, but it threw ${String(thrown)}`);
  if ('errno' in expect) assert.equal(retOf(result), expect.errno, `${where}: errno`);
  else if ('errPtr' in expect) {
    assert.ok(IS_ERR(result), `${where}: expected ERR_PTR(${expect.errPtr})`);
    assert.equal(PTR_ERR(result as never), expect.errPtr, `${where}: errno`);
  } else assert.deepEqual(result, expect.returns, `${where}: result`);
}

/** Makes one test per cell of `rows`. */
export function cells(rows: readonly Row[]): number {
  let count = 0;
  for (const row of rows) {
    for (const [label, value, expect] of row.inputs) {
      count++;
      it(`${row.fn} ← ${label}: ${describeExpect(expect)}${row.where === 'tracer' ? ' (in a tracer thread)' : ''}`, async () => {
        const fx = fixture();
        let result: unknown;
        let thrown: unknown;
        let threw = false;
        const act = async (): Promise<void> => {
          try {
            result = await row.call(fx, resolve(fx, value));
          } catch (e) {
            thrown = e;
            threw = true;
          }
        };
        if (row.where === 'setup') await act();
        if (row.where === 'setup' && 'failure' in expect) {
          // The check fired outside a run: the kernel recorded it, and its run reports it.
          const outcome = await fx.kernel.run(new RoundRobinScheduler(), { maxSteps: 5000 });
          assert.equal(outcome.failure?.check, expect.failure, `${row.fn} with ${label}: ${outcome.failure?.message}`);
          if (threw) assert.ok(!(thrown instanceof TypeError), `an internal TypeError escaped: ${String(thrown)}`);
          await assertFreshKernelWorks();
          return;
        }
        if (row.where === 'setup') checkAnswer(row, label, expect, result, thrown, threw);
        if (row.sameKernel === false) {
          await assertFreshKernelWorks();
          return;
        }
        const { outcome, entries } = await healthyRun(fx, row.where === 'tracer' ? act : undefined);
        if (row.where === 'tracer') checkAnswer(row, label, expect, result, thrown, threw);
        if ('failure' in expect) {
          assert.equal(outcome.failure?.check, expect.failure, `${row.fn} with ${label}: ${outcome.failure?.message}`);
          if (threw) assert.ok(!(thrown instanceof TypeError), `an internal TypeError escaped: ${String(thrown)}`);
          return;
        }
        assert.equal(outcome.status, 'ok', `after ${row.fn} with ${label}, the correct calls still work: ${outcome.failure?.check}: ${outcome.failure?.message}`);
        assert.equal(entries, 2, 'both syscall entries were reported');
      });
    }
  }
  return count;
}

/** A fresh fixture's healthy run works: no global state (a run in progress, an open RCU section) was left behind. */
export async function assertFreshKernelWorks(): Promise<void> {
  const fx = fixture();
  const { outcome, entries } = await healthyRun(fx);
  assert.equal(outcome.status, 'ok', `a fresh kernel still works: ${outcome.failure?.check}: ${outcome.failure?.message}`);
  assert.equal(entries, 2);
}

/** Calls `fn` with arguments the compiler would refuse: the bad-input tests check the runtime. */
export const call = (fn: unknown, ...args: unknown[]): unknown => (fn as (...a: unknown[]) => unknown)(...args);

/** The expectation that a call throws a `UtraceUsageError` for `rule`. */
export const usage = (rule: string): Expect => ({ usage: rule });

/** Values that are not integers, for integer parameters. */
export const NOT_INTEGERS: readonly (readonly [string, unknown])[] = [
  ['null', null],
  ['undefined', undefined],
  ['a string', '5'],
  ['NaN', NaN],
  ['1.5', 1.5],
  ['Infinity', Infinity],
  ['a bigint', 5n],
  ['a symbol', Symbol('five')],
];
