/**
 * The type-check cost gate: the instantiation counts of the type tests and of the generated
 * typed consumer (`build/type-perf/consumer-typed.ts`, 500 engine lifecycles, written by
 * `type-perf/generate.mjs` before each check) under TypeScript 6
 * and 7 stay under the ceilings committed in `type-perf/ceilings.json`, and nothing is
 * "excessively deep". A change of the types that explodes the checker's work fails here;
 * a deliberate one re-measures the ceilings (`node build/bench/typecost-ceilings.js`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { check, type Compiler, type Diagnostics, generator, type Project, readCeilings, ROOT } from '../bench/typecost-measure.js';

const gated: readonly { compiler: Compiler; project: Project }[] = [
  { compiler: 'ts6', project: 'type-tests' },
  { compiler: 'ts6', project: 'consumer-typed' },
  { compiler: 'ts7', project: 'type-tests' },
  { compiler: 'ts7', project: 'consumer-typed' },
];

/** Runs the checks two at a time. */
async function runAll(): Promise<Diagnostics[]> {
  const results: Diagnostics[] = [];
  for (let i = 0; i < gated.length; i += 2) {
    results.push(...(await Promise.all(gated.slice(i, i + 2).map((g) => check(g.compiler, g.project)))));
  }
  return results;
}

describe('type-check cost (type-perf/ceilings.json)', () => {
  test('the measured projects check the generated consumers, which differ only in their import', async () => {
    const gen = await generator();
    const files = gen.writeConsumers();
    const { typed, erased } = gen.consumers();
    assert.equal(readFileSync(files.typed, 'utf8'), typed);
    assert.equal(readFileSync(files.erased, 'utf8'), erased);
    for (const [tsconfig, file] of [['tsconfig.typed.json', files.typed], ['tsconfig.erased.json', files.erased]] as const) {
      const config = JSON.parse(readFileSync(join(ROOT, 'type-perf', tsconfig), 'utf8')) as { files: string[] };
      assert.deepEqual(config.files.map((f) => resolve(ROOT, 'type-perf', f)), [file], `type-perf/${tsconfig} checks ${file}`);
    }
    assert.equal(typed.match(/^export function lifecycle\d+\(/gm)?.length, gen.LIFECYCLES);
    const body = (text: string): string => text.split('\n').filter((l) => !l.startsWith('import ') && !l.startsWith('// ')).join('\n');
    assert.equal(body(typed), body(erased), 'the typed and erased consumers differ beyond their imports and header');
    assert.match(typed, /from 'utrace';/);
    assert.match(erased, /from '\.\.\/\.\.\/type-perf\/erased\.js';/);
  });

  test('instantiations stay under the ceilings, under TypeScript 6 and 7, with no excessively deep type', { timeout: 120_000 }, async () => {
    const ceilings = readCeilings().ceilings;
    for (const d of await runAll()) {
      const where = `${d.compiler} -p ${d.project}`;
      assert.equal(d.exitCode, 0, `${where}: type errors:\n${d.errors.join('\n')}`);
      assert.equal(d.excessivelyDeep, false, `${where}: a type instantiation is excessively deep (TS2589)`);
      const ceiling = ceilings[d.compiler][d.project];
      assert.ok(ceiling !== undefined, `${where}: no ceiling in type-perf/ceilings.json`);
      assert.ok(
        d.instantiations <= ceiling,
        `${where}: ${d.instantiations} type instantiations, over the ceiling of ${ceiling} (type-perf/ceilings.json); ` +
          'if the types changed on purpose, re-measure with node build/bench/typecost-ceilings.js',
      );
    }
  });
});
