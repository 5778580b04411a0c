/**
 * Small text helpers for the command line's output: counts, durations, colours, tables.
 *
 * @packageDocumentation
 */

/**
 * An integer with thousands separators: `59640` → `59,640`.
 * @internal
 */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A duration for people: `7 ms`, `1.25 s`, `2 min 05 s`.
 * @internal
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * `n word` or `n words`.
 * @internal
 */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The colours the output uses.
 * @internal
 */
export type Paint = 'red' | 'green' | 'yellow' | 'bold' | 'dim';

const CODES: Record<Paint, string> = { red: '31', green: '32', yellow: '33', bold: '1', dim: '2' };

/**
 * A painter: wraps text in an ANSI colour when colour is on, returns it unchanged otherwise.
 * @internal
 */
export function painter(color: boolean): (paint: Paint, text: string) => string {
  return color ? (paint, text) => `\u001b[${CODES[paint]}m${text}\u001b[0m` : (_paint, text) => text;
}

/**
 * Lays rows out in columns separated by two spaces, the first row as a header underlined
 * with dashes. Cells are plain text (colour is added by `style`, after the padding).
 * @param rows - header first, then the body; every row as long as the header.
 * @param style - optional: the colour of a body cell, by row and column index.
 * @internal
 */
export function table(
  rows: readonly (readonly string[])[],
  style: (row: number, column: number) => ((text: string) => string) | undefined = () => undefined,
): string {
  const header = rows[0] ?? [];
  const widths = header.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[], index: number): string =>
    r
      .map((cell, c) => {
        const padded = c === r.length - 1 ? cell : cell.padEnd(widths[c]!);
        const paint = index > 0 ? style(index - 1, c) : undefined;
        return paint === undefined ? padded : paint(padded);
      })
      .join('  ')
      .trimEnd();
  const out = [line(header, 0), widths.map((w) => '-'.repeat(w)).join('  ')];
  rows.slice(1).forEach((r, i) => out.push(line(r, i + 1)));
  return out.join('\n');
}
