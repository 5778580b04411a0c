/**
 * `npm run docs:diagram`: writes the lifecycle state diagram (`docs/assets/lifecycle.svg`)
 * and its text version (`docs/assets/lifecycle-transitions.md`) from the table in
 * `scripts/lifecycle/transitions.ts`. With `--check`, writes nothing and exits 1 when a
 * committed file differs from what the table gives.
 * @packageDocumentation
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './paths.js';
import { lifecycleOutputs } from './lifecycle/outputs.js';

const check = process.argv.includes('--check');
let stale = 0;
for (const file of lifecycleOutputs()) {
  const path = join(repoRoot, file.path);
  let current: string | null = null;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = null;
  }
  if (current === file.content) {
    console.log(`${file.path}: up to date`);
  } else if (check) {
    console.error(`${file.path}: out of date; run npm run docs:diagram`);
    stale++;
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
    console.log(`${file.path}: written`);
  }
}
if (stale > 0) process.exitCode = 1;
