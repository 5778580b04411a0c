/**
 * The grid both timelines draw: one lane per thread, one row per step, each cell the trace
 * text of that step in the lane of the thread that took it.
 * @packageDocumentation
 */
import { describeThrown } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import type { ExecutionOutcome } from '../sched/execution.js';

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
}

/**
 * The lanes and cells of a timeline.
 * @internal
 */
export interface TimelineGrid {
  /** Thread ids, one per lane, ascending. */
  readonly lanes: readonly number[];
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
 * @internal
 */
export function timelineGrid(outcome: ExecutionOutcome, text: (s: string) => string = (s) => s): TimelineGrid {
  const { schedule, trace } = outcome;
  const names = new Map<number, string>();
  for (const t of outcome.threads) names.set(t.id, t.name);
  const laneIds = new Set<number>(names.keys());
  for (const t of schedule) laneIds.add(t);
  for (const e of trace) if (e.thread >= 0) laneIds.add(e.thread);
  const lanes = [...laneIds].sort((a, b) => a - b);
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
    const line = text(e.text);
    row[lane] = row[lane] === undefined ? line : `${row[lane]}; ${line}`;
  }
  for (let s = 0; s < schedule.length; s++) {
    const row = cells[s]!;
    if (!row.some((c) => c !== undefined)) row[laneOf.get(schedule[s]!)!] = '·';
  }
  return { lanes, laneOf, nameOf, rowCount, cells };
}
