/**
 * The terminal timeline of a run: one lane (column) per thread, one row per step, the step
 * where a check fired and the steps that led there marked, and the failure spelled out below.
 *
 * @packageDocumentation
 */
import { checkTimelineArgs, timelineGrid } from './timeline-grid.js';
import type { ExecutionOutcome } from '../sched/execution.js';

/**
 * Options of {@link renderTimelineText}.
 * @public
 */
export interface TimelineTextOptions {
  /** Longest line, in characters; longer lines are cut with `…`. Default 120, at least 20. */
  readonly width?: number;
  /** Colour the failure row red, related rows yellow, the header bold (ANSI escapes). Default off. */
  readonly color?: boolean;
  /** First line of the output; default a summary of the run. */
  readonly title?: string;
}

/**
 * Marker put before the row of the step where the check fired.
 * @public
 */
export const FAILURE_MARKER = '!!';

/**
 * Marker put before the rows of the steps that set the failure up.
 * @public
 */
export const RELATED_MARKER = '>>';

const DEFAULT_WIDTH = 120;
const MIN_WIDTH = 20;
const MIN_LANE = 3;
const ELLIPSIS = '…';
const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const BOLD = '\u001b[1m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

type Mark = '' | typeof FAILURE_MARKER | typeof RELATED_MARKER;

/**
 * Renders a run as a timeline for a terminal.
 *
 * The output has a title line, a header with one lane per thread (named after the thread), a
 * row per step with the step's trace text in the lane of the thread that took it (several
 * trace lines of one step are joined with `; `; a step without trace shows `·`), and a footer
 * with the failure's check, where it fired, its message and its related steps. The row of the
 * failing step starts with {@link FAILURE_MARKER}, rows of related steps with
 * {@link RELATED_MARKER}. No line is longer than `width` characters (ANSI escapes, when
 * `color` is on, do not count); control characters in trace text are shown as spaces. The
 * result ends without a newline.
 *
 * @example
 * ```ts
 * import { explore, renderTimelineText, scenarioExecute, type Scenario } from 'utrace/explore';
 * declare const scenario: Scenario;
 * const result = await explore(scenarioExecute(scenario), { strategy: { kind: 'dfs', bound: 2 } });
 * if (result.status === 'failed') {
 *   console.log(renderTimelineText(result.outcome, { width: process.stdout.columns, color: process.stdout.isTTY }));
 * }
 * ```
 * @public
 */
export function renderTimelineText(outcome: ExecutionOutcome, options: TimelineTextOptions = {}): string {
  checkTimelineArgs(outcome, options, 'renderTimelineText');
  const width = Math.max(MIN_WIDTH, Math.floor(options.width ?? DEFAULT_WIDTH));
  const color = options.color === true;
  const { schedule, failure } = outcome;

  const { lanes, laneOf, nameOf, rowCount, cells } = timelineGrid(outcome, clean);

  const marks = new Map<number, Mark>();
  if (failure !== undefined) {
    for (const r of failure.related) marks.set(r.step, RELATED_MARKER);
    if (failure.thread >= 0 && failure.step < rowCount) marks.set(failure.step, FAILURE_MARKER);
  }
  const failsAtEnd = failure !== undefined && (failure.thread < 0 || failure.step >= rowCount);

  // Column widths: the step column, then lanes sharing what is left.
  const stepWidth = Math.max(4, String(Math.max(0, rowCount - 1)).length);
  const prefixWidth = 2 + 1 + stepWidth + 1;
  const natural = lanes.map((id, i) => {
    let w = length(nameOf(id));
    for (const row of cells) {
      const c = row[i];
      if (c !== undefined && length(c) > w) w = length(c);
    }
    return w;
  });
  const laneWidths = shareWidths(natural, width - prefixWidth);

  const lines: { text: string; style: string }[] = [];
  const push = (text: string, style = ''): void => {
    lines.push({ text: fit(text, width), style });
  };
  const row = (mark: string, label: string, values: readonly (string | undefined)[]): string => {
    let line = `${mark.padEnd(2)} ${label.padStart(stepWidth)} `;
    for (let i = 0; i < lanes.length; i++) line += `│ ${pad(fit(values[i] ?? '', laneWidths[i]!), laneWidths[i]!)} `;
    return line.trimEnd();
  };

  const summary =
    `${lanes.length} thread${lanes.length === 1 ? '' : 's'}, ${schedule.length} step${schedule.length === 1 ? '' : 's'}, ` +
    `${outcome.preemptions} preemption${outcome.preemptions === 1 ? '' : 's'}` +
    (failure === undefined ? ', no failure' : `, failed: ${clean(failure.check)}`);
  push(options.title === undefined ? `Timeline: ${summary}` : clean(options.title), BOLD);
  push(row('', 'step', lanes.map(nameOf)), BOLD);
  let rule = '─'.repeat(prefixWidth);
  for (const w of laneWidths) rule += `┼${'─'.repeat(w + 2)}`;
  push(rule, DIM);
  for (let s = 0; s < rowCount; s++) {
    const mark = marks.get(s) ?? '';
    push(row(mark, String(s), cells[s]!), mark === FAILURE_MARKER ? RED : mark === RELATED_MARKER ? YELLOW : '');
  }
  if (failsAtEnd) push(`${FAILURE_MARKER} ${'end'.padStart(stepWidth)} │ ${clean(failure.check)} fired after the last step`, RED);
  push(rule, DIM);

  if (failure === undefined) {
    push('No failure: every thread finished and no check fired.');
  } else {
    const where = failsAtEnd
      ? 'at the end of the run'
      : `at step ${failure.step}, thread ${failure.thread} (${nameOf(failure.thread)})`;
    push(`${FAILURE_MARKER} Failure: ${clean(failure.check)} ${where}`, RED);
    for (const line of wrap(clean(failure.message), width - 3)) push(`   ${line}`, RED);
    if (failure.related.length > 0) {
      push('Related steps:', YELLOW);
      for (const r of failure.related) {
        push(`${RELATED_MARKER} step ${r.step}, thread ${r.thread} (${nameOf(r.thread)}): ${clean(r.what)}`, YELLOW);
      }
    }
    push(`Markers: ${FAILURE_MARKER} step where the check fired, ${RELATED_MARKER} step that led to it`, DIM);
  }

  return lines.map((l) => (color && l.style !== '' ? `${l.style}${l.text}${RESET}` : l.text)).join('\n');
}

/** Widths for lanes wanting `natural` characters, sharing `available` characters of line. */
function shareWidths(natural: readonly number[], available: number): number[] {
  const widths = natural.map(() => MIN_LANE);
  let remaining = available - 3 * natural.length;
  const order = natural.map((_, i) => i).sort((a, b) => natural[a]! - natural[b]! || a - b);
  let left = order.length;
  for (const i of order) {
    const share = Math.floor(remaining / left);
    const w = Math.max(MIN_LANE, Math.min(natural[i]!, share));
    widths[i] = w;
    remaining -= w;
    left--;
  }
  return widths;
}

/** Length in code points. */
function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Cuts `text` to at most `width` code points, ending a cut text with `…`. */
function fit(text: string, width: number): string {
  if (text.length <= width) return text;
  const points = Array.from(text);
  if (points.length <= width) return text;
  return width <= 0 ? '' : points.slice(0, width - 1).join('') + ELLIPSIS;
}

/** Pads `text` with spaces to `width` code points. */
function pad(text: string, width: number): string {
  const n = length(text);
  return n >= width ? text : text + ' '.repeat(width - n);
}

/** Control characters (which would break the layout or drive the terminal) become spaces. */
function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

/** Splits `text` into lines of at most `width` code points, at spaces where possible. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (word === '') continue;
    let rest = word;
    while (length(rest) > width) {
      if (line !== '') {
        lines.push(line);
        line = '';
      }
      const points = Array.from(rest);
      lines.push(points.slice(0, width).join(''));
      rest = points.slice(width).join('');
    }
    if (line === '') line = rest;
    else if (length(line) + 1 + length(rest) <= width) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
