/**
 * One line of a benchmark's table.
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
