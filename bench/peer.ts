/**
 * Against a peer: how many runs our search strategies and fast-check's scheduler
 * (`fc.scheduler()`, random interleavings of scheduled promises) need before the first run
 * that breaks a rule, on the thread's four unsafe cases and on a deep variant
 * (`bench/deep-rcu-only.ts`). The same races are written for fast-check in
 * `bench/peer-models.ts`.
 *
 * Depth-first search is deterministic: it needs the same number of runs whatever the seed.
 * PCT, our random strategy and fast-check are measured over {@link SEEDS} seeds and the
 * median is reported.
 * @packageDocumentation
 */
import fc from 'fast-check';
import { scenario as detachEinprogressUnload } from '../examples/detach-einprogress-unload.js';
import { scenario as globalNoCounters } from '../examples/global-no-counters.js';
import { scenario as rcuOnlySync } from '../examples/rcu-only-sync.js';
import { scenario as safeDetach } from '../examples/safe-detach.js';
import { scenario as deathDetach } from '../examples/death-detach.js';
import { scenario as globalCounters } from '../examples/global-counters.js';
import { scenario as setEventsEinprogressFree } from '../examples/set-events-einprogress-free.js';
import { explore } from '../src/explore/explore.js';
import type { StrategyOptions } from '../src/explore/strategy.js';
import { type Scenario, scenarioExecute } from '../src/scenario/index.js';
import { DEEP_TRACER_WORK, deepRcuOnly } from './deep-rcu-only.js';
import * as models from './peer-models.js';
import { type BenchResult, count, duration, type Goal, median } from './row.js';

/** Seeds per randomized strategy. */
export const SEEDS = 20;
/** Runs after which a randomized search of one seed gives up. */
const CAP = 50_000;

interface Race {
  readonly scenario: Scenario;
  readonly model: models.RaceModel;
  readonly deep: boolean;
}

const races: readonly Race[] = [
  { scenario: setEventsEinprogressFree, model: models.setEventsEinprogressFree, deep: false },
  { scenario: detachEinprogressUnload, model: models.detachEinprogressUnload, deep: false },
  { scenario: rcuOnlySync, model: models.rcuOnlySync, deep: false },
  { scenario: globalNoCounters, model: models.globalNoCounters, deep: false },
  { scenario: deepRcuOnly, model: models.deepRcuOnlyModel(), deep: true },
];

/** Runs until the first failure, per seed, and the time the searches took. */
interface Search {
  readonly runs: number[];
  readonly capped: number;
  readonly ms: number;
}

async function ours(scenario: Scenario, strategy: (seed: number) => StrategyOptions, seeds: number): Promise<Search> {
  const execute = scenarioExecute(scenario);
  const runs: number[] = [];
  let capped = 0;
  const start = performance.now();
  for (let seed = 0; seed < seeds; seed++) {
    const r = await explore(execute, { strategy: strategy(seed), maxExecutions: CAP });
    runs.push(r.executions);
    if (r.status !== 'failed') capped++;
  }
  return { runs, capped, ms: performance.now() - start };
}

async function theirs(model: models.RaceModel): Promise<Search> {
  const property = fc.asyncProperty(fc.scheduler(), async (s) => {
    const m = new models.Model(s);
    model(m);
    await s.waitIdle();
    return m.failure === undefined;
  });
  const runs: number[] = [];
  let capped = 0;
  const start = performance.now();
  for (let seed = 0; seed < SEEDS; seed++) {
    const r = await fc.check(property, { seed, numRuns: CAP, endOnFailure: true });
    runs.push(r.numRuns);
    if (!r.failed) capped++;
  }
  return { runs, capped, ms: performance.now() - start };
}

/** The median of a search, `>50,000` when it is a capped value. */
function med(s: Search): { value: number; text: string } {
  const value = median(s.runs);
  const sorted = [...s.runs].sort((a, b) => a - b);
  const capped = s.capped > 0 && value >= CAP;
  return { value, text: `${capped ? '>' : ''}${count(value)}${s.runs.length > 1 && sorted[0] !== sorted[sorted.length - 1] ? ` (${count(sorted[0]!)}-${capped ? '>' : ''}${count(sorted[sorted.length - 1]!)})` : ''}` };
}

function mean(s: Search): number {
  return s.runs.reduce((a, b) => a + b, 0) / s.runs.length;
}

/** Exhaustive search of the safe cases: what random search cannot give. */
async function proofs(): Promise<string[][]> {
  const rows: string[][] = [];
  for (const scenario of [safeDetach, deathDetach, globalCounters]) {
    const r = await explore(scenarioExecute(scenario), { strategy: { kind: 'dfs', bound: 2 } });
    rows.push([
      scenario.name,
      r.status === 'exhausted' ? `exhausted: every schedule within bound 2 checked, none fails` : r.status,
      count(r.executions),
      duration(r.elapsedMs),
    ]);
  }
  return rows;
}

/**
 * The peer benchmark.
 * @returns its table and goals.
 */
export async function peer(): Promise<BenchResult> {
  const rows: string[][] = [];
  const goals: Goal[] = [];
  const fidelity: string[] = [];
  for (const race of races) {
    const name = race.scenario.name;
    const dfs = await ours(race.scenario, () => ({ kind: 'dfs', bound: 2 }), 1);
    const pct = await ours(race.scenario, (seed) => ({ kind: 'pct', seed }), SEEDS);
    const random = await ours(race.scenario, (seed) => ({ kind: 'random', seed }), SEEDS);
    const fcs = await theirs(race.model);
    const d = med(dfs);
    const p = med(pct);
    const r = med(random);
    const f = med(fcs);
    rows.push([
      name + (race.deep ? ` (tracer work ${DEEP_TRACER_WORK})` : ''),
      d.text,
      p.text,
      r.text,
      f.text,
      `${Math.round((fcs.ms * 1000) / fcs.runs.reduce((a, b) => a + b, 0))} us`,
    ]);
    fidelity.push(`${name}: mean runs to the first failure, our random ${count(mean(random))}, fast-check ${count(mean(fcs))}`);
    const factor = race.deep ? 10 : 1;
    const goalText = race.deep ? 'at most a tenth of fast-check' : 'no more than fast-check';
    for (const [label, search, ourMedian] of [
      ['dfs', dfs, d],
      ['pct', pct, p],
    ] as const) {
      goals.push({
        figure: `peer, ${name}: ${label} runs to the first failure (median) against fast-check's median`,
        measured: `${ourMedian.text.split(' ')[0]} vs ${f.text.split(' ')[0]}`,
        goal: goalText,
        met: search.capped <= SEEDS / 2 && ourMedian.value * factor <= f.value,
      });
    }
  }
  return {
    tables: [
      {
        title: `Runs until the first failing run, median over ${SEEDS} seeds (range in brackets); dfs is deterministic; searches give up after ${count(CAP)} runs`,
        header: ['race', 'ours: dfs (bound 2)', 'ours: pct (depth 3)', 'ours: random', 'fast-check fc.scheduler()', 'fast-check time per run'],
        rows,
        notes: [
          'The models written for fast-check take the same scheduling points as the simulation; as a check, a uniformly random',
          'choice should need about as many runs in both (the number of runs to a failure is geometric, so means of 20 seeds vary):',
          ...fidelity.map((l) => `  ${l}`),
        ],
      },
      {
        title: 'What random search cannot give: exhaustive search of the safe cases proves them within the preemption bound',
        header: ['safe case', 'dfs result', 'executions', 'time'],
        rows: await proofs(),
        notes: [
          'fast-check (and our random and pct strategies) can only sample schedules: any number of passing runs leaves unrun',
          'schedules that may fail. An exhausted dfs search has run every schedule with at most 2 preemptions.',
        ],
      },
    ],
    goals,
  };
}
