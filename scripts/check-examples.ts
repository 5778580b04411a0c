/**
 * `npm run test:examples`: type-checks every TypeScript example of the documentation against
 * the built package (`dist/`, so run `npm run build` first):
 *
 * - the `@example` tags of the TSDoc comments in `src/` and `types/`;
 * - the ```ts blocks of `README.md` and of the guides in `docs/`.
 *
 * Mark a block that must not be checked (an excerpt that cannot stand alone) with
 * ```` ```ts no-check ````; prefer a complete example, or `// @ts-expect-error` above a line
 * that shows a compile error on purpose (the check then fails if the error goes away).
 * Prints how many examples it checked; on an error, prints `file:line` of the offending line
 * and of its block, and exits 1. See `scripts/examples/check.ts` for how snippets without
 * imports and inline expressions are handled.
 * @packageDocumentation
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkExamples } from './examples/check.js';
import { extractFromMarkdown, extractFromTypeScript, type Example } from './examples/extract.js';
import { repoRoot } from './paths.js';

/** Files under `dir` (recursively) whose name ends with `suffix`, sorted, relative to the root. */
function filesUnder(dir: string, suffix: string): string[] {
  const abs = join(repoRoot, dir);
  if (!existsSync(abs)) return [];
  return (readdirSync(abs, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith(suffix) && !f.endsWith('.d.ts'))
    .map((f) => relative(repoRoot, join(abs, f)))
    .sort();
}

const examples: Example[] = [];
for (const file of [...filesUnder('src', '.ts'), ...filesUnder('types', '.ts')]) {
  examples.push(...extractFromTypeScript(file, readFileSync(join(repoRoot, file), 'utf8')));
}
for (const file of ['README.md', ...filesUnder('docs', '.md')]) {
  if (!existsSync(join(repoRoot, file))) continue;
  examples.push(...extractFromMarkdown(file, readFileSync(join(repoRoot, file), 'utf8')));
}

const result = await checkExamples(repoRoot, join(repoRoot, 'build', 'examples-check'), examples);
const skipped = examples.filter((e) => e.skipped);
const count = (origin: Example['origin'], kind: Example['kind']): number =>
  examples.filter((e) => !e.skipped && e.origin === origin && e.kind === kind).length;

const failed = [...new Set(result.errors.map((e) => e.example))];
for (const example of failed) {
  console.error(`${example.file}:${example.line}: this example fails:`);
  for (const e of result.errors.filter((x) => x.example === example)) {
    console.error(`  ${e.example.file}:${e.line}: ${e.message.replace(/\n/g, '\n    ')}`);
  }
}
for (const e of skipped) console.log(`skipped (no-check): ${e.file}:${e.line}`);
console.log(
  `examples: ${result.checked} type-checked (${count('tsdoc', 'block')} TSDoc blocks, ` +
    `${count('tsdoc', 'expression')} inline TSDoc expressions, ${count('markdown', 'block')} Markdown blocks), ` +
    `${result.evaluated} expressions run, ${skipped.length} skipped, ` +
    `${failed.length} failed`,
);
if (result.errors.length > 0) process.exitCode = 1;
