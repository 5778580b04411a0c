/**
 * Rule 3: `utrace_attach_task` gives an rcu-only engine when some callback other than
 * `report_death` may return UTRACE_DETACH (such a detach frees the engine one grace period
 * later), and an attached engine when none can. The compiler reads the return types of the
 * callbacks; where they say less than a literal (a callback typed as returning any resume
 * action), it assumes the callback may detach. A callback typed as returning a plain
 * `number` is not a legal callback at all (rule 4).
 */
import { expectType } from 'tsd';
import {
  IS_ERR,
  Kernel,
  UTRACE_ATTACH_CREATE,
  UTRACE_DETACH,
  UTRACE_REPORT,
  UTRACE_RESUME,
  UTRACE_SIGNAL_IGN,
  UTRACE_STOP,
  UTRACE_SYSCALL_ABORT,
  defineOps,
  find_get_pid,
  sys,
  utrace_attach_pid,
  utrace_attach_task,
  utrace_detach_sync,
  utrace_signal_return,
  utrace_syscall_return,
} from 'utrace';
import type { attach_state, ops_may_detach, utrace_engine, utrace_engine_ops, utrace_resume_action_t } from 'utrace';
import { stateOf } from './fixtures.js';

const kernel = new Kernel();
const target = kernel.spawn('traced', [sys(1), sys(2)]);

/** Attaches `ops` to `target`; the engine's state is what the compiler infers from `ops`. */
function attach<const O extends utrace_engine_ops<null>>(ops: O) {
  const engine = utrace_attach_task(target, UTRACE_ATTACH_CREATE, ops, null);
  if (IS_ERR(engine)) throw new Error('attach failed');
  return engine;
}

declare const anyResumeAction: () => utrace_resume_action_t;
declare const anyAction: utrace_resume_action_t;

// --- Each callback that may return UTRACE_DETACH makes the engine rcu-only -----------------

expectType<'rcu-only'>(stateOf(attach({ report_quiesce: () => UTRACE_DETACH })));
expectType<'rcu-only'>(stateOf(attach({ report_signal: () => UTRACE_DETACH })));
expectType<'rcu-only'>(stateOf(attach({ report_clone: () => UTRACE_DETACH })));
expectType<'rcu-only'>(stateOf(attach({ report_jctl: () => UTRACE_DETACH })));
expectType<'rcu-only'>(stateOf(attach({ report_exec: () => UTRACE_DETACH })));
expectType<'rcu-only'>(stateOf(attach({ report_syscall_entry: () => UTRACE_DETACH })));
expectType<'rcu-only'>(stateOf(attach({ report_syscall_exit: () => UTRACE_DETACH })));
expectType<'rcu-only'>(stateOf(attach({ report_exit: () => UTRACE_DETACH })));

// Only on some path, next to callbacks that never detach.
expectType<'rcu-only'>(
  stateOf(
    attach({
      report_exec: () => UTRACE_RESUME,
      report_syscall_entry: (action: number) => (action === UTRACE_STOP ? UTRACE_DETACH : UTRACE_RESUME),
    }),
  ),
);
// A method works as well as an arrow function.
expectType<'rcu-only'>(stateOf(attach({ report_clone() { return UTRACE_DETACH; } })));

// --- Ops that never detach, or only from report_death, give an attached engine --------------

expectType<'attached'>(stateOf(attach({})));
expectType<'attached'>(stateOf(attach({ report_exec: () => UTRACE_RESUME })));
expectType<'attached'>(stateOf(attach({ report_exec: (action: number) => (action === 0 ? UTRACE_STOP : UTRACE_REPORT) })));
expectType<'attached'>(stateOf(attach({ report_death: () => UTRACE_DETACH })));
// (Callbacks with an empty body are attached first, then checked: under TypeScript 5.9 an
// empty `() => {}` nested in a checked call loses its `undefined` return type.)
const deathAndReap = attach({ report_death: () => UTRACE_DETACH, report_syscall_exit: () => UTRACE_RESUME, report_reap: () => {} });
expectType<'attached'>(stateOf(deathAndReap));
const releaseOnly = attach({ release: () => {} });
expectType<'attached'>(stateOf(releaseOnly));
expectType<'attached'>(stateOf(attach({ report_exit: () => { throw new Error('never returns'); } })));

// --- Where the types cannot tell, the engine is rcu-only -----------------------------------

// A callback typed as returning any resume action may return UTRACE_DETACH.
expectType<'rcu-only'>(stateOf(attach({ report_exec: anyResumeAction })));
// Ops typed with the interface lose their literal returns.
const wideOps: utrace_engine_ops<null> = { report_exec: () => UTRACE_RESUME };
expectType<'rcu-only'>(stateOf(attach(wideOps)));
// A callback returning `any`.
expectType<'rcu-only'>(stateOf(attach({ report_signal: (): any => UTRACE_RESUME })));
// At the type level, a plain `number` return counts as may-detach.
expectType<true>(null! as ops_may_detach<{ report_exec: () => number }>);
expectType<'rcu-only'>(null! as attach_state<{ report_exec: () => number }>);

// ...but no callback may be typed that way: a plain number is not a resume action.
// @ts-expect-error a callback returning a plain number is not a legal report_exec
attach({ report_exec: (): number => UTRACE_RESUME });
// @ts-expect-error a callback returning a plain number is not a legal report_syscall_entry
defineOps({ report_syscall_entry: (action: number) => action });
// The literal `5` in a callback of an ops object declared first widens to number:
const widened = { report_exec: () => 5 };
// @ts-expect-error the widened callback returns number, so these ops are refused
attach(widened);
// Constants keep their literal type, so the same ops written with UTRACE_RESUME are fine.
const named = { report_exec: () => UTRACE_RESUME };
expectType<'attached'>(stateOf(attach(named)));

// --- Combined return values keep their resume action ---------------------------------------

expectType<'rcu-only'>(
  stateOf(attach({ report_syscall_entry: () => utrace_syscall_return(UTRACE_SYSCALL_ABORT, UTRACE_DETACH) })),
);
expectType<'attached'>(
  stateOf(attach({ report_syscall_entry: () => utrace_syscall_return(UTRACE_SYSCALL_ABORT, UTRACE_RESUME) })),
);
expectType<'rcu-only'>(stateOf(attach({ report_signal: () => utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_DETACH) })));
expectType<'attached'>(stateOf(attach({ report_signal: () => utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_RESUME, true) })));
expectType<'rcu-only'>(
  stateOf(attach({ report_syscall_entry: () => utrace_syscall_return(UTRACE_SYSCALL_ABORT, anyAction) })),
);

// --- Through defineOps, utrace_attach_task and utrace_attach_pid directly --------------------

const detachingOps = defineOps({ report_exit: () => UTRACE_DETACH, report_death: () => UTRACE_DETACH });
const quietOps = defineOps({ report_exit: () => UTRACE_RESUME, report_death: () => UTRACE_DETACH });
const fromTask = utrace_attach_task(target, UTRACE_ATTACH_CREATE, detachingOps, null);
const fromPid = utrace_attach_pid(find_get_pid(kernel, target.pid), UTRACE_ATTACH_CREATE, quietOps, null);
if (IS_ERR(fromTask) || IS_ERR(fromPid)) throw new Error('attach failed');
expectType<utrace_engine<'rcu-only', null, typeof detachingOps>>(fromTask);
expectType<utrace_engine<'attached', null, typeof quietOps>>(fromPid);

// --- The inferred state is the one the calls check -----------------------------------------

const inferredStateIsEnforced = async () => {
  // @ts-expect-error report_exit may return UTRACE_DETACH: the engine is rcu-only
  await utrace_detach_sync(target, fromTask);
  // @ts-expect-error an engine inferred rcu-only is not an attached engine
  const asAttached: utrace_engine<'attached', null, typeof detachingOps> = fromTask;
  await utrace_detach_sync(target, fromPid);
  void asAttached;
};
void inferredStateIsEnforced;
