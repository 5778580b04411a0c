/**
 * Rule 3, made sound: the attach calls take only ops made by `defineOps`, which carry the
 * detach claim in their type (and in the kernel, which enforces it at every callback return).
 * `defineOps` reads every callback's return type (over its overloads): a callback that may
 * return UTRACE_DETACH (other than `report_death`), or that is typed as returning any resume
 * action, requires the claim 'may-detach'. A CREATE attach gives an rcu-only engine for
 * 'may-detach' ops, an attached (counted) one otherwise; a lookup always gives an attached one.
 * The claim the compiler reads is the one the ops value carries, whatever declared types it
 * went through, so each way the old inference could be fooled now fails to compile (below,
 * one `@ts-expect-error` per hole class).
 */
import { expectType } from 'tsd';
import {
  IS_ERR,
  Kernel,
  UTRACE_ATTACH_CREATE,
  UTRACE_ATTACH_MATCH_OPS,
  UTRACE_DETACH,
  UTRACE_REPORT,
  UTRACE_RESUME,
  UTRACE_SIGNAL_IGN,
  UTRACE_STOP,
  UTRACE_SYSCALL_ABORT,
  defineOps,
  find_get_pid,
  rcu_read_section,
  sys,
  utrace_attach_pid,
  utrace_attach_task,
  utrace_barrier,
  utrace_detach_sync,
  utrace_signal_return,
  utrace_syscall_return,
} from 'utrace';
import type {
  callback_args,
  defined_ops,
  detach_claim,
  detaching_callback,
  detaching_order,
  ops_reading,
  utrace_callback_name,
  utrace_callback_table,
  utrace_engine,
  utrace_engine_ops,
  utrace_event_name,
  utrace_resume_action_t,
} from 'utrace';
import type { callback_returns, ops_shape } from '../dist/types/internal.js';
import { stateOf } from './fixtures.js';

const kernel = new Kernel();
const target = kernel.spawn('traced', [sys(1), sys(2)]);

/** The claim the compiler gives `ops`. */
declare function claimOf<D, C extends detach_claim>(ops: defined_ops<D, C>): C;

declare const anyResumeAction: () => utrace_resume_action_t;
declare const anyAction: utrace_resume_action_t;

// --- defineOps: each callback that may return UTRACE_DETACH needs the claim 'may-detach' ------

expectType<'may-detach'>(claimOf(defineOps({ report_quiesce: () => UTRACE_DETACH }, 'may-detach')));
expectType<'may-detach'>(claimOf(defineOps({ report_exit: () => UTRACE_DETACH }, 'may-detach')));
// @ts-expect-error report_quiesce may return UTRACE_DETACH: without 'may-detach' the result is a sentence, no ops
claimOf(defineOps({ report_quiesce: () => UTRACE_DETACH }));
// @ts-expect-error report_signal may return UTRACE_DETACH
claimOf(defineOps({ report_signal: () => UTRACE_DETACH }));
// @ts-expect-error report_clone may return UTRACE_DETACH
claimOf(defineOps({ report_clone: () => UTRACE_DETACH }));
// @ts-expect-error report_jctl may return UTRACE_DETACH
claimOf(defineOps({ report_jctl: () => UTRACE_DETACH }));
// @ts-expect-error report_exec may return UTRACE_DETACH
claimOf(defineOps({ report_exec: () => UTRACE_DETACH }));
// @ts-expect-error report_syscall_entry may return UTRACE_DETACH
claimOf(defineOps({ report_syscall_entry: () => UTRACE_DETACH }));
// @ts-expect-error report_syscall_exit may return UTRACE_DETACH
claimOf(defineOps({ report_syscall_exit: () => UTRACE_DETACH }));
// @ts-expect-error report_exit may return UTRACE_DETACH
claimOf(defineOps({ report_exit: () => UTRACE_DETACH }));
// @ts-expect-error on some path only, next to callbacks that never detach
claimOf(defineOps({ report_exec: () => UTRACE_RESUME, report_syscall_entry: (action: number) => (action === UTRACE_STOP ? UTRACE_DETACH : UTRACE_RESUME) }));
// @ts-expect-error a method detaches as well as an arrow function
claimOf(defineOps({ report_clone() { return UTRACE_DETACH; } }));
// @ts-expect-error the claim 'never-detaches', said out loud, is checked the same way
claimOf(defineOps({ report_exec: () => UTRACE_DETACH }, 'never-detaches'));

// The message names the callback and the fix.
const forgotTheClaim = defineOps({ report_syscall_exit: () => UTRACE_DETACH });
expectType<"defineOps: report_syscall_exit may return UTRACE_DETACH, so these ops may detach the engine: pass 'may-detach' as the second argument (the engine is then rcu-only: take a counted reference with utrace_engine_get before enabling events)">(
  forgotTheClaim.refused,
);
// @ts-expect-error refused ops: the compiler shows the sentence above at the attach
utrace_attach_task(target, UTRACE_ATTACH_CREATE, forgotTheClaim, null);

// --- Ops that never detach, or only from report_death ------------------------------------------

expectType<'never-detaches'>(claimOf(defineOps({})));
expectType<'never-detaches'>(claimOf(defineOps({ report_exec: () => UTRACE_RESUME })));
expectType<'never-detaches'>(claimOf(defineOps({ report_exec: (action: number) => (action === 0 ? UTRACE_STOP : UTRACE_REPORT) })));
expectType<'never-detaches'>(claimOf(defineOps({ report_death: () => UTRACE_DETACH })));
expectType<'never-detaches'>(claimOf(defineOps({ report_exit: () => { throw new Error('never returns'); } })));
// Claiming 'may-detach' for ops that never detach is allowed (and makes the engine rcu-only).
expectType<'may-detach'>(claimOf(defineOps({ report_exec: () => UTRACE_RESUME }, 'may-detach')));

// --- Where the types cannot tell, the ops may detach --------------------------------------------

// @ts-expect-error a callback typed as returning any resume action may return UTRACE_DETACH
claimOf(defineOps({ report_exec: anyResumeAction }));
// @ts-expect-error a callback returning `any`
claimOf(defineOps({ report_signal: (): any => UTRACE_RESUME }));
// @ts-expect-error a combined value keeps its resume action: UTRACE_DETACH
claimOf(defineOps({ report_syscall_entry: () => utrace_syscall_return(UTRACE_SYSCALL_ABORT, UTRACE_DETACH) }));
// @ts-expect-error a combined value whose resume action is any action
claimOf(defineOps({ report_syscall_entry: () => utrace_syscall_return(UTRACE_SYSCALL_ABORT, anyAction) }));
expectType<'never-detaches'>(claimOf(defineOps({ report_syscall_entry: () => utrace_syscall_return(UTRACE_SYSCALL_ABORT, UTRACE_RESUME) })));
expectType<'never-detaches'>(claimOf(defineOps({ report_signal: () => utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_RESUME, true) })));

// A plain number is no legal return at all (rule 4).
// @ts-expect-error a callback returning a plain number is not a legal report_exec
defineOps({ report_exec: (): number => UTRACE_RESUME });
const widened = { report_exec: () => 5 };
// @ts-expect-error the literal 5 in an object declared first widens to number
defineOps(widened);

// --- Hole class: overloaded callbacks (every overload is read, not only the last) -------------

declare function overloaded(action: 0, engine: unknown): typeof UTRACE_DETACH;
declare function overloaded(action: number, engine: unknown): typeof UTRACE_RESUME;
// @ts-expect-error the first overload returns UTRACE_DETACH
claimOf(defineOps({ report_exec: overloaded }));
expectType<'may-detach'>(claimOf(defineOps({ report_exec: overloaded }, 'may-detach')));

// --- Hole class: explicit type arguments --------------------------------------------------------

const detachingLiteral = { report_syscall_entry: () => UTRACE_DETACH };
// @ts-expect-error explicit type arguments are refused: defineOps infers them
defineOps<{}>(detachingLiteral);
const quiet = defineOps({ report_exit: () => UTRACE_RESUME, report_death: () => UTRACE_DETACH });
const oneShot = defineOps({ report_exit: () => UTRACE_DETACH }, 'may-detach');
// @ts-expect-error `{}` carries no claim: it is no ops of defineOps
utrace_attach_task<{}, null, 16>(target, UTRACE_ATTACH_CREATE, oneShot, null);
// @ts-expect-error a never-detaches type argument does not make may-detach ops never detach
utrace_attach_task<typeof quiet, null, 16>(target, UTRACE_ATTACH_CREATE, oneShot, null);

// --- Hole class: wider declared types (variables, parameters, interface upcasts, factories) -----

// @ts-expect-error ops of defineOps are not a utrace_engine_ops: their callbacks are not visible to change
const upcast: utrace_engine_ops<null> = oneShot;
const plain: utrace_engine_ops<null> = { report_exit: () => UTRACE_RESUME };
// @ts-expect-error an object typed with the interface carries no claim: no attach takes it
utrace_attach_task(target, UTRACE_ATTACH_CREATE, plain, null);
// @ts-expect-error a narrower claim is not a wider one's alias: may-detach ops are no never-detaches ops
const narrowed: defined_ops<null, 'never-detaches'> = oneShot;
function factory(): utrace_engine_ops<null> {
  // @ts-expect-error a factory declared to return the interface cannot return claimed ops
  return oneShot;
}
// @ts-expect-error ops typed `{}` or `object` carry no claim
utrace_attach_task(target, UTRACE_ATTACH_CREATE, {} as object, null);
// @ts-expect-error Pick keeps no claim
utrace_attach_task(target, UTRACE_ATTACH_CREATE, null! as Pick<typeof quiet, never>, null);
// A parameter or variable typed with a claim of either kind gives an engine of either state:
// the blocking calls then refuse it until it is known.
function viaParameter(ops: defined_ops<null, detach_claim>) {
  const engine = utrace_attach_task(target, UTRACE_ATTACH_CREATE, ops, null);
  if (IS_ERR(engine)) return;
  expectType<'attached' | 'rcu-only'>(stateOf(engine));
  return async () => {
    // @ts-expect-error the engine may be rcu-only
    await utrace_detach_sync(target, engine);
  };
}
// Omit keeps the brand, and the brand keeps the claim of the value it came from.
const omitted: Omit<typeof oneShot, never> = oneShot;
const fromOmitted = utrace_attach_task(target, UTRACE_ATTACH_CREATE, omitted, null);
if (!IS_ERR(fromOmitted)) expectType<'rcu-only'>(stateOf(fromOmitted));

// --- Hole class: a union of two ops objects distributes ----------------------------------------

declare const n: number;
const either = utrace_attach_task(target, UTRACE_ATTACH_CREATE, n > 1 ? quiet : oneShot, null);
if (!IS_ERR(either)) {
  expectType<'attached' | 'rcu-only'>(stateOf(either));
  const unionNotNarrowed = async () => {
    // @ts-expect-error one of the two is rcu-only: utrace_barrier refuses the union
    await utrace_barrier(target, either);
  };
  void unionNotNarrowed;
}

// --- Hole class: ops changed after attach ---------------------------------------------------------

// The value is frozen (Object.assign throws at run time); its type shows no callback to change,
// and an Object.assign result whose visible callback detaches no attach takes as never detaching:
const changed = Object.assign(quiet, { report_exec: () => UTRACE_DETACH });
// @ts-expect-error ops whose visible callbacks contradict their claim are refused
utrace_attach_task(target, UTRACE_ATTACH_CREATE, changed, null);
// @ts-expect-error a wider alias cannot replace a callback: the type has none to replace
const alias: { report_exit?: () => number } = quiet;

// --- Hole class: engine arrays aliased as arrays of a wider state (the state is invariant) ---------

declare const attachedEngines: utrace_engine<'attached', null>[];
// @ts-expect-error an array of attached engines is not an array of engines of any state
const wider: utrace_engine<'attached' | 'rcu-only', null>[] = attachedEngines;

// --- Hole class: rcu_read_section bodies that may return a promise, or are typed unknown --------

declare const engineA: utrace_engine<'attached', null>;
// @ts-expect-error a body returning a blocking call's promise on one branch
rcu_read_section(() => (n > 1 ? utrace_barrier(target, engineA) : 0));
declare const opaqueBody: () => unknown;
// @ts-expect-error a body typed as returning unknown may return a promise
rcu_read_section(opaqueBody);
expectType<number>(rcu_read_section(() => 42));

// --- CREATE, lookup and attach_pid -------------------------------------------------------------------

const fromTask = utrace_attach_task(target, UTRACE_ATTACH_CREATE, oneShot, null);
const fromPid = utrace_attach_pid(find_get_pid(kernel, target.pid), UTRACE_ATTACH_CREATE, quiet, null);
const lookedUp = utrace_attach_task(target, UTRACE_ATTACH_MATCH_OPS, oneShot, null);
if (IS_ERR(fromTask) || IS_ERR(fromPid) || IS_ERR(lookedUp)) throw new Error('attach failed');
expectType<utrace_engine<'rcu-only', null, typeof oneShot>>(fromTask);
expectType<utrace_engine<'attached', null, typeof quiet>>(fromPid);
// A lookup returns a counted reference: attached, whatever the ops' claim.
expectType<utrace_engine<'attached', null, typeof oneShot>>(lookedUp);

const inferredStateIsEnforced = async () => {
  // @ts-expect-error report_exit may return UTRACE_DETACH: the engine is rcu-only
  await utrace_detach_sync(target, fromTask);
  await utrace_detach_sync(target, fromPid);
  // A lookup then utrace_barrier compiles (SystemTap's task finder does this).
  await utrace_barrier(target, lookedUp);
};
void inferredStateIsEnforced, upcast, narrowed, factory, viaParameter, alias, wider;

// --- The event table: the lists derived from it agree ---------------------------------------------

/** `true` when `A` and `B` are the same union. */
type same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type table_callbacks = Exclude<keyof utrace_engine_ops, 'owner' | 'percpu_counters'>;
declare const detachingAgree: same<detaching_callback, detaching_order[number]>;
declare const everyEventHasARow: same<utrace_callback_table[utrace_callback_name]['events'], utrace_event_name>;
declare const opsAreTheTable: same<table_callbacks, utrace_callback_name>;
declare const shapeIsTheTable: same<Exclude<keyof ops_shape, 'owner' | 'percpu_counters'>, utrace_callback_name>;
declare const readingIsTheTable: same<keyof ops_reading<unknown>, utrace_callback_name>;
declare const returnsAreTheTable: same<keyof callback_returns, utrace_callback_name>;
declare const argsAreTheTable: same<Parameters<NonNullable<utrace_engine_ops['report_signal']>>, callback_args<'report_signal'>>;
expectType<true>(detachingAgree);
expectType<true>(everyEventHasARow);
expectType<true>(opsAreTheTable);
expectType<true>(shapeIsTheTable);
expectType<true>(readingIsTheTable);
expectType<true>(returnsAreTheTable);
expectType<true>(argsAreTheTable);
const detachingRow: detaching_callback = 'report_exit';
// @ts-expect-error report_death's row says 'death': its UTRACE_DETACH is the engine's ordinary end, not rule 3's hazard
const deathRow: detaching_callback = 'report_death';
// @ts-expect-error report_reap returns nothing, so its row says 'never'
const reapRow: detaching_callback = 'report_reap';
void detachingRow, deathRow, reapRow;
