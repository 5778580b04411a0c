/**
 * Growth of the exhaustive search: a global engine (one set of ops with per-CPU counters on
 * each of T tasks, torn down by detaching every engine and `module_unload` waiting on the
 * counters: the shape of `examples/global-counters.ts`) explored exhaustively at preemption
 * bound 2 for T = 1 to 6, each row stopped at a time cap. Beside it, the same teardown
 * without the counters (the unsafe shape of `examples/global-no-counters.ts`): runs until the
 * first failure under dfs and under PCT, to show where sampling becomes the better tool.
 * @packageDocumentation
 */
import { explore } from '../src/explore/explore.js';
import { buildGlobalTeardown } from '../examples/global-teardown.js';
import { defineScenario, type Scenario, scenarioExecute } from '../src/scenario/index.js';
import { type BenchResult, count, duration, median } from './row.js';

/** Seconds an exhaustive search of one row may take before it is stopped. */
export const CAP_SECONDS = 60;
/** Task counts measured. */
const TASKS = [1, 2, 3, 4, 5, 6] as const;
/** Seeds of the PCT searches on the unsafe shape. */
const PCT_SEEDS = 10;

/** A global engine on `tasks` tasks, with or without per-CPU counters. */
export function globalEngine(tasks: number, counters: boolean): Scenario {
  return defineScenario({
    name: `global-${counters ? 'counters' : 'no-counters'}-${tasks}`,
    description: `A global engine on ${tasks} task(s), torn down by detaching each engine and unloading the module${counters ? ', which waits on per-CPU counters' : ' without counters'}.`,
    expect: counters ? 'safe' : 'unsafe',
    build: (kernel) => buildGlobalTeardown(kernel, { tasks, counters }),
  });
}

/**
 * The growth benchmark.
 * @returns its table; no goal (the figure is reported).
 */
export async function growth(): Promise<BenchResult> {
  const rows: string[][] = [];
  let firstCapped: number | undefined;
  for (const t of TASKS) {
    const safe = await explore(scenarioExecute(globalEngine(t, true)), { strategy: { kind: 'dfs', bound: 2 }, maxSeconds: CAP_SECONDS });
    const capped = safe.status !== 'exhausted';
    if (capped && firstCapped === undefined) firstCapped = t;
    const unsafe = scenarioExecute(globalEngine(t, false));
    const dfs = await explore(unsafe, { strategy: { kind: 'dfs', bound: 2 }, maxSeconds: CAP_SECONDS });
    const pct: number[] = [];
    for (let seed = 0; seed < PCT_SEEDS; seed++) {
      const r = await explore(unsafe, { strategy: { kind: 'pct', seed }, maxExecutions: 100_000 });
      pct.push(r.status === 'failed' ? r.executions : Infinity);
    }
    rows.push([
      String(t),
      `${capped ? '>' : ''}${count(safe.executions)}`,
      capped ? `>cap (${CAP_SECONDS} s)` : duration(safe.elapsedMs),
      count((safe.executions * 1000) / safe.elapsedMs),
      dfs.status === 'failed' ? count(dfs.executions) : `>${count(dfs.executions)}`,
      count(median(pct)),
    ]);
  }
  return {
    tables: [
      {
        title: `Exhaustive dfs at preemption bound 2 on a global engine with counters (safe), per-row cap ${CAP_SECONDS} s; and the unsafe twin without counters`,
        header: ['tasks', 'safe: executions', 'safe: time to exhaust', 'executions/s', 'unsafe: dfs runs to failure', `unsafe: pct runs to failure (median of ${PCT_SEEDS})`],
        rows,
        notes: [
          firstCapped === undefined
            ? 'Every row was exhausted within the cap.'
            : `From ${firstCapped} tasks on, the exhaustive search does not finish within ${CAP_SECONDS} s: past that point a proof within the bound is out of`,
          ...(firstCapped === undefined
            ? []
            : [
                'reach, a truncated dfs has only varied the last steps of the run, and PCT is the better tool: each of its runs finds a',
                'bug of depth d with probability at least 1/(n k^(d-1)) for n threads and k steps, wherever in the run the bug lies.',
              ]),
        ],
      },
    ],
    goals: [],
  };
}
