/**
 * `utrace_control`: tell a traced thread what to do: stop, resume, report, step, detach.
 * @packageDocumentation
 */
import { UTRACE_EVENT_INDEX } from '../../constants/events.js';
import {
  UTRACE_BLOCKSTEP,
  UTRACE_DETACH,
  UTRACE_INTERRUPT,
  UTRACE_REPORT,
  UTRACE_RESUME,
  UTRACE_RESUME_MAX,
  UTRACE_SINGLESTEP,
  UTRACE_STOP,
} from '../../constants/resume-actions.js';
import { ENGINE_STOP, type EngineRecord } from '../engine.js';
import type { Kernel } from '../kernel.js';
import { clear_engine_wants_stop, mark_engine_wants_stop, markEngineDetached, utrace_reset } from '../reset.js';
import type { Task, UtraceState } from '../task.js';
import { get_utrace_lock } from './lock.js';
import { EALREADY, EINPROGRESS, EINVAL, EOPNOTSUPP, ESRCH } from '../../constants/errno.js';

const QUIESCE = 1 << UTRACE_EVENT_INDEX.QUIESCE;

/** `utrace_do_stop`: ask the task to stop; true when it is stopped already. */
function utrace_do_stop(task: Task, utrace: UtraceState): boolean {
  if (task.state === 'stopped') {
    task.state = 'traced';
  } else if (utrace.resume > UTRACE_REPORT) {
    utrace.resume = UTRACE_REPORT;
    task.notify_resume = true;
  }
  return task.state === 'traced';
}

/** `utrace_control_dead`: only DETACH, and only before the death and reap reports began. */
function utrace_control_dead(utrace: UtraceState, action: number): number {
  if (action !== UTRACE_DETACH || utrace.reap) return -ESRCH;
  if (utrace.death) return -EALREADY;
  return 0;
}

/**
 * The kernel side of utrace_control, as K6 does it.
 * @returns 0, -EINPROGRESS, -ESRCH, -EALREADY, -EINVAL or -EOPNOTSUPP.
 * @internal
 */
export function control(kernel: Kernel, task: Task, engine: EngineRecord, action: number): number {
  const ret = controlInner(kernel, task, engine, action);
  if (kernel.tracing) kernel.log(`utrace_control(${task}, ${engine.name}, ${action}) = ${ret}`);
  return ret;
}

function controlInner(kernel: Kernel, task: Task, engine: EngineRecord, action: number): number {
  if (action >= UTRACE_RESUME_MAX || action < 0) return -EINVAL;
  if (action >= UTRACE_REPORT && action < UTRACE_RESUME && (engine.flags & QUIESCE) === 0) return -EINVAL;
  const utrace = get_utrace_lock(task, engine, true);
  if (typeof utrace === 'number') return utrace;
  let reset = task.state === 'traced';
  let ret = 0;
  if (task.exit_state !== 0) {
    ret = utrace_control_dead(utrace, action);
    if (ret !== 0) return ret;
    reset = true;
  }
  switch (action) {
    case UTRACE_STOP:
      mark_engine_wants_stop(task, engine);
      if (!reset && !utrace_do_stop(task, utrace)) ret = -EINPROGRESS;
      reset = false;
      break;
    case UTRACE_DETACH:
      if ((engine.flags & ENGINE_STOP) !== 0) task.utrace_flags &= ~ENGINE_STOP;
      markEngineDetached(kernel, engine, 'tracer', true);
      reset = reset || utrace_do_stop(task, utrace);
      if (!reset && utrace.reporting === engine) ret = -EINPROGRESS;
      break;
    case UTRACE_RESUME:
      clear_engine_wants_stop(engine);
      break;
    case UTRACE_BLOCKSTEP:
    case UTRACE_SINGLESTEP:
    case UTRACE_REPORT:
      if (action === UTRACE_BLOCKSTEP && !kernel.arch_has_block_step) action = UTRACE_SINGLESTEP;
      if (action === UTRACE_SINGLESTEP && !kernel.arch_has_single_step) {
        reset = false;
        ret = -EOPNOTSUPP;
        break;
      }
      clear_engine_wants_stop(engine);
      if (action < utrace.resume) {
        utrace.resume = action;
        task.notify_resume = true;
      }
      break;
    case UTRACE_INTERRUPT:
      clear_engine_wants_stop(engine);
      if (utrace.resume !== UTRACE_INTERRUPT) {
        utrace.resume = UTRACE_INTERRUPT;
        task.notify_resume = true;
      }
      break;
  }
  if (reset) utrace_reset(kernel, task, utrace);
  return ret;
}
