/**
 * Draws the lifecycle table as an SVG state diagram: a box per state, a labelled arrow per
 * transition. The layout (where each box sits) is the only thing decided here; every word
 * in the picture comes from `transitions.ts`. The output is deterministic, so a test can
 * regenerate it and compare it with the committed file byte for byte.
 * @packageDocumentation
 */
import type { lifecycle_node, NodeInfo, Transition } from './transitions.js';

/** Where a box's centre sits. */
interface Point {
  readonly x: number;
  readonly y: number;
}

/** A box on the canvas. */
interface Box extends Point {
  readonly w: number;
  readonly h: number;
  readonly lines: readonly string[];
}

/** How an arrow is drawn: a sideways shift (for a pair of opposite arrows) and its label spot. */
interface EdgeLayout {
  /** Shift of the whole arrow, perpendicular to it, in pixels (positive: to the arrow's left). */
  readonly shift?: number;
  /** Where along the arrow the label's centre sits, 0 (tail) to 1 (head). */
  readonly at?: number;
  /** Extra offset of the label from the arrow. */
  readonly dx?: number;
  readonly dy?: number;
  /** Corners the arrow goes through, for an arrow drawn as a polyline. */
  readonly via?: readonly Point[];
}

const WIDTH = 1040;
const HEIGHT = 740;

/** Centres of the boxes. Every node must have one (the mapped type checks it). */
const positions: { readonly [N in lifecycle_node]: Point } = {
  start: { x: 560, y: 58 },
  'rcu-only': { x: 165, y: 160 },
  attached: { x: 560, y: 262 },
  'events-cleared': { x: 560, y: 485 },
  detached: { x: 895, y: 400 },
  gone: { x: 165, y: 680 },
};

/** Per-arrow drawing hints, keyed `from->to`; arrows without an entry get the defaults. */
const edgeLayout: { readonly [key: string]: EdgeLayout } = {
  'start->attached': { dx: 80 },
  'start->rcu-only': { dx: -6, dy: -30 },
  'attached->events-cleared': { shift: 18, dx: -126 },
  'events-cleared->attached': { shift: 18, dx: 104 },
  'rcu-only->attached': { dx: -22, dy: 50 },
  'attached->detached': { dx: 78, dy: -36 },
  'events-cleared->detached': { dx: 64, dy: 44 },
  'detached->gone': { via: [{ x: 895, y: 680 }], at: 0.62 },
  'rcu-only->gone': { at: 0.52 },
};

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace";

/** Box fill and stroke per node. */
const palette: { readonly [N in lifecycle_node]: { readonly fill: string; readonly stroke: string } } = {
  start: { fill: '#eceff1', stroke: '#455a64' },
  attached: { fill: '#e8f5e9', stroke: '#2e7d32' },
  'events-cleared': { fill: '#e3f2fd', stroke: '#1565c0' },
  detached: { fill: '#f3e5f5', stroke: '#6a1b9a' },
  'rcu-only': { fill: '#fff3e0', stroke: '#e65100' },
  gone: { fill: '#eceff1', stroke: '#455a64' },
};

const TITLE_SIZE = 16;
const TEXT_SIZE = 12.5;
const LABEL_SIZE = 11.5;
/** Estimated advance of one character (sans text, monospace labels); generous on purpose. */
const SANS_CHAR = 0.56;
const MONO_CHAR = 0.61;

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A number as the SVG writes it: at most one decimal, no trailing zero. */
function n(value: number): string {
  const r = Math.round(value * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

function boxFor(node: lifecycle_node, info: NodeInfo): Box {
  const body = [...info.meaning, ...info.allows.map((line, i) => (i === 0 ? `may call: ${line}` : line))];
  const widest = Math.max(info.title.length * TITLE_SIZE * 0.62, ...body.map((l) => l.length * TEXT_SIZE * SANS_CHAR));
  const w = Math.ceil(widest + 36);
  const h = 26 + TITLE_SIZE + body.length * (TEXT_SIZE + 5) + 8;
  const p = positions[node];
  return { x: p.x, y: p.y, w, h, lines: body };
}

/** Where the segment from the centre of `box` towards `to` leaves the box, plus `gap` pixels. */
function exitPoint(box: Box, toward: Point, gap: number): Point {
  const dx = toward.x - box.x;
  const dy = toward.y - box.y;
  const sx = dx === 0 ? Infinity : box.w / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : box.h / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  const len = Math.hypot(dx, dy);
  return { x: box.x + dx * s + (dx / len) * gap, y: box.y + dy * s + (dy / len) * gap };
}

function renderBox(node: lifecycle_node, info: NodeInfo, box: Box): string {
  const { fill, stroke } = palette[node];
  const end = node === 'start' || node === 'gone';
  const left = box.x - box.w / 2;
  const top = box.y - box.h / 2;
  const out: string[] = [];
  out.push(`  <g class="state" id="state-${node}">`);
  out.push(
    `    <rect x="${n(left)}" y="${n(top)}" width="${n(box.w)}" height="${n(box.h)}" rx="${end ? n(box.h / 2) : 10}" fill="${fill}" stroke="${stroke}" stroke-width="2"${end ? ' stroke-dasharray="6 4"' : ''}/>`,
  );
  let y = top + 12 + TITLE_SIZE;
  out.push(
    `    <text x="${n(box.x)}" y="${n(y)}" text-anchor="middle" font-family="${escapeXml(FONT)}" font-size="${TITLE_SIZE}" font-weight="700" fill="${stroke}">${escapeXml(info.title)}</text>`,
  );
  y += 8;
  for (const line of box.lines) {
    y += TEXT_SIZE + 5;
    out.push(
      `    <text x="${n(box.x)}" y="${n(y - 3)}" text-anchor="middle" font-family="${escapeXml(FONT)}" font-size="${TEXT_SIZE}" fill="#263238">${escapeXml(line)}</text>`,
    );
  }
  out.push('  </g>');
  return out.join('\n');
}

/** The arrow's points, from where it leaves `from`'s box to where it meets `to`'s. */
function edgePoints(t: Transition, boxes: { readonly [N in lifecycle_node]: Box }, hints: EdgeLayout): Point[] {
  const a = boxes[t.from];
  const b = boxes[t.to];
  const via = hints.via ?? [];
  const first = via[0] ?? b;
  const last = via[via.length - 1] ?? a;
  const len = Math.hypot(first.x - a.x, first.y - a.y);
  // Unit normal to the left of the direction of travel; used to draw a pair of opposite arrows apart.
  const shift = hints.shift ?? 0;
  const nx = ((a.y - first.y) / len) * shift;
  const ny = ((first.x - a.x) / len) * shift;
  const ca = { x: a.x + nx, y: a.y + ny };
  const cb = via.length === 0 ? { x: b.x + nx, y: b.y + ny } : b;
  const p = exitPoint({ ...a, ...ca }, via.length === 0 ? cb : first, 4);
  const q = exitPoint({ ...b, ...cb }, via.length === 0 ? ca : last, 6);
  return [p, ...via, q];
}

/** The point a fraction `at` of the way along the polyline `points`. */
function along(points: readonly Point[], at: number): Point {
  const lengths = points.slice(1).map((pt, i) => {
    const prev = points[i] as Point;
    return Math.hypot(pt.x - prev.x, pt.y - prev.y);
  });
  let rest = lengths.reduce((s, l) => s + l, 0) * at;
  for (let i = 0; i < lengths.length; i++) {
    const l = lengths[i] as number;
    const p0 = points[i] as Point;
    const p1 = points[i + 1] as Point;
    if (rest <= l || i === lengths.length - 1) {
      const f = l === 0 ? 0 : Math.min(1, rest / l);
      return { x: p0.x + (p1.x - p0.x) * f, y: p0.y + (p1.y - p0.y) * f };
    }
    rest -= l;
  }
  return points[0] as Point;
}

/** An arrow: the line, then (in a later pass, so that boxes never hide it) its label. */
function renderEdge(
  t: Transition,
  boxes: { readonly [N in lifecycle_node]: Box },
): { readonly line: string; readonly label: string } {
  const hints = edgeLayout[`${t.from}->${t.to}`] ?? {};
  const points = edgePoints(t, boxes, hints);
  const color = t.byCallback === true ? '#c62828' : '#37474f';
  const id = `transition-${t.from}-${t.to}`;
  const d = points.map((pt, i) => `${i === 0 ? 'M' : 'L'} ${n(pt.x)} ${n(pt.y)}`).join(' ');
  const line =
    `  <path id="${id}" class="transition" d="${d}" fill="none" stroke="${color}" stroke-width="1.8"` +
    `${t.byCallback === true ? ' stroke-dasharray="7 5"' : ''} stroke-linejoin="round" marker-end="url(#${t.byCallback === true ? 'arrow-callback' : 'arrow'})"/>`;
  const c = along(points, hints.at ?? 0.5);
  const lx = c.x + (hints.dx ?? 0);
  const ly = c.y + (hints.dy ?? 0);
  const lineHeight = LABEL_SIZE + 3;
  const w = Math.max(...t.label.map((l) => l.length)) * LABEL_SIZE * MONO_CHAR + 12;
  const h = t.label.length * lineHeight + 8;
  const out: string[] = [];
  out.push(`  <g class="label" data-for="${id}">`);
  out.push(
    `    <rect x="${n(lx - w / 2)}" y="${n(ly - h / 2)}" width="${n(w)}" height="${n(h)}" rx="4" fill="#ffffff" stroke="${color}" stroke-opacity="0.3"/>`,
  );
  t.label.forEach((text, i) => {
    const y = ly - h / 2 + 4 + lineHeight * (i + 1) - 3.5;
    out.push(
      `    <text x="${n(lx)}" y="${n(y)}" text-anchor="middle" font-family="${escapeXml(MONO)}" font-size="${LABEL_SIZE}" fill="${color}">${escapeXml(text)}</text>`,
    );
  });
  out.push('  </g>');
  return { line, label: out.join('\n') };
}

/**
 * The state diagram as an SVG document.
 * @param nodes - every node with its text
 * @param transitions - the arrows, drawn in this order
 */
export function renderLifecycleSvg(
  nodes: { readonly [N in lifecycle_node]: NodeInfo },
  transitions: readonly Transition[],
): string {
  const ids = Object.keys(positions) as lifecycle_node[];
  const boxes = Object.fromEntries(ids.map((id) => [id, boxFor(id, nodes[id])])) as {
    [N in lifecycle_node]: Box;
  };
  const description = transitions
    .map((t) => `${nodes[t.from].title} to ${nodes[t.to].title}: ${t.label.join(' ')}`)
    .join('; ');
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="lifecycle-title lifecycle-desc">`,
  );
  out.push('  <title id="lifecycle-title">utrace engine lifecycle</title>');
  out.push(`  <desc id="lifecycle-desc">${escapeXml(description)}</desc>`);
  out.push('  <defs>');
  for (const [id, color] of [
    ['arrow', '#37474f'],
    ['arrow-callback', '#c62828'],
  ] as const) {
    out.push(
      `    <marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${color}"/></marker>`,
    );
  }
  out.push('  </defs>');
  out.push(`  <rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" rx="12" fill="#ffffff"/>`);
  const edges = transitions.map((t) => renderEdge(t, boxes));
  for (const e of edges) out.push(e.line);
  for (const id of ids) out.push(renderBox(id, nodes[id], boxes[id]));
  for (const e of edges) out.push(e.label);
  const legendY = 30;
  out.push('  <g class="legend">');
  out.push(
    `    <path d="M 716 ${legendY} L 766 ${legendY}" stroke="#37474f" stroke-width="1.8" marker-end="url(#arrow)"/>`,
  );
  out.push(
    `    <text x="776" y="${legendY + 4}" font-family="${escapeXml(FONT)}" font-size="${TEXT_SIZE}" fill="#263238">a call made by the tracer</text>`,
  );
  out.push(
    `    <path d="M 716 ${legendY + 24} L 766 ${legendY + 24}" stroke="#c62828" stroke-width="1.8" stroke-dasharray="7 5" marker-end="url(#arrow-callback)"/>`,
  );
  out.push(
    `    <text x="776" y="${legendY + 28}" font-family="${escapeXml(FONT)}" font-size="${TEXT_SIZE}" fill="#263238">made by a callback on the traced thread</text>`,
  );
  out.push('  </g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
