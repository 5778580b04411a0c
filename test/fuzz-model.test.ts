/**
 * Model-based fuzzing against the contract (SPEC §2–§3, reference §1.2–§1.5): random
 * programs, engines, callback return values and tracer call sequences under a seeded random
 * schedule, each checked step by step against the separate model in `support/fuzz/model.ts`.
 * `npm run fuzz` runs the same property for much longer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzz } from './support/fuzz/property.js';

/** The fixed budget of `npm test`. */
const SEQUENCES = Number(process.env['UTRACE_FUZZ_RUNS'] ?? 3000);
/** Fixed so that `npm test` is reproducible; `UTRACE_FUZZ_SEED` overrides it. */
const SEED = 20080521;

describe('model-based fuzzing of the utrace API', () => {
  it(`${SEQUENCES} random call sequences agree with the model of the documented return codes and guarantees`, async () => {
    const started = Date.now();
    const totals = await fuzz({ numRuns: SEQUENCES, seed: SEED });
    assert.equal(totals.sequences, SEQUENCES);
    assert.ok(totals.calls > SEQUENCES, 'the sequences made API calls');
    // The exactly-once check finds each event through the task's walk over its program; if
    // that walk ever stopped being observable, the check would silently have nothing to do.
    assert.ok(totals.eligible > SEQUENCES / 10, `exactly-once obligations were checked (${totals.eligible})`);
    assert.ok(totals.inProgressChecks > SEQUENCES / 10, `-EINPROGRESS results were checked against the callbacks (${totals.inProgressChecks})`);
    console.log(
      `fuzz: ${totals.sequences} sequences, ${totals.calls} API calls checked, ${totals.callbacks} callbacks, ` +
        `${totals.eligible} exactly-once obligations, ${totals.inProgressChecks} in-progress checks, ` +
        `${totals.steps} kernel steps in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});
