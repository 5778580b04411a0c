/**
 * `npm run mutants` is not part of `npm test` (it runs the suite once per mutant), but its
 * list must stay usable: every planted rule break still applies to the current build (its text
 * occurs exactly once in the file it names), and the list keeps at least 30 of them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MUTANTS } from './support/mutants.js';

const build = fileURLToPath(new URL('../', import.meta.url));

describe('the planted rule breaks of npm run mutants', () => {
  it('keeps at least 30, with distinct ids', () => {
    assert.ok(MUTANTS.length >= 30, `${MUTANTS.length} mutants`);
    assert.equal(new Set(MUTANTS.map((m) => m.id)).size, MUTANTS.length);
  });

  for (const m of MUTANTS) {
    it(`${m.id}: its patch applies to build/${m.file}`, () => {
      const text = readFileSync(join(build, m.file), 'utf8');
      const at = text.indexOf(m.find);
      assert.ok(at >= 0, `the text of ${m.id} is not in build/${m.file}: update the mutant`);
      assert.equal(text.indexOf(m.find, at + 1), -1, `the text of ${m.id} occurs more than once in build/${m.file}`);
      assert.notEqual(m.find, m.replace);
      assert.ok(m.tests.length > 0);
    });
  }
});
