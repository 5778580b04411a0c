/**
 * `npm run mutants`: plants each rule break of `test/support/mutants.ts` in a copy of the
 * build and runs the runtime tests against it, one test file at a time (the mutant's most
 * relevant files first, then every other runtime test file), stopping at the first file that
 * fails: the mutant is then killed. A mutant that no file notices survives.
 *
 *   npm run mutants                       every mutant, report on stdout
 *   npm run mutants -- --only <id>        one mutant
 *   npm run mutants -- --write            also write the report into docs/reliability.md
 *
 * Exit status 0 when every mutant was killed, 1 otherwise, 2 when the unmutated copy fails.
 * @packageDocumentation
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MUTANTS, type Mutant } from '../test/support/mutants.js';
import { repoRoot } from './paths.js';

/** Test files that do not test the runtime (docs, the packed CLI, type-check cost) or check this list itself. */
const SKIPPED = new Set(['docs-browser', 'docs-diagram', 'docs-examples', 'cli-explore', 'typecost-ceilings', 'mutants-apply']);
const TIMEOUT_MS = 180_000;
const START = '<!-- mutants:start -->';
const END = '<!-- mutants:end -->';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const write = args.includes('--write');

const build = join(repoRoot, 'build');
if (!existsSync(join(build, 'src'))) {
  console.error('mutants: build/ is missing; run npm run build first');
  process.exit(2);
}
// Inside build/, so that the copy's tests resolve node_modules from the repository.
const work = join(build, `.mutants-${process.pid}`);
mkdirSync(work, { recursive: true });
for (const dir of ['src', 'test', 'examples', 'types']) {
  if (existsSync(join(build, dir))) cpSync(join(build, dir), join(work, dir), { recursive: true });
}
const allFiles = readdirSync(join(work, 'test'))
  .filter((f) => f.endsWith('.test.js'))
  .map((f) => f.slice(0, -'.test.js'.length))
  .filter((f) => !SKIPPED.has(f))
  .sort();

/** Runs one test file of the copy; true when it passed. */
function passes(file: string): { passed: boolean; ms: number; timedOut: boolean } {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--test', join(work, 'test', `${file}.test.js`)], { cwd: repoRoot, timeout: TIMEOUT_MS, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { passed: r.status === 0, ms: Date.now() - started, timedOut: r.error !== undefined };
}

interface Result {
  readonly mutant: Mutant;
  readonly killedBy: string | undefined;
  readonly files: number;
  readonly ms: number;
}

function runMutant(m: Mutant): Result {
  const path = join(work, m.file);
  const original = readFileSync(path, 'utf8');
  const at = original.indexOf(m.find);
  if (at < 0 || original.indexOf(m.find, at + 1) >= 0) {
    throw new Error(`mutant ${m.id}: its text does not occur exactly once in build/${m.file}`);
  }
  writeFileSync(path, original.slice(0, at) + m.replace + original.slice(at + m.find.length));
  const order = [...m.tests, ...allFiles.filter((f) => !m.tests.includes(f))];
  let ms = 0;
  let files = 0;
  try {
    for (const file of order) {
      const r = passes(file);
      ms += r.ms;
      files++;
      if (!r.passed) return { mutant: m, killedBy: r.timedOut ? `${file} (timeout)` : file, files, ms };
    }
    return { mutant: m, killedBy: undefined, files, ms };
  } finally {
    writeFileSync(path, original);
  }
}

const chosen = only === undefined ? MUTANTS : MUTANTS.filter((m) => m.id === only);
if (chosen.length === 0) {
  console.error(`mutants: no mutant ${String(only)}`);
  process.exit(2);
}
const started = Date.now();
try {
  // The unmutated copy must pass the files the mutants name first, or a kill would mean nothing.
  const baseline = [...new Set(chosen.flatMap((m) => m.tests))];
  const broken = baseline.find((file) => !passes(file).passed);
  if (broken !== undefined) {
    // Not process.exit: the copy of the build is removed below.
    console.error(`mutants: ${broken}.test.js fails without any mutant; fix the build first`);
    process.exitCode = 2;
  } else {
    run();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function run(): void {
  const results: Result[] = [];
  for (const m of chosen) {
    const r = runMutant(m);
    results.push(r);
    console.log(`${r.killedBy === undefined ? 'SURVIVED' : 'killed  '} ${m.id}${r.killedBy === undefined ? '' : ` by ${r.killedBy}`} (${r.files} file(s), ${(r.ms / 1000).toFixed(1)} s)`);
  }
  const killed = results.filter((r) => r.killedBy !== undefined).length;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const report = [
    `${killed} of ${results.length} planted rule breaks killed by the runtime tests (\`npm run mutants\`, ${seconds} s on the 2-CPU machine).`,
    '',
    '| mutant | rule broken | killed by |',
    '| --- | --- | --- |',
    ...results.map((r) => `| \`${r.mutant.id}\` | ${r.mutant.rule} | ${r.killedBy === undefined ? '**survived**' : `\`test/${r.killedBy.replace(/ \(timeout\)$/, '')}.test.ts\`${r.killedBy.endsWith('(timeout)') ? ' (timeout)' : ''}`} |`),
  ].join('\n');
  console.log(`\n${report}`);
  if (write && only === undefined) {
    const docPath = join(repoRoot, 'docs/reliability.md');
    const doc = readFileSync(docPath, 'utf8');
    const a = doc.indexOf(START);
    const b = doc.indexOf(END);
    if (a < 0 || b < a) throw new Error(`docs/reliability.md lacks the ${START} ... ${END} markers`);
    writeFileSync(docPath, `${doc.slice(0, a + START.length)}\n${report}\n${doc.slice(b)}`);
    console.log('mutants: wrote the report into docs/reliability.md');
  }
  process.exitCode = killed === results.length ? 0 : 1;
}
