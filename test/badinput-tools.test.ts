/**
 * Bad input to the schedulers, the schedule strings, the explorer and the scenario helpers
 * of the public API: a UtraceUsageError naming the option and what it must be (or the
 * documented `ScheduleFormatError` for schedule text), never an internal TypeError. One test
 * per cell.
 */
import { describe } from 'node:test';
import {
  defineOps,
  isPreemption,
  Kernel,
  RandomScheduler,
  RoundRobinScheduler,
  SeededRandom,
  sys,
  type ExecutionOutcome,
} from '../src/index.js';
import {
  attachEach,
  decodeSchedule,
  defineScenario,
  DfsStrategy,
  encodeSchedule,
  explore,
  GuidedScheduler,
  isScenario,
  makeStrategy,
  PctScheduler,
  renderTimelineSvg,
  renderTimelineText,
  ReplayScheduler,
  runScenario,
  scenarioExecute,
  shorten,
  verdictOf,
} from '../src/explore/index.js';
import { call, cells, type Expect, type Row, NOT_INTEGERS, usage } from './support/fuzz/badinput.js';

type AnyCtor = new (...args: unknown[]) => unknown;
const make = (ctor: unknown, ...args: unknown[]): unknown => new (ctor as AnyCtor)(...args);
const BAD_OPTION = usage('bad-option');
const FORMAT: Expect = { error: 'ScheduleFormatError' };

const NOT_OBJECTS: readonly (readonly [string, unknown])[] = [
  ['null', null],
  ['undefined', undefined],
  ['a string', 'options'],
  ['a number', 1],
  ['a symbol', Symbol('options')],
];
const with_ = (list: readonly (readonly [string, unknown])[], expect: Expect): (readonly [string, unknown, Expect])[] =>
  list.map(([label, value]) => [label, value, expect] as const);

/** A real, passing outcome to hand to the functions that take one. */
async function okOutcome(): Promise<ExecutionOutcome> {
  const k = new Kernel();
  k.spawn('t', [sys(1)]);
  return k.run(new RoundRobinScheduler());
}
const execute = async (): Promise<ExecutionOutcome> => okOutcome();
const idle = defineScenario({
  name: 'idle',
  description: 'one task, no tracer',
  expect: 'safe',
  build: (kernel) => void kernel.spawn('idle', [sys(0)]),
});
const NOT_OUTCOMES: (readonly [string, unknown, Expect])[] = [
  ...with_(NOT_OBJECTS, BAD_OPTION),
  ['a plain object', {}, BAD_OPTION],
  ['an outcome without threads', { schedule: [], trace: [], status: 'ok' }, BAD_OPTION],
];

const rows: Row[] = [
  // ---- schedulers -----------------------------------------------------------------------------
  {
    fn: 'RandomScheduler.constructor · seed',
    where: 'setup',
    call: (_fx, bad) => make(RandomScheduler, bad),
    inputs: with_(NOT_INTEGERS, BAD_OPTION),
  },
  {
    fn: 'SeededRandom.constructor · seed',
    where: 'setup',
    call: (_fx, bad) => make(SeededRandom, bad),
    inputs: with_(NOT_INTEGERS, BAD_OPTION),
  },
  {
    fn: 'SeededRandom.below · n',
    where: 'setup',
    call: (_fx, bad) => call((n: unknown) => new SeededRandom(1).below(n as never), bad),
    inputs: [...with_(NOT_INTEGERS, BAD_OPTION), ['0', 0, BAD_OPTION], ['-1', -1, BAD_OPTION]],
  },
  {
    fn: 'isPreemption · point',
    where: 'setup',
    call: (_fx, bad) => call(isPreemption, bad, 0),
    inputs: [...with_(NOT_OBJECTS, BAD_OPTION), ['a point without runnable', { step: 0, previous: -1 }, BAD_OPTION]],
  },
  {
    fn: 'PctScheduler.constructor · seed',
    where: 'setup',
    call: (_fx, bad) => make(PctScheduler, bad, 2, 10),
    inputs: with_(NOT_INTEGERS, BAD_OPTION),
  },
  {
    fn: 'PctScheduler.constructor · depth',
    where: 'setup',
    call: (_fx, bad) => make(PctScheduler, 1, bad, 10),
    inputs: [...with_(NOT_INTEGERS, BAD_OPTION), ['0', 0, BAD_OPTION]],
  },
  {
    fn: 'PctScheduler.constructor · expectedSteps',
    where: 'setup',
    call: (_fx, bad) => make(PctScheduler, 1, 2, bad),
    inputs: [...with_(NOT_INTEGERS, BAD_OPTION), ['0', 0, BAD_OPTION]],
  },
  {
    fn: 'ReplayScheduler.constructor · schedule',
    where: 'setup',
    call: (_fx, bad) => make(ReplayScheduler, bad),
    inputs: [
      ...with_(NOT_OBJECTS, BAD_OPTION),
      ['a plain object', { 0: 1, length: 1 }, BAD_OPTION],
      ['a list holding a string', [2, '3'], BAD_OPTION],
      ['a list holding -1', [2, -1], BAD_OPTION],
      ['a list holding 1.5', [1.5], BAD_OPTION],
    ],
  },
  {
    fn: 'ReplayScheduler.fromString · text',
    where: 'setup',
    call: (_fx, bad) => call(ReplayScheduler.fromString, bad),
    inputs: [
      ['null', null, FORMAT],
      ['a number', 3, FORMAT],
      ['text without the version tag', '0.1.2', FORMAT],
      ['a bad run', 's1:0x', FORMAT],
    ],
  },
  {
    fn: 'encodeSchedule · schedule',
    where: 'setup',
    call: (_fx, bad) => call(encodeSchedule, bad),
    inputs: [
      ...with_(NOT_OBJECTS, BAD_OPTION),
      ['a plain object', {}, BAD_OPTION],
      ['a list holding 1.5', [1.5], BAD_OPTION],
      ['a list holding -1', [-1], BAD_OPTION],
      ['a list holding a symbol', [Symbol('t')], BAD_OPTION],
    ],
  },
  {
    fn: 'decodeSchedule · text',
    where: 'setup',
    call: (_fx, bad) => call(decodeSchedule, bad),
    inputs: [
      ['null', null, FORMAT],
      ['undefined', undefined, FORMAT],
      ['a list', [0, 1], FORMAT],
      ['a symbol', Symbol('s1:0'), FORMAT],
      ['text without the version tag', '0.1', FORMAT],
      ['a negative thread', 's1:-1', FORMAT],
    ],
  },
  // ---- strategies and the explorer -------------------------------------------------------------
  {
    fn: 'DfsStrategy.constructor · bound',
    where: 'setup',
    call: (_fx, bad) => make(DfsStrategy, bad),
    inputs: [...with_(NOT_INTEGERS, BAD_OPTION), ['-1', -1, BAD_OPTION]],
  },
  {
    fn: 'GuidedScheduler.constructor · candidate',
    where: 'setup',
    call: (_fx, bad) => make(GuidedScheduler, bad),
    inputs: [...with_(NOT_OBJECTS, BAD_OPTION), ['a list holding a string', ['0'], BAD_OPTION]],
  },
  {
    fn: 'makeStrategy · options',
    where: 'setup',
    call: (_fx, bad) => call(makeStrategy, bad),
    inputs: [
      ...with_(NOT_OBJECTS, BAD_OPTION),
      ['an unknown kind', { kind: 'bfs' }, BAD_OPTION],
      ['a bigint kind', { kind: 5n }, BAD_OPTION],
      ['a random strategy with a symbol seed', { kind: 'random', seed: Symbol('seed') }, BAD_OPTION],
      ['a replay strategy with no schedule', { kind: 'replay' }, FORMAT],
    ],
  },
  {
    fn: 'explore · execute',
    where: 'setup',
    call: (_fx, bad) => call(explore, bad, { strategy: { kind: 'random', seed: 1 }, maxExecutions: 1 }),
    inputs: [...with_(NOT_OBJECTS, BAD_OPTION), ['a plain object', {}, BAD_OPTION]],
  },
  {
    fn: 'explore · options',
    where: 'setup',
    call: (_fx, bad) => call(explore, execute, bad),
    inputs: [
      ...with_(NOT_OBJECTS, BAD_OPTION),
      ['no strategy', { maxExecutions: 1 }, BAD_OPTION],
      ['a string maxExecutions', { strategy: { kind: 'random', seed: 1 }, maxExecutions: '1' }, BAD_OPTION],
      ['a symbol maxSeconds', { strategy: { kind: 'random', seed: 1 }, maxSeconds: Symbol('s') }, BAD_OPTION],
    ],
  },
  {
    fn: 'shorten · execute',
    where: 'setup',
    call: (_fx, bad) => call(shorten, bad, [2], 'leak'),
    inputs: [...with_(NOT_OBJECTS, BAD_OPTION), ['a plain object', {}, BAD_OPTION]],
  },
  {
    fn: 'shorten · schedule',
    where: 'setup',
    call: (_fx, bad) => call(shorten, execute, bad, 'leak'),
    inputs: [...with_(NOT_OBJECTS, BAD_OPTION), ['a list holding a string', ['2'], BAD_OPTION]],
  },
  {
    fn: 'renderTimelineText · outcome',
    where: 'setup',
    call: (_fx, bad) => call(renderTimelineText, bad),
    inputs: NOT_OUTCOMES,
  },
  {
    fn: 'renderTimelineText · options',
    where: 'setup',
    call: async (_fx, bad) => call(renderTimelineText, await okOutcome(), bad),
    inputs: [
      ['null', null, BAD_OPTION],
      ['a string', 'wide', BAD_OPTION],
      ['a symbol width', { width: Symbol('w') }, BAD_OPTION],
    ],
  },
  {
    fn: 'renderTimelineSvg · outcome',
    where: 'setup',
    call: (_fx, bad) => call(renderTimelineSvg, bad),
    inputs: NOT_OUTCOMES,
  },
  {
    fn: 'renderTimelineSvg · options',
    where: 'setup',
    call: async (_fx, bad) => call(renderTimelineSvg, await okOutcome(), bad),
    inputs: [
      ['null', null, BAD_OPTION],
      ['a string', 'tall', BAD_OPTION],
    ],
  },
  // ---- scenarios --------------------------------------------------------------------------------
  {
    fn: 'defineScenario · spec',
    where: 'setup',
    call: (_fx, bad) => call(defineScenario, bad),
    inputs: [...with_(NOT_OBJECTS, usage('scenario')), ['a plain object', {}, usage('scenario')]],
  },
  {
    fn: 'isScenario · value',
    where: 'setup',
    call: (_fx, bad) => call(isScenario, bad),
    inputs: [
      ['null', null, { returns: false }],
      ['a string', 'idle', { returns: false }],
      ['a plain object', { name: 'idle' }, { returns: false }],
    ],
  },
  {
    fn: 'scenarioExecute · scenario',
    where: 'setup',
    call: (_fx, bad) => call(scenarioExecute, bad),
    inputs: [...with_(NOT_OBJECTS, usage('scenario')), ['a plain object', {}, usage('scenario')]],
  },
  {
    fn: 'runScenario · scenario',
    where: 'setup',
    call: (_fx, bad) => call(runScenario, bad, { strategy: { kind: 'random', seed: 1 }, maxExecutions: 1 }),
    inputs: [...with_(NOT_OBJECTS, usage('scenario')), ['a plain object', {}, usage('scenario')]],
  },
  {
    fn: 'runScenario · options',
    where: 'setup',
    call: (_fx, bad) => call(runScenario, idle, bad),
    inputs: [...with_(NOT_OBJECTS, BAD_OPTION), ['no strategy', {}, BAD_OPTION]],
  },
  {
    fn: 'verdictOf · expect',
    where: 'setup',
    call: (_fx, bad) => call(verdictOf, bad, 'failed'),
    inputs: [
      ['null', null, BAD_OPTION],
      ['an unknown expectation', 'maybe', BAD_OPTION],
    ],
  },
  {
    fn: 'verdictOf · status',
    where: 'setup',
    call: (_fx, bad) => call(verdictOf, 'safe', bad),
    inputs: [
      ['null', null, BAD_OPTION],
      ['an unknown status', 'ok', BAD_OPTION],
    ],
  },
  {
    fn: 'attachEach · tasks',
    where: 'setup',
    call: (_fx, bad) => call(attachEach, bad, defineOps({}), null, 0),
    inputs: [
      ...with_(NOT_OBJECTS, usage('attach-each')),
      ['a plain object', {}, usage('attach-each')],
      ['an empty list', [], { returns: [] }],
    ],
  },
  {
    fn: 'attachEach · tasks',
    where: 'setup',
    mentions: 'utrace_attach_task',
    call: (_fx, bad) => call(attachEach, bad, defineOps({}), null, 0),
    inputs: [['a list holding null (refused by the utrace_attach_task it makes)', [null], usage('bad-task')]],
  },
];

describe('bad input to the schedulers, the explorer and the scenario helpers (one test per cell)', () => {
  cells(rows);
});
