/**
 * The exploration engine's goals, measured side by side in one run:
 *
 * 1. The global engine (`globalEngine(t, true)` of `growth.ts`) proven over all interleavings
 *    by the stateful search at 2 to 5 tasks, against exhaustive dfs at preemption bound 2 on
 *    the same scenario, each stopped at a time cap.
 * 2. Runs to the first failure on the deep rcu-only race (`deep-rcu-only.ts`) with the
 *    detaching call at D = 1 to 10: the stateful search and dfs (both deterministic) against
 *    fast-check's scheduler (median over seeds).
 * 3. Shortening a failing run of about 100,000 steps: the thread's first race with a bystander
 *    task whose steps pad the schedule.
 *
 * Wall times on a shared machine depend on what else runs; each row also gives the process's
 * CPU time for the search, and the load average is printed by `run.ts`.
 * @packageDocumentation
 */
import fc from 'fast-check';
import { scenario as setEventsEinprogressFree } from '../examples/set-events-einprogress-free.js';
import { explore, type ExploreResult } from '../src/explore/explore.js';
import { shorten } from '../src/explore/shorten.js';
import { sys } from '../src/index.js';
import { defineScenario, type Scenario, scenarioExecute } from '../src/scenario/index.js';
import type { Scheduler, SchedulingPoint } from '../src/sched/scheduler.js';
import { deepRcuOnlyScenario, DEEP_SYSCALLS, DEEP_TRACER_WORK } from './deep-rcu-only.js';
import { globalEngine } from './growth.js';
import * as models from './peer-models.js';
import { type BenchResult, count, duration, type Goal, median, times } from './row.js';

/** Seconds each proof (and each dfs beside it) may take. */
export const PROOF_CAP_SECONDS = 60;
/** The time goals of the proofs, by task count, in seconds. */
const PROOF_GOALS: Readonly<Record<number, number>> = { 3: 0.5, 4: 5, 5: 60 };
/** Seeds of fast-check per D, and the runs after which one gives up. */
const FC_SEEDS = 9;
const FC_CAP = 20_000;
/** Steps the padded failing run is made of, about. */
const LONG_RUN_STEPS = 100_000;
/** Seconds the shortening may take, and its goal. */
const SHORTEN_CAP_SECONDS = 30;
const SHORTEN_GOAL_SECONDS = 10;

interface Timed<T> {
  readonly value: T;
  readonly ms: number;
  readonly cpuMs: number;
}

async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (used.user + used.system) / 1000 };
}

function statusText(r: ExploreResult): string {
  if (r.status === 'exhausted') return r.states !== undefined ? 'proven' : 'exhausted';
  if (r.status === 'failed') return `failed (${r.outcome.failure?.check ?? '?'})`;
  return `>cap (${r.limit})`;
}

async function proofs(goals: Goal[]): Promise<string[][]> {
  const rows: string[][] = [];
  for (const tasks of [2, 3, 4, 5]) {
    const scenario = globalEngine(tasks, true);
    const stateful = await timed(() =>
      explore(scenarioExecute(scenario, { trace: true }), { strategy: { kind: 'stateful' }, maxSeconds: PROOF_CAP_SECONDS }),
    );
    const dfs = await timed(() => explore(scenarioExecute(scenario), { strategy: { kind: 'dfs', bound: 2 }, maxSeconds: PROOF_CAP_SECONDS }));
    const s = stateful.value;
    const c = s.states!;
    const dfsDone = dfs.value.status === 'exhausted';
    rows.push([
      String(tasks),
      statusText(s),
      count(c.states),
      count(c.transitions),
      count(s.executions),
      duration(stateful.ms),
      duration(stateful.cpuMs),
      `${statusText(dfs.value)}, ${count(dfs.value.executions)} runs`,
      `${dfsDone ? '' : '>'}${duration(dfs.ms)}`,
      s.status === 'exhausted' && dfsDone ? times(stateful.ms / dfs.ms) : '-',
    ]);
    const goal = PROOF_GOALS[tasks];
    if (goal !== undefined) {
      goals.push({
        figure: `global engine, ${tasks} tasks: all interleavings proven (stateful)`,
        measured: s.status === 'exhausted' ? `${duration(stateful.ms)} (cpu ${duration(stateful.cpuMs)}; bound-2 dfs ${dfsDone ? '' : '>'}${duration(dfs.ms)})` : `not finished in ${PROOF_CAP_SECONDS} s (${count(c.states)} states)`,
        goal: `proven within ${goal} s`,
        met: s.status === 'exhausted' && stateful.ms <= goal * 1000,
      });
    }
  }
  return rows;
}

async function fastCheckRuns(model: models.RaceModel): Promise<{ median: number; capped: number }> {
  const property = fc.asyncProperty(fc.scheduler(), async (s) => {
    const m = new models.Model(s);
    model(m);
    await s.waitIdle();
    return m.failure === undefined;
  });
  const runs: number[] = [];
  let capped = 0;
  for (let seed = 0; seed < FC_SEEDS; seed++) {
    const r = await fc.check(property, { seed, numRuns: FC_CAP, endOnFailure: true });
    runs.push(r.failed ? r.numRuns : Infinity);
    if (!r.failed) capped++;
  }
  return { median: median(runs), capped };
}

async function deepRace(goals: Goal[]): Promise<string[][]> {
  const rows: string[][] = [];
  let worst = '';
  let met = true;
  for (let d = 1; d <= DEEP_SYSCALLS; d++) {
    const scenario = deepRcuOnlyScenario(DEEP_TRACER_WORK, d);
    const stateful = await explore(scenarioExecute(scenario, { trace: true }), { strategy: { kind: 'stateful' }, maxSeconds: 60 });
    const dfs = await explore(scenarioExecute(scenario), { strategy: { kind: 'dfs', bound: 2 }, maxSeconds: 60 });
    const theirs = await fastCheckRuns(models.deepRcuOnlyModel(DEEP_TRACER_WORK, d));
    const ours = stateful.status === 'failed' ? stateful.executions : Infinity;
    const fcText = theirs.median === Infinity ? `>${count(FC_CAP)}` : count(theirs.median);
    const ok = ours <= theirs.median;
    if (!ok) {
      met = false;
      worst += ` D=${d}`;
    }
    rows.push([
      String(d),
      stateful.status === 'failed' ? count(stateful.executions) : statusText(stateful),
      dfs.status === 'failed' ? count(dfs.executions) : statusText(dfs),
      `${fcText}${theirs.capped > 0 ? ` (${theirs.capped} of ${FC_SEEDS} seeds capped)` : ''}`,
      ok ? 'yes' : 'NO',
    ]);
  }
  goals.push({
    figure: 'deep rcu-only race, D = 1..10: stateful runs to the first failure against the median of fast-check',
    measured: met ? 'at most the median at every D' : `more than the median at${worst}`,
    goal: "never more than fast-check's median at any D",
    met,
  });
  return rows;
}

/** The thread's first race with a bystander task that has many system calls. */
const padded: Scenario = defineScenario({
  name: 'set-events-einprogress-free-padded',
  description: 'The first race of the thread, beside a bystander task whose system calls pad the schedule.',
  expect: 'unsafe',
  maxSteps: 10_000_000,
  build(kernel) {
    setEventsEinprogressFree.build(kernel);
    kernel.spawn('bystander', Array.from({ length: LONG_RUN_STEPS }, (_, i) => sys(i % 400)));
  },
});

/** Follows `base` for the race's threads, with `pad` steps of the bystander before each. */
class PaddingScheduler implements Scheduler {
  #next = 0;
  #padded = 0;

  constructor(
    readonly base: readonly number[],
    readonly bystander: number,
    readonly pad: number,
  ) {}

  pick(point: SchedulingPoint): number {
    if (this.#padded < this.pad && point.runnable.includes(this.bystander)) {
      this.#padded++;
      return this.bystander;
    }
    this.#padded = 0;
    return this.base[this.#next++] ?? point.runnable[0]!;
  }
}

async function longShorten(goals: Goal[]): Promise<string[][]> {
  const found = await explore(scenarioExecute(setEventsEinprogressFree), { strategy: { kind: 'dfs', bound: 2 } });
  if (found.status !== 'failed') throw new Error('bench: the first race was not found');
  const base = found.outcome.schedule;
  const bystander = found.outcome.threads.length; // spawned after the race's threads
  const execute = scenarioExecute(padded);
  const long = await execute(new PaddingScheduler(base, bystander, Math.ceil(LONG_RUN_STEPS / base.length)));
  if (long.status !== 'failed') throw new Error('bench: the padded run did not fail');
  const r = await timed(() => shorten(execute, long.schedule, long.failure!.check, { maxSeconds: SHORTEN_CAP_SECONDS }));
  goals.push({
    figure: `shortening a failing run of ${count(long.schedule.length)} steps`,
    measured: `${duration(r.ms)} to ${count(r.value.steps)} steps`,
    goal: `within ${SHORTEN_GOAL_SECONDS} s`,
    met: r.ms <= SHORTEN_GOAL_SECONDS * 1000,
  });
  return [[count(long.schedule.length), long.failure!.check, count(r.value.steps), String(r.value.preemptions), duration(r.ms), duration(r.cpuMs)]];
}

/**
 * The exploration engine benchmark.
 * @returns its tables and goals.
 */
export async function stateful(): Promise<BenchResult> {
  const goals: Goal[] = [];
  const proofRows = await proofs(goals);
  const deepRows = await deepRace(goals);
  const shortRows = await longShorten(goals);
  return {
    tables: [
      {
        title: `Global engine with counters: stateful search over all interleavings against exhaustive dfs at bound 2, each capped at ${PROOF_CAP_SECONDS} s`,
        header: ['tasks', 'stateful', 'states', 'transitions', 'runs', 'time', 'cpu', 'dfs bound 2', 'dfs time', 'stateful/dfs'],
        rows: proofRows,
        notes: ['stateful/dfs: the stateful proof (no bound) over the dfs proof within bound 2, both measured in this run.'],
      },
      {
        title: `Deep rcu-only race (tracer work ${DEEP_TRACER_WORK}), the detaching call at system call D: runs to the first failure; fast-check median of ${FC_SEEDS} seeds, each capped at ${count(FC_CAP)} runs`,
        header: ['D', 'stateful', 'dfs (bound 2)', 'fast-check median', 'stateful <= fast-check'],
        rows: deepRows,
      },
      {
        title: `Shortening a long failing run (the first race padded by a bystander task), capped at ${SHORTEN_CAP_SECONDS} s`,
        header: ['steps', 'check', 'steps after', 'preemptions after', 'time', 'cpu'],
        rows: shortRows,
      },
    ],
    goals,
  };
}
