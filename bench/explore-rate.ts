/**
 * How fast the explorer runs the thread's cases: executions per second on case (a) under
 * dfs and random search (tracing off, as the explorer searches; and on, for comparison),
 * and the time an exhaustive search at preemption bound 2 takes on the safe cases.
 *
 * A benchmark, not a test: it asserts nothing, and its numbers depend on the machine.
 * @packageDocumentation
 */
import { scenario as safeDetach } from '../examples/safe-detach.js';
import { scenario as setEventsFree } from '../examples/set-events-einprogress-free.js';
import { scenario as globalCounters } from '../examples/global-counters.js';
import { explore } from '../src/explore/explore.js';
import { makeStrategy, type StrategyOptions } from '../src/explore/strategy.js';
import type { Scenario } from '../src/scenario/index.js';
import { scenarioExecute } from '../src/scenario/index.js';
import type { BenchRow } from './row.js';

/** Seconds each rate is measured over. */
const RATE_SECONDS = 2;

/**
 * Runs `scenario` under `strategy` for about {@link RATE_SECONDS} seconds, going on past
 * failing runs (dfs starts over once exhausted), and reports the rate.
 */
async function rate(scenario: Scenario, strategy: StrategyOptions, trace: boolean, command: string): Promise<BenchRow> {
  const execute = scenarioExecute(scenario, { trace });
  let source = makeStrategy(strategy);
  // Warm up the JIT on a few hundred runs first.
  for (let i = 0; i < 300; i++) {
    let scheduler = source.next();
    if (scheduler === undefined) {
      source = makeStrategy(strategy);
      scheduler = source.next()!;
    }
    source.complete(await execute(scheduler));
  }
  source = makeStrategy(strategy);
  let executions = 0;
  let failures = 0;
  const start = performance.now();
  let now = start;
  while (now - start < RATE_SECONDS * 1000) {
    let scheduler = source.next();
    if (scheduler === undefined) {
      source = makeStrategy(strategy);
      scheduler = source.next()!;
    }
    const outcome = await execute(scheduler);
    source.complete(outcome);
    executions++;
    if (outcome.status === 'failed') failures++;
    if ((executions & 63) === 0) now = performance.now();
  }
  now = performance.now();
  return {
    benchmark: `${scenario.name}: executions/s`,
    strategy: `${source.description}, trace ${trace ? 'on' : 'off'}`,
    executions,
    ms: now - start,
    note: `${((100 * failures) / executions).toFixed(1)}% of runs fail`,
    command,
  };
}

/** Times an exhaustive dfs search of `scenario` at preemption bound 2. */
async function exhaust(scenario: Scenario): Promise<BenchRow> {
  const result = await explore(scenarioExecute(scenario), { strategy: { kind: 'dfs', bound: 2 } });
  return {
    benchmark: `${scenario.name}: time to exhaust`,
    strategy: `${result.strategy}, trace off`,
    executions: result.executions,
    ms: result.elapsedMs,
    note: result.status === 'exhausted' ? 'exhausted, no failure' : `stopped: ${result.status}`,
    command: `utrace-explore ${scenario.name} --bound 2`,
  };
}

/**
 * The explorer-rate benchmark's rows, measured one after another.
 * @returns one row per measurement.
 */
export async function exploreRate(): Promise<BenchRow[]> {
  const a = setEventsFree.name;
  return [
    await rate(setEventsFree, { kind: 'dfs', bound: 2 }, false, `utrace-explore ${a} --strategy dfs --bound 2`),
    await rate(setEventsFree, { kind: 'random', seed: 1 }, false, `utrace-explore ${a} --strategy random --seed 1`),
    await rate(setEventsFree, { kind: 'random', seed: 1 }, true, '(tracing on: how a replay runs)'),
    await exhaust(safeDetach),
    await exhaust(globalCounters),
  ];
}
