/**
 * Rule 4: a callback returns only what it may. `report_reap` and `release` return nothing;
 * `report_death` returns UTRACE_DETACH or UTRACE_RESUME; every other report returns a resume
 * action, to which `report_syscall_entry` may add UTRACE_SYSCALL_ABORT (through
 * `utrace_syscall_return`) and `report_signal` a signal action (through
 * `utrace_signal_return`). Callbacks run on the traced thread and must not sleep, so none
 * may be async. The checks apply in `defineOps`, the only way to make ops an attach takes.
 */
import {
  Kernel,
  UTRACE_ATTACH_CREATE,
  UTRACE_BLOCKSTEP,
  UTRACE_DETACH,
  UTRACE_INTERRUPT,
  UTRACE_REPORT,
  UTRACE_RESUME,
  UTRACE_SIGNAL_HANDLER,
  UTRACE_SIGNAL_IGN,
  UTRACE_SIGNAL_STOP,
  UTRACE_SINGLESTEP,
  UTRACE_STOP,
  UTRACE_SYSCALL_ABORT,
  UTRACE_SYSCALL_RUN,
  defineOps,
  sys,
  utrace_attach_task,
  utrace_signal_return,
  utrace_syscall_return,
} from 'utrace';
import type { KBox } from 'utrace';

const kernel = new Kernel();
const target = kernel.spawn('traced', [sys(1)]);
declare const someNumber: number;
declare const box: KBox<{ n: number }>;

// --- report_reap and release return nothing ---------------------------------------------

defineOps({ report_reap: () => {} });
defineOps({ report_reap: (engine) => { void engine.data; } });
defineOps({ release: (data: KBox<unknown>) => { kernel.kfree(data); } });
// The data type of the ops is what their callbacks are annotated with; the attach checks it.
utrace_attach_task(target, UTRACE_ATTACH_CREATE, defineOps({ release: (data: KBox<{ n: number }>) => { kernel.kfree(data); } }), box);
// @ts-expect-error data of another type than the ops' callbacks read
utrace_attach_task(target, UTRACE_ATTACH_CREATE, defineOps({ release: (data: KBox<{ n: number }>) => { kernel.kfree(data); } }), 'text');

// @ts-expect-error report_reap is the final event: it has no action to return
defineOps({ report_reap: () => UTRACE_RESUME });
// @ts-expect-error report_reap returns nothing, not a number
defineOps({ report_reap: () => 0 });
// @ts-expect-error release returns nothing, not a number
defineOps({ release: () => 0 });
// @ts-expect-error release returns nothing, not its data
defineOps({ release: (data: unknown) => data });
// @ts-expect-error a function typed as returning void might return anything: release must return undefined
defineOps({ release: (data: KBox<unknown>) => kernel.kfree(data) });

// --- report_death: UTRACE_DETACH or UTRACE_RESUME only ------------------------------------

defineOps({ report_death: () => UTRACE_DETACH });
defineOps({ report_death: () => UTRACE_RESUME });
defineOps({ report_death: (_engine, group_dead: boolean) => (group_dead ? UTRACE_DETACH : UTRACE_RESUME) });

// @ts-expect-error report_death cannot stop a dead thread
defineOps({ report_death: () => UTRACE_STOP });
// @ts-expect-error report_death cannot ask for another report
defineOps({ report_death: () => UTRACE_REPORT });
// @ts-expect-error report_death cannot single-step a dead thread
defineOps({ report_death: () => UTRACE_SINGLESTEP });
// @ts-expect-error report_death takes no syscall action
defineOps({ report_death: () => utrace_syscall_return(UTRACE_SYSCALL_ABORT, UTRACE_DETACH) });

// --- Resume actions, and what report_syscall_entry and report_signal may add ------------

defineOps({ report_quiesce: () => UTRACE_INTERRUPT });
defineOps({ report_clone: () => UTRACE_BLOCKSTEP });
defineOps({ report_jctl: () => UTRACE_REPORT });
defineOps({ report_exec: () => UTRACE_SINGLESTEP });
defineOps({ report_syscall_exit: () => UTRACE_STOP });
defineOps({ report_exit: () => UTRACE_DETACH });
defineOps({ report_syscall_entry: () => UTRACE_RESUME });
defineOps({ report_syscall_entry: () => utrace_syscall_return(UTRACE_SYSCALL_ABORT, UTRACE_RESUME) });
defineOps({ report_syscall_entry: () => utrace_syscall_return(UTRACE_SYSCALL_RUN, UTRACE_STOP) });
defineOps({ report_signal: () => UTRACE_RESUME });
defineOps({ report_signal: () => utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_RESUME) });
defineOps({ report_signal: () => utrace_signal_return(UTRACE_SIGNAL_STOP, UTRACE_STOP, true) });
utrace_attach_task(target, UTRACE_ATTACH_CREATE, defineOps({ report_signal: () => utrace_signal_return(UTRACE_SIGNAL_HANDLER, UTRACE_REPORT) }), null);

// @ts-expect-error only report_syscall_entry may add a syscall action
defineOps({ report_exec: () => utrace_syscall_return(UTRACE_SYSCALL_ABORT, UTRACE_RESUME) });
// @ts-expect-error the syscall already ran at exit: no syscall action there
defineOps({ report_syscall_exit: () => utrace_syscall_return(UTRACE_SYSCALL_ABORT, UTRACE_RESUME) });
// @ts-expect-error report_syscall_entry takes a syscall action, not a signal action
defineOps({ report_syscall_entry: () => utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_RESUME) });
// @ts-expect-error report_signal takes a signal action, not a syscall action
defineOps({ report_signal: () => utrace_syscall_return(UTRACE_SYSCALL_ABORT, UTRACE_RESUME) });
// @ts-expect-error only report_signal may add a signal action
defineOps({ report_quiesce: () => utrace_signal_return(UTRACE_SIGNAL_IGN, UTRACE_RESUME) });
// @ts-expect-error `|` yields a plain number, which hides the resume action: use utrace_syscall_return
defineOps({ report_syscall_entry: () => UTRACE_SYSCALL_ABORT | UTRACE_RESUME });
// @ts-expect-error 7 is not a resume action
defineOps({ report_exec: () => 7 });
// @ts-expect-error a negative errno is not a resume action
defineOps({ report_clone: () => -1 });
// @ts-expect-error a plain number may be anything: return a resume action
defineOps({ report_jctl: () => someNumber });
// @ts-expect-error utrace_syscall_return takes a resume action, and 7 is none
utrace_syscall_return(UTRACE_SYSCALL_ABORT, 7);
// @ts-expect-error 0x80 is not a signal action
utrace_signal_return(0x80, UTRACE_RESUME);

// --- No callback may sleep ------------------------------------------------------------------

// @ts-expect-error an async callback returns a promise: callbacks must not sleep
defineOps({ report_exec: async () => UTRACE_RESUME });
// @ts-expect-error an async callback returns a promise: callbacks must not sleep
defineOps({ report_syscall_entry: async () => utrace_syscall_return(UTRACE_SYSCALL_ABORT, UTRACE_RESUME) });
// @ts-expect-error an async report_death returns a promise: callbacks must not sleep
defineOps({ report_death: async () => UTRACE_DETACH });
// @ts-expect-error an async report_reap returns a promise, not nothing
defineOps({ report_reap: async () => {} });
// @ts-expect-error an async release returns a promise, not nothing
defineOps({ release: async () => {} });
