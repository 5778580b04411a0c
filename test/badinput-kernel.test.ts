/**
 * Bad input to the kernel simulation's public surface (the `Kernel` class and the program
 * builders): a UtraceUsageError naming the rule, or the run-time check that fires; never an
 * internal TypeError; and a correct use still works after. One test per cell.
 */
import { describe } from 'node:test';
import {
  clone,
  exec,
  exit,
  Kernel,
  raise,
  RoundRobinScheduler,
  schedule,
  sys,
  type Scheduler,
} from '../src/index.js';
import { call, cells, type Expect, fromFixture, type Row, NOT_INTEGERS, usage } from './support/fuzz/badinput.js';


const NOT_STRINGS: readonly (readonly [string, unknown])[] = [
  ['null', null],
  ['undefined', undefined],
  ['a number', 5],
  ['a symbol', Symbol('name')],
  ['a plain object', {}],
];
const with_ = (list: readonly (readonly [string, unknown])[], expect: Expect): (readonly [string, unknown, Expect])[] =>
  list.map(([label, value]) => [label, value, expect] as const);

const rr = (): Scheduler => new RoundRobinScheduler();
/** A kernel that has already run. */
async function ranKernel(): Promise<Kernel> {
  const k = new Kernel();
  await k.run(rr());
  return k;
}

const rows: Row[] = [
  // ---- construction --------------------------------------------------------------------------
  {
    fn: 'Kernel.constructor · options',
    where: 'setup',
    call: (_fx, bad) => new Kernel(bad as never),
    inputs: [
      ['null', null, usage('kernel-options')],
      ['a string', 'fast', usage('kernel-options')],
      ['a number', 2, usage('kernel-options')],
    ],
  },
  {
    fn: 'Kernel.constructor · nr_cpus',
    where: 'setup',
    call: (_fx, bad) => new Kernel({ nr_cpus: bad as never }),
    inputs: [...with_(NOT_INTEGERS.slice(2), usage('kernel-options')), ['0', 0, usage('kernel-options')], ['-1', -1, usage('kernel-options')], ['1025', 1025, usage('kernel-options')]],
  },
  // ---- set-up -----------------------------------------------------------------------------------
  {
    fn: 'Kernel.spawn · comm',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.spawn.bind(fx.kernel), bad, [sys(1)]),
    inputs: with_(NOT_STRINGS, usage('spawn-arguments')),
  },
  {
    fn: 'Kernel.spawn · program',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.spawn.bind(fx.kernel), 'bad', bad),
    inputs: [
      ['null', null, usage('spawn-arguments')],
      ['undefined', undefined, usage('spawn-arguments')],
      ['a string', 'sys(1)', usage('spawn-arguments')],
      ['an event, not a list', sys(1), usage('spawn-arguments')],
    ],
  },
  {
    fn: 'Kernel.spawn · program event',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.spawn.bind(fx.kernel), 'bad', [sys(1), bad]),
    inputs: [
      ['null', null, usage('program-event')],
      ['undefined', undefined, usage('program-event')],
      ['a number', 1, usage('program-event')],
      ['an unknown kind', { kind: 'fork' }, usage('program-event')],
      ['a syscall with a string number', { kind: 'syscall', nr: '1', args: [] }, usage('program-event')],
      ['a syscall with a symbol number', { kind: 'syscall', nr: Symbol('nr'), args: [] }, usage('program-event')],
      ['a syscall without args', { kind: 'syscall', nr: 1 }, usage('program-event')],
      ['an exec with no file name', { kind: 'exec' }, usage('program-event')],
      ['a clone whose child program is not a list', { kind: 'clone', flags: 0, comm: 'child', program: null }, usage('program-event')],
      ['a clone whose child program holds a bad event', { kind: 'clone', flags: 0, comm: 'child', program: [{ kind: 'syscall', nr: NaN, args: [] }] }, usage('program-event')],
      ['a raise of signal 0', { kind: 'raise', signo: 0 }, usage('program-event')],
      ['a raise of signal 99', { kind: 'raise', signo: 99 }, usage('program-event')],
      ['an exit with a fractional code', { kind: 'exit', code: 0.5 }, usage('program-event')],
    ],
  },
  {
    fn: 'Kernel.spawn · options',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.spawn.bind(fx.kernel), 'bad', [sys(1)], bad),
    inputs: [
      ['null', null, usage('spawn-arguments')],
      ['a string', 'kthread', usage('spawn-arguments')],
    ],
  },
  {
    fn: 'Kernel.spawn · call site',
    where: 'setup',
    call: async () => (await ranKernel()).spawn('late', [sys(1)]),
    inputs: [['after the kernel ran', null, usage('setup-before-run')]],
  },
  {
    fn: 'Kernel.tracer · name',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.tracer.bind(fx.kernel), bad, async () => undefined),
    inputs: with_(NOT_STRINGS, usage('tracer-arguments')),
  },
  {
    fn: 'Kernel.tracer · fn',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.tracer.bind(fx.kernel), 'bad', bad),
    inputs: [
      ['null', null, usage('tracer-arguments')],
      ['undefined', undefined, usage('tracer-arguments')],
      ['a string', 'async () => {}', usage('tracer-arguments')],
      ['a plain object', {}, usage('tracer-arguments')],
    ],
  },
  {
    fn: 'Kernel.tracer · call site',
    where: 'setup',
    call: async () => (await ranKernel()).tracer('late', async () => undefined),
    inputs: [['after the kernel ran', null, usage('setup-before-run')]],
  },
  {
    fn: 'Kernel.kmalloc · label',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.kmalloc.bind(fx.kernel), bad, 0),
    inputs: with_(NOT_STRINGS, usage('kmalloc-arguments')),
  },
  {
    fn: 'Kernel.kfree · box',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.kfree.bind(fx.kernel), bad),
    inputs: [
      ['null', null, usage('kfree-argument')],
      ['undefined', undefined, usage('kfree-argument')],
      ['a plain object', { value: 1 }, usage('kfree-argument')],
      ['the value inside a box', fromFixture((fx) => ({ n: fx.data.value.n })), usage('kfree-argument')],
      ['a box of another kernel', fromFixture((fx) => fx.other.kernel.kmalloc('elsewhere', 1)), usage('kfree-argument')],
    ],
  },
  {
    fn: 'Kernel.kfree · box',
    where: 'setup',
    call: (fx) => {
      const box = fx.kernel.kmalloc('twice', 1);
      fx.kernel.kfree(box);
      fx.kernel.kfree(box);
    },
    inputs: [['a box freed already', null, { failure: 'use-after-free' }]],
  },
  {
    fn: 'Kernel.load_module · name',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.load_module.bind(fx.kernel), bad),
    inputs: with_(NOT_STRINGS, usage('module-arguments')),
  },
  {
    fn: 'Kernel.fail_next_allocations · n',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.fail_next_allocations.bind(fx.kernel), bad),
    inputs: [...with_(NOT_INTEGERS, usage('fail-allocations')), ['-1', -1, usage('fail-allocations')]],
  },
  {
    fn: 'Kernel.find_task_by_pid · pid',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.find_task_by_pid.bind(fx.kernel), bad),
    inputs: [
      ['null', null, { returns: undefined }],
      ['a string', '1', { returns: undefined }],
      ['-1', -1, { returns: undefined }],
      ['NaN', NaN, { returns: undefined }],
      ['a symbol', Symbol('pid'), { returns: undefined }],
    ],
  },
  // ---- run --------------------------------------------------------------------------------------
  {
    fn: 'Kernel.run · scheduler',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.run.bind(fx.kernel), bad),
    inputs: [
      ['null', null, usage('run-arguments')],
      ['undefined', undefined, usage('run-arguments')],
      ['a plain object without pick', {}, usage('run-arguments')],
      ['a function', () => 0, usage('run-arguments')],
    ],
  },
  {
    fn: 'Kernel.run · options',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.run.bind(fx.kernel), rr(), bad),
    inputs: [
      ['null', null, usage('run-arguments')],
      ['a number', 100, usage('run-arguments')],
    ],
  },
  {
    fn: 'Kernel.run · maxSteps',
    where: 'setup',
    call: (fx, bad) => call(fx.kernel.run.bind(fx.kernel), rr(), { maxSteps: bad }),
    inputs: [...with_(NOT_INTEGERS.slice(1), usage('run-arguments')).filter(([l]) => l !== 'undefined'), ['0', 0, usage('run-arguments')], ['-1', -1, usage('run-arguments')], ['null', null, usage('run-arguments')]],
  },
  {
    fn: 'Kernel.run · call site',
    where: 'setup',
    sameKernel: false,
    call: async (fx) => {
      await fx.kernel.run(rr());
      return fx.kernel.run(rr());
    },
    inputs: [['a second run of the same kernel', null, usage('run-once')]],
  },
  {
    fn: 'Kernel.run · call site',
    where: 'tracer',
    call: () => new Kernel().run(rr()),
    inputs: [['while another kernel is running', null, usage('one-run-at-a-time')]],
  },
  {
    fn: 'Kernel.run · scheduler',
    where: 'setup',
    call: () => {
      const k = new Kernel();
      k.spawn('t', [sys(1)]);
      return k.run({ pick: () => 99 });
    },
    inputs: [['a scheduler that picks a thread that cannot run', null, usage('scheduler')]],
  },
  {
    fn: 'Kernel.tracer · fn body',
    where: 'setup',
    call: () => {
      const k = new Kernel();
      k.tracer('impatient', async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
      });
      return k.run(rr());
    },
    inputs: [['a tracer that awaits something other than a utrace call', null, usage('tracer-awaited-foreign-promise')]],
  },
  {
    fn: 'Kernel.tracer · fn body',
    where: 'setup',
    call: () => {
      const k = new Kernel();
      k.tracer('thrower', async () => {
        throw new RangeError('a bug of the tracer itself');
      });
      return k.run(rr());
    },
    inputs: [['a tracer that throws an error of its own (rethrown as is)', null, { error: 'RangeError' }]],
  },
  {
    fn: 'Kernel.run · maxSteps',
    where: 'setup',
    call: async () => {
      const k = new Kernel();
      k.tracer('spinner', async () => {
        for (;;) await schedule();
      });
      const outcome = await k.run(rr(), { maxSteps: 200 });
      return outcome.failure?.check;
    },
    inputs: [['a scenario that never ends (a tracer polling schedule() and changing nothing: a livelock)', null, { returns: 'livelock' }]],
  },
  // ---- program builders ---------------------------------------------------------------------
  {
    fn: 'sys · nr',
    where: 'setup',
    call: (_fx, bad) => call(sys, bad),
    inputs: with_(NOT_INTEGERS, usage('program-event')),
  },
  {
    fn: 'sys · args',
    where: 'setup',
    call: (_fx, bad) => call(sys, 1, bad),
    inputs: [
      ['a string', '0', usage('program-event')],
      ['NaN', NaN, usage('program-event')],
      ['null', null, usage('program-event')],
    ],
  },
  {
    fn: 'exec · filename',
    where: 'setup',
    call: (_fx, bad) => call(exec, bad),
    inputs: with_(NOT_STRINGS, usage('program-event')),
  },
  {
    fn: 'clone · program',
    where: 'setup',
    call: (_fx, bad) => call(clone, bad),
    inputs: [
      ['null', null, usage('program-event')],
      ['undefined', undefined, usage('program-event')],
      ['a string', 'sys(1)', usage('program-event')],
      ['a list holding null', [null], usage('program-event')],
    ],
  },
  {
    fn: 'clone · options',
    where: 'setup',
    call: (_fx, bad) => call(clone, [sys(1)], bad),
    inputs: [
      ['null', null, usage('program-event')],
      ['string flags', { flags: '0' }, usage('program-event')],
      ['a numeric comm', { comm: 5 }, usage('program-event')],
    ],
  },
  {
    fn: 'raise · signo',
    where: 'setup',
    call: (_fx, bad) => call(raise, bad),
    inputs: [...with_(NOT_INTEGERS, usage('program-event')), ['0', 0, usage('program-event')], ['65', 65, usage('program-event')]],
  },
  {
    fn: 'exit · code',
    where: 'setup',
    call: (_fx, bad) => call(exit, bad),
    inputs: with_(NOT_INTEGERS.filter(([l]) => l !== 'undefined'), usage('program-event')),
  },
];

describe('bad input to the kernel simulation (one test per cell)', () => {
  cells(rows);
});
