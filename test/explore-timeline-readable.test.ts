/**
 * Timelines a kernel engineer can read: full text wrapped (never cut), codes as C writes
 * them, preemptions marked, idle lanes folded, a bounded output for a long run, and the SVG's
 * boxes holding their full text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scenario as firstRace } from '../examples/set-events-einprogress-free.js';
import { renderTimelineSvg } from '../src/explore/timeline-svg.js';
import { errnoName, eventMaskName, resumeActionName, symbolicTrace } from '../src/explore/timeline-symbols.js';
import { PREEMPTION_MARKER, RELATED_MARKER, renderTimelineText } from '../src/explore/timeline-text.js';
import { scenarioExecute } from '../src/scenario/index.js';
import type { ExecutionOutcome } from '../src/sched/execution.js';
import { ReplayScheduler } from '../src/sched/replay.js';
import { decodeSchedule } from '../src/sched/schedule-string.js';

/** The thread's first race, as the explorer reports it (schedule from `utrace-explore set-events-einprogress-free`). */
async function firstRaceOutcome(): Promise<ExecutionOutcome> {
  return scenarioExecute(firstRace, { trace: true })(new ReplayScheduler(decodeSchedule('s1:2x5.3.2')));
}

/** The words of `text`, as a timeline may break it onto lines. */
const words = (text: string): string[] =>
  text
    .split(/\s+/)
    .map((w) => w.replace(/;$/, ''))
    .filter((w) => w !== '');

describe('symbolic codes', () => {
  it('names return codes, event masks and resume actions as C does', () => {
    assert.equal(errnoName(-115), '-EINPROGRESS');
    assert.equal(errnoName(-3), '-ESRCH');
    assert.equal(errnoName(0), '0');
    assert.equal(errnoName(-9999), '-9999');
    assert.equal(eventMaskName(0), '0');
    assert.equal(eventMaskName(0x40), 'UTRACE_EVENT(SYSCALL_ENTRY)');
    assert.equal(eventMaskName(0x42), 'UTRACE_EVENT(REAP) | UTRACE_EVENT(SYSCALL_ENTRY)');
    assert.equal(eventMaskName(0x10000), '0x10000');
    assert.equal(resumeActionName(6), 'UTRACE_DETACH');
    assert.equal(resumeActionName(42), '42');
  });

  it('rewrites the calls of a trace line and leaves other text alone', () => {
    assert.equal(
      symbolicTrace('utrace_set_events(traced[1], engine#1, 0x0) = -115; kfree(syscall counts)'),
      'utrace_set_events(traced[1], engine#1, 0) = -EINPROGRESS; kfree(syscall counts)',
    );
    assert.equal(symbolicTrace('utrace_control(traced[1], engine#1, 6) = -115'), 'utrace_control(traced[1], engine#1, UTRACE_DETACH) = -EINPROGRESS');
    assert.equal(symbolicTrace('utrace_set_events_sync(t, engine#2, 0x2) = 0'), 'utrace_set_events_sync(t, engine#2, UTRACE_EVENT(REAP)) = 0');
    assert.equal(symbolicTrace('utrace_barrier(t, engine#1) = -3'), 'utrace_barrier(t, engine#1) = -ESRCH');
    assert.equal(symbolicTrace('syscall 1 runs'), 'syscall 1 runs');
  });

  it('shows symbolic codes in both timelines, not numbers', async () => {
    const outcome = await firstRaceOutcome();
    assert.ok(outcome.trace.some((e) => e.text.includes('= -115')), 'the raw trace has the number');
    // Wide enough that no cell wraps, so that each call reads on one line.
    for (const text of [renderTimelineText(outcome, { width: 400 }), renderTimelineSvg(outcome, { width: 3000 })]) {
      assert.match(text, /utrace_set_events\(traced\[1\], engine#1, 0\) = -EINPROGRESS/);
      assert.match(text, /UTRACE_DETACH\) = -EINPROGRESS/);
      assert.match(text, /UTRACE_EVENT\(SYSCALL_ENTRY\)/);
      assert.doesNotMatch(text, /= -115|0x40\b/);
    }
  });
});

describe('renderTimelineText, readable', () => {
  it('wraps every cell and never cuts: every word of the trace is in the output, at every width', async () => {
    const outcome = await firstRaceOutcome();
    const expected = words(outcome.trace.map((e) => symbolicTrace(e.text)).join(' '));
    for (const width of [40, 60, 100, 160]) {
      const text = renderTimelineText(outcome, { width });
      assert.ok(!text.includes('…'));
      const shown = new Set(words(text.replace(/[│─┼]/g, ' ')));
      for (const w of expected) {
        // A word longer than its lane is broken across lines; its pieces are still there.
        if (w.length < 10) assert.ok(shown.has(w), `width ${width}: "${w}" missing\n${text}`);
      }
      for (const line of text.split('\n')) assert.ok(Array.from(line).length <= width, `${line.length} > ${width}: ${line}`);
    }
  });

  it('marks the preemption and names the thread it preempted', async () => {
    const outcome = await firstRaceOutcome();
    assert.deepEqual(outcome.preemptionSteps, [5]);
    const text = renderTimelineText(outcome, { width: 120 });
    assert.ok(text.split('\n').some((l) => l.startsWith(`${RELATED_MARKER} ${PREEMPTION_MARKER}`) && /\b5 │/.test(l)), text);
    assert.match(text, /^P {1,2}step 5: tracer ran while traced\[1\] could have run on$/m);
    assert.match(text, /Markers: .*P a preemption/);
    assert.match(renderTimelineSvg(outcome), /<text class="pre"[^>]*>P<title>step 5: tracer preempted traced\[1\]<\/title>/);
  });

  it('folds the lanes of threads that took no step, and names them', async () => {
    const outcome = await firstRaceOutcome();
    const text = renderTimelineText(outcome, { width: 120 });
    const header = text.split('\n').find((l) => /^\s+step │/.test(l))!;
    assert.deepEqual(header.split('│').slice(1).map((c) => c.trim()), ['traced[1]', 'tracer']);
    assert.match(text, /^Threads that took no step \(lanes folded\): rcu_gp, init$/m);
    const svg = renderTimelineSvg(outcome);
    assert.match(svg, /lanes folded\): rcu_gp, init/);
    assert.ok(!svg.includes('>rcu_gp<'));
  });

  it('bounds a 100,000-step run: the middle is elided with a count, the failure kept', () => {
    const outcome = longRun(100_000);
    const text = renderTimelineText(outcome, { width: 100 });
    assert.ok(text.length < 60_000, `${text.length} characters`);
    assert.match(text, /⋮ 49,9\d\d steps not shown \(steps \d+ to \d+; maxRows: Infinity shows every step\)/);
    assert.ok(text.split('\n').some((l) => /^!! +50000 │/.test(l)), 'the failing step is shown');
    assert.ok(text.split('\n').some((l) => /^ +99999 │/.test(l)), 'the last step is shown');
    const hinted = renderTimelineText(outcome, { width: 100, maxRows: 50, fullHint: '--full shows every step' });
    assert.match(hinted, /--full shows every step/);
    const svg = renderTimelineSvg(outcome);
    assert.ok(svg.length < 200_000, `${svg.length} characters of SVG`);
    assert.match(svg, /steps not shown/);
  });

  it('shows every step with maxRows: Infinity', () => {
    const outcome = longRun(500);
    const text = renderTimelineText(outcome, { maxRows: Infinity });
    for (let s = 0; s < 500; s++) assert.ok(text.includes(`step ${s} of a long run`), `step ${s}`);
    assert.ok(!text.includes('not shown'));
  });

  it('refuses a maxRows that is not a number of at least 1', async () => {
    const outcome = await firstRaceOutcome();
    for (const maxRows of [0, -1, Number.NaN, '10']) {
      assert.throws(() => renderTimelineText(outcome, { maxRows } as never), /options\.maxRows must be a number of at least 1/);
    }
  });
});

describe('renderTimelineSvg, readable', () => {
  it('puts the full text of each step inside its box, wrapped, at 12 px, within the width asked', async () => {
    const outcome = await firstRaceOutcome();
    const svg = renderTimelineSvg(outcome);
    assert.ok(!svg.includes('…'));
    assert.match(svg, /font-size:12px/);
    assert.match(svg, /^<svg [^>]*width="600"/m);
    const tspans = [...svg.matchAll(/<tspan [^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]!.replace(/&gt;/g, '>').replace(/&quot;/g, '"'));
    const boxed = new Set(words(tspans.join(' ')));
    for (const w of words(outcome.trace.map((e) => symbolicTrace(e.text)).join(' '))) assert.ok(boxed.has(w), `"${w}" not in a box`);
    // No line of a box is wider than its box: 12 px monospace text advances about 7.3 px.
    const boxWidth = Number(/<g><rect class="box" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/.exec(svg)![1]);
    for (const t of tspans) assert.ok(t.length * 7.3 <= boxWidth, `"${t}" is wider than its ${boxWidth} px box`);
    const wide = renderTimelineSvg(outcome, { width: 1000 });
    assert.match(wide, /^<svg [^>]*width="1000"/m);
  });
});

/** A run of `steps` steps by two threads, failing halfway. */
function longRun(steps: number): ExecutionOutcome {
  const schedule = Array.from({ length: steps }, (_, i) => i % 2);
  const half = Math.floor(steps / 2);
  return {
    status: 'failed',
    failure: { check: 'use-after-free', message: 'read after free', step: half, thread: half % 2, related: [{ step: 3, thread: 1, what: 'kfree(x)' }] },
    schedule,
    preemptions: 0,
    trace: schedule.map((thread, step) => ({ step, thread, text: `step ${step} of a long run` })),
    threads: [
      { id: 0, name: 'A', kind: 'tracer' },
      { id: 1, name: 'B', kind: 'task' },
    ],
  };
}
