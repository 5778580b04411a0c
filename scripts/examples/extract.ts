/**
 * Finds the TypeScript examples of the documentation:
 *
 * - in a `.ts` file, every `@example` tag of a TSDoc comment (`/** ... *\/`): each fenced
 *   block tagged `ts` or `typescript` in it, or, when the tag holds no fenced block, its
 *   content: a single inline code span (`` @example `UTRACE_SIGNAL_IGN === 0x10` ``) is an
 *   expression; anything else is code, since TypeDoc shows a fence-less example as code;
 * - in a Markdown file, every fenced block tagged `ts` or `typescript`.
 *
 * A block whose info string has the word `no-check` (```` ```ts no-check ````) is reported as
 * skipped. Blocks in other languages (`sh`, `text`, ...) are not examples of this package.
 * @packageDocumentation
 */
import ts from 'typescript';

/** Where an example comes from. */
export type ExampleOrigin = 'tsdoc' | 'markdown';

/** One example, with the place of its first line of code in its file. */
export interface Example {
  /** Path of the file, as given to the extractor. */
  readonly file: string;
  /** 1-based line of the opening fence (or of the `@example` tag). */
  readonly line: number;
  /** 1-based line of the first line of `code` in the file. */
  readonly codeLine: number;
  /** The code, with comment decoration (` * `) removed. */
  readonly code: string;
  /** `'block'`: a module; `'expression'`: an inline code span, checked as an expression. */
  readonly kind: 'block' | 'expression';
  readonly origin: ExampleOrigin;
  /** Marked `no-check`: listed, not checked. */
  readonly skipped: boolean;
}

const TS_LANGS = new Set(['ts', 'typescript', 'mts']);

/** A line of text and its 1-based line number in the file. */
interface NumberedLine {
  readonly text: string;
  readonly line: number;
}

/** An opening fence: its marker (``` or ~~~, maybe longer) and info string. */
function openingFence(text: string): { marker: string; info: string } | null {
  const m = /^ {0,3}(`{3,}|~{3,})\s*([^`]*)$/.exec(text);
  if (m === null) return null;
  return { marker: m[1] as string, info: (m[2] as string).trim() };
}

function isClosingFence(text: string, marker: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text);
  return m !== null && (m[1] as string)[0] === marker[0] && (m[1] as string).length >= marker.length;
}

/** Whether an info string asks for a TypeScript check, and whether it says `no-check`. */
function classify(info: string): { ts: boolean; skipped: boolean } {
  const words = info.split(/[\s,{}]+/).filter((w) => w !== '');
  const lang = (words[0] ?? '').toLowerCase();
  return { ts: TS_LANGS.has(lang), skipped: words.slice(1).includes('no-check') };
}

/** The fenced TypeScript blocks among `lines`. */
function fencedBlocks(file: string, lines: readonly NumberedLine[], origin: ExampleOrigin): Example[] {
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = openingFence((lines[i] as NumberedLine).text);
    if (open === null) continue;
    let j = i + 1;
    while (j < lines.length && !isClosingFence((lines[j] as NumberedLine).text, open.marker)) j++;
    const body = lines.slice(i + 1, j);
    const kind = classify(open.info);
    if (kind.ts) {
      const first = lines[i] as NumberedLine;
      out.push({
        file,
        line: first.line,
        codeLine: first.line + 1,
        code: body.map((l) => l.text).join('\n'),
        kind: 'block',
        origin,
        skipped: kind.skipped,
      });
    }
    i = j;
  }
  return out;
}

/** Every ```ts block of a Markdown text. */
export function extractFromMarkdown(file: string, text: string): Example[] {
  const lines = text.split(/\r?\n/).map((t, i) => ({ text: t, line: i + 1 }));
  return fencedBlocks(file, lines, 'markdown');
}

/** The `/** ... *\/` comments of a TypeScript source, each once, with their start offsets. */
function docComments(file: string, text: string): { pos: number; end: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const seen = new Map<number, { pos: number; end: number }>();
  const collect = (pos: number): void => {
    for (const r of ts.getLeadingCommentRanges(text, pos) ?? []) {
      if (r.kind === ts.SyntaxKind.MultiLineCommentTrivia && text.startsWith('/**', r.pos) && !text.startsWith('/**/', r.pos)) {
        seen.set(r.pos, { pos: r.pos, end: r.end });
      }
    }
  };
  const visit = (node: ts.Node): void => {
    collect(node.pos);
    ts.forEachChild(node, visit);
  };
  visit(source);
  collect(source.endOfFileToken.pos);
  return [...seen.values()].sort((a, b) => a.pos - b.pos);
}

/** The lines of a doc comment without `/**`, `*\/` and the leading ` * `. */
function commentLines(text: string, pos: number, end: number): NumberedLine[] {
  const firstLine = text.slice(0, pos).split('\n').length;
  const raw = text.slice(pos + 3, end - 2).split('\n');
  return raw.map((l, i) => ({
    text: (i === 0 ? l.replace(/^ ?/, '') : l.replace(/^\s*\* ?/, '').replace(/^\s*$/, '')).replace(/\s+$/, ''),
    line: firstLine + i,
  }));
}

/**
 * Splits the lines of a comment at its block tags and returns the content of each `@example`,
 * line by line. A block tag is `@name` at the start of a word, outside code (fences and
 * inline code spans).
 */
function exampleTags(lines: readonly NumberedLine[]): { line: number; content: NumberedLine[] }[] {
  const tags: { name: string; line: number; content: NumberedLine[] }[] = [];
  let fence: string | null = null;
  let current: { name: string; line: number; content: NumberedLine[] } | null = null;
  const push = (text: string, line: number): void => {
    if (current !== null) current.content.push({ text, line });
  };
  for (const { text, line } of lines) {
    if (fence !== null) {
      push(text, line);
      if (isClosingFence(text, fence)) fence = null;
      continue;
    }
    const open = openingFence(text);
    if (open !== null) {
      fence = open.marker;
      push(text, line);
      continue;
    }
    // Outside fences: look for block tags outside inline code.
    let inCode = false;
    let start = 0;
    for (let k = 0; k < text.length; k++) {
      const ch = text[k];
      if (ch === '`') inCode = !inCode;
      else if (!inCode && ch === '@' && (k === 0 || /\s/.test(text[k - 1] as string))) {
        const m = /^@([A-Za-z]\w*)/.exec(text.slice(k));
        if (m === null) continue;
        push(text.slice(start, k).replace(/\s+$/, ''), line);
        current = { name: m[1] as string, line, content: [] };
        tags.push(current);
        k += m[0].length - 1;
        start = k + 1;
      }
    }
    push(start === 0 ? text : text.slice(start).trimStart(), line);
  }
  return tags
    .filter((t) => t.name === 'example')
    .map((t) => ({ line: t.line, content: t.content.map((c) => ({ text: c.text, line: c.line })) }));
}

/** Every example in the TSDoc comments of a TypeScript source. */
export function extractFromTypeScript(file: string, text: string): Example[] {
  const out: Example[] = [];
  for (const range of docComments(file, text)) {
    for (const tag of exampleTags(commentLines(text, range.pos, range.end))) {
      const content = tag.content;
      const hasFence = content.some((l) => openingFence(l.text) !== null);
      if (hasFence) {
        out.push(...fencedBlocks(file, content, 'tsdoc'));
        continue;
      }
      const from = content.findIndex((l) => l.text.trim() !== '');
      let to = content.length - 1;
      while (to > from && (content[to] as NumberedLine).text.trim() === '') to--;
      const body = from === -1 ? [] : content.slice(from, to + 1);
      const first = body[0];
      if (first === undefined) continue;
      const joined = body.map((l) => l.text.trim()).filter((t) => t !== '').join(' ');
      const inline = /^`([^`]+)`$/.exec(joined);
      if (inline !== null) {
        out.push({ file, line: tag.line, codeLine: first.line, code: inline[1] as string, kind: 'expression', origin: 'tsdoc', skipped: false });
      } else {
        out.push({
          file,
          line: tag.line,
          codeLine: first.line,
          code: body.map((l) => l.text).join('\n'),
          kind: 'block',
          origin: 'tsdoc',
          skipped: false,
        });
      }
    }
  }
  return out;
}
