/**
 * Bad input to every utrace call and helper of the public API: each gets the kernel's errno
 * where the kernel returns one, or a UtraceUsageError naming the rule and the fix; never an
 * internal TypeError; and after the bad call a correct use of the same kernel still works.
 * One test per cell of the table below (function · parameter × bad input → expected).
 */
import { describe } from 'node:test';
import {
  call_rcu,
  defineOps,
  EINVAL,
  EPERM,
  ERR_PTR,
  ESRCH,
  find_get_pid,
  IS_ERR,
  kill,
  module_unload,
  PTR_ERR,
  alloc_percpu_counters,
  rcu_read_section,
  schedule,
  SIGCONT,
  SIGKILL,
  synchronize_rcu,
  UTRACE_ATTACH_CREATE,
  utrace_attach_pid,
  utrace_attach_task,
  utrace_barrier,
  utrace_clear_events_sync,
  utrace_control,
  utrace_detach_sync,
  utrace_engine_get,
  utrace_engine_put,
  UTRACE_EVENT,
  utrace_examiner_init,
  utrace_finish_examine,
  utrace_prepare_examine,
  utrace_resume_action,
  UTRACE_RESUME,
  utrace_set_events,
  utrace_set_events_sync,
  utrace_signal_action,
  utrace_signal_return,
  utrace_syscall_action,
  utrace_syscall_return,
} from '../src/index.js';
import { call, cells, type Expect, type Fixture, fromFixture, type Row, NOT_INTEGERS, usage } from './support/fuzz/badinput.js';


const ENTRY = UTRACE_EVENT('SYSCALL_ENTRY');


/** Values that are not a task_struct. */
const NOT_TASKS: readonly (readonly [string, unknown])[] = [
  ['null', null],
  ['undefined', undefined],
  ['a string', 'traced'],
  ['a number', 1],
  ['a plain object', { pid: 1, comm: 'traced', exit_state: 0 }],
  ['an engine', fromFixture((fx) => fx.engine)],
];

/** Values that are not an engine handle. */
const NOT_ENGINES: readonly (readonly [string, unknown])[] = [
  ['null', null],
  ['undefined', undefined],
  ['a string', 'engine'],
  ['a number', 1],
  ['a plain object', { flags: 0, data: null }],
  ['a task', fromFixture((fx) => fx.task)],
];

const with_ = (list: readonly (readonly [string, unknown])[], expect: Expect): (readonly [string, unknown, Expect])[] =>
  list.map(([label, value]) => [label, value, expect] as const);

const foreignTask: readonly [string, unknown, Expect] = ['a task of another kernel', fromFixture((fx) => fx.other.task), usage('foreign-engine')];
const otherTask: readonly [string, unknown, Expect] = ['another task of the same kernel', fromFixture((fx) => fx.task2), usage('engine-task-mismatch')];
const foreignEngine: readonly [string, unknown, Expect] = ['an engine of another kernel', fromFixture((fx) => fx.other.engine), usage('foreign-engine')];
const otherEngine: readonly [string, unknown, Expect] = ['an engine of another task', fromFixture((fx) => fx.engine2), usage('engine-task-mismatch')];
const staleEngine: readonly [string, unknown, Expect] = ['a stale handle (revoked by UTRACE_DETACH)', fromFixture((fx) => fx.stale()), usage('stale-handle')];
const detachedEngine: readonly [string, unknown, Expect] = ['a detached engine', fromFixture((fx) => fx.detached()), { errno: -ESRCH }];

/** The task/engine rows shared by every call taking `(task, engine, ...)`. */
function taskEngineRows(name: string, where: Row['where'], invoke: (fx: Fixture, task: unknown, engine: unknown) => unknown): Row[] {
  return [
    {
      fn: `${name} · target`,
      where,
      call: (fx, bad) => invoke(fx, bad, fx.engine),
      inputs: [...with_(NOT_TASKS, usage('bad-task')), foreignTask, otherTask],
    },
    {
      fn: `${name} · engine`,
      where,
      call: (fx, bad) => invoke(fx, fx.task, bad),
      inputs: [...with_(NOT_ENGINES, usage('bad-engine')), foreignEngine, otherEngine, staleEngine, detachedEngine],
    },
  ];
}

/** A module already unloaded once. */
async function unloadTwice(fx: Fixture): Promise<unknown> {
  const mod = fx.kernel.load_module('once');
  await module_unload(mod);
  return module_unload(mod);
}

/** Waits (in a tracer thread) until `task2` has exited, then sends it a signal. */
async function killExited(fx: Fixture): Promise<unknown> {
  while (kill(fx.task2, SIGCONT) === 0) await schedule();
  return kill(fx.task2, SIGKILL);
}

const rows: Row[] = [
  // ---- attach ------------------------------------------------------------------------------
  {
    fn: 'utrace_attach_task · target',
    where: 'setup',
    call: (_fx, bad) => call(utrace_attach_task, bad, UTRACE_ATTACH_CREATE, defineOps({}), null),
    inputs: [
      ...with_(NOT_TASKS, usage('bad-task')),
      ['a kernel thread', fromFixture((fx) => fx.kernel.spawn('kworker', [], { kthread: true })), { errPtr: -EPERM }],
    ],
  },
  {
    fn: 'utrace_attach_task · flags',
    where: 'setup',
    call: (fx, bad) => call(utrace_attach_task, fx.task, bad, defineOps({}), null),
    inputs: [
      ...with_(NOT_INTEGERS, usage('not-an-integer')),
      ['-1', -1, usage('attach-flags')],
      ['0x40 (no such flag)', 0x40, usage('attach-flags')],
      ['2 ** 40', 2 ** 40, usage('attach-flags')],
    ],
  },
  {
    fn: 'utrace_attach_task · ops',
    where: 'setup',
    call: (fx, bad) => call(utrace_attach_task, fx.task, UTRACE_ATTACH_CREATE, bad, null),
    inputs: [
      ['null', null, { errPtr: -EINVAL }],
      ['undefined', undefined, { errPtr: -EINVAL }],
      ['a string', 'ops', usage('bad-ops')],
      ['a number', 1, usage('bad-ops')],
      ['a symbol', Symbol('ops'), usage('bad-ops')],
      ['a function', () => UTRACE_RESUME, usage('bad-ops')],
    ],
  },
  {
    fn: 'utrace_attach_pid · pid',
    where: 'setup',
    call: (_fx, bad) => call(utrace_attach_pid, bad, UTRACE_ATTACH_CREATE, defineOps({}), null),
    inputs: [
      ['null', null, usage('bad-pid')],
      ['undefined', undefined, usage('bad-pid')],
      ['a pid number', 1, usage('bad-pid')],
      ['a plain object', { nr: 1 }, usage('bad-pid')],
      ['a task', fromFixture((fx) => fx.task), usage('bad-pid')],
      ['the pid of no task', fromFixture((fx) => find_get_pid(fx.kernel, 999)), { errPtr: -ESRCH }],
    ],
  },
  {
    fn: 'find_get_pid · kernel',
    where: 'setup',
    call: (_fx, bad) => call(find_get_pid, bad, 1),
    inputs: [
      ['null', null, usage('bad-pid')],
      ['undefined', undefined, usage('bad-pid')],
      ['a plain object', {}, usage('bad-pid')],
      ['a task', fromFixture((fx) => fx.task), usage('bad-pid')],
    ],
  },
  {
    fn: 'find_get_pid · nr',
    where: 'setup',
    call: (fx, bad) => call(find_get_pid, fx.kernel, bad),
    inputs: with_(NOT_INTEGERS, usage('bad-pid')),
  },
  // ---- references --------------------------------------------------------------------------
  {
    fn: 'utrace_engine_get · engine',
    where: 'setup',
    call: (_fx, bad) => call(utrace_engine_get, bad),
    inputs: [...with_(NOT_ENGINES, usage('bad-engine')), staleEngine, detachedEngine],
  },
  {
    fn: 'utrace_engine_put · engine',
    where: 'setup',
    call: (_fx, bad) => call(utrace_engine_put, bad),
    inputs: [
      ...with_(NOT_ENGINES, usage('bad-engine')),
      staleEngine,
      [
        'a handle already put (a second put of one counted reference)',
        fromFixture((fx) => {
          const e = utrace_attach_task(fx.task, UTRACE_ATTACH_CREATE, defineOps({}), null);
          utrace_engine_put(e as never);
          return e;
        }),
        { failure: 'refcount-underflow' },
      ],
    ],
  },
  // ---- utrace_set_events -----------------------------------------------------------------------
  ...taskEngineRows('utrace_set_events', 'setup', (_fx, t, e) => call(utrace_set_events, t, e, ENTRY)),
  {
    fn: 'utrace_set_events · events',
    where: 'setup',
    call: (fx, bad) => call(utrace_set_events, fx.task, fx.engine, bad),
    inputs: [
      ...with_(NOT_INTEGERS, usage('event-bits')),
      ['-1', -1, usage('event-bits')],
      ['1 << 15 (no such event)', 1 << 15, usage('event-bits')],
      ['2 ** 40', 2 ** 40, usage('event-bits')],
    ],
  },
  // ---- utrace_control ------------------------------------------------------------------------
  ...taskEngineRows('utrace_control', 'setup', (_fx, t, e) => call(utrace_control, t, e, UTRACE_RESUME)),
  {
    fn: 'utrace_control · action',
    where: 'setup',
    call: (fx, bad) => call(utrace_control, fx.task, fx.engine, bad),
    inputs: [
      ...with_(NOT_INTEGERS, usage('not-an-integer')),
      ['UTRACE_RESUME_MAX (7)', 7, { errno: -EINVAL }],
      ['8', 8, { errno: -EINVAL }],
      ['-1', -1, { errno: -EINVAL }],
      ['2 ** 40', 2 ** 40, { errno: -EINVAL }],
    ],
  },
  // ---- blocking calls ------------------------------------------------------------------------
  ...taskEngineRows('utrace_barrier', 'tracer', (_fx, t, e) => call(utrace_barrier, t, e)),
  {
    fn: 'utrace_barrier · call site',
    where: 'setup',
    call: (fx) => utrace_barrier(fx.task, fx.engine),
    inputs: [['outside a tracer thread (set-up code)', null, usage('blocking-outside-tracer')]],
  },
  {
    fn: 'utrace_barrier · call site',
    where: 'tracer',
    call: (fx) =>
      rcu_read_section(() => {
        utrace_barrier(fx.task, fx.engine).catch(() => undefined);
        return 0;
      }),
    inputs: [['inside an RCU read-side section', null, { failure: 'might_sleep' }]],
  },
  ...taskEngineRows('utrace_prepare_examine', 'tracer', (_fx, t, e) => call(utrace_prepare_examine, t, e, utrace_examiner_init())),
  {
    fn: 'utrace_prepare_examine · exam',
    where: 'tracer',
    call: (fx, bad) => call(utrace_prepare_examine, fx.task, fx.engine, bad),
    inputs: [
      ['null', null, usage('bad-examiner')],
      ['a string', 'exam', usage('bad-examiner')],
      ['a plain object', {}, usage('bad-examiner')],
      ['a good examiner, but the engine is not keeping the task stopped', fromFixture(() => utrace_examiner_init()), { errno: -EINVAL }],
    ],
  },
  {
    fn: 'utrace_prepare_examine · call site',
    where: 'setup',
    call: (fx) => utrace_prepare_examine(fx.task, fx.engine, utrace_examiner_init()),
    inputs: [['outside a tracer thread (set-up code)', null, usage('blocking-outside-tracer')]],
  },
  ...taskEngineRows('utrace_finish_examine', 'setup', (_fx, t, e) => call(utrace_finish_examine, t, e, utrace_examiner_init())),
  {
    fn: 'utrace_finish_examine · exam',
    where: 'setup',
    call: (fx, bad) => call(utrace_finish_examine, fx.task, fx.engine, bad),
    inputs: [
      ['null', null, usage('bad-examiner')],
      ['a number', 1, usage('bad-examiner')],
      ['a plain object', {}, usage('bad-examiner')],
      ['a good examiner, but the engine is not keeping the task stopped', fromFixture(() => utrace_examiner_init()), { errno: -EINVAL }],
    ],
  },
  ...taskEngineRows('utrace_set_events_sync', 'tracer', (_fx, t, e) => call(utrace_set_events_sync, t, e, ENTRY)),
  {
    fn: 'utrace_set_events_sync · events',
    where: 'tracer',
    call: (fx, bad) => call(utrace_set_events_sync, fx.task, fx.engine, bad),
    inputs: [...with_(NOT_INTEGERS, usage('event-bits')), ['-1', -1, usage('event-bits')], ['1 << 15', 1 << 15, usage('event-bits')]],
  },
  {
    fn: 'utrace_set_events_sync · call site',
    where: 'setup',
    call: (fx) => utrace_set_events_sync(fx.task, fx.engine, ENTRY),
    inputs: [['outside a tracer thread (set-up code)', null, usage('blocking-outside-tracer')]],
  },
  ...taskEngineRows('utrace_clear_events_sync', 'tracer', (fx, t, e) => (e === fx.engine ? call(utrace_clear_events_sync, t, fx.spare()) : call(utrace_clear_events_sync, t, e))),
  {
    fn: 'utrace_clear_events_sync · call site',
    where: 'setup',
    call: (fx) => utrace_clear_events_sync(fx.task, fx.spare()),
    inputs: [['outside a tracer thread (set-up code)', null, usage('blocking-outside-tracer')]],
  },
  ...taskEngineRows('utrace_detach_sync', 'tracer', (fx, t, e) => (e === fx.engine ? call(utrace_detach_sync, t, fx.spare()) : call(utrace_detach_sync, t, e))),
  {
    fn: 'utrace_detach_sync · call site',
    where: 'setup',
    call: (fx) => utrace_detach_sync(fx.task, fx.spare()),
    inputs: [['outside a tracer thread (set-up code)', null, usage('blocking-outside-tracer')]],
  },
  // ---- RCU, modules, scheduling --------------------------------------------------------------
  {
    fn: 'rcu_read_section · body',
    where: 'setup',
    call: (_fx, bad) => call(rcu_read_section, bad),
    inputs: [
      ['null', null, usage('rcu-section-body')],
      ['undefined', undefined, usage('rcu-section-body')],
      ['a string', 'body', usage('rcu-section-body')],
      ['a plain object', {}, usage('rcu-section-body')],
      ['an async function', async () => 1, usage('rcu-section-body')],
    ],
  },
  {
    fn: 'synchronize_rcu · call site',
    where: 'setup',
    call: () => synchronize_rcu(),
    inputs: [['outside a tracer thread (set-up code)', null, usage('blocking-outside-tracer')]],
  },
  {
    fn: 'synchronize_rcu · call site',
    where: 'tracer',
    call: () =>
      rcu_read_section(() => {
        synchronize_rcu().catch(() => undefined);
        return 0;
      }),
    inputs: [['inside an RCU read-side section', null, { failure: 'might_sleep' }]],
  },
  {
    fn: 'call_rcu · fn',
    where: 'tracer',
    call: (_fx, bad) => call(call_rcu, bad),
    inputs: [
      ['null', null, usage('call-rcu')],
      ['undefined', undefined, usage('call-rcu')],
      ['a string', 'free', usage('call-rcu')],
      ['a plain object', {}, usage('call-rcu')],
    ],
  },
  {
    fn: 'call_rcu · call site',
    where: 'setup',
    call: () => call_rcu(() => undefined),
    inputs: [['outside a run (set-up code)', null, usage('call-rcu')]],
  },
  {
    fn: 'module_unload · mod',
    where: 'tracer',
    call: (_fx, bad) => call(module_unload, bad),
    inputs: [
      ['null', null, usage('bad-module')],
      ['undefined', undefined, usage('bad-module')],
      ['a string', 'mod', usage('bad-module')],
      ['a plain object', { name: 'mod' }, usage('bad-module')],
      ['a module of another kernel', fromFixture((fx) => fx.other.kernel.load_module('elsewhere')), usage('blocking-outside-tracer')],
    ],
  },
  {
    fn: 'module_unload · call site',
    where: 'setup',
    call: (fx) => module_unload(fx.kernel.load_module('m')),
    inputs: [['outside a tracer thread (set-up code)', null, usage('blocking-outside-tracer')]],
  },
  {
    fn: 'module_unload · mod',
    where: 'tracer',
    call: (fx) => unloadTwice(fx),
    inputs: [['a module already unloaded', null, usage('module-state')]],
  },
  {
    fn: 'alloc_percpu_counters · kernel',
    where: 'setup',
    call: (_fx, bad) => call(alloc_percpu_counters, bad),
    inputs: [
      ['null', null, usage('bad-kernel')],
      ['undefined', undefined, usage('bad-kernel')],
      ['a plain object', {}, usage('bad-kernel')],
      ['a task', fromFixture((fx) => fx.task), usage('bad-kernel')],
    ],
  },
  {
    fn: 'schedule · call site',
    where: 'setup',
    call: () => schedule(),
    inputs: [['outside a tracer thread (set-up code)', null, usage('blocking-outside-tracer')]],
  },
  {
    fn: 'kill · task',
    where: 'setup',
    call: (_fx, bad) => call(kill, bad, SIGCONT),
    inputs: with_(NOT_TASKS, usage('bad-task')),
  },
  {
    fn: 'kill · sig',
    where: 'setup',
    call: (fx, bad) => call(kill, fx.task2, bad),
    inputs: [
      ...with_(NOT_INTEGERS, usage('not-an-integer')),
      ['0', 0, { errno: -EINVAL }],
      ['-1', -1, { errno: -EINVAL }],
      ['65', 65, { errno: -EINVAL }],
      ['2 ** 40', 2 ** 40, { errno: -EINVAL }],
    ],
  },
  {
    fn: 'kill · task',
    where: 'tracer',
    call: (fx) => killExited(fx),
    inputs: [['a task that has exited', null, { errno: -ESRCH }]],
  },
  // ---- ops and return-value helpers ------------------------------------------------------------
  {
    fn: 'defineOps · ops',
    where: 'setup',
    call: (_fx, bad) => call(defineOps, bad),
    inputs: [
      ['null', null, usage('bad-ops')],
      ['undefined', undefined, usage('bad-ops')],
      ['a string', 'ops', usage('bad-ops')],
      ['a number', 1, usage('bad-ops')],
      ['a symbol', Symbol('ops'), usage('bad-ops')],
      ['a function', () => UTRACE_RESUME, usage('bad-ops')],
    ],
  },
  {
    fn: 'utrace_syscall_return · syscall_action',
    where: 'setup',
    call: (_fx, bad) => call(utrace_syscall_return, bad, UTRACE_RESUME),
    inputs: with_(NOT_INTEGERS, usage('not-an-integer')),
  },
  {
    fn: 'utrace_syscall_return · action',
    where: 'setup',
    call: (_fx, bad) => call(utrace_syscall_return, 0, bad),
    inputs: with_(NOT_INTEGERS, usage('not-an-integer')),
  },
  {
    fn: 'utrace_signal_return · signal_action',
    where: 'setup',
    call: (_fx, bad) => call(utrace_signal_return, bad, UTRACE_RESUME),
    inputs: with_(NOT_INTEGERS, usage('not-an-integer')),
  },
  {
    fn: 'utrace_signal_return · action',
    where: 'setup',
    call: (_fx, bad) => call(utrace_signal_return, 0, bad),
    inputs: with_(NOT_INTEGERS, usage('not-an-integer')),
  },
  {
    fn: 'utrace_resume_action · action',
    where: 'setup',
    call: (_fx, bad) => call(utrace_resume_action, bad),
    inputs: with_(NOT_INTEGERS, usage('not-an-integer')),
  },
  {
    fn: 'utrace_signal_action · action',
    where: 'setup',
    call: (_fx, bad) => call(utrace_signal_action, bad),
    inputs: with_(NOT_INTEGERS, usage('not-an-integer')),
  },
  {
    fn: 'utrace_syscall_action · action',
    where: 'setup',
    call: (_fx, bad) => call(utrace_syscall_action, bad),
    inputs: with_(NOT_INTEGERS, usage('not-an-integer')),
  },
  {
    fn: 'UTRACE_EVENT · name',
    where: 'setup',
    call: (_fx, bad) => call(UTRACE_EVENT, bad),
    inputs: [
      ['null', null, usage('event-name')],
      ['undefined', undefined, usage('event-name')],
      ['an unknown name', 'NOPE', usage('event-name')],
      ['a bit number', 6, usage('event-name')],
      ['a symbol', Symbol('REAP'), usage('event-name')],
      ['an Object.prototype name', 'toString', usage('event-name')],
      ['the lower-case name', 'reap', usage('event-name')],
    ],
  },
  {
    fn: 'ERR_PTR · error',
    where: 'setup',
    call: (_fx, bad) => call(ERR_PTR, bad),
    inputs: [
      ...with_(NOT_INTEGERS, usage('err-ptr')),
      ['a positive errno', ESRCH, usage('err-ptr')],
      ['0', 0, usage('err-ptr')],
      ['-4096 (below MAX_ERRNO)', -4096, usage('err-ptr')],
    ],
  },
  {
    fn: 'PTR_ERR · ptr',
    where: 'setup',
    call: (_fx, bad) => call(PTR_ERR, bad),
    inputs: [
      ['null', null, usage('err-ptr')],
      ['undefined', undefined, usage('err-ptr')],
      ['a number', -3, usage('err-ptr')],
      ['a plain object', {}, usage('err-ptr')],
      ['an engine (not an error value)', fromFixture((fx) => fx.engine), usage('err-ptr')],
    ],
  },
  {
    fn: 'IS_ERR · ptr',
    where: 'setup',
    call: (_fx, bad) => call(IS_ERR, bad),
    inputs: [
      ['null', null, { returns: false }],
      ['undefined', undefined, { returns: false }],
      ['a number', -3, { returns: false }],
      ['a plain object with a string err_ptr', { err_ptr: 'x' }, { returns: false }],
    ],
  },
];

describe('bad input to the utrace API (one test per cell)', () => {
  cells(rows);
});
