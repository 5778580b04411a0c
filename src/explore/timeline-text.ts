/**
 * The terminal timeline of a run: one lane (column) per busy thread, one row per step with
 * its full text wrapped, the step where a check fired, the steps that led there and the
 * preemptions marked, and the failure spelled out below.
 *
 * @packageDocumentation
 */
import { checkTimelineArgs, timelineGrid, visibleSpans } from './timeline-grid.js';
import { symbolicTrace } from './timeline-symbols.js';
import type { ExecutionOutcome } from '../sched/execution.js';

/**
 * Options of {@link renderTimelineText}.
 * @public
 * @category Timelines
 */
export interface TimelineTextOptions {
  /**
   * Longest line, in characters: a cell's text is wrapped onto more lines, never cut. Default
   * 100, at least 20. When the lanes cannot fit at their narrowest (10 characters each, so
   * with more than about eight busy threads), lines run longer.
   */
  readonly width?: number;
  /** Colour the failure row red, related rows yellow, the header bold (ANSI escapes). Default off. */
  readonly color?: boolean;
  /** First line of the output; default a summary of the run. */
  readonly title?: string;
  /**
   * Most steps shown. A longer run shows the steps around the failure, its related steps
   * and its first preemptions, then its first and last steps, and one line for each run of
   * steps left out, with their count. Default 200; `Infinity` shows every step.
   */
  readonly maxRows?: number;
  /** What the line of a gap tells the reader to do to see every step; default `maxRows: Infinity shows every step`. */
  readonly fullHint?: string;
}

/**
 * Marker put before the row of the step where the check fired.
 * @public
 * @category Timelines
 */
export const FAILURE_MARKER = '!!';

/**
 * Marker put before the rows of the steps that set the failure up.
 * @public
 * @category Timelines
 */
export const RELATED_MARKER = '>>';

/**
 * Marker put before the row of a step at which the scheduler preempted a thread that could
 * have run on (it follows {@link FAILURE_MARKER} or {@link RELATED_MARKER} when the row has one).
 * @public
 * @category Timelines
 */
export const PREEMPTION_MARKER = 'P';

/** Default of {@link TimelineTextOptions.maxRows}. */
const DEFAULT_MAX_ROWS = 200;
const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 20;
const MIN_LANE = 10;
const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const BOLD = '\u001b[1m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

type Mark = '' | typeof FAILURE_MARKER | typeof RELATED_MARKER;

/**
 * Renders a run as a timeline for a terminal.
 *
 * The output has a title line, a line naming the threads that took no step (their lanes
 * are folded away), a header with one lane per other thread (named after the thread), then
 * a row per step with the step's trace text in the lane of the thread that took it: several
 * trace lines of one step are joined with `; `, a step without trace shows `·`, and text
 * longer than its lane wraps onto further lines (never cut). Codes read as in C: `= -EINPROGRESS`,
 * `UTRACE_DETACH`, `UTRACE_EVENT(SYSCALL_ENTRY)`. The row of the failing step starts with
 * {@link FAILURE_MARKER}, rows of related steps with {@link RELATED_MARKER}, and a step at which
 * the scheduler preempted a runnable thread carries {@link PREEMPTION_MARKER}. A run longer
 * than `maxRows` steps shows the interesting ones and a line per gap, with the count left out.
 * Below come the failure's check, where it fired, its message, its related steps, the
 * preemptions and a legend. No line is longer than `width` characters (ANSI escapes, when
 * `color` is on, do not count) while the lanes fit; control characters in trace text are
 * shown as spaces. The result ends without a newline.
 *
 * @example
 * ```ts
 * import { explore, renderTimelineText, scenarioExecute, type Scenario } from 'utrace/explore';
 * declare const scenario: Scenario;
 * const result = await explore(scenarioExecute(scenario), { strategy: { kind: 'dfs', bound: 2 } });
 * if (result.status === 'failed') {
 *   console.log(renderTimelineText(result.outcome, { width: process.stdout.columns ?? 100, color: process.stdout.isTTY }));
 * }
 * ```
 * @public
 * @category Timelines
 */
export function renderTimelineText(outcome: ExecutionOutcome, options: TimelineTextOptions = {}): string {
  checkTimelineArgs(outcome, options, 'renderTimelineText');
  const width = Math.max(MIN_WIDTH, Math.floor(Number.isFinite(options.width) ? options.width! : DEFAULT_WIDTH));
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const color = options.color === true;
  const { schedule, failure } = outcome;

  const grid = timelineGrid(outcome, clean);
  const { lanes, folded, preempted, nameOf, rowCount, cells } = grid;

  const marks = new Map<number, Mark>();
  if (failure !== undefined) {
    for (const r of failure.related) marks.set(r.step, RELATED_MARKER);
    if (failure.thread >= 0 && failure.step < rowCount) marks.set(failure.step, FAILURE_MARKER);
  }
  const failsAtEnd = failure !== undefined && (failure.thread < 0 || failure.step >= rowCount);
  const spans = visibleSpans(outcome, grid, maxRows);

  // Column widths: the marks and step column, then lanes sharing what is left.
  const stepWidth = Math.max(4, String(Math.max(0, rowCount - 1)).length);
  const prefixWidth = 2 + 1 + PREEMPTION_MARKER.length + 1 + stepWidth + 1;
  const natural = lanes.map((id, i) => {
    let w = length(nameOf(id));
    for (const span of spans) {
      if (span.kind !== 'row') continue;
      const c = cells[span.step]![i];
      if (c !== undefined && length(c) > w) w = length(c);
    }
    return w;
  });
  const laneWidths = shareWidths(natural, width - prefixWidth);

  const lines: { text: string; style: string }[] = [];
  const push = (text: string, style = ''): void => {
    lines.push({ text, style });
  };
  const pushWrapped = (text: string, style: string, indent = ''): void => {
    for (const line of wrap(text, Math.max(1, width - length(indent)))) push(`${indent}${line}`, style);
  };
  const prefix = (mark: string, preempt: boolean, label: string): string =>
    `${mark.padEnd(2)} ${preempt ? PREEMPTION_MARKER : ' '.repeat(PREEMPTION_MARKER.length)} ${label.padStart(stepWidth)} `;
  const row = (head: string, values: readonly (string | undefined)[]): string[] => {
    const wrapped = lanes.map((_, i) => (values[i] === undefined || values[i] === '' ? [] : wrap(values[i]!, laneWidths[i]!)));
    const height = Math.max(1, ...wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      let line = k === 0 ? head : ' '.repeat(prefixWidth);
      for (let i = 0; i < lanes.length; i++) line += `│ ${pad(wrapped[i]![k] ?? '', laneWidths[i]!)} `;
      out.push(line.trimEnd());
    }
    return out;
  };

  const summary =
    `${plural(lanes.length + folded.length, 'thread')}, ${plural(schedule.length, 'step')}, ` +
    `${plural(outcome.preemptions, 'preemption')}` +
    (failure === undefined ? ', no failure' : `, failed: ${clean(failure.check)}`);
  pushWrapped(options.title === undefined ? `Timeline: ${summary}` : clean(options.title), BOLD);
  if (folded.length > 0) {
    pushWrapped(`Threads that took no step (lanes folded): ${folded.map(nameOf).join(', ')}`, DIM);
  }
  for (const line of row(prefix('', false, 'step'), lanes.map(nameOf))) push(line, BOLD);
  let rule = '─'.repeat(prefixWidth);
  for (const w of laneWidths) rule += `┼${'─'.repeat(w + 2)}`;
  push(rule, DIM);
  for (const span of spans) {
    if (span.kind === 'gap') {
      const count = span.to - span.from + 1;
      const hint = options.fullHint ?? 'maxRows: Infinity shows every step';
      pushWrapped(`${' '.repeat(prefixWidth)}⋮ ${plural(count, 'step')} not shown (${count === 1 ? `step ${span.from}` : `steps ${span.from} to ${span.to}`}; ${clean(hint)})`, DIM);
      continue;
    }
    const s = span.step;
    const mark = marks.get(s) ?? '';
    const style = mark === FAILURE_MARKER ? RED : mark === RELATED_MARKER ? YELLOW : '';
    for (const line of row(prefix(mark, preempted.has(s), String(s)), cells[s]!)) push(line, style);
  }
  if (failsAtEnd) {
    const all = lanes.map(() => undefined as string | undefined);
    all[0] = `${clean(failure.check)} fired after the last step`;
    for (const line of row(prefix(FAILURE_MARKER, false, 'end'), all)) push(line, RED);
  }
  push(rule, DIM);

  if (failure === undefined) {
    pushWrapped('No failure: every thread finished and no check fired.', '');
  } else {
    const where = failsAtEnd
      ? 'at the end of the run'
      : `at step ${failure.step}, thread ${failure.thread} (${nameOf(failure.thread)})`;
    pushWrapped(`${FAILURE_MARKER} Failure: ${clean(failure.check)} ${where}`, RED);
    pushWrapped(clean(failure.message), RED, '   ');
    if (failure.related.length > 0) {
      push('Related steps:', YELLOW);
      for (const r of failure.related) {
        pushWrapped(`${RELATED_MARKER} step ${r.step}, thread ${r.thread} (${nameOf(r.thread)}): ${clean(symbolicTrace(r.what))}`, YELLOW);
      }
    }
  }
  if (preempted.size > 0) {
    push('Preemptions:', '');
    for (const [step, before] of preempted) {
      const by = schedule[step]!;
      pushWrapped(`${PREEMPTION_MARKER}  step ${step}: ${nameOf(by)} ran while ${nameOf(before)} could have run on`, '');
    }
  }
  const legend = [
    ...(failure === undefined ? [] : [`${FAILURE_MARKER} step where the check fired`, `${RELATED_MARKER} step that led to it`]),
    ...(preempted.size === 0 ? [] : [`${PREEMPTION_MARKER} a preemption`]),
  ];
  if (legend.length > 0) pushWrapped(`Markers: ${legend.join(', ')}`, DIM);

  return lines.map((l) => (color && l.style !== '' ? `${l.style}${l.text}${RESET}` : l.text)).join('\n');
}

/** `n word` or `n words`, with thousands separators. */
function plural(n: number, word: string): string {
  return `${Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${word}${n === 1 ? '' : 's'}`;
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
