/**
 * The long fuzzing run (`npm run fuzz`): the property of `test/fuzz-model.test.ts` for at
 * least 100,000 generated sequences, with a fresh seed each time unless one is given.
 *
 *   npm run fuzz                                  100,000 sequences, random seed
 *   npm run fuzz -- --runs 500000 --seed 42       more, reproducibly
 *   UTRACE_FUZZ_SEED=<s> UTRACE_FUZZ_PATH=<p> npm run fuzz    replay a printed failure
 *
 * It prints what it checked: sequences, API calls checked against the model, callbacks,
 * (engine, event) pairs that had to be reported exactly once, -EINPROGRESS/barrier results
 * checked against the callbacks in progress, and kernel steps.
 */
import { fuzz, FuzzFailure, type FuzzTotals } from '../test/support/fuzz/property.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function integer(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n)) {
    console.error(`${what} must be an integer, got ${text}`);
    process.exit(2);
  }
  return n;
}

const runs = integer(option('--runs') ?? process.env['UTRACE_FUZZ_RUNS'], '--runs') ?? 100_000;
const seed = integer(option('--seed') ?? process.env['UTRACE_FUZZ_SEED'], '--seed') ?? (Date.now() ^ (Math.random() * 0x100000000)) | 0;
const started = Date.now();
let lastReport = started;

function summary(t: FuzzTotals): string {
  const seconds = (Date.now() - started) / 1000;
  return (
    `${t.sequences} sequences, ${t.calls} API calls checked, ${t.callbacks} callbacks, ` +
    `${t.eligible} exactly-once obligations, ${t.inProgressChecks} in-progress checks, ${t.rcuCallbacks} call_rcu callbacks, ` +
    `${t.hostileCallbacks} hostile callbacks (${t.oopses} predicted oopses), ` +
    `${t.staleUses} stale-handle uses, ${t.rule7Uses} rule 7 uses, ${t.underflows} predicted refcount underflows, ` +
    `${t.unloadsAfter + t.unloadsClean} module unloads (${t.unloadsAfter} predicted module code after unload), ` +
    `${t.enomem} predicted -ENOMEM attaches, ${t.callbackCalls} API calls from callbacks (${t.mightSleeps} predicted might_sleep), ` +
    `${t.rule1Uses} rule 1 uses, ${t.interruptsOther} -ERESTARTSYS from another tracer's signal, ` +
    `explore runs ${t.exploreRandom} random / ${t.explorePct} pct / ${t.exploreDfs} dfs, ${t.deadlocks} predicted deadlocks, ${t.shortened} failures shortened and replayed, ` +
    `${t.steps} kernel steps` +
    ` in ${seconds.toFixed(1)} s`
  );
}

const replaying = (process.env['UTRACE_FUZZ_PATH'] ?? '') !== '';
console.log(
  replaying
    ? `utrace fuzz: replaying fast-check seed ${seed}, path ${process.env['UTRACE_FUZZ_PATH']}`
    : `utrace fuzz: ${runs} sequences, fast-check seed ${seed}`,
);
try {
  const totals = await fuzz({
    numRuns: runs,
    seed,
    onSequence: (t) => {
      const now = Date.now();
      if (now - lastReport >= 15_000) {
        lastReport = now;
        console.log(`  ... ${summary(t)}`);
      }
    },
  });
  console.log(`ok: ${summary(totals)}`);
} catch (e) {
  if (e instanceof FuzzFailure) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
