/**
 * What a benchmark returns: tables to print, and the figures that have a goal.
 * @packageDocumentation
 */

/** A measurement: what was measured, how, how many runs in how long, and the command that does the same. */
export interface BenchRow {
  /** What was measured. */
  readonly benchmark: string;
  /** The strategy and settings. */
  readonly strategy: string;
  /** Runs made. */
  readonly executions: number;
  /** Milliseconds taken. */
  readonly ms: number;
  /** Anything else worth knowing about the measurement. */
  readonly note: string;
  /** A command line that makes a comparable search. */
  readonly command: string;
}

/** A table of cells, printed with aligned columns. */
export interface BenchTable {
  /** A line above the table. */
  readonly title: string;
  /** Column headings. */
  readonly header: readonly string[];
  /** Rows, one cell per heading. */
  readonly rows: readonly (readonly string[])[];
  /** Lines printed under the table. */
  readonly notes?: readonly string[];
}

/** A figure with a goal, and whether the measurement meets it. */
export interface Goal {
  /** What the figure is. */
  readonly figure: string;
  /** The measured value, in words. */
  readonly measured: string;
  /** The goal, in words. */
  readonly goal: string;
  /** Whether it is met; undefined when it could not be measured. */
  readonly met: boolean | undefined;
}

/** What one benchmark returns. */
export interface BenchResult {
  readonly tables: readonly BenchTable[];
  readonly goals: readonly Goal[];
}

/** `1234567` as `1,234,567`. */
export function count(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Milliseconds as `12 ms` or `3.45 s`. */
export function duration(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** A ratio as `1.73x`. */
export function times(r: number): string {
  return `${r < 10 ? r.toFixed(2) : r < 100 ? r.toFixed(1) : Math.round(r)}x`;
}

/** Nanoseconds as `123 ns` or `1.23 us`. */
export function nanos(ns: number): string {
  return ns < 1000 ? `${ns < 10 ? ns.toFixed(2) : Math.round(ns)} ns` : `${(ns / 1000).toFixed(2)} us`;
}

/** The median of `values` (the lower middle of an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}
