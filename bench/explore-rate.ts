/**
 * How fast the explorer runs the thread's cases, against a straight run of the same
 * scenario: executions per second on case (a) under dfs and random search (tracing off, as
 * the explorer searches; and on, for comparison), the exhaustive search of the safe detach
 * procedure, and the time that search takes at preemption bound 2.
 *
 * The straight run is the limit: the scenario built on a fresh kernel and run once through
 * in a fixed order (round robin), with none of the explorer's bookkeeping (no strategy, no
 * recording scheduler, no outcome handed back to a search). Every subject of one scenario
 * is timed side by side, in turns, so that load from elsewhere on the machine hits them
 * alike; ratios are medians of the ratios within each round.
 *
 * A benchmark, not a test: it asserts nothing, and its numbers depend on the machine.
 * @packageDocumentation
 */
import { scenario as safeDetach } from '../examples/safe-detach.js';
import { scenario as setEventsFree } from '../examples/set-events-einprogress-free.js';
import { explore } from '../src/explore/explore.js';
import { makeStrategy, type StrategyOptions } from '../src/explore/strategy.js';
import { Kernel } from '../src/kernel/kernel.js';
import { RoundRobinScheduler } from '../src/sched/basic.js';
import type { Scenario } from '../src/scenario/index.js';
import { scenarioExecute } from '../src/scenario/index.js';
import { ratio, sideBySide, type Subject, type Timing } from './measure.js';
import { type BenchResult, type BenchRow, count, duration, type Goal, median, times } from './row.js';

/** Runs per timed slice. */
const SLICE = 1500;
/** Rounds of side-by-side timing per scenario. */
const ROUNDS = 12;
/** Goals: executions per second on case (a), and the explorer's cost against a straight run. */
const GOAL_RATE = 20_000;
const GOAL_RATIO = 2.0;

/**
 * A subject running `scenario` under `strategy`, going on past failing runs (dfs starts
 * over once exhausted), {@link SLICE} runs per slice.
 */
function searching(scenario: Scenario, strategy: StrategyOptions, trace: boolean): Subject & { failures: number; runs: number; steps: number } {
  const execute = scenarioExecute(scenario, { trace });
  let source = makeStrategy(strategy);
  const subject = {
    name: `${source.description}, trace ${trace ? 'on' : 'off'}`,
    failures: 0,
    runs: 0,
    steps: 0,
    slice: async () => {
      for (let i = 0; i < SLICE; i++) {
        let scheduler = source.next();
        if (scheduler === undefined) {
          source = makeStrategy(strategy);
          scheduler = source.next()!;
        }
        const outcome = await execute(scheduler);
        source.complete(outcome);
        subject.runs++;
        subject.steps += outcome.schedule.length;
        if (outcome.status === 'failed') subject.failures++;
      }
      return SLICE;
    },
  };
  return subject;
}

/** The straight run: build and run under round robin, {@link SLICE} times per slice. */
function straight(scenario: Scenario): Subject & { runs: number; steps: number } {
  const options = { ...scenario.kernel, trace: false };
  const subject = {
    name: 'straight run (build + kernel.run, round robin)',
    runs: 0,
    steps: 0,
    slice: async () => {
      for (let i = 0; i < SLICE; i++) {
        const kernel = new Kernel(options);
        scenario.build(kernel);
        const outcome = await kernel.run(new RoundRobinScheduler());
        subject.runs++;
        subject.steps += outcome.schedule.length;
      }
      return SLICE;
    },
  };
  return subject;
}

/** Exhaustive dfs searches at bound 2, run back to back through `explore`. */
function exhausting(scenario: Scenario): Subject & { times: number[]; executions: number } {
  const execute = scenarioExecute(scenario);
  const subject = {
    name: 'dfs (preemption bound 2), exhaustive, via explore()',
    times: [] as number[],
    executions: 0,
    slice: async () => {
      let done = 0;
      while (done < SLICE) {
        const r = await explore(execute, { strategy: { kind: 'dfs', bound: 2 } });
        if (r.status !== 'exhausted') throw new Error(`${scenario.name}: expected an exhausted search, got ${r.status}`);
        subject.times.push(r.elapsedMs);
        subject.executions = r.executions;
        done += r.executions;
      }
      return done;
    },
  };
  return subject;
}

function row(benchmark: string, t: Timing, note: string, command: string, strategy = t.name): BenchRow {
  return { benchmark, strategy, executions: t.ops, ms: t.ms, note, command };
}

function perSecond(t: Timing): number {
  return 1e9 / t.nsPerOp;
}

/**
 * The explorer-rate benchmark.
 * @returns its rows as a table, and the goals.
 */
export async function exploreRate(): Promise<BenchResult> {
  const a = setEventsFree.name;
  const dfs = searching(setEventsFree, { kind: 'dfs', bound: 2 }, false);
  const random = searching(setEventsFree, { kind: 'random', seed: 1 }, false);
  const traced = searching(setEventsFree, { kind: 'random', seed: 1 }, true);
  const line = straight(setEventsFree);
  const [tDfs, tRandom, tTraced, tLine] = await sideBySide([dfs, random, traced, line], ROUNDS);
  const safeSearch = exhausting(safeDetach);
  const safeLine = straight(safeDetach);
  const [tSafe, tSafeLine] = await sideBySide([safeSearch, safeLine], ROUNDS);

  const fails = (s: { failures: number; runs: number; steps: number }): string =>
    `${((100 * s.failures) / s.runs).toFixed(1)}% of runs fail; ${(s.steps / s.runs).toFixed(1)} steps per run`;
  const steps = (s: { runs: number; steps: number }): string => `${(s.steps / s.runs).toFixed(1)} steps per run`;
  const dfsRatio = ratio(tDfs!, tLine!);
  const safeRatio = ratio(tSafe!, tSafeLine!);
  const exhaustMs = median(safeSearch.times);
  const rows: BenchRow[] = [
    row(`${a}: executions/s`, tDfs!, fails(dfs), `utrace-explore ${a} --strategy dfs --bound 2`),
    row(`${a}: executions/s`, tRandom!, fails(random), `utrace-explore ${a} --strategy random --seed 1`),
    row(`${a}: executions/s`, tTraced!, fails(traced), '(tracing on: how a replay runs)'),
    row(`${a}: executions/s`, tLine!, steps(line), '(the limit)'),
    row(`${safeDetach.name}: executions/s`, tSafe!, `${count(safeSearch.executions)} executions per exhaustive search`, `utrace-explore ${safeDetach.name} --bound 2`),
    row(`${safeDetach.name}: executions/s`, tSafeLine!, steps(safeLine), '(the limit)'),
  ];
  const timings = [tDfs!, tRandom!, tTraced!, tLine!, tSafe!, tSafeLine!];
  const goals: Goal[] = [
    { figure: `explorer, ${a}: dfs executions per second`, measured: count(perSecond(tDfs!)), goal: `at least ${count(GOAL_RATE)}`, met: perSecond(tDfs!) >= GOAL_RATE },
    { figure: `explorer, ${a}: dfs per execution against a straight run`, measured: times(dfsRatio), goal: `at most ${GOAL_RATIO.toFixed(1)}x`, met: dfsRatio <= GOAL_RATIO },
    { figure: `explorer, ${safeDetach.name}: exhaustive dfs per execution against a straight run`, measured: times(safeRatio), goal: `at most ${GOAL_RATIO.toFixed(1)}x`, met: safeRatio <= GOAL_RATIO },
  ];
  return {
    tables: [
      {
        title: `Executions per second (${ROUNDS} rounds side by side, ${count(SLICE)} runs per slice; executions/s from the median round)`,
        header: ['benchmark', 'strategy', 'executions', 'time', 'executions/s', 'note', 'command'],
        rows: rows.map((r, i) => [r.benchmark, r.strategy, count(r.executions), duration(r.ms), count(perSecond(timings[i]!)), r.note, r.command]),
        notes: [
          `${a}: dfs against the straight run ${times(dfsRatio)} per execution, random ${times(ratio(tRandom!, tLine!))}, tracing on ${times(ratio(tTraced!, tLine!))}.`,
          `${safeDetach.name}: exhaustive dfs against the straight run ${times(safeRatio)} per execution.`,
          `${safeDetach.name}: time to exhaust at preemption bound 2: ${duration(exhaustMs)} (median of ${safeSearch.times.length} searches, ${count(safeSearch.executions)} executions each).`,
        ],
      },
    ],
    goals: [
      ...goals,
      { figure: `explorer, ${safeDetach.name}: time to exhaust at preemption bound 2`, measured: duration(exhaustMs), goal: '(reported; no goal)', met: undefined },
    ],
  };
}
