/**
 * The type-check cost gate: the instantiation counts of the type tests and of the generated
 * typed consumer (`type-perf/consumer-typed.ts`, 500 engine lifecycles) under TypeScript 6
 * and 7 stay under the ceilings committed in `type-perf/ceilings.json`, and nothing is
 * "excessively deep". A change of the types that explodes the checker's work fails here;
 * a deliberate one re-measures the ceilings (`node build/bench/typecost-ceilings.js`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { check, type Compiler, type Diagnostics, type Project, readCeilings, ROOT } from '../bench/typecost-measure.js';

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
  test('the committed consumers are what type-perf/generate.mjs writes', async () => {
    const generator = (await import(pathToFileURL(join(ROOT, 'type-perf', 'generate.mjs')).href)) as {
      consumers: () => { typed: string; erased: string };
    };
    const { typed, erased } = generator.consumers();
    assert.equal(readFileSync(join(ROOT, 'type-perf', 'consumer-typed.ts'), 'utf8'), typed, 'run npm run type-perf:generate');
    assert.equal(readFileSync(join(ROOT, 'type-perf', 'consumer-erased.ts'), 'utf8'), erased, 'run npm run type-perf:generate');
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
