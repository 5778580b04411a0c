/**
 * What the model-based fuzzer generates: over a fixed sample of its scenarios, each case it
 * is meant to cover occurs, and the model's prediction for it is checked (a run whose
 * prediction failed is a problem, which fails this test too).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { runScenario, type RunResult } from './support/fuzz/harness.js';
import { scenarioArb, type Scenario } from './support/fuzz/scenario.js';

const SAMPLE = 400;
const SEED = 20080521;

let runs: Array<{ sc: Scenario; r: RunResult }> | undefined;
async function sample(): Promise<Array<{ sc: Scenario; r: RunResult }>> {
  if (runs === undefined) {
    runs = [];
    for (const sc of fc.sample(scenarioArb, { numRuns: SAMPLE, seed: SEED })) runs.push({ sc, r: await runScenario(sc) });
  }
  return runs;
}

describe('the fuzzer covers its former blind spots', () => {
  it(`generates module unloads, safe and unsafe, and predicts module code after unload exactly (${SAMPLE} scenarios)`, async () => {
    const all = await sample();
    for (const { r } of all) assert.deepEqual(r.problems, []);
    const unsafe = all.filter(({ sc }) => sc.module !== null && !sc.module.wait);
    const safe = all.filter(({ sc }) => sc.module !== null && sc.module.wait);
    const predictedAfter = unsafe.filter(({ r }) => r.stats.unload === 'after-unload');
    const clean = safe.filter(({ r }) => r.stats.unload === 'clean');
    assert.ok(predictedAfter.length >= 10, `unloads without waiting that the model says run module code after unload: ${predictedAfter.length}`);
    for (const { r } of predictedAfter) assert.equal(r.outcome?.failure?.check, 'module-code-after-unload');
    assert.ok(clean.length >= 10, `unloads in the safe order that the model says are clean: ${clean.length}`);
    for (const { r } of clean) assert.equal(r.outcome?.status, 'ok');
  });

  it('generates call_rcu, inside and outside read-side sections, and synchronize_rcu after it', async () => {
    const all = await sample();
    const cmds = all.flatMap(({ sc }) => sc.tracers.flatMap((t) => t.cmds));
    const queued = all.reduce((n, { r }) => n + r.stats.rcuCallbacks, 0);
    assert.ok(queued >= 50, `call_rcu callbacks queued and checked: ${queued}`);
    assert.ok(cmds.some((c) => c.op === 'call_rcu' && c.rcu), 'call_rcu from inside a read-side section');
    assert.ok(cmds.some((c) => c.op === 'call_rcu' && !c.rcu), 'call_rcu outside a read-side section');
    // A synchronize_rcu after a call_rcu in the same tracer: its return is checked against the callback.
    const syncAfterCall = (cmds: readonly { op: string }[]): boolean => {
      const first = cmds.findIndex((c) => c.op === 'call_rcu');
      return first >= 0 && cmds.slice(first).some((c) => c.op === 'synchronize_rcu');
    };
    const after = all.filter(({ sc }) => sc.tracers.some((t) => syncAfterCall(t.cmds)));
    assert.ok(after.length >= 5, `scenarios with synchronize_rcu after call_rcu: ${after.length}`);
  });

  it('generates callbacks that return illegal values or throw, and predicts the oops that names the first', async () => {
    const all = await sample();
    const hostile = all.filter(({ r }) => r.stats.hostileCallbacks > 0);
    const named = hostile.filter(({ r }) => r.stats.oops !== undefined);
    assert.ok(named.length >= 10, `runs whose oops named the predicted callback: ${named.length}`);
    for (const { r } of named) {
      assert.equal(r.outcome?.failure?.check, 'oops');
      assert.ok(r.outcome!.failure!.message.startsWith(`${r.stats.oops} of `), r.outcome!.failure!.message);
    }
    // Every run with a hostile callback either names it in its oops or failed an earlier kernel check.
    for (const { r } of hostile) if (r.stats.oops === undefined) assert.equal(r.outcome?.status, 'failed');
    const messages = named.map(({ r }) => r.outcome!.failure!.message);
    assert.ok(messages.some((m) => m.includes(' threw')), 'a callback that threw');
    assert.ok(messages.some((m) => m.includes(' returned ')), 'a callback that returned an illegal value');
  });

  it('generates handle misuse: a revoked handle, an RCU-kept pointer after enabling events, a put too many', async () => {
    const all = await sample();
    const stale = all.reduce((n, { r }) => n + r.stats.staleUses, 0);
    const rule7 = all.reduce((n, { r }) => n + r.stats.rule7Uses, 0);
    const underflows = all.filter(({ r }) => r.stats.underflow === true);
    assert.ok(stale >= 20, `calls through a revoked handle, each a 'stale-handle' usage error: ${stale}`);
    assert.ok(rule7 >= 5, `uses of an RCU-kept pointer after enabling events, each a 'rule-7' usage error: ${rule7}`);
    assert.ok(underflows.length >= 5, `second puts that end the run with 'refcount-underflow': ${underflows.length}`);
    for (const { r } of underflows) assert.equal(r.outcome?.failure?.check, 'refcount-underflow');
  });

  it('derives whether a task is stopped from the runnable threads, not from the kernel\'s task state', async () => {
    const all = await sample();
    const views = { stopped: 0, running: 0, maybe: 0 };
    for (const { r } of all) for (const k of ['stopped', 'running', 'maybe'] as const) views[k] += r.stats.views[k];
    console.log(`fuzz coverage: views of a live task over ${SAMPLE} scenarios: ${JSON.stringify(views)}`);
    // Certain answers keep the exact checks (UTRACE_STOP: 0 exactly on a stopped target).
    assert.ok(views.stopped >= 100 && views.running >= 1000, `certain views: ${JSON.stringify(views)}`);
    assert.ok(views.maybe < views.stopped * 5, `views the tracer cannot decide stay few: ${JSON.stringify(views)}`);
    const harness = readFileSync('test/support/fuzz/harness.ts', 'utf8');
    assert.doesNotMatch(harness, /\.state === '(traced|stopped|running)'/, 'the harness reads no task state');
    assert.doesNotMatch(harness, /\.thread\.id/, 'the harness reads no task thread');
    assert.doesNotMatch(harness, /\.state\b/, 'the harness reads no engine or task state (it tracks the RCU-kept pointer itself)');
  });
});
