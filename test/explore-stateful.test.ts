/**
 * The stateful search (`strategy: { kind: 'stateful' }`): on every example it agrees with
 * bounded dfs (same verdict; a failure for each unsafe one), it proves every safe one over all
 * interleavings, its counts are stable from run to run, and its state cap stops it with a
 * report of what was not covered rather than a proof.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { examples } from '../examples/index.js';
import { explore } from '../src/explore/explore.js';
import { runScenario } from '../src/explore/run-scenario.js';
import { StatefulStrategy } from '../src/explore/stateful.js';
import { makeStrategy } from '../src/explore/strategy.js';
import { UtraceUsageError } from '../src/errors.js';
import { scenarioExecute } from '../src/scenario/execute.js';

const counts = new Map<string, number>();

/** Runs the built CLI; resolves with its exit status and output. */
function cli(...args: string[]): Promise<{ status: number; stdout: string }> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(root, 'dist/src/cli/main.js'), ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ status: error === null ? 0 : (error.code as number), stdout });
    });
  });
}

describe('stateful search', () => {
  for (const scenario of Object.values(examples)) {
    it(`${scenario.name}: same verdict as dfs at bound 2; ${scenario.expect === 'safe' ? 'proven over all interleavings' : 'finds the failure'}`, async () => {
      const stateful = await runScenario(scenario, { strategy: { kind: 'stateful' }, shorten: false });
      const dfs = await runScenario(scenario, { strategy: { kind: 'dfs', bound: 2 }, shorten: false });
      assert.equal(stateful.verdict, dfs.verdict);
      assert.equal(stateful.verdict, 'met');
      const states = stateful.result.states;
      assert.ok(states !== undefined, 'a stateful result carries its counts');
      if (scenario.expect === 'unsafe') {
        assert.equal(stateful.result.status, 'failed');
      } else {
        assert.equal(stateful.result.status, 'exhausted');
        assert.equal(states.untried, 0);
        assert.equal(states.stateCapHit, false);
        assert.ok(states.transitions >= states.states - 1 && states.executions <= states.transitions + 1);
      }
      counts.set(scenario.name, states.states);
    });
  }

  it('the global engine on 2 and 3 tasks: the distinct-state count is the same run after run', async () => {
    for (const name of ['recipe-global-engine', 'global-counters']) {
      const again = await runScenario(examples[name]!, { strategy: { kind: 'stateful' }, shorten: false });
      assert.equal(again.result.status, 'exhausted');
      assert.equal(again.result.states?.states, counts.get(name), name);
    }
  });

  it('the state cap stops the search with what it covered, not a proof', async () => {
    const report = await runScenario(examples['global-counters']!, { strategy: { kind: 'stateful', maxStates: 100 }, shorten: false });
    assert.equal(report.result.status, 'limit');
    assert.equal(report.verdict, 'undecided');
    assert.ok(report.result.status === 'limit' && report.result.limit === 'states');
    const c = report.result.states!;
    assert.equal(c.states, 100);
    assert.equal(c.stateCapHit, true);
    assert.ok(c.untried > 0, 'steps left untried are reported');
  });

  it('a time cap stops it the same way', async () => {
    const report = await runScenario(examples['global-counters']!, { strategy: { kind: 'stateful' }, maxSeconds: 0.05, shorten: false });
    assert.equal(report.result.status, 'limit');
    assert.ok(report.result.status === 'limit' && report.result.limit === 'time');
    assert.ok(report.result.states!.untried > 0);
  });

  it('needs runs that keep the trace, and says so', async () => {
    await assert.rejects(
      explore(scenarioExecute(examples['safe-detach']!), { strategy: new StatefulStrategy() }),
      (e: unknown) => e instanceof UtraceUsageError && /trace: true/.test(e.message),
    );
  });

  it('utrace-explore --strategy stateful says "proven over all interleavings", or what a cap left uncovered', async () => {
    const proven = await cli('safe-detach', '--strategy', 'stateful');
    assert.equal(proven.status, 0);
    assert.match(proven.stdout, /CLEAN: proven over all interleavings: [\d,]+ distinct states, [\d,]+ transitions/);
    const capped = await cli('safe-detach', '--strategy', 'stateful', '--max-states', '10');
    assert.equal(capped.status, 2);
    assert.match(capped.stdout, /STOPPED by the state cap/);
    assert.match(capped.stdout, /not proven: 10 distinct states/);
    const found = await cli('set-events-einprogress-free', '--strategy', 'stateful');
    assert.equal(found.status, 1);
    assert.match(found.stdout, /FOUND use-after-free/);
  });

  it('rejects a bad state cap and follows the strategy protocol', () => {
    assert.throws(() => makeStrategy({ kind: 'stateful', maxStates: 0 }), UtraceUsageError);
    assert.throws(() => new StatefulStrategy({ maxStates: 1.5 }), UtraceUsageError);
    const s = new StatefulStrategy();
    assert.equal(s.name, 'stateful');
    s.next();
    assert.throws(() => s.next(), UtraceUsageError);
  });
});
