/**
 * `utrace_prepare_examine` / `utrace_finish_examine`: bracket reading a stopped task's
 * state from another thread.
 * @packageDocumentation
 */
import { ENGINE_STOP, type EngineRecord } from '../engine.js';
import type { Kernel } from '../kernel.js';
import type { Task } from '../task.js';
import type { TracerThread } from '../threads.js';
import { get_utrace_lock } from './lock.js';
import { EAGAIN, EINVAL, ESRCH } from '../../constants/errno.js';

/**
 * `struct utrace_examiner`: what prepare recorded for finish to compare.
 * @public
 * @category Kernel simulation
 */
export interface utrace_examiner {
  /** Task state at prepare. */
  state: string;
  /** Context switches at prepare. */
  ncsw: number;
}

/**
 * Makes a `struct utrace_examiner` to pass to prepare and finish.
 * @example
 * ```ts
 * import { utrace_examiner_init } from 'utrace';
 * const exam = utrace_examiner_init();
 * ```
 * @public
 * @category Kernel simulation
 */
export function utrace_examiner_init(): utrace_examiner {
  return { state: '', ncsw: -1 };
}

/**
 * The kernel side of utrace_prepare_examine.
 * @returns 0, -EINVAL (this engine is not keeping the task stopped), -ESRCH (exited or
 * detached) or -EAGAIN (the task is running, or woke while waited for).
 * @internal
 */
export async function prepareExamine(
  kernel: Kernel,
  thread: TracerThread,
  task: Task,
  engine: EngineRecord,
  exam: utrace_examiner,
): Promise<number> {
  if (kernel.current === task.thread) return 0;
  const utrace = get_utrace_lock(task, engine, true);
  if (typeof utrace === 'number') return utrace;
  if ((engine.flags & ENGINE_STOP) === 0) return -EINVAL;
  if (task.exit_state !== 0) return -ESRCH;
  if (task.state === 'running') return -EAGAIN;
  const ncsw = task.nvcsw;
  await thread.block({ until: () => true, what: `wait_task_inactive(${task})` }, false);
  const after: string = task.state;
  if (task.nvcsw !== ncsw || after === 'running' || after === 'dead') return -EAGAIN;
  exam.state = task.state;
  exam.ncsw = ncsw;
  return 0;
}

/**
 * The kernel side of utrace_finish_examine.
 * @returns 0, -EINVAL (this engine is not keeping the task stopped) or -EAGAIN (the task
 * ran since prepare: discard what was read).
 * @internal
 */
export function finishExamine(kernel: Kernel, task: Task, engine: EngineRecord, exam: utrace_examiner): number {
  if (kernel.current === task.thread) return 0;
  const utrace = get_utrace_lock(task, engine, true);
  if (typeof utrace === 'number') return utrace;
  if ((engine.flags & ENGINE_STOP) === 0) return -EINVAL;
  if (task.state !== exam.state || task.nvcsw !== exam.ncsw) return -EAGAIN;
  return 0;
}
