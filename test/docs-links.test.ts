/**
 * Links in the guides that render on a code host and on the documentation site alike: no
 * TSDoc `{@link}` in Markdown (a code host shows it raw), and every link to an API name points
 * at the source file that exports it (the site's plugin turns it into the API page).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../scripts/paths.js';

const guides = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('links in the guides', () => {
  it('use no {@link ...}, which a code host shows raw', () => {
    for (const file of guides) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      assert.ok(!text.includes('{@link'), `${file} has a {@link}`);
    }
  });

  it('point an API name at a source file that exports it', () => {
    let count = 0;
    for (const file of guides) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      for (const m of text.matchAll(/\[`([\w$]+)`\]\(([^)#]+\.ts)\)/g)) {
        const [, name, target] = m;
        const path = resolve(dirname(join(repoRoot, file)), target!);
        assert.ok(existsSync(path), `${file}: ${target} does not exist`);
        assert.match(readFileSync(path, 'utf8'), new RegExp(`export (declare )?(async )?(function|const|class|type|interface|let) ${name!}\\b`), `${file}: ${target} does not export ${name}`);
        count++;
      }
    }
    assert.ok(count >= 40, `${count} API links`);
  });
});
