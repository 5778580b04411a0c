/**
 * The thread's cases and the safe-teardown recipes as scenarios, by name, and the groups the
 * command line knows.
 *
 * `utrace-explore <name>` runs one case; `utrace-explore thread` runs all seven and checks
 * that each behaves as SPEC §5 says (the unsafe ones found, the safe ones clean).
 * @packageDocumentation
 */
import type { Scenario } from '../src/scenario/index.js';
import { scenario as deathDetach } from './death-detach.js';
import { scenario as detachEinprogressUnload } from './detach-einprogress-unload.js';
import { scenario as globalCounters } from './global-counters.js';
import { scenario as globalNoCounters } from './global-no-counters.js';
import { scenario as rcuOnlySync } from './rcu-only-sync.js';
import { scenario as safeDetach } from './safe-detach.js';
import { scenario as setEventsEinprogressFree } from './set-events-einprogress-free.js';
import { scenario as recipeDetachBarrierUnload } from './recipes/detach-barrier-unload.js';
import { scenario as recipeFireAndForget } from './recipes/fire-and-forget.js';
import { scenario as recipeGlobalEngine } from './recipes/global-engine.js';
import { scenario as lateReference } from './recipes/late-reference.js';
import { scenario as recipeMayDetach } from './recipes/may-detach.js';
import { scenario as recipeNeverDetaches } from './recipes/never-detaches.js';

/**
 * The seven cases of the 2008 "asynchronous detach" thread, in the order SPEC §5 lists them.
 * @public
 */
export const thread: readonly Scenario[] = Object.freeze([
  setEventsEinprogressFree,
  detachEinprogressUnload,
  safeDetach,
  rcuOnlySync,
  deathDetach,
  globalCounters,
  globalNoCounters,
]);

/**
 * The safe-teardown recipes of docs/safe-teardown.md (SPEC §3), each the safe counterpart of an
 * unsafe case of the thread: callbacks that never detach, a callback that may detach, a
 * fire-and-forget engine, a global engine, and detach with utrace_barrier before unload.
 * @public
 */
export const recipes: readonly Scenario[] = Object.freeze([
  recipeNeverDetaches,
  recipeMayDetach,
  recipeFireAndForget,
  recipeGlobalEngine,
  recipeDetachBarrierUnload,
]);

/**
 * Unsafe cases beside the recipes, besides the thread's own: `late-reference` takes the
 * counted reference of a may-detach engine after enabling its events.
 * @public
 */
export const pitfalls: readonly Scenario[] = Object.freeze([lateReference]);

/**
 * Every example scenario, by name.
 * @public
 */
export const examples: Readonly<Record<string, Scenario>> = Object.freeze(
  Object.fromEntries([...thread, ...recipes, ...pitfalls].map((s) => [s.name, s])),
);

/**
 * Named groups of scenarios: `thread` is the seven cases of the thread, `recipes` the
 * safe-teardown recipes, `pitfalls` further unsafe cases beside them.
 * @public
 */
export const groups: Readonly<Record<string, readonly Scenario[]>> = Object.freeze({ thread, recipes, pitfalls });
