/**
 * Hostile objects in place of every argument of the public calls: a revoked Proxy (every
 * operation on it throws a TypeError), a Proxy whose get trap throws, and an object whose
 * `constructor` getter throws. Each cell must be answered like any other bad argument: a
 * `UtraceUsageError` naming the rule (or the kernel's errno, or a documented harmless answer),
 * never a raw TypeError or the hostile object's own error escaping; and the kernel still works.
 * The table this sweep fills is `HOSTILE_ROWS`, shown in docs/reliability.md.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  alloc_percpu_counters, call_rcu, clone, defineOps, ERR_PTR, exec, exit, find_get_pid, IS_ERR, isPreemption, Kernel, kill,
  module_unload, PTR_ERR, raise, RandomScheduler, rcu_read_section, RoundRobinScheduler, SeededRandom, sys,
  UTRACE_ATTACH_CREATE, utrace_attach_pid, utrace_attach_task, utrace_barrier, utrace_clear_events_sync, utrace_control,
  utrace_detach_sync, utrace_engine_get, utrace_engine_put, UTRACE_EVENT, utrace_finish_examine, utrace_prepare_examine,
  utrace_resume_action, UTRACE_RESUME, utrace_set_events, utrace_set_events_sync, utrace_signal_action, utrace_signal_return,
  utrace_syscall_action, utrace_syscall_return, UtraceUsageError,
} from '../src/index.js';
import {
  attachEach, decodeSchedule, defineScenario, DfsStrategy, encodeSchedule, explore, GuidedScheduler, makeStrategy,
  PctScheduler, renderTimelineSvg, renderTimelineText, ReplayScheduler, runScenario, scenarioExecute, shorten, verdictOf,
} from '../src/explore/index.js';
import { call, fixture, healthyRun, type Fixture } from './support/fuzz/badinput.js';

/** The three hostile values, made afresh for each cell. */
export const HOSTILE: readonly (readonly [string, () => unknown])[] = [
  ['a revoked Proxy', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  }],
  ['a Proxy whose get trap throws', () => new Proxy({}, { get: () => { throw new Error('hostile get trap'); } })],
  ['an object whose constructor getter throws', () => Object.defineProperty({}, 'constructor', { get: () => { throw new Error('hostile constructor getter'); } })],
];

/** One call of the sweep: its name, where it is made, and how the hostile value is passed. */
interface HostileRow {
  readonly fn: string;
  readonly where: 'setup' | 'tracer';
  readonly call: (fx: Fixture, bad: unknown) => unknown;
  /** What a harmless answer is, where the call is documented to take any value (IS_ERR). */
  readonly returns?: unknown;
  /** The call uses the fixture's kernel up (Kernel.run); skip the healthy run on it. */
  readonly usesKernel?: boolean;
  /**
   * The parameter is an object of optional fields (options, ops): an object whose only oddity
   * is a throwing `constructor` getter is a valid, empty one, and may be accepted. `cleanup`
   * undoes what the accepted call made (puts an attached engine).
   */
  readonly plainObjectOk?: boolean;
  readonly cleanup?: (returned: unknown) => void;
  /** The name of the call's own documented error class, accepted besides a UtraceUsageError. */
  readonly error?: string;
}

const ops = (): unknown => defineOps({ report_syscall_entry: () => UTRACE_RESUME });
const scenario = defineScenario({ name: 'hostile', description: 'one task', expect: 'safe', build: (k) => void k.spawn('t', [sys(1)]) });
const leaky = defineScenario({ name: 'leaky', description: 'data never freed', expect: 'unsafe', build: (k) => void k.kmalloc('lost', 0) });
const okOutcome = async (): Promise<unknown> => {
  const k = new Kernel();
  k.spawn('t', [sys(1)]);
  return k.run(new RoundRobinScheduler());
};

/** Every public call that takes an argument, with the hostile value in each object-like position. */
export const HOSTILE_ROWS: readonly HostileRow[] = [
  { fn: 'utrace_attach_task · task', where: 'setup', call: (_fx, b) => call(utrace_attach_task, b, UTRACE_ATTACH_CREATE, ops(), null) },
  { fn: 'utrace_attach_task · flags', where: 'setup', call: (fx, b) => call(utrace_attach_task, fx.task, b, ops(), null) },
  { fn: 'utrace_attach_task · ops', where: 'setup', call: (fx, b) => call(utrace_attach_task, fx.task, UTRACE_ATTACH_CREATE, b, null), plainObjectOk: true, cleanup: (e) => void call(utrace_engine_put, e) },
  { fn: 'utrace_attach_pid · pid', where: 'setup', call: (_fx, b) => call(utrace_attach_pid, b, UTRACE_ATTACH_CREATE, ops(), null) },
  { fn: 'utrace_attach_pid · ops', where: 'setup', call: (fx, b) => call(utrace_attach_pid, find_get_pid(fx.kernel, 1), UTRACE_ATTACH_CREATE, b, null), plainObjectOk: true, cleanup: (e) => void call(utrace_engine_put, e) },
  { fn: 'find_get_pid · kernel', where: 'setup', call: (_fx, b) => call(find_get_pid, b, 1) },
  { fn: 'find_get_pid · nr', where: 'setup', call: (fx, b) => call(find_get_pid, fx.kernel, b) },
  { fn: 'utrace_engine_get · engine', where: 'setup', call: (_fx, b) => call(utrace_engine_get, b) },
  { fn: 'utrace_engine_put · engine', where: 'setup', call: (_fx, b) => call(utrace_engine_put, b) },
  { fn: 'utrace_set_events · task', where: 'setup', call: (fx, b) => call(utrace_set_events, b, fx.engine, 0) },
  { fn: 'utrace_set_events · engine', where: 'setup', call: (fx, b) => call(utrace_set_events, fx.task, b, 0) },
  { fn: 'utrace_set_events · events', where: 'setup', call: (fx, b) => call(utrace_set_events, fx.task, fx.engine, b) },
  { fn: 'utrace_control · task', where: 'setup', call: (fx, b) => call(utrace_control, b, fx.engine, UTRACE_RESUME) },
  { fn: 'utrace_control · engine', where: 'setup', call: (fx, b) => call(utrace_control, fx.task, b, UTRACE_RESUME) },
  { fn: 'utrace_control · action', where: 'setup', call: (fx, b) => call(utrace_control, fx.task, fx.engine, b) },
  { fn: 'utrace_barrier · task', where: 'tracer', call: (fx, b) => call(utrace_barrier, b, fx.engine) },
  { fn: 'utrace_barrier · engine', where: 'tracer', call: (fx, b) => call(utrace_barrier, fx.task, b) },
  { fn: 'utrace_prepare_examine · examiner', where: 'tracer', call: (fx, b) => call(utrace_prepare_examine, fx.task, fx.engine, b) },
  { fn: 'utrace_finish_examine · examiner', where: 'setup', call: (fx, b) => call(utrace_finish_examine, fx.task, fx.engine, b) },
  { fn: 'utrace_set_events_sync · engine', where: 'tracer', call: (fx, b) => call(utrace_set_events_sync, fx.task, b, 0) },
  { fn: 'utrace_set_events_sync · events', where: 'tracer', call: (fx, b) => call(utrace_set_events_sync, fx.task, fx.engine, b) },
  { fn: 'utrace_clear_events_sync · engine', where: 'tracer', call: (fx, b) => call(utrace_clear_events_sync, fx.task, b) },
  { fn: 'utrace_detach_sync · task', where: 'tracer', call: (fx, b) => call(utrace_detach_sync, b, fx.engine) },
  { fn: 'rcu_read_section · body', where: 'setup', call: (_fx, b) => call(rcu_read_section, b) },
  { fn: 'call_rcu · fn', where: 'setup', call: (_fx, b) => call(call_rcu, b) },
  { fn: 'module_unload · module', where: 'tracer', call: (_fx, b) => call(module_unload, b) },
  { fn: 'alloc_percpu_counters · kernel', where: 'setup', call: (_fx, b) => call(alloc_percpu_counters, b) },
  { fn: 'kill · task', where: 'setup', call: (_fx, b) => call(kill, b, 9) },
  { fn: 'kill · signal', where: 'setup', call: (fx, b) => call(kill, fx.task2, b) },
  { fn: 'defineOps · ops', where: 'setup', call: (_fx, b) => call(defineOps, b), plainObjectOk: true },
  { fn: 'utrace_syscall_return · action', where: 'setup', call: (_fx, b) => call(utrace_syscall_return, b) },
  { fn: 'utrace_signal_return · action', where: 'setup', call: (_fx, b) => call(utrace_signal_return, b) },
  { fn: 'utrace_resume_action · action', where: 'setup', call: (_fx, b) => call(utrace_resume_action, b) },
  { fn: 'utrace_signal_action · action', where: 'setup', call: (_fx, b) => call(utrace_signal_action, b) },
  { fn: 'utrace_syscall_action · action', where: 'setup', call: (_fx, b) => call(utrace_syscall_action, b) },
  { fn: 'UTRACE_EVENT · name', where: 'setup', call: (_fx, b) => call(UTRACE_EVENT, b) },
  { fn: 'ERR_PTR · error', where: 'setup', call: (_fx, b) => call(ERR_PTR, b) },
  { fn: 'PTR_ERR · ptr', where: 'setup', call: (_fx, b) => call(PTR_ERR, b) },
  { fn: 'IS_ERR · ptr', where: 'setup', call: (_fx, b) => call(IS_ERR, b), returns: false },
  { fn: 'Kernel.constructor · options', where: 'setup', call: (_fx, b) => new Kernel(b as never), plainObjectOk: true },
  { fn: 'Kernel.spawn · comm', where: 'setup', call: (fx, b) => fx.kernel.spawn(b as never, [sys(1)]) },
  { fn: 'Kernel.spawn · program', where: 'setup', call: (fx, b) => fx.kernel.spawn('x', b as never) },
  { fn: 'Kernel.spawn · program event', where: 'setup', call: (fx, b) => fx.kernel.spawn('x', [b as never]) },
  { fn: 'Kernel.spawn · options', where: 'setup', call: (fx, b) => fx.kernel.spawn('x', [sys(1)], b as never), plainObjectOk: true },
  { fn: 'Kernel.tracer · name', where: 'setup', call: (fx, b) => fx.kernel.tracer(b as never, async () => {}) },
  { fn: 'Kernel.tracer · fn', where: 'setup', call: (fx, b) => fx.kernel.tracer('x', b as never) },
  { fn: 'Kernel.kmalloc · label', where: 'setup', call: (fx, b) => fx.kernel.kmalloc(b as never, 1) },
  { fn: 'Kernel.kfree · box', where: 'setup', call: (fx, b) => fx.kernel.kfree(b as never) },
  { fn: 'Kernel.load_module · name', where: 'setup', call: (fx, b) => fx.kernel.load_module(b as never) },
  { fn: 'Kernel.fail_next_allocations · n', where: 'setup', call: (fx, b) => fx.kernel.fail_next_allocations(b as never) },
  { fn: 'Kernel.find_task_by_pid · pid', where: 'setup', call: (fx, b) => fx.kernel.find_task_by_pid(b as never), returns: undefined },
  { fn: 'Kernel.run · scheduler', where: 'setup', call: (fx, b) => fx.kernel.run(b as never), usesKernel: true },
  { fn: 'Kernel.run · options', where: 'setup', call: (fx, b) => fx.kernel.run(new RoundRobinScheduler(), b as never), usesKernel: true, plainObjectOk: true },
  { fn: 'sys · nr', where: 'setup', call: (_fx, b) => call(sys, b) },
  { fn: 'exec · filename', where: 'setup', call: (_fx, b) => call(exec, b) },
  { fn: 'clone · program', where: 'setup', call: (_fx, b) => call(clone, b) },
  { fn: 'clone · options', where: 'setup', call: (_fx, b) => call(clone, [sys(1)], b), plainObjectOk: true },
  { fn: 'raise · signo', where: 'setup', call: (_fx, b) => call(raise, b) },
  { fn: 'exit · code', where: 'setup', call: (_fx, b) => call(exit, b) },
  { fn: 'RandomScheduler · seed', where: 'setup', call: (_fx, b) => new RandomScheduler(b as never) },
  { fn: 'SeededRandom · seed', where: 'setup', call: (_fx, b) => new SeededRandom(b as never) },
  { fn: 'isPreemption · point', where: 'setup', call: (_fx, b) => isPreemption(b as never, 0) },
  { fn: 'makeStrategy · options', where: 'setup', call: (_fx, b) => makeStrategy(b as never) },
  { fn: 'DfsStrategy · bound', where: 'setup', call: (_fx, b) => new DfsStrategy(b as never) },
  { fn: 'PctScheduler · seed', where: 'setup', call: (_fx, b) => new PctScheduler(b as never, 3, 10) },
  { fn: 'ReplayScheduler · schedule', where: 'setup', call: (_fx, b) => new ReplayScheduler(b as never) },
  { fn: 'GuidedScheduler · candidate', where: 'setup', call: (_fx, b) => new GuidedScheduler(b as never) },
  { fn: 'encodeSchedule · schedule', where: 'setup', call: (_fx, b) => encodeSchedule(b as never) },
  { fn: 'decodeSchedule · text', where: 'setup', call: (_fx, b) => decodeSchedule(b as never), error: 'ScheduleFormatError' },
  { fn: 'explore · execute', where: 'setup', call: (_fx, b) => explore(b as never, { strategy: { kind: 'dfs' } }) },
  { fn: 'explore · options', where: 'setup', call: (_fx, b) => explore(scenarioExecute(scenario), b as never) },
  { fn: 'explore · strategy', where: 'setup', call: (_fx, b) => explore(scenarioExecute(scenario), { strategy: b as never }) },
  { fn: 'shorten · schedule', where: 'setup', call: (_fx, b) => shorten(scenarioExecute(scenario), b as never, 'leak') },
  { fn: 'shorten · options', where: 'setup', call: (_fx, b) => shorten(scenarioExecute(leaky), [], 'leak', b as never), plainObjectOk: true },
  { fn: 'defineScenario · spec', where: 'setup', call: (_fx, b) => defineScenario(b as never) },
  { fn: 'scenarioExecute · scenario', where: 'setup', call: (_fx, b) => scenarioExecute(b as never) },
  { fn: 'scenarioExecute · options', where: 'setup', call: (_fx, b) => scenarioExecute(scenario, b as never), plainObjectOk: true },
  { fn: 'runScenario · scenario', where: 'setup', call: (_fx, b) => runScenario(b as never, { strategy: { kind: 'dfs' } }) },
  { fn: 'runScenario · options', where: 'setup', call: (_fx, b) => runScenario(scenario, b as never) },
  { fn: 'verdictOf · expect', where: 'setup', call: (_fx, b) => verdictOf(b as never, 'failed') },
  { fn: 'attachEach · tasks', where: 'setup', call: (_fx, b) => attachEach(b as never, ops() as never, null as never, 0) },
  { fn: 'attachEach · ops', where: 'setup', call: (fx, b) => attachEach([fx.task2], b as never, null as never, 0), plainObjectOk: true, cleanup: (es) => { for (const e of es as unknown[]) call(utrace_engine_put, e); } },
  { fn: 'renderTimelineText · outcome', where: 'setup', call: (_fx, b) => renderTimelineText(b as never) },
  { fn: 'renderTimelineText · options', where: 'setup', call: async (_fx, b) => renderTimelineText((await okOutcome()) as never, b as never), plainObjectOk: true },
  { fn: 'renderTimelineSvg · outcome', where: 'setup', call: (_fx, b) => renderTimelineSvg(b as never) },
  { fn: 'renderTimelineSvg · options', where: 'setup', call: async (_fx, b) => renderTimelineSvg((await okOutcome()) as never, b as never), plainObjectOk: true },
];

/** What one cell got: a usage error's rule, a documented error, or a value. */
export type HostileAnswer = { readonly usage: string } | { readonly error: string } | { readonly returned: unknown };

/** Runs one cell and returns its answer; fails the test on any other error. */
async function answer(row: HostileRow, label: string, fx: Fixture, bad: unknown): Promise<HostileAnswer> {
  try {
    const result = row.call(fx, bad);
    let isPromise = false;
    try {
      isPromise = result instanceof Promise;
    } catch {
      // a revoked Proxy handed back as is: not a promise
    }
    return { returned: isPromise ? await result : result };
  } catch (e) {
    if (row.error !== undefined && e instanceof Error && e.name === row.error) return { error: e.name };
    assert.ok(
      e instanceof UtraceUsageError,
      `${row.fn} with ${label}: expected a UtraceUsageError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
    );
    assert.ok(e.message.length > 30, `${row.fn} with ${label}: the message says what to do: ${e.message}`);
    return { usage: e.rule };
  }
}

/** Whether the answer is right for the row and the hostile value. */
function checkAnswer(row: HostileRow, label: string, got: HostileAnswer): void {
  if (!('returned' in got)) return;
  if ('returns' in row) {
    assert.deepEqual(got.returned, row.returns, `${row.fn} with ${label}`);
    return;
  }
  assert.ok(row.plainObjectOk === true && label === HOSTILE[2]![0], `${row.fn} with ${label}: expected a UtraceUsageError, got a return value`);
  row.cleanup?.(got.returned);
}

/** What each cell got, by call and hostile value, for the table in docs/reliability.md. */
const answers = new Map<string, string>();

/** Words for an answer in the docs table. */
function words(row: HostileRow, got: HostileAnswer): string {
  if ('usage' in got) return `\`${got.usage}\``;
  if ('error' in got) return got.error;
  return 'returns' in row ? `\`${String(row.returns)}\`` : 'accepted';
}

/** The table the sweep fills, as it appears in docs/reliability.md. */
function hostileTable(): string {
  const lines = [
    `| call · parameter | ${HOSTILE.map(([label]) => label).join(' | ')} |`,
    `| --- | ${HOSTILE.map(() => '---').join(' | ')} |`,
  ];
  for (const row of HOSTILE_ROWS) {
    lines.push(`| \`${row.fn}\` | ${HOSTILE.map(([label]) => answers.get(`${row.fn}\u0000${label}`) ?? '?').join(' | ')} |`);
  }
  return lines.join('\n');
}

/** docs/reliability.md of the repository above this file (the build, or a copy of it inside build/). */
const DOC = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'docs/reliability.md'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('docs/reliability.md not found above the test');
    dir = up;
  }
  return join(dir, 'docs/reliability.md');
})();
const START = '<!-- hostile-table:start -->';
const END = '<!-- hostile-table:end -->';

describe('hostile objects in every argument', () => {
  for (const row of HOSTILE_ROWS) {
    for (const [label, make] of HOSTILE) {
      it(`${row.fn} ← ${label}`, async () => {
        const fx = fixture();
        let got: HostileAnswer | undefined;
        const act = async (): Promise<void> => {
          got = await answer(row, label, fx, make());
        };
        const record = (): void => void answers.set(`${row.fn}\u0000${label}`, words(row, got!));
        if (row.where === 'setup') {
          await act();
          checkAnswer(row, label, got!);
          record();
        }
        if (row.usesKernel === true) return;
        const { outcome, entries } = await healthyRun(fx, row.where === 'tracer' ? act : undefined);
        assert.ok(got !== undefined);
        if (row.where === 'tracer') {
          checkAnswer(row, label, got);
          record();
        }
        assert.equal(outcome.status, 'ok', `after ${row.fn} with ${label}, the correct calls still work: ${outcome.failure?.message}`);
        assert.equal(entries, 2);
      });
    }
  }

  it('sweeps at least 48 calls with 3 hostile values each', () => {
    assert.ok(HOSTILE_ROWS.length >= 48, `${HOSTILE_ROWS.length} calls`);
    assert.equal(HOSTILE.length, 3);
  });

  it('docs/reliability.md shows what every cell got (UTRACE_WRITE_DOCS=1 rewrites it)', () => {
    assert.equal(answers.size, HOSTILE_ROWS.length * HOSTILE.length, 'every cell answered');
    const table = hostileTable();
    const doc = readFileSync(DOC, 'utf8');
    const a = doc.indexOf(START);
    const b = doc.indexOf(END);
    assert.ok(a >= 0 && b > a, `docs/reliability.md lacks the ${START} ... ${END} markers`);
    const shown = doc.slice(a + START.length, b).trim();
    if (process.env['UTRACE_WRITE_DOCS'] === '1' && shown !== table) {
      writeFileSync(DOC, `${doc.slice(0, a + START.length)}\n${table}\n${doc.slice(b)}`);
      return;
    }
    assert.equal(shown, table, 'the table in docs/reliability.md and the sweep disagree: run UTRACE_WRITE_DOCS=1 node --test build/test/badinput-hostile.test.js');
  });
});

describe('hostile programs and ops', () => {
  const usageOf = (run: () => unknown, rule: string, re: RegExp): void => {
    assert.throws(run, (e: unknown) => e instanceof UtraceUsageError && e.rule === rule && re.test(e.message));
  };

  it('a sparse program is refused at spawn, naming the hole', () => {
    // eslint-disable-next-line no-sparse-arrays
    usageOf(() => new Kernel().spawn('t', [, sys(1)] as never), 'program-event', /event 0: the program has a hole here/);
  });

  it('a program changed after spawn, or an event whose kind getter changes, runs as it was checked', async () => {
    const kernel = new Kernel();
    const program: unknown[] = [sys(1), sys(2)];
    let reads = 0;
    const shifty = { get kind() { return reads++ === 0 ? 'wait' : 'bogus'; } };
    kernel.spawn('t', program as never);
    kernel.spawn('u', [shifty] as never);
    program.push(42);
    program[0] = null;
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.status, 'ok');
    assert.equal(reads, 1);
  });

  it('5,000 nested clones built with clone() run; 5,000 nested by hand are refused as too deep', async () => {
    let nested: unknown[] = [sys(1)];
    for (let i = 0; i < 5000; i++) nested = [clone(nested as never)];
    const kernel = new Kernel({ trace: false });
    kernel.spawn('t', nested as never);
    const outcome = await kernel.run(new RoundRobinScheduler(), { maxSteps: 1_000_000 });
    assert.equal(outcome.status, 'ok');
    let hand: unknown[] = [{ kind: 'syscall', nr: 1, args: [] }];
    for (let i = 0; i < 5000; i++) hand = [{ kind: 'clone', flags: 0, comm: 'c', program: hand }];
    usageOf(() => new Kernel().spawn('t', hand as never), 'program-event', /clones nest more than 1000 deep/);
  });

  it('builders return frozen events', () => {
    assert.ok(Object.isFrozen(sys(1, 2)) && Object.isFrozen(sys(1, 2).args));
    assert.ok(Object.isFrozen(clone([sys(1)])) && Object.isFrozen(clone([sys(1)]).program));
  });

  it('ops.owner and ops.percpu_counters are checked at attach: a string, {} or another kernel\'s are refused', () => {
    const kernel = new Kernel();
    const other = new Kernel();
    const task = kernel.spawn('t', [sys(1)]);
    const bad: readonly (readonly [string, Record<string, unknown>, RegExp])[] = [
      ['owner a string', { owner: 'mod' }, /owner must be a module made by Kernel.load_module/],
      ['owner {}', { owner: {} }, /owner must be a module/],
      ["owner another kernel's module", { owner: other.load_module('m') }, /belong to another kernel/],
      ['percpu_counters {}', { percpu_counters: {} }, /percpu_counters must come from alloc_percpu_counters/],
      ["percpu_counters of another kernel", { percpu_counters: alloc_percpu_counters(other) }, /belong to another kernel/],
      ['owner a string with percpu_counters', { owner: 'mod', percpu_counters: alloc_percpu_counters(kernel) }, /owner must be a module/],
      ['release a number', { release: 1 }, /release must be a function/],
    ];
    for (const [what, ops, re] of bad) {
      usageOf(() => call(utrace_attach_task, task, UTRACE_ATTACH_CREATE, ops, null), what.includes('another kernel') ? 'foreign-ops' : 'bad-ops', re);
    }
    const fine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, { owner: kernel.load_module('m'), percpu_counters: alloc_percpu_counters(kernel) } as never, null as never);
    assert.ok(!IS_ERR(fine));
  });
});
