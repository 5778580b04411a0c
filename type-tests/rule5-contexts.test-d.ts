/**
 * Rule 5: nothing may sleep inside a callback or inside an RCU read-side section. The
 * engine a callback is given (state 'in-callback') is refused by every blocking call, and
 * by `utrace_engine_put` (it holds no reference of the tracer's); the non-blocking calls
 * take it. `rcu_read_section` refuses a body that returns a promise. Callbacks cannot be
 * async at all (rule 4), so they cannot await a blocking call.
 */
import { expectType } from 'tsd';
import {
  UTRACE_DETACH,
  UTRACE_EVENT,
  UTRACE_RESUME,
  UTRACE_STOP,
  call_rcu,
  defineOps,
  module_unload,
  rcu_read_section,
  schedule,
  synchronize_rcu,
  utrace_barrier,
  utrace_clear_events_sync,
  utrace_control,
  utrace_detach_sync,
  utrace_engine_get,
  utrace_engine_put,
  utrace_examiner_init,
  utrace_prepare_examine,
  utrace_set_events,
  utrace_set_events_sync,
} from 'utrace';
import type { callback_engine, module_struct } from 'utrace';
import type { counts } from './fixtures.js';
import { attached, inCallback, rcuOnly, stateOf, task } from './fixtures.js';

const exam = utrace_examiner_init();
declare const mod: module_struct;

// --- Inside a callback: blocking calls refuse the callback's engine ------------------------

defineOps({
  report_syscall_entry: (_action, engine) => {
    // utrace_barrier on the callback's own task returns 0 at once (reference §1.5): it compiles;
    // on another task, the run time reports might_sleep.
    void utrace_barrier(task, engine);
    // @ts-expect-error utrace_set_events_sync sleeps, and callbacks must not sleep
    void utrace_set_events_sync(task, engine, 0);
    // @ts-expect-error utrace_clear_events_sync sleeps, and callbacks must not sleep
    void utrace_clear_events_sync(task, engine);
    // @ts-expect-error utrace_detach_sync sleeps: return UTRACE_DETACH instead
    void utrace_detach_sync(task, engine);
    // @ts-expect-error utrace_prepare_examine may sleep, and callbacks must not sleep
    void utrace_prepare_examine(task, engine, exam);
    // @ts-expect-error the callback's engine holds no reference of the tracer's to put
    utrace_engine_put(engine);
    return UTRACE_RESUME;
  },
  report_death: (engine) => {
    // @ts-expect-error report_death must not sleep either
    void utrace_detach_sync(task, engine);
    return UTRACE_DETACH;
  },
  report_reap: (engine) => {
    // @ts-expect-error report_reap runs in the reaper, which must not sleep either
    void utrace_detach_sync(task, engine);
  },
});

// --- Inside a callback: non-blocking calls take it ----------------------------------------

defineOps({
  report_exec: (_action, engine) => {
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
    utrace_set_events(task, engine, 0);
    utrace_control(task, engine, UTRACE_STOP);
    utrace_control(task, engine, UTRACE_DETACH);
    call_rcu(() => {});
    rcu_read_section(() => engine.flags);
    return UTRACE_RESUME;
  },
});

// Calls on the callback's own engine leave it in-callback (it stays valid until the return).
expectType<'in-callback'>(stateOf(utrace_set_events(task, inCallback, 0).engine));
expectType<'in-callback'>(stateOf(utrace_control(task, inCallback, UTRACE_DETACH).engine));

// utrace_engine_get turns it into a counted, attached handle a tracer thread may block on.
const counted = utrace_engine_get(inCallback);
expectType<0 | -3>(counted.ret);
const tracerBody = async () => {
  if (counted.ret !== 0) return; // -ESRCH: the engine was detached meanwhile, no reference taken
  expectType<'attached'>(stateOf(counted.engine));
  await utrace_barrier(task, counted.engine);
  utrace_engine_put(counted.engine);
};

// --- A saved callback engine is still a callback engine -------------------------------------

let saved: callback_engine<counts> | undefined;
defineOps({ report_clone: (_action, engine: callback_engine<counts>) => ((saved = engine), UTRACE_RESUME) });
const laterInTracer = async () => {
  if (saved === undefined) return;
  // (utrace_barrier takes a callback's engine for the own-task case; from a tracer thread the
  // run time refuses it: the handle was valid only until the callback returned.)
  // @ts-expect-error a handle kept from a callback is valid only until the callback returned
  await utrace_detach_sync(task, saved);
};

// --- Inside rcu_read_section: the body is synchronous ---------------------------------------

expectType<number>(rcu_read_section(() => 42));
expectType<0>(rcu_read_section(() => utrace_engine_get(rcuOnly)).ret);
rcu_read_section(() => {
  utrace_set_events(task, rcuOnly, 0);
});

// @ts-expect-error an async body may sleep inside the read-side section
rcu_read_section(async () => 42);
// @ts-expect-error an async body may sleep inside the read-side section
rcu_read_section(async () => { await utrace_barrier(task, attached); });
// @ts-expect-error returning a blocking call's promise: the body would block in the section
rcu_read_section(() => utrace_detach_sync(task, attached));
// @ts-expect-error returning a blocking call's promise: the body would block in the section
rcu_read_section(() => synchronize_rcu());
// @ts-expect-error returning a blocking call's promise: the body would block in the section
rcu_read_section(() => schedule());
// @ts-expect-error returning a blocking call's promise: the body would block in the section
rcu_read_section(() => module_unload(mod));

// --- Not visible to the compiler: caught at run time (might_sleep) ---------------------------

// A blocking call whose promise is dropped, on a handle that is not the callback's own:
defineOps({ report_exec: () => { void utrace_barrier(task, attached); return UTRACE_RESUME; } });
rcu_read_section(() => { void synchronize_rcu(); });

void tracerBody, laterInTracer;
