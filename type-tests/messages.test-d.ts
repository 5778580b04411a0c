/**
 * The messages a misuse shows. A call that takes an engine declares its engine parameter as
 * the engine itself when the call accepts the engine's state, and as a sentence naming the
 * rule when it does not; the compiler then reports "Argument of type 'utrace_engine<...>' is
 * not assignable to parameter of type '<sentence>'". Each sentence is checked here, next to
 * a call that shows it.
 */
import { expectType } from 'tsd';
import {
  UTRACE_DETACH,
  UTRACE_EVENT,
  UTRACE_RESUME,
  UTRACE_STOP,
  defineOps,
  rcu_read_section,
  utrace_barrier,
  utrace_control,
  utrace_detach_sync,
  utrace_engine_put,
  utrace_set_events,
  utrace_syscall_return,
} from 'utrace';
import type { sync_section_body, utrace_engine } from 'utrace';
import type { ops_shape } from '../dist/types/internal.js';
import { attached, detached, engineParameter, eventsCleared, inCallback, onlyParameter, rcuOnly, task, unknownState } from './fixtures.js';

// --- Rule 1: a blocking call on an rcu-only engine ------------------------------------------

expectType<'utrace_detach_sync: engine may be detached by its own callbacks: it is rcu-only; take a counted reference with utrace_engine_get before enabling events'>(
  engineParameter(utrace_detach_sync<typeof rcuOnly>),
);
// With ops made by defineOps, the message names the callback that may detach (SPEC §3).
const probe = defineOps({ report_syscall_exit: () => UTRACE_DETACH }, 'may-detach');
declare const probed: utrace_engine<'rcu-only', null, typeof probe>;
expectType<'utrace_detach_sync: engine may be detached by its own callbacks (report_syscall_exit may return UTRACE_DETACH): it is rcu-only; take a counted reference with utrace_engine_get before enabling events'>(
  engineParameter(utrace_detach_sync<typeof probed>),
);
// An RCU-kept pointer owes no put.
expectType<'utrace_engine_put: an rcu-only engine is an RCU-kept pointer, not a counted reference: it owes no put; put only the handles utrace_engine_get and lookups return'>(
  onlyParameter(utrace_engine_put<typeof rcuOnly>),
);
async function rcuOnlyMessage() {
  // @ts-expect-error utrace_detach_sync: engine may be detached by its own callbacks: it is rcu-only; ...
  await utrace_detach_sync(task, rcuOnly);
}

// --- Rule 2: a call on a detached engine ----------------------------------------------------

expectType<'utrace_control: engine is detached: only utrace_barrier and utrace_engine_put accept it'>(
  engineParameter(utrace_control<typeof detached, typeof UTRACE_RESUME>),
);
function detachedMessage() {
  // @ts-expect-error utrace_control: engine is detached: only utrace_barrier and utrace_engine_put accept it
  utrace_control(task, detached, UTRACE_RESUME);
}

// --- Rule 5: a blocking call on the engine a callback was given, and put on it ----------------

expectType<'utrace_detach_sync: callbacks must not sleep: a blocking call cannot take the engine a callback was given; take a counted reference with utrace_engine_get and block in a tracer thread'>(
  engineParameter(utrace_detach_sync<typeof inCallback>),
);
expectType<'utrace_engine_put: the engine a callback is given holds no reference of yours; put the handle utrace_engine_get returned'>(
  onlyParameter(utrace_engine_put<typeof inCallback>),
);
defineOps({
  report_exec: (_action, engine) => {
    // @ts-expect-error utrace_detach_sync: callbacks must not sleep: a blocking call cannot take the engine a callback was given; ...
    void utrace_detach_sync(task, engine);
    // On the callback's own task utrace_barrier returns 0 at once (reference §1.5): it compiles.
    void utrace_barrier(task, engine);
    // @ts-expect-error utrace_engine_put: the engine a callback is given holds no reference of yours; ...
    utrace_engine_put(engine);
    return UTRACE_RESUME;
  },
});

// --- Waiting on an events-cleared engine ------------------------------------------------------

expectType<'utrace_barrier: engine is events-cleared: no callback can run, so there is nothing to wait for; set events again first'>(
  engineParameter(utrace_barrier<typeof eventsCleared>),
);

// --- A handle whose state is a union ----------------------------------------------------------

expectType<'utrace_set_events: engine state is not known: narrow the result of the last call on `ret` first'>(
  engineParameter(utrace_set_events<typeof unknownState, 0>),
);
function unknownStateMessage() {
  const r = utrace_control(task, attached, UTRACE_DETACH);
  // @ts-expect-error utrace_set_events: engine state is not known: narrow the result of the last call on `ret` first
  utrace_set_events(task, r.engine, UTRACE_EVENT('EXEC'));
}

// --- Rule 5: an RCU read-side section body that returns a promise -----------------------------

expectType<'rcu_read_section: the body must be synchronous: nothing may block inside an RCU read-side section'>(
  null! as sync_section_body<() => Promise<void>>,
);
// @ts-expect-error rcu_read_section: the body must be synchronous: nothing may block inside an RCU read-side section
rcu_read_section(async () => {});

// --- Accepted states give the engine itself ---------------------------------------------------

expectType<typeof attached>(engineParameter(utrace_detach_sync<typeof attached>));
expectType<typeof detached>(engineParameter(utrace_barrier<typeof detached>));

void rcuOnlyMessage, detachedMessage, unknownStateMessage;

// --- Rule 4: a callback that returns what it may not -------------------------------------------
// defineOps takes the ops as they are written and checks each callback's return: one that
// returns what its rule forbids is asked to be a sentence naming it, what it returns and what
// it may return. The sentence is read from defineOps' own parameter type here.

type rule4_parameter<O extends ops_shape> = Parameters<typeof defineOps<O, 'inferred'>>[0];
declare const returnsSeven: rule4_parameter<{ readonly report_exec: () => 7 }>;
expectType<(() => 7) & 'defineOps: report_exec returns 7, but may return only a resume action (UTRACE_STOP .. UTRACE_DETACH)'>(returnsSeven.report_exec);
declare const deathStops: rule4_parameter<{ readonly report_death: () => typeof UTRACE_STOP }>;
expectType<(() => 0) & 'defineOps: report_death returns UTRACE_STOP (0), but may return only UTRACE_DETACH or UTRACE_RESUME'>(deathStops.report_death);
declare const asyncExec: rule4_parameter<{ readonly report_exec: () => Promise<5> }>;
expectType<(() => Promise<5>) & 'defineOps: report_exec returns a promise (an async callback sleeps; callbacks must not), but may return only a resume action (UTRACE_STOP .. UTRACE_DETACH)'>(asyncExec.report_exec);
declare const plainNumber: rule4_parameter<{ readonly report_jctl: () => number }>;
expectType<(() => number) & 'defineOps: report_jctl returns a plain number, but may return only a resume action (UTRACE_STOP .. UTRACE_DETACH)'>(plainNumber.report_jctl);
declare const syscallOnExec: rule4_parameter<{ readonly report_exec: () => ReturnType<typeof utrace_syscall_return<5>> }>;
expectType<(() => ReturnType<typeof utrace_syscall_return<5>>) & 'defineOps: report_exec returns a syscall action, but may return only a resume action (UTRACE_STOP .. UTRACE_DETACH)'>(syscallOnExec.report_exec);
// A legal return leaves the callback as written.
declare const legal: rule4_parameter<{ readonly report_death: () => typeof UTRACE_DETACH }>;
expectType<() => 6>(legal.report_death);
function rule4Messages() {
  // @ts-expect-error defineOps: report_death returns UTRACE_STOP (0), but may return only UTRACE_DETACH or UTRACE_RESUME
  defineOps({ report_death: () => UTRACE_STOP });
  // @ts-expect-error defineOps: report_exec returns 7, but may return only a resume action (UTRACE_STOP .. UTRACE_DETACH)
  defineOps({ report_exec: () => 7 });
}
void rule4Messages;
