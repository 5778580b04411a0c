/**
 * The body of an explorer worker thread: loads the scenario from its module, runs the jobs the
 * main thread sends, and streams the schedule of the current run into shared memory, so that
 * the main thread still has it when a run never ends and it terminates the worker.
 *
 * @packageDocumentation
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RandomScheduler } from '../sched/basic.js';
import type { Execute, ExecutionOutcome } from '../sched/execution.js';
import { PctScheduler } from '../sched/pct.js';
import { SeededRandom } from '../sched/prng.js';
import type { Scheduler } from '../sched/scheduler.js';
import { scenarioExecute } from '../scenario/execute.js';
import { isScenario, type Scenario } from '../scenario/scenario.js';
import { LexicographicDfs } from './dfs-split.js';
import { makeStrategy } from './strategy.js';
import {
  PREEMPTED, SLOT_CANCEL, SLOT_RUNS, SLOT_SCHEDULE, SLOT_STEPS, STREAMED_STEPS, type ScenarioLocator, type WorkerAnswer, type WorkerJob,
} from './worker-protocol.js';

const { locator, memory } = workerData as { locator: ScenarioLocator; memory: SharedArrayBuffer };
const shared = new Int32Array(memory);

/** The scenario the locator names. */
async function load(where: ScenarioLocator): Promise<Scenario> {
  const module = (await import(where.module)) as Record<string, unknown>;
  const value = where.export === undefined ? (module['default'] ?? module) : module[where.export];
  const candidates: unknown[] = isScenario(value) ? [value] : Array.isArray(value) ? value : typeof value === 'object' && value !== null ? Object.values(value) : [];
  if (where.export === undefined) candidates.push(...Object.values(module));
  const found = candidates.filter(isScenario).find((s) => where.name === undefined || s.name === where.name);
  if (found === undefined) {
    throw new Error(`no scenario${where.name === undefined ? '' : ` named ${JSON.stringify(where.name)}`} in export ${where.export ?? 'default'} of ${where.module}`);
  }
  return found;
}

/** Passes picks on and streams each choice into the shared memory. */
function streamed(inner: Scheduler): Scheduler {
  Atomics.store(shared, SLOT_STEPS, 0);
  Atomics.add(shared, SLOT_RUNS, 1);
  return {
    pick(point) {
      const chosen = inner.pick(point);
      const step = point.step;
      if (step < STREAMED_STEPS) {
        const previous = point.previous;
        const preempted = previous !== -1 && chosen !== previous && point.runnable.includes(previous);
        shared[SLOT_SCHEDULE + step] = chosen | (preempted ? PREEMPTED : 0);
      }
      Atomics.store(shared, SLOT_STEPS, step + 1);
      return chosen;
    },
  };
}

async function run(execute: Execute, job: WorkerJob): Promise<WorkerAnswer> {
  let executions = 0;
  let longest = 0;
  const cancelled = (): boolean => Atomics.load(shared, SLOT_CANCEL) !== 0;
  const once = async (scheduler: Scheduler): Promise<ExecutionOutcome> => {
    const outcome = await execute(streamed(scheduler));
    executions++;
    if (outcome.schedule.length > longest) longest = outcome.schedule.length;
    return outcome;
  };
  const done = (failure: ExecutionOutcome | undefined, extra: { subtrees?: number[][]; cancelled?: boolean } = {}): WorkerAnswer => ({
    kind: 'done',
    executions,
    failure: failure === undefined ? undefined : { index: executions - 1, outcome: failure },
    longest,
    cancelled: extra.cancelled ?? false,
    ...(extra.subtrees === undefined ? {} : { subtrees: extra.subtrees }),
  });
  switch (job.kind) {
    case 'strategy': {
      const strategy = makeStrategy(job.strategy);
      while (executions < job.maxExecutions) {
        if (cancelled()) return done(undefined, { cancelled: true });
        const scheduler = strategy.next();
        if (scheduler === undefined) break;
        const outcome = await once(scheduler);
        strategy.complete(outcome);
        if (outcome.status === 'failed') return done(outcome);
      }
      return done(undefined);
    }
    case 'dfs': {
      const dfs = new LexicographicDfs(job.bound, job.prefix, job.branchLimit);
      const subtrees: number[][] = [];
      for (;;) {
        if (cancelled()) return done(undefined, { cancelled: true });
        const scheduler = dfs.next();
        if (scheduler === undefined) break;
        const outcome = await once(scheduler);
        const subtree = dfs.complete(outcome);
        if (job.branchLimit !== undefined) subtrees.push(subtree);
        else if (outcome.status === 'failed') return done(outcome);
      }
      return done(undefined, job.branchLimit === undefined ? {} : { subtrees });
    }
    case 'seeds': {
      const seeds = new SeededRandom(job.seed);
      for (let i = 0; i < job.from; i++) seeds.nextU32();
      for (let i = job.from; i < job.to; i++) {
        if (cancelled()) return done(undefined, { cancelled: true });
        const seed = seeds.nextU32() | 0;
        const scheduler = job.strategy === 'random' ? new RandomScheduler(seed) : new PctScheduler(seed, job.depth, job.expectedSteps);
        const outcome = await once(scheduler);
        if (outcome.status === 'failed') return done(outcome);
      }
      return done(undefined);
    }
  }
}

const scenario = load(locator);
parentPort!.on('message', (job: WorkerJob) => {
  void (async () => {
    let answer: WorkerAnswer;
    try {
      answer = await run(scenarioExecute(await scenario), job);
    } catch (e) {
      answer = { kind: 'error', name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    parentPort!.postMessage(answer);
  })();
});
