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
import { checkThroughExplore } from './support/fuzz/property.js';
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

  it('generates failing allocations: each attach that allocates while failures are pending is predicted and returns -ENOMEM, and makes no engine', async () => {
    const all = await sample();
    const armed = all.filter(({ sc }) => sc.tracers.some((t) => t.cmds.some((c) => c.op === 'fail_alloc')));
    const enomem = all.reduce((n, { r }) => n + r.stats.enomem, 0);
    console.log(`fuzz coverage: ${armed.length} scenarios arm failing allocations; ${enomem} attaches returned the predicted -ENOMEM and a lookup found no engine`);
    assert.ok(enomem >= 20, `attaches that returned the predicted -ENOMEM, with no engine made: ${enomem}`);
  });

  it('generates callbacks that call the API, on their own engine and on another, and a blocking call from a callback (might_sleep)', async () => {
    const all = await sample();
    const cbCalls = all.reduce((n, { r }) => n + r.stats.callbackCalls, 0);
    const other = all.reduce((n, { r }) => n + r.stats.callbackCallsOther, 0);
    const slept = all.filter(({ r }) => r.stats.mightSleep === true);
    console.log(`fuzz coverage: ${cbCalls} API calls from callbacks checked (${other} on another engine); ${slept.length} runs ended with the predicted might_sleep`);
    assert.ok(cbCalls >= 50, `API calls made from callbacks and checked: ${cbCalls}`);
    assert.ok(other >= 5, `calls from a callback on another engine: ${other}`);
    assert.ok(slept.length >= 5, `blocking calls from a callback that ended the run with might_sleep: ${slept.length}`);
    for (const { r } of slept) {
      assert.equal(r.outcome?.failure?.check, 'might_sleep');
      assert.match(r.outcome!.failure!.message, /called from report_\w+, a callback/);
    }
  });

  it('generates the RCU-kept pointer of a may-detach engine passed to a blocking call (rule 1): a usage error, nothing changed', async () => {
    const all = await sample();
    const rule1 = all.reduce((n, { r }) => n + r.stats.rule1Uses, 0);
    console.log(`fuzz coverage: ${rule1} blocking calls given an RCU-kept pointer, each the predicted 'rule-1' usage error`);
    assert.ok(rule1 >= 3, `blocking calls given an RCU-kept pointer, each a 'rule-1' usage error: ${rule1}`);
  });

  it('generates ops with an owner but no per-CPU counters, unloaded at once and in the safe order, and predicts module code after unload', async () => {
    const all = await sample();
    const bare = all.filter(({ sc }) => sc.module !== null && !sc.module.counters);
    const after = bare.filter(({ sc, r }) => !sc.module!.wait && r.stats.unload === 'after-unload');
    const clean = bare.filter(({ sc, r }) => sc.module!.wait && r.stats.unload === 'clean');
    console.log(`fuzz coverage: ${bare.length} scenarios own their ops by a module without counters: ${after.length} predicted module code after unload, ${clean.length} clean unloads`);
    assert.ok(after.length >= 5, `unloads without counters, at once, with the predicted module code after unload: ${after.length}`);
    for (const { r } of after) assert.equal(r.outcome?.failure?.check, 'module-code-after-unload');
    assert.ok(clean.length >= 5, `unloads without counters in the safe order, clean: ${clean.length}`);
    for (const { r } of clean) assert.equal(r.outcome?.status, 'ok');
  });

  it('generates interrupts from another thread: UTRACE_INTERRUPT on a running and a stopped target, kill(), a signal from another tracer', async () => {
    const all = await sample();
    const running = all.reduce((n, { r }) => n + r.stats.interruptRunning, 0);
    const stopped = all.reduce((n, { r }) => n + r.stats.interruptStopped, 0);
    const fromOther = all.reduce((n, { r }) => n + r.stats.interruptsOther, 0);
    const kills = all.flatMap(({ sc }) => sc.tracers.flatMap((t) => t.cmds)).filter((c) => c.op === 'kill').length;
    console.log(`fuzz coverage: UTRACE_INTERRUPT on ${running} running and ${stopped} stopped targets; ${fromOther} -ERESTARTSYS after another tracer's signal; ${kills} kill() calls`);
    assert.ok(running >= 10, `UTRACE_INTERRUPT accepted on a target the tracer saw running: ${running}`);
    assert.ok(stopped >= 1, `UTRACE_INTERRUPT accepted on a target the tracer saw stopped: ${stopped}`);
    assert.ok(fromOther >= 1, `blocking calls that returned -ERESTARTSYS after another tracer's signal: ${fromOther}`);
    assert.ok(kills >= 50, `kill() calls: ${kills}`);
  });

  it('runs scenarios through explore with the random, PCT and dfs strategies, finds no deadlock now that schedule() yields fairly, shortens failures and replays them', async () => {
    const all = await sample();
    const totals = { random: 0, pct: 0, dfs: 0, deadlocks: 0, shortened: 0, smaller: 0 };
    for (const { sc, r } of all.slice(0, 40)) {
      const c = await checkThroughExplore(sc, r.outcome!, true);
      for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += c[k];
    }
    console.log(`fuzz coverage: through explore over 40 scenarios: ${JSON.stringify(totals)}`);
    assert.ok(totals.pct >= 40 && totals.dfs >= 40, `PCT and dfs runs, each checked against the model: ${JSON.stringify(totals)}`);
    // `schedule()` is a fair yield: the harness's polling loops hand the CPU on, so no strategy
    // leaves a task stopped behind the tracers any more (these were the deadlocks of unfair runs).
    assert.equal(totals.deadlocks, 0, `runs left with a task stopped although schedule() yields fairly: ${totals.deadlocks}`);
    assert.ok(totals.shortened >= 5, `failing runs shortened, still failing the same check, and replayed from the schedule string: ${totals.shortened}`);
    assert.ok(totals.smaller >= 1, `shortenings that found a smaller schedule: ${totals.smaller}`);
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
