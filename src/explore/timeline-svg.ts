/**
 * The picture of a run: a standalone SVG document with one vertical swim lane per busy thread
 * and one row per step going down, each box holding its step's full text, the racing steps in
 * red and orange, preemptions marked, a legend and the failure.
 *
 * Lanes are vertical so that a run of a few hundred steps reads top to bottom like the
 * terminal timeline, with each step's text written horizontally inside its box.
 *
 * @packageDocumentation
 */
import { checkTimelineArgs, timelineGrid, type TimelineSpan, visibleSpans } from './timeline-grid.js';
import { symbolicTrace } from './timeline-symbols.js';
import type { ExecutionOutcome } from '../sched/execution.js';

/**
 * Options of {@link renderTimelineSvg}.
 * @public
 * @category Timelines
 */
export interface TimelineSvgOptions {
  /** Heading of the picture; default `utrace timeline` and the check that fired, if any. */
  readonly title?: string;
  /**
   * Width of the picture in pixels, at least 480. Lanes share it and each box's text wraps to
   * fit, so that the picture shown at this size (in a page column, say) keeps its 12 px text.
   * Default 600: a documentation page's column is 608 px wide (TypeDoc's theme in a 1280 px window).
   */
  readonly width?: number;
  /**
   * Most steps drawn; a longer run draws the steps around the failure, its related steps and
   * first preemptions, its first and last steps, and a band with the count of each run of
   * steps left out. Default 200; `Infinity` draws every step.
   */
  readonly maxRows?: number;
}

/** Text size in pixels, and the advance of one monospace character at that size. */
const FONT = 12;
const CHAR = 7.3;
const MARGIN = 16;
const STEP_COLUMN = 56;
const MIN_LANE = 120;
const LINE = 15;
const BOX_PAD = 5;
const ROW_GAP = 4;
const HEADER_TOP = 96;
const DEFAULT_WIDTH = 600;
const MIN_WIDTH = 480;
const DEFAULT_MAX_ROWS = 200;

const STYLE =
  `text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono','Liberation Mono',monospace;font-size:${FONT}px;fill:#1f2328}` +
  '.title{font-size:16px;font-weight:bold}.sub{fill:#57606a}.lane{fill:#f6f8fa}.lane-alt{fill:#eef1f4}' +
  '.name{font-weight:bold}.num{fill:#57606a;text-anchor:end}.pre{fill:#6f42c1;font-weight:bold}' +
  '.box{fill:#dbe7f6;stroke:#6f8fb8;stroke-width:1}' +
  '.fail{fill:#fdd8d5;stroke:#d62728;stroke-width:2}.rel{fill:#ffe9cc;stroke:#f28e1c;stroke-width:2}' +
  '.gap{fill:#ffffff;stroke:#8c959f;stroke-width:1;stroke-dasharray:3 3}' +
  '.link{stroke:#f28e1c;stroke-width:1.5;stroke-dasharray:4 3;fill:none}' +
  '.msg{fill:#b31d28}.msg-head{fill:#b31d28;font-weight:bold}.rel-text{fill:#9a5b00}';

/**
 * Renders a run as a standalone SVG document (XML declaration included, no external
 * resources), to save as a `.svg` file, open in a browser or embed in a page.
 *
 * The picture has a title, a line summing up the run, a line naming the threads that took no
 * step (their lanes are folded away), a legend, one vertical lane per other thread headed by
 * its name, and a box per step in the lane of the thread that took it, holding the step's
 * full trace text (wrapped onto as many lines as it needs, never cut), with codes as C writes
 * them (`-EINPROGRESS`, `UTRACE_DETACH`, `UTRACE_EVENT(SYSCALL_ENTRY)`). The box of the step
 * where the check fired is red, boxes of its related steps orange, each joined to the failing
 * step by a dashed line; a step at which the scheduler preempted a runnable thread has a `P`
 * beside its number; a check fired at the end of the run gets a red bar below the last step.
 * The failure's check, message and related steps are written below. The picture is `width`
 * pixels wide with 12 px text, so it stays legible shown at that size. All text is escaped
 * for XML, and characters XML cannot hold are replaced by `\uFFFD`.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { explore, renderTimelineSvg, scenarioExecute, type Scenario } from 'utrace/explore';
 * declare const scenario: Scenario;
 * const result = await explore(scenarioExecute(scenario), { strategy: { kind: 'random', seed: 1 }, maxExecutions: 10_000 });
 * if (result.status === 'failed') writeFileSync('counterexample.svg', renderTimelineSvg(result.outcome));
 * ```
 * @public
 * @category Timelines
 */
export function renderTimelineSvg(outcome: ExecutionOutcome, options: TimelineSvgOptions = {}): string {
  checkTimelineArgs(outcome, options, 'renderTimelineSvg');
  const { schedule, failure } = outcome;

  const grid = timelineGrid(outcome);
  const { lanes, folded, preempted, laneOf, nameOf, rowCount, cells } = grid;
  const spans = visibleSpans(outcome, grid, options.maxRows ?? DEFAULT_MAX_ROWS);

  const related = new Set<number>();
  if (failure !== undefined) for (const r of failure.related) related.add(r.step);
  const failStep = failure !== undefined && failure.thread >= 0 && failure.step < rowCount ? failure.step : -1;
  const failsAtEnd = failure !== undefined && failStep === -1;

  // Geometry: lanes share the width; each box's text wraps to its lane.
  const width = Math.max(MIN_WIDTH, Math.round(Number.isFinite(options.width) ? options.width! : DEFAULT_WIDTH));
  const lanesLeft = MARGIN + STEP_COLUMN;
  let longest = 0;
  for (const id of lanes) longest = Math.max(longest, length(nameOf(id)));
  for (const span of spans) if (span.kind === 'row') for (const c of cells[span.step]!) if (c !== undefined) longest = Math.max(longest, length(c));
  const share = Math.floor((width - lanesLeft - MARGIN) / Math.max(1, lanes.length));
  const laneWidth = Math.max(MIN_LANE, Math.min(share, Math.ceil(longest * CHAR + 20)));
  const drawnWidth = Math.max(width, lanesLeft + lanes.length * laneWidth + MARGIN);
  const boxChars = Math.max(4, Math.floor((laneWidth - 8 - 2 * BOX_PAD) / CHAR));
  const textChars = Math.max(20, Math.floor((drawnWidth - 2 * MARGIN) / CHAR));
  const laneX = (lane: number): number => lanesLeft + lane * laneWidth;

  const heading: { text: string; cls: string }[] = [];
  const title = options.title ?? (failure === undefined ? 'utrace timeline' : `utrace timeline: ${failure.check}`);
  const summary =
    `${lanes.length + folded.length} thread${lanes.length + folded.length === 1 ? '' : 's'}, ${schedule.length} step${schedule.length === 1 ? '' : 's'}, ` +
    `${outcome.preemptions} preemption${outcome.preemptions === 1 ? '' : 's'}` +
    (failure === undefined ? ', no failure' : `, failed: ${failure.check}`);
  for (const line of wrap(summary, textChars)) heading.push({ text: line, cls: 'sub' });
  if (folded.length > 0) {
    for (const line of wrap(`Threads that took no step (lanes folded): ${folded.map(nameOf).join(', ')}`, textChars)) heading.push({ text: line, cls: 'sub' });
  }
  const legendY = 40 + heading.length * LINE + 8;
  const lanesTop = legendY + 26;
  const rowsTop = lanesTop + 30;

  // Rows: each as tall as its longest wrapped cell.
  interface Laid { readonly span: TimelineSpan; readonly y: number; readonly height: number; readonly text: readonly (readonly string[] | undefined)[] }
  const laid: Laid[] = [];
  let y = rowsTop;
  for (const span of spans) {
    if (span.kind === 'gap') {
      laid.push({ span, y, height: LINE + 2 * BOX_PAD, text: [] });
      y += LINE + 2 * BOX_PAD + ROW_GAP;
      continue;
    }
    const text = Array.from(cells[span.step]!, (c) => (c === undefined ? undefined : wrap(c, boxChars)));
    const lines = Math.max(1, ...text.map((t) => t?.length ?? 0));
    const height = lines * LINE + 2 * BOX_PAD - 3;
    laid.push({ span, y, height, text });
    y += height + ROW_GAP;
  }
  const endY = y;
  const endLines = failsAtEnd ? wrap(`${failure.check} fired after the last step`, Math.max(4, Math.floor((lanes.length * laneWidth - 8 - 2 * BOX_PAD) / CHAR))) : [];
  const rowsBottom = endY + (failsAtEnd ? endLines.length * LINE + 2 * BOX_PAD + ROW_GAP : 0);
  const rowOf = new Map<number, Laid>();
  for (const l of laid) if (l.span.kind === 'row') rowOf.set(l.span.step, l);

  const footer: { text: string; cls: string }[] = [];
  if (failure === undefined) {
    footer.push({ text: 'No failure: every thread finished and no check fired.', cls: 'sub' });
  } else {
    const where = failsAtEnd
      ? 'at the end of the run'
      : `at step ${failure.step}, thread ${failure.thread} (${nameOf(failure.thread)})`;
    for (const line of wrap(`Failure: ${failure.check} ${where}`, textChars)) footer.push({ text: line, cls: 'msg-head' });
    for (const line of wrap(failure.message, textChars)) footer.push({ text: line, cls: 'msg' });
    if (failure.related.length > 0) {
      footer.push({ text: 'Related steps:', cls: 'rel-text' });
      for (const r of failure.related) {
        for (const line of wrap(`step ${r.step}, thread ${r.thread} (${nameOf(r.thread)}): ${symbolicTrace(r.what)}`, textChars)) {
          footer.push({ text: line, cls: 'rel-text' });
        }
      }
    }
  }
  for (const [step, before] of preempted) {
    for (const line of wrap(`P at step ${step}: ${nameOf(schedule[step]!)} ran while ${nameOf(before)} could have run on (a preemption)`, textChars)) {
      footer.push({ text: line, cls: 'sub' });
    }
  }
  const height = Math.ceil(rowsBottom + 20 + footer.length * LINE + MARGIN);

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${drawnWidth}" height="${height}" viewBox="0 0 ${drawnWidth} ${height}">`,
  );
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<style>${STYLE}</style>`);
  out.push(
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">' +
      '<path d="M0 0L10 5L0 10z" fill="#f28e1c"/></marker></defs>',
  );
  out.push(`<rect x="0" y="0" width="${drawnWidth}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text class="title" x="${MARGIN}" y="26">${escapeXml(title)}</text>`);
  heading.forEach((line, i) => out.push(`<text class="${line.cls}" x="${MARGIN}" y="${46 + i * LINE}">${escapeXml(line.text)}</text>`));

  // Legend.
  const legend: [string, string][] = [
    ['box', 'step'],
    ['fail', 'step where the check fired'],
    ['rel', 'step that led to it'],
  ];
  let lx = MARGIN;
  for (const [cls, label] of legend) {
    out.push(`<rect class="${cls}" x="${lx}" y="${legendY}" width="14" height="12" rx="2"/>`);
    out.push(`<text x="${lx + 20}" y="${legendY + 11}">${escapeXml(label)}</text>`);
    lx += 20 + label.length * CHAR + 20;
  }
  out.push(`<text class="pre" x="${lx}" y="${legendY + 11}">P</text><text x="${lx + 14}" y="${legendY + 11}">preemption</text>`);

  // Lanes and their names.
  for (let i = 0; i < lanes.length; i++) {
    const x = laneX(i);
    out.push(
      `<rect class="${i % 2 === 0 ? 'lane' : 'lane-alt'}" x="${x}" y="${lanesTop}" width="${laneWidth}" height="${rowsBottom - lanesTop + 4}"/>`,
    );
    const name = nameOf(lanes[i]!);
    const nameLines = wrap(name, boxChars + 1);
    out.push(
      `<text class="name" x="${x + 8}" y="${lanesTop + 19}">${escapeXml(nameLines[0] ?? '')}${nameLines.length > 1 ? '…' : ''}<title>${escapeXml(`thread ${lanes[i]!}: ${name}`)}</title></text>`,
    );
  }
  out.push(`<text class="num" x="${lanesLeft - 8}" y="${lanesTop + 19}">step</text>`);

  // Dashed arrows from related steps to the top of the failing step's box (or the end bar).
  if (failure !== undefined) {
    const target = failStep >= 0 ? rowOf.get(failStep) : undefined;
    const targetX = target !== undefined ? laneX(laneOf.get(failure.thread) ?? 0) + laneWidth / 2 : undefined;
    const targetY = (target !== undefined ? target.y : endY) - 1;
    for (const r of failure.related) {
      const from = rowOf.get(r.step);
      if (from === undefined || r.step === failStep || (failStep >= 0 && target === undefined)) continue;
      const x = laneX(laneOf.get(r.thread) ?? 0) + laneWidth / 2;
      out.push(`<path class="link" d="M${x} ${from.y + from.height}L${targetX ?? x} ${targetY}" marker-end="url(#arrow)"/>`);
    }
  }

  // One box per step and lane; a band per run of steps left out.
  for (const l of laid) {
    const span = l.span;
    if (span.kind === 'gap') {
      const count = span.to - span.from + 1;
      const bandWidth = lanes.length * laneWidth - 8;
      out.push(
        `<g><rect class="gap" x="${lanesLeft + 4}" y="${l.y}" width="${bandWidth}" height="${l.height}" rx="3"/>` +
          `<text class="sub" x="${lanesLeft + 4 + BOX_PAD}" y="${l.y + BOX_PAD + FONT - 1}">${escapeXml(cutLine(`⋮ ${count} step${count === 1 ? '' : 's'} not shown (${count === 1 ? `step ${span.from}` : `steps ${span.from} to ${span.to}`})`, Math.floor((bandWidth - 2 * BOX_PAD) / CHAR)))}</text></g>`,
      );
      continue;
    }
    const s = span.step;
    out.push(`<text class="num" x="${lanesLeft - 8}" y="${l.y + BOX_PAD + FONT - 1}">${s}</text>`);
    if (preempted.has(s)) out.push(`<text class="pre" x="${MARGIN}" y="${l.y + BOX_PAD + FONT - 1}">P<title>${escapeXml(`step ${s}: ${nameOf(schedule[s]!)} preempted ${nameOf(preempted.get(s)!)}`)}</title></text>`);
    const cls = s === failStep ? 'fail' : related.has(s) ? 'rel' : 'box';
    for (let i = 0; i < lanes.length; i++) {
      const lines = l.text[i];
      if (lines === undefined) continue;
      const x = laneX(i) + 4;
      const tspans = lines
        .map((line, k) => `<tspan x="${x + BOX_PAD}" y="${l.y + BOX_PAD + FONT - 1 + k * LINE}">${escapeXml(line)}</tspan>`)
        .join('');
      out.push(
        `<g><rect class="${cls}" x="${x}" y="${l.y}" width="${laneWidth - 8}" height="${l.height}" rx="3"/>` +
          `<text>${tspans}</text></g>`,
      );
    }
  }
  if (failsAtEnd) {
    const barWidth = lanes.length * laneWidth - 8;
    const barHeight = endLines.length * LINE + 2 * BOX_PAD - 3;
    out.push(`<text class="num" x="${lanesLeft - 8}" y="${endY + BOX_PAD + FONT - 1}">end</text>`);
    const tspans = endLines
      .map((line, k) => `<tspan x="${lanesLeft + 4 + BOX_PAD}" y="${endY + BOX_PAD + FONT - 1 + k * LINE}">${escapeXml(line)}</tspan>`)
      .join('');
    out.push(`<g><rect class="fail" x="${lanesLeft + 4}" y="${endY}" width="${barWidth}" height="${barHeight}" rx="3"/><text>${tspans}</text></g>`);
  }

  // Failure message, related steps and preemptions.
  let fy = rowsBottom + 20 + 12;
  for (const line of footer) {
    out.push(`<text class="${line.cls}" x="${MARGIN}" y="${fy}">${escapeXml(line.text)}</text>`);
    fy += LINE;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Length in code points. */
function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** One line of at most `chars` code points: the text of a gap band, which is short by nature. */
function cutLine(text: string, chars: number): string {
  const points = Array.from(text);
  return points.length <= chars ? text : points.slice(0, Math.max(0, chars)).join('');
}

/**
 * Escapes text for XML character data and attribute values: `&`, `<`, `>`, `"` and `'` become
 * entities, and characters XML 1.0 cannot hold (most control characters, lone surrogates,
 * U+FFFE and U+FFFF) become U+FFFD.
 */
function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ENTITIES[c as keyof typeof ENTITIES]);
}

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' } as const;

/** Splits `text` into lines of at most `width` code points, at spaces where possible. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.replace(/[\r\n\t]/g, ' ').split(' ')) {
    if (word === '') continue;
    let rest = Array.from(word);
    while (rest.length > width) {
      if (line !== '') {
        lines.push(line);
        line = '';
      }
      lines.push(rest.slice(0, width).join(''));
      rest = rest.slice(width);
    }
    const w = rest.join('');
    if (line === '') line = w;
    else if (Array.from(line).length + 1 + rest.length <= width) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
