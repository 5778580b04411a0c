/**
 * `npm run bench`: runs every benchmark and prints one table each. Benchmarks are not tests:
 * they assert nothing and their numbers depend on the machine. Add a benchmark by adding an
 * entry to `benchmarks`.
 * @packageDocumentation
 */
import { cpus } from 'node:os';
import { exploreRate } from './explore-rate.js';
import type { BenchRow } from './row.js';

const benchmarks: readonly { readonly name: string; readonly run: () => Promise<BenchRow[]> }[] = [
  { name: 'explorer rate (tracing off while searching)', run: exploreRate },
];

function count(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function print(rows: readonly BenchRow[]): void {
  const table = [
    ['benchmark', 'strategy', 'executions', 'time', 'executions/s', 'note', 'command'],
    ...rows.map((r) => [
      r.benchmark,
      r.strategy,
      count(r.executions),
      r.ms < 1000 ? `${Math.round(r.ms)} ms` : `${(r.ms / 1000).toFixed(2)} s`,
      count((r.executions * 1000) / r.ms),
      r.note,
      r.command,
    ]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const numeric = new Set([2, 3, 4]);
  const line = (row: readonly string[]): string =>
    row.map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  console.log(line(table[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table.slice(1)) console.log(line(row));
}

console.log(`command: npm run bench (node build/bench/run.js); node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}`);
for (const b of benchmarks) {
  console.log(`\n${b.name}`);
  print(await b.run());
}
