/**
 * The state key of the stateful search is sound on every example: two different schedule
 * prefixes that reach one key have the same future. For each example, seeded random runs key
 * every state they pass; each time a key comes back after another prefix, both prefixes are
 * run again with the same continuations, and the two runs must show the same trace after the
 * prefix (thread by thread, line by line) and the same verdict (status, check, message).
 *
 * The same check with a key that leaves the threads' histories out (the kernel's state only)
 * must find two different futures behind one key on some example: the check can fail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { examples } from '../examples/index.js';
import { runningKernel } from '../src/kernel/current.js';
import type { Kernel } from '../src/kernel/kernel.js';
import { hash128, kernelStateText, ThreadHistories } from '../src/kernel/state-key.js';
import { scenarioExecute } from '../src/scenario/execute.js';
import type { Scenario } from '../src/scenario/scenario.js';
import type { ExecutionOutcome } from '../src/sched/execution.js';
import { SeededRandom } from '../src/sched/prng.js';
import type { Scheduler, SchedulingPoint } from '../src/sched/scheduler.js';

type KeyOf = (kernel: Kernel, histories: ThreadHistories) => string;
const fullKey: KeyOf = (kernel, histories) => histories.key(kernel);
const kernelOnlyKey: KeyOf = (kernel) => hash128(kernelStateText(kernel));

/** Replays `prefix`, then picks with a seeded generator; keys every state on the way if asked. */
class KeyingScheduler implements Scheduler {
  readonly histories = new ThreadHistories();
  readonly keys: string[] = [];
  readonly #random: SeededRandom;

  constructor(
    readonly prefix: readonly number[],
    seed: number,
    readonly keyOf: KeyOf | undefined,
  ) {
    this.#random = new SeededRandom(seed);
  }

  pick(point: SchedulingPoint): number {
    const kernel = runningKernel()!;
    if (point.previous >= 0) this.histories.stepped(point.previous);
    this.histories.update(kernel);
    if (this.keyOf !== undefined) this.keys.push(this.keyOf(kernel, this.histories));
    if (point.step < this.prefix.length) {
      const id = this.prefix[point.step]!;
      assert.ok(point.runnable.includes(id), `prefix step ${point.step}: thread ${id} cannot run`);
      return id;
    }
    return point.runnable[this.#random.nextU32() % point.runnable.length]!;
  }
}

/** What a run did after its first `from` steps, and how it ended. */
function future(outcome: ExecutionOutcome, from: number): string {
  const lines = outcome.trace.filter((e) => e.step >= from).map((e) => `${e.thread}:${e.text}`);
  const f = outcome.failure;
  return `${outcome.status} ${f === undefined ? '' : `${f.check}: ${f.message}`}\n${lines.join('\n')}`;
}

interface Check {
  pairs: number;
  /** Whether every random run failed (such a scenario may have no two prefixes that meet). */
  allFailed: boolean;
  violations: string[];
}

/** Finds up to `maxPairs` pairs of prefixes reaching one key, and compares their futures. */
async function checkKey(scenario: Scenario, keyOf: KeyOf, runs: number, maxPairs: number): Promise<Check> {
  const execute = scenarioExecute(scenario, { trace: true });
  const firstPrefix = new Map<string, string>();
  const pairs: Array<[number[], number[]]> = [];
  let allFailed = true;
  for (let seed = 1; seed <= runs && pairs.length < maxPairs; seed++) {
    const scheduler = new KeyingScheduler([], seed, keyOf);
    const outcome = await execute(scheduler);
    if (outcome.status === 'ok') allFailed = false;
    for (let step = 0; step < scheduler.keys.length && pairs.length < maxPairs; step++) {
      const key = scheduler.keys[step]!;
      const prefix = outcome.schedule.slice(0, step);
      const text = prefix.join(',');
      const seen = firstPrefix.get(key);
      if (seen === undefined) firstPrefix.set(key, text);
      else if (seen !== text) pairs.push([seen === '' ? [] : seen.split(',').map(Number), prefix]);
    }
  }
  const violations: string[] = [];
  for (const [a, b] of pairs) {
    for (const seed of [7, 8, 9]) {
      const runA = await execute(new KeyingScheduler(a, seed, undefined));
      const runB = await execute(new KeyingScheduler(b, seed, undefined));
      const futureA = future(runA, a.length);
      const futureB = future(runB, b.length);
      if (a.length !== b.length || futureA !== futureB) {
        violations.push(`prefixes [${a.join(',')}] and [${b.join(',')}], continuation seed ${seed}:\n${futureA}\n---\n${futureB}`);
        break;
      }
    }
  }
  return { pairs: pairs.length, allFailed, violations };
}

describe('the state key of the stateful search', () => {
  for (const scenario of Object.values(examples)) {
    it(`${scenario.name}: every pair of prefixes that reach one key has the same future`, async () => {
      const { pairs, allFailed, violations } = await checkKey(scenario, fullKey, 60, 25);
      // A scenario whose every run fails at once may have no two prefixes that meet.
      assert.ok(pairs > 0 || (scenario.expect === 'unsafe' && allFailed), 'no two prefixes reached one key: the check checked nothing');
      assert.deepEqual(violations, []);
    });
  }

  it('a key without the threads\' histories puts different futures behind one key (the check can fail)', async () => {
    let violations = 0;
    for (const scenario of Object.values(examples)) violations += (await checkKey(scenario, kernelOnlyKey, 60, 25)).violations.length;
    assert.ok(violations > 0, 'the kernel-only key passed everywhere: the check cannot tell a bad key');
  });

  it('hash128 spreads its input over 128 bits', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20000; i++) seen.add(hash128(`state ${i}`));
    assert.equal(seen.size, 20000);
    assert.equal(hash128('').length, 8);
    assert.notEqual(hash128('ab'), hash128('ba'));
  });
});
