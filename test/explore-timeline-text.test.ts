import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAILURE_MARKER, RELATED_MARKER, renderTimelineText } from '../src/explore/timeline-text.js';
import type { ExecutionOutcome } from '../src/sched/execution.js';
import { ReplayScheduler } from '../src/sched/replay.js';
import { lostUpdate, safeUpdate, toyExecute } from './support/toy-execute.js';

const ANSI = /\u001b\[[0-9;]*m/g;
const length = (line: string): number => Array.from(line.replace(ANSI, '')).length;

async function lostUpdateOutcome(): Promise<ExecutionOutcome> {
  return toyExecute(lostUpdate(1))(new ReplayScheduler([0, 0, 1, 1, 1, 0, 0, 1]));
}

describe('renderTimelineText', () => {
  it('draws a lane per thread with the trace text in the lane of the thread that took the step', async () => {
    const outcome = await lostUpdateOutcome();
    const text = renderTimelineText(outcome);
    const lines = text.split('\n');
    const header = lines.find((l) => l.includes('worker A'))!;
    assert.ok(header.includes('worker B'));
    assert.ok(header.indexOf('worker A') < header.indexOf('worker B'));
    // Step 2 is worker B's first step: its text sits in the second lane.
    const row2 = lines.find((l) => /^ {0,3}\S*\s+2 │/.test(l))!;
    assert.ok(row2 !== undefined, text);
    const cells = row2.split('│');
    assert.equal(cells.length, 3);
    assert.equal(cells[1]!.trim(), '');
    assert.equal(cells[2]!.trim(), 'work');
    assert.ok(text.includes('load refs = 2'));
  });

  it('marks the related steps and the failure, and prints the message at the bottom', async () => {
    const outcome = await lostUpdateOutcome();
    const text = renderTimelineText(outcome);
    const lines = text.split('\n');
    const related = outcome.failure!.related.map((r) => r.step);
    assert.deepEqual(related, [1, 3, 4, 5]);
    for (const step of related) {
      assert.ok(
        lines.some((l) => l.startsWith(RELATED_MARKER) && new RegExp(`^>>\\s+${step} │`).test(l)),
        `step ${step} not marked\n${text}`,
      );
    }
    assert.ok(lines.some((l) => l.startsWith(`${FAILURE_MARKER}`) && l.includes('end')));
    assert.match(text, /Failure: leak at the end of the run/);
    assert.ok(lines.at(-1)!.startsWith('Markers:'));
    assert.ok(text.includes('refs is 1 at the end, expected 0'));
    assert.ok(!ANSI.test(text));
  });

  it('marks a failure that fires at a step on that step', async () => {
    const execute = toyExecute({ ...lostUpdate(), shared: { refs: 1 } });
    const outcome = await execute(new ReplayScheduler([0, 0, 1, 1]));
    assert.equal(outcome.failure?.check, 'refcount-underflow');
    const lines = renderTimelineText(outcome).split('\n');
    assert.ok(lines.some((l) => /^!!\s+3 │/.test(l)));
    assert.ok(lines.some((l) => /^>>\s+0 │/.test(l)));
    assert.ok(lines.some((l) => l.includes('Failure: refcount-underflow at step 3, thread 1 (worker B)')));
  });

  it('keeps every line within the width by wrapping, never cutting', async () => {
    const outcome = await lostUpdateOutcome();
    for (const width of [40, 60, 120]) {
      const text = renderTimelineText(outcome, { width });
      for (const line of text.split('\n')) assert.ok(length(line) <= width, `${length(line)} > ${width}: ${line}`);
      assert.ok(!text.includes('…'), text);
    }
    const coloured = renderTimelineText(outcome, { width: 40, color: true });
    for (const line of coloured.split('\n')) assert.ok(length(line) <= 40);
  });

  it('colours only when asked', async () => {
    const outcome = await lostUpdateOutcome();
    const coloured = renderTimelineText(outcome, { color: true });
    assert.ok(coloured.includes('\u001b[31m'));
    assert.ok(coloured.includes('\u001b[33m'));
    assert.equal(coloured.replace(ANSI, ''), renderTimelineText(outcome));
  });

  it('keeps control characters in trace text from breaking the layout', async () => {
    const outcome = await lostUpdateOutcome();
    const hostile: ExecutionOutcome = {
      ...outcome,
      trace: outcome.trace.map((e) => ({ ...e, text: `${e.text}\nsecond line\u001b[2J` })),
    };
    const text = renderTimelineText(hostile, { width: 80 });
    assert.ok(!text.includes('\u001b'));
    for (const line of text.split('\n')) assert.ok(length(line) <= 80, line);
    // Each row's lines still have one bar per lane.
    for (const line of text.split('\n').filter((l) => l.includes('│'))) assert.equal(line.split('│').length, 3, line);
  });

  it('says so when nothing failed', async () => {
    const outcome = await toyExecute(safeUpdate())(new ReplayScheduler([0, 0, 0, 0, 1, 1, 1, 1]));
    const text = renderTimelineText(outcome, { title: 'safe run' });
    assert.ok(text.startsWith('safe run\n'));
    assert.match(text, /No failure/);
    assert.ok(!text.includes(FAILURE_MARKER));
  });
});
