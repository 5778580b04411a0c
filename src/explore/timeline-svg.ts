/**
 * The picture of a run: a standalone SVG document with one vertical swim lane per thread and
 * one row per step going down, the racing steps in red and orange, a legend and the failure.
 *
 * Lanes are vertical so that a run of a few hundred steps reads top to bottom like the
 * terminal timeline, with each step's text written horizontally inside its box.
 *
 * @packageDocumentation
 */
import { checkTimelineArgs, timelineGrid } from './timeline-grid.js';
import type { ExecutionOutcome } from '../sched/execution.js';

/**
 * Options of {@link renderTimelineSvg}.
 * @public
 */
export interface TimelineSvgOptions {
  /** Heading of the picture; default `utrace timeline` and the check that fired, if any. */
  readonly title?: string;
}

const CHAR = 6.6;
const MARGIN = 16;
const STEP_COLUMN = 48;
const MIN_LANE = 110;
const MAX_LANE = 260;
const ROW = 22;
const BOX = 18;
const HEADER_TOP = 96;
const ROWS_TOP = HEADER_TOP + 34;
const LINE = 16;
const MIN_WIDTH = 600;

const STYLE =
  'text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11px;fill:#1f2328}' +
  '.title{font-size:16px;font-weight:bold}.sub{fill:#57606a}.lane{fill:#f6f8fa}.lane-alt{fill:#eef1f4}' +
  '.name{font-weight:bold}.num{fill:#57606a;text-anchor:end}' +
  '.box{fill:#dbe7f6;stroke:#6f8fb8;stroke-width:1}' +
  '.fail{fill:#fdd8d5;stroke:#d62728;stroke-width:2}.rel{fill:#ffe9cc;stroke:#f28e1c;stroke-width:2}' +
  '.link{stroke:#f28e1c;stroke-width:1.5;stroke-dasharray:4 3;fill:none}' +
  '.msg{fill:#b31d28}.msg-head{fill:#b31d28;font-weight:bold}.rel-text{fill:#9a5b00}';

/**
 * Renders a run as a standalone SVG document (XML declaration included, no external
 * resources), to save as a `.svg` file and open in a browser.
 *
 * The picture has a title, a line summing up the run, a legend, one vertical lane per thread
 * headed by its name, and a box per step in the lane of the thread that took it, labelled with
 * the step's trace text (cut to fit, the full text shown on hover). The box of the step where
 * the check fired is red, boxes of its related steps orange, each joined to the failing step
 * by a dashed line; a check fired at the end of the run gets a red bar below the last step.
 * The failure's check, message and related steps are written below. All text is escaped for
 * XML, and characters XML cannot hold are replaced by `\uFFFD`.
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
 */
export function renderTimelineSvg(outcome: ExecutionOutcome, options: TimelineSvgOptions = {}): string {
  checkTimelineArgs(outcome, options, 'renderTimelineSvg');
  const { schedule, failure } = outcome;

  const { lanes, laneOf, nameOf, rowCount, cells } = timelineGrid(outcome);

  const related = new Set<number>();
  if (failure !== undefined) for (const r of failure.related) related.add(r.step);
  const failStep = failure !== undefined && failure.thread >= 0 && failure.step < rowCount ? failure.step : -1;
  const failsAtEnd = failure !== undefined && failStep === -1;

  // Geometry.
  let longest = 0;
  for (const id of lanes) longest = Math.max(longest, nameOf(id).length);
  for (const row of cells) for (const c of row) if (c !== undefined) longest = Math.max(longest, c.length);
  const laneWidth = Math.round(Math.min(MAX_LANE, Math.max(MIN_LANE, longest * CHAR + 16)));
  const lanesLeft = MARGIN + STEP_COLUMN;
  const width = Math.max(MIN_WIDTH, lanesLeft + lanes.length * laneWidth + MARGIN);
  const rowsBottom = ROWS_TOP + rowCount * ROW + (failsAtEnd ? ROW : 0);
  const textChars = Math.max(20, Math.floor((width - 2 * MARGIN) / CHAR));
  const boxChars = Math.max(1, Math.floor((laneWidth - 16) / CHAR));
  const laneX = (lane: number): number => lanesLeft + lane * laneWidth;
  const rowY = (step: number): number => ROWS_TOP + step * ROW;

  const footer: { text: string; cls: string }[] = [];
  if (failure === undefined) {
    footer.push({ text: 'No failure: every thread finished and no check fired.', cls: 'sub' });
  } else {
    const where = failsAtEnd
      ? 'at the end of the run'
      : `at step ${failure.step}, thread ${failure.thread} (${nameOf(failure.thread)})`;
    footer.push({ text: `Failure: ${failure.check} ${where}`, cls: 'msg-head' });
    for (const line of wrap(failure.message, textChars)) footer.push({ text: line, cls: 'msg' });
    if (failure.related.length > 0) {
      footer.push({ text: 'Related steps:', cls: 'rel-text' });
      for (const r of failure.related) {
        for (const line of wrap(`step ${r.step}, thread ${r.thread} (${nameOf(r.thread)}): ${r.what}`, textChars)) {
          footer.push({ text: line, cls: 'rel-text' });
        }
      }
    }
  }
  const height = rowsBottom + 20 + footer.length * LINE + MARGIN;

  const title =
    options.title ?? (failure === undefined ? 'utrace timeline' : `utrace timeline: ${failure.check}`);
  const summary =
    `${lanes.length} thread${lanes.length === 1 ? '' : 's'}, ${schedule.length} step${schedule.length === 1 ? '' : 's'}, ` +
    `${outcome.preemptions} preemption${outcome.preemptions === 1 ? '' : 's'}` +
    (failure === undefined ? ', no failure' : `, failed: ${failure.check}`);

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
  );
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<style>${STYLE}</style>`);
  out.push(
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">' +
      '<path d="M0 0L10 5L0 10z" fill="#f28e1c"/></marker></defs>',
  );
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text class="title" x="${MARGIN}" y="28">${escapeXml(title)}</text>`);
  out.push(`<text class="sub" x="${MARGIN}" y="48">${escapeXml(summary)}</text>`);

  // Legend.
  const legend: [string, string][] = [
    ['box', 'step'],
    ['fail', 'step where the check fired'],
    ['rel', 'step that led to it'],
  ];
  let lx = MARGIN;
  for (const [cls, label] of legend) {
    out.push(`<rect class="${cls}" x="${lx}" y="60" width="14" height="12" rx="2"/>`);
    out.push(`<text x="${lx + 20}" y="70">${escapeXml(label)}</text>`);
    lx += 20 + label.length * CHAR + 24;
  }

  // Lanes and their names.
  for (let i = 0; i < lanes.length; i++) {
    const x = laneX(i);
    out.push(
      `<rect class="${i % 2 === 0 ? 'lane' : 'lane-alt'}" x="${x}" y="${HEADER_TOP}" width="${laneWidth}" height="${rowsBottom - HEADER_TOP + 4}"/>`,
    );
    const name = nameOf(lanes[i]!);
    out.push(
      `<text class="name" x="${x + 8}" y="${HEADER_TOP + 18}">${escapeXml(cut(name, boxChars))}<title>${escapeXml(`thread ${lanes[i]!}: ${name}`)}</title></text>`,
    );
  }
  out.push(`<text class="num" x="${lanesLeft - 8}" y="${HEADER_TOP + 18}">step</text>`);

  // Dashed arrows from related steps to the top of the failing step's box (or the end bar).
  if (failure !== undefined) {
    const targetX = failStep >= 0 ? laneX(laneOf.get(failure.thread) ?? 0) + laneWidth / 2 : undefined;
    const targetY = (failStep >= 0 ? rowY(failStep) : rowY(rowCount)) - 1;
    for (const r of failure.related) {
      if (r.step < 0 || r.step >= rowCount || r.step === failStep) continue;
      const x = laneX(laneOf.get(r.thread) ?? 0) + laneWidth / 2;
      const y = rowY(r.step) + BOX;
      out.push(`<path class="link" d="M${x} ${y}L${targetX ?? x} ${targetY}" marker-end="url(#arrow)"/>`);
    }
  }

  // One box per step and lane.
  for (let s = 0; s < rowCount; s++) {
    const y = rowY(s);
    out.push(`<text class="num" x="${lanesLeft - 8}" y="${y + 13}">${s}</text>`);
    const row = cells[s]!;
    const cls = s === failStep ? 'fail' : related.has(s) ? 'rel' : 'box';
    for (let i = 0; i < lanes.length; i++) {
      const text = row[i];
      if (text === undefined) continue;
      const x = laneX(i) + 4;
      out.push(
        `<g><title>${escapeXml(`step ${s}, ${nameOf(lanes[i]!)}: ${text}`)}</title>` +
          `<rect class="${cls}" x="${x}" y="${y}" width="${laneWidth - 8}" height="${BOX}" rx="3"/>` +
          `<text x="${x + 4}" y="${y + 13}">${escapeXml(cut(text, boxChars))}</text></g>`,
      );
    }
  }
  if (failsAtEnd) {
    const y = rowY(rowCount);
    const barWidth = Math.max(laneWidth, lanes.length * laneWidth) - 8;
    out.push(`<text class="num" x="${lanesLeft - 8}" y="${y + 13}">end</text>`);
    out.push(
      `<g><rect class="fail" x="${lanesLeft + 4}" y="${y}" width="${barWidth}" height="${BOX}" rx="3"/>` +
        `<text x="${lanesLeft + 8}" y="${y + 13}">${escapeXml(cut(`${failure.check} fired after the last step`, Math.floor((barWidth - 8) / CHAR)))}</text></g>`,
    );
  }

  // Failure message and related steps.
  let fy = rowsBottom + 20 + 12;
  for (const line of footer) {
    out.push(`<text class="${line.cls}" x="${MARGIN}" y="${fy}">${escapeXml(line.text)}</text>`);
    fy += LINE;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
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

/** Cuts `text` to at most `chars` code points, ending a cut text with `…`; newlines become spaces. */
function cut(text: string, chars: number): string {
  const flat = text.replace(/[\r\n\t]/g, ' ');
  const points = Array.from(flat);
  return points.length <= chars ? flat : points.slice(0, Math.max(0, chars - 1)).join('') + '…';
}

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
