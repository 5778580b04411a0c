/**
 * The gallery of real engines (`examples/real/`): each buggy version is found, with the check
 * its file names and a shortened counterexample that replays to the same failure; each fixed
 * version runs clean through every schedule of the bound its file states. The files are plain
 * code: no `as` cast, and every one cites its sources.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scenario as ptraceDetach } from '../examples/real/ptrace-detach.js';
import { scenario as ptraceExitDetach } from '../examples/real/ptrace-exit-detach.js';
import { scenario as ptraceExitDetachCached } from '../examples/real/ptrace-exit-detach-cached.js';
import { scenario as stapStop2008 } from '../examples/real/stap-stop-2008.js';
import { scenario as stapStopBarrier2010 } from '../examples/real/stap-stop-barrier-2010.js';
import { scenario as stapStopDeath2010 } from '../examples/real/stap-stop-death-2010.js';
import { scenario as stapStopInuse2008 } from '../examples/real/stap-stop-inuse-2008.js';
import { explore } from '../src/explore/explore.js';
import { runScenario } from '../src/explore/run-scenario.js';
import type { CheckName } from '../src/index.js';
import type { Scenario } from '../src/scenario/index.js';
import { scenarioExecute } from '../src/scenario/index.js';
import { repoRoot } from '../scripts/paths.js';

/** The source tree's `examples/real/`. */
const realDir = join(repoRoot, 'examples', 'real');

interface Entry {
  readonly file: string;
  readonly scenario: Scenario;
  /** The preemption bound the file states. */
  readonly bound: number;
  /** The check a buggy version must fail with; absent for a fixed version. */
  readonly check?: CheckName;
  /** What the shortened counterexample's trace must show: the cause the file names. */
  readonly cause?: RegExp;
}

const gallery: readonly Entry[] = [
  { file: 'stap-stop-2008.ts', scenario: stapStop2008, bound: 1, check: 'module-code-after-unload', cause: /utrace_control\([^)]*, 6\) = -115/ },
  { file: 'stap-stop-inuse-2008.ts', scenario: stapStopInuse2008, bound: 1, check: 'module-code-after-unload', cause: /utrace_control\([^)]*, 6\) = -115/ },
  { file: 'stap-stop-barrier-2010.ts', scenario: stapStopBarrier2010, bound: 2 },
  { file: 'stap-stop-death-2010.ts', scenario: stapStopDeath2010, bound: 1, check: 'module-code-after-unload', cause: /utrace_control\([^)]*, 6\) = -114/ },
  { file: 'ptrace-detach.ts', scenario: ptraceDetach, bound: 2 },
  { file: 'ptrace-exit-detach.ts', scenario: ptraceExitDetach, bound: 2 },
  { file: 'ptrace-exit-detach-cached.ts', scenario: ptraceExitDetachCached, bound: 1, check: 'use-after-free', cause: /kfree\(ptrace_context\)/ },
];

describe('the gallery of real engines', () => {
  for (const entry of gallery) {
    const { scenario, bound, check, cause } = entry;
    it(`${scenario.name}: ${check === undefined ? `clean at preemption bound ${bound}` : `${check} found at preemption bound ${bound}`}`, async (t) => {
      assert.equal(scenario.expect, check === undefined ? 'safe' : 'unsafe');
      const source = readFileSync(join(realDir, entry.file), 'utf8');
      const stated = check === undefined ? `exhaustive search under a preemption bound\n * of ${bound}` : `preemption\n * bound of ${bound}`;
      assert.ok(
        source.replace(/\n \* /g, ' ').includes(stated.replace(/\n \* /g, ' ')),
        `${entry.file} states the bound it is checked at (${bound})`,
      );
      const report = await runScenario(scenario, { strategy: { kind: 'dfs', bound, order: 'deepest-first' }, maxSeconds: 120 });
      const { result } = report;
      t.diagnostic(`${scenario.name}: ${result.status} after ${result.executions} executions in ${Math.round(result.elapsedMs)} ms`);
      if (check === undefined) {
        assert.equal(
          result.status,
          'exhausted',
          result.status === 'failed' ? `${result.outcome.failure?.check}: ${result.outcome.failure?.message} (${result.schedule})` : result.status,
        );
        assert.equal(report.verdict, 'met');
        return;
      }
      assert.equal(result.status, 'failed');
      if (result.status !== 'failed') return;
      assert.equal(report.verdict, 'met');
      assert.equal(result.outcome.failure?.check, check, result.outcome.failure?.message);
      // The shortened counterexample is no longer than what was found, fails the same check,
      // and replays, traced, to the same failure.
      const cx = report.counterexample!;
      t.diagnostic(`${scenario.name}: shortened to ${cx.preemptions} preemption(s), ${cx.steps} steps: ${cx.schedule}`);
      assert.ok(cx.preemptions <= bound, `${cx.preemptions} preemptions`);
      assert.ok(cx.steps <= result.outcome.schedule.length, `${cx.steps} steps, found in ${result.outcome.schedule.length}`);
      assert.equal(cx.outcome.failure?.check, check);
      const again = await explore(scenarioExecute(scenario, { trace: true }), { strategy: { kind: 'replay', schedule: cx.schedule } });
      assert.equal(again.status, 'failed');
      if (again.status !== 'failed') return;
      assert.equal(again.outcome.failure?.check, check);
      assert.equal(again.outcome.failure?.message, cx.outcome.failure?.message);
      const text = again.outcome.trace.map((e) => e.text).join('\n');
      assert.ok(cause !== undefined && cause.test(text), `the counterexample shows ${cause}`);
    });
  }

  it('holds every scenario file of examples/real/, and each is plain code that cites its sources', () => {
    const files = readdirSync(realDir).filter((f) => f.endsWith('.ts'));
    const scenarioFiles = files.filter((f) => readFileSync(join(realDir, f), 'utf8').includes('defineScenario('));
    assert.deepEqual(scenarioFiles.sort(), gallery.map((e) => e.file).sort());
    for (const file of files) {
      const source = readFileSync(join(realDir, file), 'utf8');
      assert.ok(!source.includes(' as '), `${file} has no \` as \` (no cast, and no sentence that looks like one)`);
      assert.match(source, /[\w.-]+\/[\w.-]+@[0-9a-f]{40}:[\w./-]+\.c(:\d+-\d+)?/, `${file} cites repo@commit:path:lines`);
      assert.match(source, /Left out/, `${file} says what it leaves out`);
      if (scenarioFiles.includes(file)) assert.match(source, /Expected: (safe|unsafe)/, `${file} states what the search must show`);
    }
  });
});

/** The code of a gallery file as the guide shows it: without its header comment, importing the package by name. */
function asShown(file: string): string {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const body = text.slice(text.indexOf('*/\n') + 3);
  return body.replaceAll("'../../src/index.js'", "'utrace'").replaceAll("'../../src/scenario/index.js'", "'utrace/explore'").trim();
}

describe('docs/checking-your-own-engine.md shows exactly the code of the gallery', () => {
  const guide = readFileSync(join(repoRoot, 'docs', 'checking-your-own-engine.md'), 'utf8');
  const blocks = [...guide.matchAll(/^```ts([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({ info: m[1]!.trim(), code: m[2]!.trim() }));
  it('names, for every TypeScript block, the gallery file it shows whole (recipe=) or in part (excerpt=)', () => {
    assert.ok(blocks.length >= 3, `${blocks.length} blocks`);
    for (const block of blocks) assert.match(block.info, /(^| )(recipe|excerpt)=examples\/real\/[\w-]+\.ts( |$)/, block.info);
  });
  for (const block of blocks) {
    const [, kind, file] = /(recipe|excerpt)=(\S+)/.exec(block.info) ?? [];
    if (file === undefined) continue;
    it(`${file}: the block is ${kind === 'recipe' ? 'the file' : 'a part of the file, unchanged'}`, () => {
      if (kind === 'recipe') assert.equal(block.code, asShown(file));
      else assert.ok(asShown(file).includes(block.code), `the block is not in ${file}`);
    });
  }
});
