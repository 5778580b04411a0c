// @ts-check
/**
 * Every export of the documented entry points (`src/index.ts`, `src/explore/index.ts`) has a
 * `@category` tag, chosen by one rule from the directory of the file that declares it (see
 * CATEGORY below), so that the site's module pages are grouped and a new export cannot go
 * uncategorised.
 *
 *   node scripts/categories.mjs          add the missing tags (by the rule), in place
 *   node scripts/categories.mjs --check  list exports without a tag; exit 1 if there is one
 *
 * Run it again after a merge that adds exports; `npm test` runs the check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY_POINTS = ['src/index.ts', 'src/explore/index.ts'];

/**
 * The category of a declaration in `file` (relative to the root, with forward slashes).
 * @param {string} file
 * @returns {string}
 */
export function categoryOf(file) {
  if (file.startsWith('types/')) return 'Lifecycle types';
  if (file === 'src/errors.ts') return 'Errors';
  if (file.startsWith('src/api/')) return 'Kernel calls';
  if (file.startsWith('src/constants/')) return 'Constants';
  if (file.startsWith('src/kernel/')) return 'Kernel simulation';
  if (file.startsWith('src/sched/')) return 'Scheduling';
  if (file.startsWith('src/scenario/')) return 'Scenarios';
  if (/^src\/explore\/timeline-/.test(file)) return 'Timelines';
  if (/^src\/explore\/(assert-scenario|persist)\.ts$/.test(file)) return 'Test runners';
  if (file.startsWith('src/explore/')) return 'Explorer';
  throw new Error(`${file}: no category rule for this file's directory; add one to scripts/categories.mjs`);
}

/**
 * The documented exports: for each, its name, file and the range of its doc comment.
 * @returns {{ name: string, file: string, comment: { pos: number, end: number } | undefined, tagged: boolean }[]}
 */
export function exportsOf() {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (config === undefined) throw new Error('tsconfig.build.json: cannot read it');
  const program = ts.createProgram({ rootNames: ENTRY_POINTS.map((f) => join(root, f)), options: config.options });
  const checker = program.getTypeChecker();
  /** @type {Map<string, { name: string, file: string, comment: { pos: number, end: number } | undefined, tagged: boolean }>} */
  const found = new Map();
  for (const entry of ENTRY_POINTS) {
    const source = program.getSourceFile(join(root, entry));
    const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) throw new Error(`${entry}: not found`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const declaration of symbol.declarations ?? []) {
        const file = relative(root, declaration.getSourceFile().fileName).replace(/\\/g, '/');
        const statement = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
        const text = declaration.getSourceFile().text;
        const ranges = ts.getLeadingCommentRanges(text, statement.pos) ?? [];
        const doc = ranges.filter((r) => text.startsWith('/**', r.pos)).at(-1);
        const key = `${file}:${doc?.pos ?? statement.pos}`;
        if (found.has(key)) continue;
        const comment = doc === undefined ? undefined : { pos: doc.pos, end: doc.end };
        found.set(key, { name: exported.name, file, comment, tagged: doc !== undefined && /@category\s/.test(text.slice(doc.pos, doc.end)) });
      }
    }
  }
  return [...found.values()];
}

/** Adds the missing tags, by the rule. */
function fix() {
  /** @type {Map<string, { pos: number, end: number, category: string }[]>} */
  const edits = new Map();
  for (const e of exportsOf()) {
    if (e.tagged || e.comment === undefined) continue;
    const list = edits.get(e.file) ?? [];
    list.push({ ...e.comment, category: categoryOf(e.file) });
    edits.set(e.file, list);
  }
  for (const [file, list] of edits) {
    let text = readFileSync(join(root, file), 'utf8');
    for (const edit of list.sort((a, b) => b.pos - a.pos)) {
      const comment = text.slice(edit.pos, edit.end);
      let tagged;
      if (comment.includes('\n')) {
        const indent = /\n([ \t]*)\*\/$/.exec(comment)?.[1] ?? '';
        tagged = comment.replace(/\n([ \t]*)\*\/$/, `\n${indent}* @category ${edit.category}\n${indent}*/`);
      } else if (/ @public\b/.test(comment)) {
        // Before @public: what follows an inline @example is its code.
        tagged = comment.replace(/ @public\b/, ` @category ${edit.category} @public`);
      } else {
        tagged = comment.replace(/\s*\*\/$/, ` @category ${edit.category} */`);
      }
      text = text.slice(0, edit.pos) + tagged + text.slice(edit.end);
    }
    writeFileSync(join(root, file), text);
    console.log(`${file}: ${list.length} tag${list.length === 1 ? '' : 's'} added`);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) {
    const missing = exportsOf().filter((e) => !e.tagged);
    for (const e of missing) console.error(`${e.file}: export ${e.name} has no @category (node scripts/categories.mjs adds it)`);
    console.log(`categories: ${missing.length} uncategorised export${missing.length === 1 ? '' : 's'}`);
    if (missing.length > 0) process.exitCode = 1;
  } else {
    fix();
  }
}
