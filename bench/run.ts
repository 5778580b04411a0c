/**
 * `npm run bench`: runs every benchmark, prints its tables, then every figure that has a
 * goal, with the goal and whether it is met. Benchmarks are not tests: they assert nothing,
 * and their numbers depend on the machine, so each figure is a ratio measured side by side
 * in one run wherever it can be. Add a benchmark by adding an entry to `benchmarks`; run
 * only some with `node build/bench/run.js <name>...`.
 * @packageDocumentation
 */
import { cpus, loadavg } from 'node:os';
import { exploreRate } from './explore-rate.js';
import { growth } from './growth.js';
import { peer } from './peer.js';
import { reporting } from './reporting.js';
import { type BenchResult, type BenchTable, duration, type Goal } from './row.js';
import { size } from './size.js';
import { stateful } from './stateful.js';
import { typeCost } from './typecost.js';

const benchmarks: readonly { readonly name: string; readonly title: string; readonly run: () => Promise<BenchResult> }[] = [
  { name: 'reporting', title: '1. Reporting pass: cost per callback against a plain loop', run: reporting },
  { name: 'explore', title: '2. Explorer rate (tracing off while searching) against a straight run', run: exploreRate },
  { name: 'peer', title: "3. Runs to the first failure against a peer (fast-check's scheduler)", run: peer },
  { name: 'types', title: '4. Type-check cost: phantom-state API against an erased facade', run: typeCost },
  { name: 'size', title: '5. Size of the package entries', run: size },
  { name: 'growth', title: '6. Growth of exhaustive search with the number of tasks', run: growth },
  { name: 'stateful', title: '7. Exploration engine: proofs over all interleavings, the deep race, shortening a long run', run: stateful },
];

function printTable(t: BenchTable): void {
  console.log(`\n${t.title}`);
  const table = [t.header, ...t.rows];
  const widths = t.header.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length)));
  const numeric = widths.map((_, c) => t.rows.length > 0 && t.rows.every((row) => /^[>~]?[-\d,.]+( ?[a-z%x]+)?( \(.*\))?$/i.test(row[c] ?? '')));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  console.log(line(t.header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of t.rows) console.log(line(row));
  for (const note of t.notes ?? []) console.log(note);
}

/** The 1-minute load average: on a shared machine, what else was running. */
function load(): string {
  return loadavg()[0]!.toFixed(2);
}

const only = process.argv.slice(2);
const started = performance.now();
const goals: Goal[] = [];
console.log(
  `command: npm run bench (node build/bench/run.js${only.length > 0 ? ` ${only.join(' ')}` : ''}); ${new Date().toISOString()}; ` +
    `node ${process.version}; ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown CPU'}); load average ${load()}`,
);
for (const b of benchmarks) {
  if (only.length > 0 && !only.includes(b.name)) continue;
  const t0 = performance.now();
  console.log(`\n=== ${b.title}`);
  const result = await b.run();
  for (const t of result.tables) printTable(t);
  for (const g of result.goals) console.log(`goal: ${g.figure}: ${g.measured}; goal ${g.goal}${g.met === undefined ? '' : g.met ? ': MET' : ': NOT MET'}`);
  goals.push(...result.goals);
  console.log(`(${b.name}: ${duration(performance.now() - t0)}; load average now ${load()})`);
}

printTable({
  title: `=== Every figure with a goal (${duration(performance.now() - started)} in all)`,
  header: ['figure', 'measured', 'goal', 'met'],
  rows: goals.map((g) => [g.figure, g.measured, g.goal, g.met === undefined ? '-' : g.met ? 'yes' : 'NO']),
});
