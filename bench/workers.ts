/**
 * Searches in worker threads against the same search in this thread: the exhaustive bound-2
 * dfs of global-counters (59,640 runs) in this thread, in 1 worker and in 2 workers, taken in
 * turn `ROUNDS` times, with the machine's load average beside each. Prints the medians, the
 * cost of a worker per run, and the 2-worker speed-up. Run: `npm run build && node build/bench/workers.js`.
 */
import { loadavg } from 'node:os';
import { examples } from '../examples/index.js';
import { explore } from '../src/explore/explore.js';
import { exploreInWorkers } from '../src/explore/workers.js';
import { scenarioExecute } from '../src/scenario/execute.js';

const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const name = 'global-counters';
const scenario = examples[name]!;
const module = new URL('../examples/index.js', import.meta.url);
const times: Record<string, number[]> = { thread: [], 'workers 1': [], 'workers 2': [] };
let runs = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of Object.keys(times)) {
    const start = performance.now();
    const result =
      mode === 'thread'
        ? await explore(scenarioExecute(scenario), { strategy: { kind: 'dfs', bound: 2 } })
        : await exploreInWorkers({ module, export: 'examples', scenario: name, strategy: { kind: 'dfs', bound: 2 }, workers: mode === 'workers 1' ? 1 : 2 });
    const ms = performance.now() - start;
    runs = result.executions;
    times[mode]!.push(ms);
    console.log(`${mode}: ${result.status}, ${result.executions} runs, ${(ms / 1000).toFixed(2)} s (load average ${loadavg()[0]!.toFixed(1)})`);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [thread, one, two] = [median(times['thread']!), median(times['workers 1']!), median(times['workers 2']!)];
console.log(`medians: thread ${(thread / 1000).toFixed(2)} s, 1 worker ${(one / 1000).toFixed(2)} s, 2 workers ${(two / 1000).toFixed(2)} s`);
console.log(`worker cost per run (1 worker - thread, start-up included): ${(((one - thread) * 1000) / runs).toFixed(1)} us`);
console.log(`--workers 2 speed-up over 1: ${(one / two).toFixed(2)}x`);
