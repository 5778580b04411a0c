/**
 * A callback may return the `action` it is given, or a resume action read from its data
 * (`return ctx->resume;` in ptrace's `report_quiesce`, `return action;` in its `report_signal`):
 * both are values of the resume-action type, not plain numbers. The detach inference stays
 * sound: such a value may be `UTRACE_DETACH`, so the ops must be made `'may-detach'`.
 */
import { expectType } from 'tsd';
import {
  IS_ERR,
  Kernel,
  UTRACE_ATTACH_CREATE,
  UTRACE_RESUME,
  UTRACE_SIGNAL_IGN,
  defineOps,
  sys,
  utrace_attach_task,
  utrace_signal_return,
} from 'utrace';
import type { KBox, callback_engine, incoming_action, utrace_engine, utrace_resume_action_t } from 'utrace';

interface Ctx {
  resume: utrace_resume_action_t;
}
const kernel = new Kernel();
const target = kernel.spawn('traced', [sys(1)]);
const ctx = kernel.kmalloc<Ctx>('ctx', { resume: UTRACE_RESUME });
declare const someNumber: number;
declare const anAction: incoming_action;

// Right use: the incoming action and a resume action from the data, in may-detach ops.
const ptraceLike = defineOps(
  {
    report_quiesce: (_action, engine: callback_engine<KBox<Ctx>>, event) => (event ? UTRACE_RESUME : engine.data.value.resume),
    report_signal: (action, engine: callback_engine<KBox<Ctx>>) => {
      if (engine.data.value.resume === 6) return action;
      return utrace_signal_return(UTRACE_SIGNAL_IGN, engine.data.value.resume);
    },
    report_syscall_entry: (action) => action,
    report_exec: (action) => action,
  },
  'may-detach',
);
const created = utrace_attach_task(target, UTRACE_ATTACH_CREATE, ptraceLike, ctx);
if (!IS_ERR(created)) expectType<utrace_engine<'rcu-only', KBox<Ctx>, typeof ptraceLike>>(created);
// The parameter still takes a callback written with `action: number`.
defineOps({ report_exit: (action: number) => (action === 5 ? UTRACE_RESUME : UTRACE_RESUME) });
expectType<utrace_resume_action_t>(anAction);

// Misuse still rejected: the detach inference reads a returned action as one that may detach.
// @ts-expect-error report_quiesce returns the incoming action, which may be UTRACE_DETACH: the ops may detach
const c1 = utrace_attach_task(target, UTRACE_ATTACH_CREATE, defineOps({ report_quiesce: (action) => action }, 'never-detaches'), null);
// @ts-expect-error report_signal returns the incoming action, which may be UTRACE_DETACH: the ops may detach
const c2 = utrace_attach_task(target, UTRACE_ATTACH_CREATE, defineOps({ report_signal: (action) => action }, 'never-detaches'), null);
// @ts-expect-error a resume action read from data may be UTRACE_DETACH: the ops may detach
const c3 = utrace_attach_task(target, UTRACE_ATTACH_CREATE, defineOps({ report_exec: (_a, e: callback_engine<KBox<Ctx>>) => e.data.value.resume }, 'never-detaches'), ctx);
// @ts-expect-error a plain number is still no resume action
defineOps({ report_quiesce: () => someNumber }, 'may-detach');
// @ts-expect-error report_death returns only UTRACE_DETACH or UTRACE_RESUME, not any resume action
defineOps({ report_death: () => anAction });
void c1, c2, c3;
