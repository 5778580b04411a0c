/**
 * Every safe-teardown recipe of docs/safe-teardown.md is an example scenario that the explorer
 * clears exhaustively at preemption bound 3 (no broken rule, no leak, no underflow), and the
 * guide shows exactly its code; each unsafe case of the thread ships beside its safe
 * counterpart, and the explorer finds the unsafe one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { examples, recipes } from '../examples/index.js';
import { runScenario } from '../src/explore/run-scenario.js';
import { repoRoot } from '../scripts/paths.js';

/** Each recipe and the unsafe case of the thread it is the fix of (if any). */
const counterparts: Record<string, string | undefined> = {
  'recipe-never-detaches': 'set-events-einprogress-free',
  'recipe-may-detach': 'late-reference',
  'recipe-fire-and-forget': undefined,
  'recipe-global-engine': 'global-no-counters',
  'recipe-detach-barrier-unload': 'detach-einprogress-unload',
};

describe('the safe-teardown recipes, explored exhaustively at preemption bound 3', () => {
  it('the rcu-only-sync case of the thread is found too (the may-detach recipe is its fix as well)', async () => {
    const report = await runScenario(examples['rcu-only-sync']!, { strategy: { kind: 'dfs', bound: 3 }, maxSeconds: 120 });
    assert.equal(report.result.status, 'failed');
  });
  it('are the recipes the guide lists', () => {
    assert.deepEqual(recipes.map((s) => s.name), Object.keys(counterparts));
  });
  for (const scenario of recipes) {
    it(`${scenario.name}: no schedule breaks a rule, leaks or underflows`, async (t) => {
      const started = performance.now();
      const report = await runScenario(scenario, { strategy: { kind: 'dfs', bound: 3 }, maxSeconds: 120 });
      const { result } = report;
      t.diagnostic(`${scenario.name}: ${result.status} after ${result.executions} executions in ${Math.round(performance.now() - started)} ms`);
      assert.equal(
        result.status,
        'exhausted',
        result.status === 'failed' ? `${result.outcome.failure?.check}: ${result.outcome.failure?.message} (${result.schedule})` : result.status,
      );
      assert.equal(report.verdict, 'met');
    });
    const unsafe = counterparts[scenario.name];
    if (unsafe === undefined) continue;
    it(`${scenario.name} ships beside its unsafe counterpart ${unsafe}, which the explorer finds`, async () => {
      const bad = examples[unsafe];
      assert.ok(bad !== undefined && bad.expect === 'unsafe');
      const report = await runScenario(bad, { strategy: { kind: 'dfs', bound: 3 }, maxSeconds: 120 });
      assert.equal(report.result.status, 'failed');
    });
  }
});

/** The code of an example file as the guide shows it: without its header comment, importing the package by name. */
function asShown(file: string): string {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const body = text.slice(text.indexOf('*/\n') + 3);
  return body.replaceAll("'../../src/index.js'", "'utrace'").replaceAll("'../../src/scenario/index.js'", "'utrace/explore'").trim();
}

describe('docs/safe-teardown.md shows exactly the code of each recipe', () => {
  const guide = readFileSync(join(repoRoot, 'docs', 'safe-teardown.md'), 'utf8');
  const blocks = [...guide.matchAll(/^```ts recipe=(\S+)\n([\s\S]*?)^```$/gm)].map((m) => ({ file: m[1]!, code: m[2]!.trim() }));
  it('has a block for every recipe', () => {
    assert.deepEqual(
      blocks.map((b) => b.file).sort(),
      recipes.map((s) => `examples/recipes/${s.name.replace(/^recipe-/, '')}.ts`).sort(),
    );
  });
  for (const block of blocks) {
    it(`${block.file}: the block is the file`, () => {
      assert.equal(block.code, asShown(block.file));
    });
  }
});
