/**
 * What the repository commits: no file over {@link MAX_LINES} lines. Large generated inputs
 * (such as the type-cost consumers) are written at test or bench time into `build/`.
 * Skipped outside a git checkout (an unpacked tarball, say).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../scripts/paths.js';

/** The most lines a committed file may have. */
const MAX_LINES = 5000;

const inGit = existsSync(join(repoRoot, '.git'));

describe('committed files', { skip: inGit ? false : 'not a git checkout' }, () => {
  it(`has no file over ${MAX_LINES} lines (generate large inputs into build/)`, () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
    assert.ok(files.length > 100, `git ls-files listed ${files.length} files`);
    const over: string[] = [];
    for (const file of files) {
      if (!existsSync(join(repoRoot, file))) continue;
      const text = readFileSync(join(repoRoot, file), 'utf8');
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      if (lines > MAX_LINES) over.push(`${file}: ${lines} lines`);
    }
    assert.deepEqual(over, []);
  });
});
