import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTimelineSvg } from '../src/explore/timeline-svg.js';
import type { ExecutionOutcome } from '../src/sched/execution.js';
import { ReplayScheduler } from '../src/sched/replay.js';
import { lostUpdate, safeUpdate, toyExecute } from './support/toy-execute.js';

/**
 * A small well-formedness check: tags balance, attribute values are quoted and hold no `<`,
 * and `&` appears only as an entity. Returns the element names in document order.
 */
function checkWellFormed(xml: string): string[] {
  const names: string[] = [];
  const stack: string[] = [];
  const entity = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  let i = 0;
  let root = 0;
  const checkText = (text: string, where: number): void => {
    for (let k = 0; k < text.length; k++) {
      if (text[k] === '<') throw new Error(`raw < at ${where + k}`);
      if (text[k] === '&') {
        entity.lastIndex = k;
        if (!entity.test(text)) throw new Error(`bare & at ${where + k}: ${text.slice(k, k + 10)}`);
      }
    }
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt === -1) {
      checkText(xml.slice(i), i);
      break;
    }
    checkText(xml.slice(i, lt), i);
    if (xml.startsWith('<?', lt)) {
      if (lt !== 0) throw new Error('XML declaration not at the start');
      i = xml.indexOf('?>', lt) + 2;
      continue;
    }
    if (xml.startsWith('<!--', lt)) {
      i = xml.indexOf('-->', lt) + 3;
      continue;
    }
    const gt = xml.indexOf('>', lt);
    if (gt === -1) throw new Error(`unclosed tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? 'nothing'}> at ${lt}`);
    } else {
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const m = /^([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*$/.exec(body);
      if (m === null) throw new Error(`malformed tag <${tag}> at ${lt}`);
      const attributes = m[2]!;
      for (const value of attributes.matchAll(/="([^"]*)"/g)) checkText(value[1]!, lt);
      const attrNames = [...attributes.matchAll(/([\w:.-]+)="/g)].map((a) => a[1]);
      if (new Set(attrNames).size !== attrNames.length) throw new Error(`duplicate attribute in <${tag}>`);
      names.push(m[1]!);
      if (stack.length === 0) root++;
      if (!selfClosing) stack.push(m[1]!);
    }
    i = gt + 1;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('> <')}>`);
  if (root !== 1) throw new Error(`${root} root elements`);
  return names;
}

async function lostUpdateOutcome(): Promise<ExecutionOutcome> {
  return toyExecute(lostUpdate(1))(new ReplayScheduler([0, 0, 1, 1, 1, 0, 0, 1]));
}

describe('renderTimelineSvg', () => {
  it('is a well-formed standalone SVG document', async () => {
    const svg = renderTimelineSvg(await lostUpdateOutcome());
    assert.ok(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'));
    const names = checkWellFormed(svg);
    assert.equal(names[0], 'svg');
    assert.ok(names.includes('title'));
    assert.ok(!/href="http/.test(svg));
  });

  it('has lanes, a box per step, racing steps highlighted, a legend and the failure', async () => {
    const outcome = await lostUpdateOutcome();
    const svg = renderTimelineSvg(outcome);
    assert.ok(svg.includes('>worker A<'));
    assert.ok(svg.includes('>worker B<'));
    assert.equal((svg.match(/<rect class="(box|fail|rel)" x="\d/g) ?? []).length, outcome.schedule.length + 3 + 1);
    assert.equal((svg.match(/<rect class="rel" x="\d/g) ?? []).length, 1 + outcome.failure!.related.length);
    assert.ok(svg.includes('step where the check fired'));
    assert.ok(svg.includes('step that led to it'));
    assert.ok(svg.includes('Failure: leak at the end of the run'));
    assert.ok(svg.includes('refs is 1 at the end, expected 0'));
    assert.ok(svg.includes('<title>utrace timeline: leak</title>'));
    assert.ok(svg.includes('class="link"'));
  });

  it('highlights a failing step in red', async () => {
    const outcome = await toyExecute({ ...lostUpdate(), shared: { refs: 1 } })(new ReplayScheduler([0, 0, 1, 1]));
    const svg = renderTimelineSvg(outcome, { title: 'underflow' });
    checkWellFormed(svg);
    assert.equal((svg.match(/<rect class="fail" x="\d/g) ?? []).length, 2); // legend + step 3
    assert.ok(svg.includes('<title>underflow</title>'));
  });

  it('escapes XML special characters everywhere', async () => {
    const outcome = await lostUpdateOutcome();
    const nasty = `<b>&"x'</b>`;
    const hostile: ExecutionOutcome = {
      ...outcome,
      threads: outcome.threads.map((t) => ({ ...t, name: `${t.name} ${nasty}` })),
      trace: outcome.trace.map((e) => ({ ...e, text: `${e.text} ${nasty}\u0001` })),
      failure: { ...outcome.failure!, message: `message ${nasty}`, related: [{ step: 1, thread: 0, what: nasty }] },
    };
    const svg = renderTimelineSvg(hostile, { title: `title ${nasty}` });
    checkWellFormed(svg);
    assert.ok(!svg.includes(nasty));
    assert.ok(!svg.includes('\u0001'));
    assert.ok(svg.includes('&lt;b&gt;&amp;&quot;x&apos;&lt;/b&gt;'));
    assert.ok(svg.includes('title &lt;b&gt;'));
  });

  it('renders a run without failure and a long run', async () => {
    const ok = await toyExecute(safeUpdate(40))(new ReplayScheduler([...Array(84).fill(0), ...Array(84).fill(1)]));
    assert.equal(ok.status, 'ok');
    const svg = renderTimelineSvg(ok);
    checkWellFormed(svg);
    assert.ok(svg.includes('No failure'));
    assert.equal((svg.match(/<rect class="box" x="\d/g) ?? []).length, 168 + 1);
  });
});
