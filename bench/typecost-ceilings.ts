/**
 * Re-measures the instantiation ceilings of the type-cost test and writes
 * `type-perf/ceilings.json` (ceiling = measured x 1.25, rounded). Run after a deliberate
 * change of the types, once the new cost is understood:
 * `npm run build && node build/bench/typecost-ceilings.js`.
 * @packageDocumentation
 */
import { writeFileSync } from 'node:fs';
import { CEILING_FACTOR, CEILINGS_FILE, type Ceilings, check, type Compiler, compilerVersion, type Project } from './typecost-measure.js';

const gated: readonly Project[] = ['type-tests', 'consumer-typed'];
const compilers: readonly Compiler[] = ['ts6', 'ts7'];
const measured: Record<string, Record<string, number>> = {};
const ceilings: Record<string, Record<string, number>> = {};
for (const compiler of compilers) {
  measured[compiler] = {};
  ceilings[compiler] = {};
  for (const project of gated) {
    const d = await check(compiler, project);
    if (d.exitCode !== 0) throw new Error(`${compiler} ${project}: type errors:\n${d.errors.join('\n')}`);
    measured[compiler]![project] = d.instantiations;
    ceilings[compiler]![project] = Math.round(d.instantiations * CEILING_FACTOR);
  }
}
const file: Ceilings = {
  note: 'Type instantiation ceilings for test/typecost-ceilings.test.ts: ceiling = measured x 1.25, rounded. Re-measure with `npm run build && node build/bench/typecost-ceilings.js` after a deliberate change of the types.',
  compilers: { ts6: compilerVersion('ts6'), ts7: compilerVersion('ts7') },
  measured: measured as Ceilings['measured'],
  ceilings: ceilings as Ceilings['ceilings'],
};
writeFileSync(CEILINGS_FILE, `${JSON.stringify(file, null, 2)}\n`);
console.log(JSON.stringify(file, null, 2));
