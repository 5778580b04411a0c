/**
 * Every export of the documented entry points has a `@category` (the site groups the module
 * pages by them), as given by the rule of `scripts/categories.mjs`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../scripts/paths.js';

interface Categories {
  categoryOf(file: string): string;
  exportsOf(): { name: string; file: string; tagged: boolean }[];
}

const script = join(repoRoot, 'scripts', 'categories.mjs');

describe('categories of the exports', () => {
  it('every export has a @category, and it is the one its directory gives', { timeout: 120_000 }, async () => {
    const { categoryOf, exportsOf } = (await import(pathToFileURL(script).href)) as Categories;
    const all = exportsOf();
    assert.ok(all.length > 200, `${all.length} exports`);
    assert.deepEqual(all.filter((e) => !e.tagged).map((e) => `${e.file}: ${e.name}`), []);
    const wrong: string[] = [];
    for (const file of new Set(all.map((e) => e.file))) {
      const tags = new Set([...readFileSync(join(repoRoot, file), 'utf8').matchAll(/@category ([^*@\n]+?)\s*(?:\*\/|@|\n)/g)].map((m) => m[1]));
      if (tags.size !== 1 || !tags.has(categoryOf(file))) wrong.push(`${file}: ${[...tags].join(', ')}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('has a rule for every directory that exports, and refuses a file it has none for', async () => {
    const { categoryOf } = (await import(pathToFileURL(script).href)) as Categories;
    assert.equal(categoryOf('src/api/utrace_barrier.ts'), 'Kernel calls');
    assert.equal(categoryOf('src/explore/timeline-svg.ts'), 'Timelines');
    assert.equal(categoryOf('src/explore/assert-scenario.ts'), 'Test runners');
    assert.equal(categoryOf('types/engine.ts'), 'Lifecycle types');
    assert.throws(() => categoryOf('src/elsewhere/x.ts'), /no category rule for this file's directory/);
  });

  it('the check command (node scripts/categories.mjs --check) passes', () => {
    const out = execFileSync(process.execPath, [script, '--check'], { cwd: repoRoot, encoding: 'utf8' });
    assert.match(out, /^categories: 0 uncategorised exports$/m);
  });
});
