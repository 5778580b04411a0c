/**
 * The lifecycle diagram cannot drift from its table: the committed `docs/assets/lifecycle.svg`
 * and `docs/assets/lifecycle-transitions.md` are regenerated from
 * `scripts/lifecycle/transitions.ts` and compared byte for byte. The table itself is checked
 * for shape: every state is reachable from attach, every state can end, and the picture has
 * one arrow and one label per transition.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lifecycleOutputs } from '../scripts/lifecycle/outputs.js';
import { escapeXml } from '../scripts/lifecycle/render-svg.js';
import { lifecycleNodes, lifecycleTransitions, type lifecycle_node } from '../scripts/lifecycle/transitions.js';
import { repoRoot } from '../scripts/paths.js';

const nodes = Object.keys(lifecycleNodes) as lifecycle_node[];

/** The nodes reachable from `from` following transitions forwards (or backwards). */
function reachable(from: lifecycle_node, backwards = false): Set<lifecycle_node> {
  const seen = new Set<lifecycle_node>([from]);
  const queue = [from];
  while (queue.length > 0) {
    const at = queue.shift() as lifecycle_node;
    for (const t of lifecycleTransitions) {
      const [a, b] = backwards ? [t.to, t.from] : [t.from, t.to];
      if (a === at && !seen.has(b)) {
        seen.add(b);
        queue.push(b);
      }
    }
  }
  return seen;
}

describe('lifecycle diagram', () => {
  for (const file of lifecycleOutputs()) {
    it(`${file.path} is up to date with the table (else run npm run docs:diagram)`, () => {
      const committed = readFileSync(join(repoRoot, file.path), 'utf8');
      assert.equal(committed, file.content);
    });
  }

  it('has every state reachable from attach and every state able to end', () => {
    assert.deepEqual([...reachable('start')].sort(), [...nodes].sort());
    assert.deepEqual([...reachable('gone', true)].sort(), [...nodes].sort());
  });

  it('lists each transition once, between known nodes', () => {
    const keys = lifecycleTransitions.map((t) => `${t.from}->${t.to}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const t of lifecycleTransitions) {
      assert.ok(nodes.includes(t.from) && nodes.includes(t.to), `${t.from} -> ${t.to}`);
      assert.notEqual(t.from, 'gone');
      assert.notEqual(t.to, 'start');
    }
  });

  it('draws one box per node and one labelled arrow per transition', () => {
    const svg = lifecycleOutputs().find((f) => f.path.endsWith('.svg'))?.content ?? '';
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal(svg.match(/<g class="state"/g)?.length, nodes.length);
    assert.equal(svg.match(/<path id="transition-/g)?.length, lifecycleTransitions.length);
    for (const id of nodes) assert.ok(svg.includes(`>${escapeXml(lifecycleNodes[id].title)}</text>`), id);
    for (const t of lifecycleTransitions) {
      for (const line of t.label) assert.ok(svg.includes(`>${escapeXml(line)}</text>`), line);
    }
    // Well formed enough for a browser's image decoder: tags balance.
    const stack: string[] = [];
    for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
      const [, close, name, self] = m;
      if (self === '/') continue;
      if (close === '/') assert.equal(stack.pop(), name);
      else stack.push(name as string);
    }
    assert.deepEqual(stack, []);
  });

  it('is shown by a guide page', () => {
    const guides = readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md'));
    const showing = guides.filter((f) => /\]\((\.\/)?assets\/lifecycle\.svg\)/.test(readFileSync(join(repoRoot, 'docs', f), 'utf8')));
    assert.ok(showing.length > 0, 'no docs/*.md shows assets/lifecycle.svg');
  });
});
