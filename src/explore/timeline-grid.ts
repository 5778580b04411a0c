/**
 * The grid both timelines draw: one lane per thread that took a step (threads that took none
 * are folded away), one row per step, each cell the trace text of that step, with symbolic
 * codes, in the lane of the thread that took it.
 * @packageDocumentation
 */
import { describeThrown } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import type { ExecutionOutcome } from '../sched/execution.js';
import { symbolicTrace } from './timeline-symbols.js';

/**
 * Checks a renderer's arguments: an outcome of a run (with its schedule, trace and threads)
 * and an options object whose `width`, when given, is a number.
 * @internal
 */
export function checkTimelineArgs(outcome: unknown, options: unknown, call: string): void {
  try {
    checkArgs(outcome, options, call);
  } catch (e) {
    if (e instanceof UtraceUsageError) throw e;
    throw new UtraceUsageError('bad-option', `${call}: reading the outcome or the options threw (${describeThrown(e)}); pass an ExecutionOutcome and a plain options object`);
  }
}

function checkArgs(outcome: unknown, options: unknown, call: string): void {
  const o = outcome as Partial<ExecutionOutcome> | null;
  if (typeof o !== 'object' || o === null || !Array.isArray(o.schedule) || !Array.isArray(o.trace) || !Array.isArray(o.threads)) {
    throw new UtraceUsageError('bad-option', `${call}: outcome must be the ExecutionOutcome of a run (Kernel.run, explore), with its schedule, trace and threads; got ${o === null ? 'null' : typeof o === 'object' ? 'an object that is not one' : typeof o}`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new UtraceUsageError('bad-option', `${call}: options must be an object, or left out; got ${options === null ? 'null' : typeof options}`);
  }
  const width = (options as { width?: unknown }).width;
  if (width !== undefined && typeof width !== 'number') {
    throw new UtraceUsageError('bad-option', `${call}: options.width must be a number of columns; got ${typeof width}`);
  }
  const maxRows = (options as { maxRows?: unknown }).maxRows;
  if (maxRows !== undefined && (typeof maxRows !== 'number' || !(maxRows >= 1))) {
    throw new UtraceUsageError('bad-option', `${call}: options.maxRows must be a number of at least 1 (Infinity shows every step); got ${typeof maxRows === 'number' ? maxRows : typeof maxRows}`);
  }
}

/**
 * The lanes and cells of a timeline.
 * @internal
 */
export interface TimelineGrid {
  /** Thread ids, one per lane, ascending: the threads that took a step or have trace text. */
  readonly lanes: readonly number[];
  /** Threads of the run that took no step and have no trace text (folded away), ascending. */
  readonly folded: readonly number[];
  /**
   * The steps at which the scheduler preempted a runnable thread, mapped to the thread
   * preempted (the one that took the step before).
   */
  readonly preempted: ReadonlyMap<number, number>;
  /** Lane index of each thread id. */
  readonly laneOf: ReadonlyMap<number, number>;
  /** A thread's name, or `thread N` when it has none. */
  readonly nameOf: (id: number) => string;
  /** Rows: every step taken, and any step the trace mentions past the schedule. */
  readonly rowCount: number;
  /** Cell text by row and lane; a step with no trace line shows `·` in its thread's lane. */
  readonly cells: readonly (readonly (string | undefined)[])[];
}

/**
 * Lays `outcome` out as a grid; `text` turns each trace line and thread name into what the
 * renderer shows (the terminal strips control characters, the SVG keeps them for escaping).
 * Trace lines are rewritten with symbolic codes first ({@link symbolicTrace}).
 * @internal
 */
export function timelineGrid(outcome: ExecutionOutcome, text: (s: string) => string = (s) => s): TimelineGrid {
  const { schedule, trace } = outcome;
  const names = new Map<number, string>();
  for (const t of outcome.threads) names.set(t.id, t.name);
  const laneIds = new Set<number>();
  for (const t of schedule) laneIds.add(t);
  for (const e of trace) if (e.thread >= 0) laneIds.add(e.thread);
  const failing = outcome.failure?.thread;
  if (failing !== undefined && failing >= 0) laneIds.add(failing);
  for (const r of outcome.failure?.related ?? []) if (r.thread >= 0) laneIds.add(r.thread);
  // A run with no step at all still shows its threads.
  if (laneIds.size === 0) for (const id of names.keys()) laneIds.add(id);
  const lanes = [...laneIds].sort((a, b) => a - b);
  const folded = [...names.keys()].filter((id) => !laneIds.has(id)).sort((a, b) => a - b);
  const preempted = new Map<number, number>();
  for (const step of outcome.preemptionSteps ?? []) {
    const before = schedule[step - 1];
    if (before !== undefined && step < schedule.length) preempted.set(step, before);
  }
  const laneOf = new Map<number, number>();
  lanes.forEach((id, i) => laneOf.set(id, i));
  const nameOf = (id: number): string => text(names.get(id) ?? '') || `thread ${id}`;

  let rowCount = schedule.length;
  for (const e of trace) if (e.step + 1 > rowCount) rowCount = e.step + 1;
  const cells: (string | undefined)[][] = [];
  for (let s = 0; s < rowCount; s++) cells.push(new Array<string | undefined>(lanes.length));
  for (const e of trace) {
    if (e.step < 0) continue;
    const thread = e.thread >= 0 ? e.thread : schedule[e.step];
    const lane = thread === undefined ? 0 : (laneOf.get(thread) ?? 0);
    const row = cells[e.step]!;
    const line = text(symbolicTrace(e.text));
    row[lane] = row[lane] === undefined ? line : `${row[lane]}; ${line}`;
  }
  for (let s = 0; s < schedule.length; s++) {
    const row = cells[s]!;
    if (!row.some((c) => c !== undefined)) row[laneOf.get(schedule[s]!)!] = '·';
  }
  return { lanes, folded, preempted, laneOf, nameOf, rowCount, cells };
}

/**
 * A piece of a timeline's body: a step's row, or a run of steps left out.
 * @internal
 */
export type TimelineSpan = { readonly kind: 'row'; readonly step: number } | { readonly kind: 'gap'; readonly from: number; readonly to: number };

/**
 * Which rows a timeline shows when it may show at most `maxRows`: every row when they fit;
 * otherwise the rows around the failing step, its related steps and the first preemptions,
 * then as many of the first and last rows as the budget leaves; the rest become gaps.
 * @internal
 */
export function visibleSpans(outcome: ExecutionOutcome, grid: TimelineGrid, maxRows: number): TimelineSpan[] {
  const n = grid.rowCount;
  const spans: TimelineSpan[] = [];
  if (n <= maxRows) {
    for (let s = 0; s < n; s++) spans.push({ kind: 'row', step: s });
    return spans;
  }
  const budget = Math.max(1, Math.floor(maxRows));
  const keep = new Set<number>();
  const around = (step: number, radius: number): void => {
    for (let s = step - radius; s <= step + radius; s++) if (s >= 0 && s < n && keep.size < budget) keep.add(s);
  };
  const failure = outcome.failure;
  if (failure !== undefined) around(Math.min(failure.step, n - 1), 3);
  for (const r of failure?.related ?? []) around(r.step, 1);
  let marked = 0;
  for (const step of grid.preempted.keys()) {
    if (marked++ >= 8) break;
    around(step, 1);
  }
  // Fill the rest from both ends, the head first.
  for (let i = 0; keep.size < budget && i < n; i++) {
    keep.add(i);
    if (keep.size < budget) keep.add(n - 1 - i);
  }
  let gapFrom = -1;
  for (let s = 0; s < n; s++) {
    if (keep.has(s)) {
      if (gapFrom >= 0) spans.push({ kind: 'gap', from: gapFrom, to: s - 1 });
      gapFrom = -1;
      spans.push({ kind: 'row', step: s });
    } else if (gapFrom < 0) {
      gapFrom = s;
    }
  }
  if (gapFrom >= 0) spans.push({ kind: 'gap', from: gapFrom, to: n - 1 });
  return spans;
}
