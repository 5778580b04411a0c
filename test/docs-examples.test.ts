/**
 * The example extractor of `npm run test:examples` (scripts/examples): which blocks it finds,
 * which it skips, and that an error is placed on the right line of the right file.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkExamples } from '../scripts/examples/check.js';
import { extractFromMarkdown, extractFromTypeScript } from '../scripts/examples/extract.js';
import { repoRoot } from '../scripts/paths.js';

const source = [
  '/**', // 1
  ' * Frees the engine.', // 2
  ' * @example', // 3
  ' * ```ts', // 4
  " * import { UTRACE_DETACH } from 'utrace';", // 5
  ' * const a: number = UTRACE_DETACH;', // 6
  ' * ```', // 7
  ' * @example', // 8
  ' * ```ts no-check', // 9
  ' * this is not code', // 10
  ' * ```', // 11
  ' * @example', // 12
  ' * ```sh', // 13
  ' * npm test', // 14
  ' * ```', // 15
  ' * @public', // 16
  ' */', // 17
  'export const x = 1;', // 18
  '/** Ignore. {@link x} @example `UTRACE_SIGNAL_IGN === 0x10` @public */', // 19
  'export const y = `/** @example not a comment */`;', // 20
  '// @example `not a doc comment`', // 21
  '/** @remarks A note with a `@example` in code. */', // 22
  'export const z = 2;', // 23
].join('\n');

describe('example extraction', () => {
  it('finds fenced TypeScript blocks and inline expressions in TSDoc @example tags', () => {
    const found = extractFromTypeScript('src/f.ts', source);
    assert.deepEqual(
      found.map((e) => ({ line: e.line, codeLine: e.codeLine, kind: e.kind, skipped: e.skipped, code: e.code })),
      [
        {
          line: 4,
          codeLine: 5,
          kind: 'block',
          skipped: false,
          code: "import { UTRACE_DETACH } from 'utrace';\nconst a: number = UTRACE_DETACH;",
        },
        { line: 9, codeLine: 10, kind: 'block', skipped: true, code: 'this is not code' },
        { line: 19, codeLine: 19, kind: 'expression', skipped: false, code: 'UTRACE_SIGNAL_IGN === 0x10' },
      ],
    );
  });

  it('finds ```ts and ~~~typescript blocks in Markdown, and no others', () => {
    const md = ['# T', '```ts', 'const a = 1;', '```', '```sh', 'ls', '```', '~~~typescript', 'const b = 2;', '~~~', '````ts no-check', 'x', '````'].join('\n');
    const found = extractFromMarkdown('docs/t.md', md);
    assert.deepEqual(
      found.map((e) => [e.line, e.code, e.skipped]),
      [
        [2, 'const a = 1;', false],
        [8, 'const b = 2;', false],
        [11, 'x', true],
      ],
    );
  });

  it('type-checks against the built package and reports the line of the error', async () => {
    const examples = [
      ...extractFromTypeScript('src/f.ts', source),
      ...extractFromMarkdown('docs/t.md', ['text', '```ts', 'const ok: 6 = UTRACE_DETACH;', "const bad: string = IS_ERR(0);", '```'].join('\n')),
      ...extractFromTypeScript('src/g.ts', '/** @example `UTRACE_DETACH === 6` */\nexport {};\n/** @example `-EPERM === -2` */\nexport {};\n'),
    ];
    const result = await checkExamples(repoRoot, join(repoRoot, 'build', 'examples-check-test'), examples);
    assert.equal(result.checked, 5);
    assert.equal(result.evaluated, 3);
    assert.deepEqual(
      result.errors.map((e) => [e.example.file, e.line, e.message.split(':')[0]]),
      [
        ['docs/t.md', 4, 'error TS2322'],
        ['src/g.ts', 3, '`-EPERM === -2` evaluates to false'],
      ],
    );
  });
});
