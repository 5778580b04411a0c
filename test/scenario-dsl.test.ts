import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defineOps,
  IS_ERR,
  Kernel,
  RoundRobinScheduler,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_control,
  UTRACE_DETACH,
  utrace_engine_put,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
  UtraceUsageError,
} from '../src/index.js';
import { explore } from '../src/explore/explore.js';
import { ReplayScheduler } from '../src/sched/replay.js';
import { decodeSchedule } from '../src/sched/schedule-string.js';
import { attachEach, defineScenario, isScenario, ScenarioBuildError, scenarioExecute } from '../src/scenario/index.js';

/** A tracer that detaches, then uses the handle the detach revoked: a usage error in a tracer thread. */
const staleHandle = defineScenario({
  name: 'stale-handle',
  description: 'The tracer puts an engine through the handle UTRACE_DETACH revoked.',
  expect: 'unsafe',
  build(kernel) {
    const task = kernel.spawn('traced', [sys(1)]);
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_entry: () => UTRACE_RESUME }), null);
    if (IS_ERR(engine)) throw new Error('attach failed');
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
    kernel.tracer('tracer', async () => {
      utrace_control(task, engine, UTRACE_DETACH);
      utrace_engine_put(engine as never); // revoked by the detach
    });
  },
});

/** Attach and detach with nothing shared: clean in every schedule. */
const quiet = defineScenario({
  name: 'quiet',
  description: 'Attach, then detach; the callback touches nothing.',
  expect: 'safe',
  build(kernel) {
    const task = kernel.spawn('traced', [sys(1), sys(2)]);
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({ report_syscall_entry: () => UTRACE_RESUME }), null);
    if (IS_ERR(engine)) throw new Error('attach failed');
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
    kernel.tracer('tracer', async () => {
      utrace_engine_put(utrace_control(task, engine, UTRACE_DETACH).engine);
    });
  },
});

describe('defineScenario', () => {
  it('returns a frozen scenario that isScenario recognises', () => {
    assert.ok(isScenario(quiet));
    assert.ok(Object.isFrozen(quiet));
    assert.equal(quiet.name, 'quiet');
    assert.equal(isScenario({ ...quiet }), false, 'a copy is not a scenario: only defineScenario makes one');
    assert.equal(isScenario(null), false);
  });

  it('rejects a bad spec with a UtraceUsageError naming the field', () => {
    const spec = { name: 'ok-name', description: 'd', expect: 'safe' as const, build: () => {} };
    assert.throws(() => defineScenario({ ...spec, name: 'Not Kebab' }), (e: unknown) => e instanceof UtraceUsageError && /kebab/.test(e.message));
    assert.throws(() => defineScenario({ ...spec, description: ' ' }), /description/);
    assert.throws(() => defineScenario({ ...spec, expect: 'maybe' as never }), /expect/);
    assert.throws(() => defineScenario({ ...spec, build: 1 as never }), /build/);
    assert.throws(() => defineScenario({ ...spec, maxSteps: 0 }), /maxSteps/);
  });
});

describe('scenarioExecute', () => {
  it('builds a fresh kernel for every run, with the trace off unless asked', async () => {
    const quietRun = scenarioExecute(quiet);
    const a = await quietRun(new RoundRobinScheduler());
    const b = await quietRun(new RoundRobinScheduler());
    assert.equal(a.status, 'ok');
    assert.deepEqual(a.schedule, b.schedule);
    assert.equal(a.trace.length, 0);
    const traced = await scenarioExecute(quiet, { trace: true })(new RoundRobinScheduler());
    assert.deepEqual(traced.schedule, a.schedule);
    assert.ok(traced.trace.length > 0);
    assert.ok(traced.trace.some((e) => e.text.startsWith('set-up: ')), 'what build logged is marked as set-up');
  });

  it('turns a usage error in a tracer thread into an oops outcome that replays exactly', async () => {
    const outcome = await scenarioExecute(staleHandle)(new RoundRobinScheduler());
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failure?.check, 'oops');
    assert.match(outcome.failure!.message, /tracer misused the API \(stale-handle\)/);
    assert.equal(outcome.threads[outcome.failure!.thread]?.name, 'tracer');
    assert.equal(outcome.failure!.step, outcome.schedule.length - 1);

    const replay = new ReplayScheduler(outcome.schedule);
    const again = await scenarioExecute(staleHandle, { trace: true })(replay);
    replay.assertFinished();
    assert.equal(again.failure?.check, 'oops');
    assert.equal(again.failure?.step, outcome.failure!.step);
    assert.ok(again.trace.some((e) => e.text.startsWith('oops: tracer misused the API')));
  });

  it('lets the explorer report a usage error instead of crashing', async () => {
    const result = await explore(scenarioExecute(staleHandle), { strategy: { kind: 'dfs', bound: 1 } });
    assert.equal(result.status, 'failed');
    if (result.status !== 'failed') return;
    assert.equal(result.outcome.failure?.check, 'oops');
    assert.deepEqual(decodeSchedule(result.schedule), result.outcome.schedule);
  });

  it('rejects with ScenarioBuildError when build throws', async () => {
    const broken = defineScenario({
      name: 'broken',
      description: 'build throws',
      expect: 'safe',
      build() {
        throw new Error('no such device');
      },
    });
    await assert.rejects(scenarioExecute(broken)(new RoundRobinScheduler()), (e: unknown) => {
      return e instanceof ScenarioBuildError && e.scenario === 'broken' && /no such device/.test(e.message);
    });
  });

  it('passes kernel options and maxSteps through', async () => {
    const long = defineScenario({
      name: 'long',
      description: 'more steps than allowed',
      expect: 'unsafe',
      maxSteps: 3,
      kernel: { nr_cpus: 4 },
      build(kernel) {
        kernel.spawn('busy', [sys(1), sys(2), sys(3), sys(4), sys(5)]);
      },
    });
    const outcome = await scenarioExecute(long)(new RoundRobinScheduler());
    assert.equal(outcome.failure?.check, 'step-limit');
  });
});

describe('attachEach', () => {
  it('attaches one engine per task, events set, in task order', async () => {
    const kernel = new Kernel();
    const tasks = ['a', 'b', 'c'].map((comm) => kernel.spawn(comm, [sys(1)]));
    let calls = 0;
    const ops = defineOps({
      report_syscall_entry: () => {
        calls++;
        return UTRACE_RESUME;
      },
    });
    const engines = attachEach(tasks, ops, null, UTRACE_EVENT('SYSCALL_ENTRY'));
    assert.equal(engines.length, 3);
    for (const e of engines) assert.equal(e.flags, UTRACE_EVENT('SYSCALL_ENTRY'));
    kernel.tracer('tracer', async () => {
      engines.forEach((e, i) => utrace_engine_put(utrace_control(tasks[i]!, e, UTRACE_DETACH).engine));
    });
    const outcome = await kernel.run(new RoundRobinScheduler());
    assert.equal(outcome.status, 'ok', outcome.failure?.message);
    assert.ok(calls <= 3);
  });

  it('throws a UtraceUsageError when an attach fails', () => {
    const kernel = new Kernel();
    const kthread = kernel.spawn('kworker', [sys(1)], { kthread: true });
    assert.throws(
      () => attachEach([kthread], defineOps({}), null, UTRACE_EVENT('SYSCALL_ENTRY')),
      (e: unknown) => e instanceof UtraceUsageError && e.rule === 'attach-each',
    );
  });
});
