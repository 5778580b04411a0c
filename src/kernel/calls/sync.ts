/**
 * The blocking calls the 2008 thread proposed: `utrace_set_events_sync` and
 * `utrace_detach_sync`, built as the thread builds them.
 * @packageDocumentation
 */
import { UTRACE_EVENT_INDEX } from '../../constants/events.js';
import { UTRACE_DETACH } from '../../constants/resume-actions.js';
import { ENGINE_STOP, type EngineRecord } from '../engine.js';
import type { Kernel } from '../kernel.js';
import type { Task } from '../task.js';
import type { TracerThread } from '../threads.js';
import { control } from './control.js';
import { recordDisabled, setEvents } from './set-events.js';
import { EALREADY, EINPROGRESS, ERESTARTSYS, ESRCH } from '../../constants/errno.js';

const REAP = 1 << UTRACE_EVENT_INDEX.REAP;

/**
 * The kernel side of utrace_set_events_sync: utrace_set_events until it returns something
 * other than -EINPROGRESS, waiting in between until the callback in progress finishes.
 * -EALREADY while report_death runs is waited out too, even when `release_task` has already
 * flagged the reap (the reap is deferred until the death reports are done). -EALREADY with no
 * death report running has nothing to wait for and becomes -ESRCH: either the reap began
 * (report_reap is running) or the call newly sets DEATH or QUIESCE on a task that is already
 * dead, whose death report is over.
 * @returns 0, -ESRCH or, when `interruptible`, -ERESTARTSYS.
 * @internal
 */
export async function setEventsSync(
  kernel: Kernel,
  thread: TracerThread,
  task: Task,
  engine: EngineRecord,
  events: number,
  interruptible: boolean,
  recheck: () => void,
): Promise<number> {
  // The bits this call clears. The first utrace_set_events already clears them, so a retry
  // clears nothing and cannot see the callback still in progress: the 0 guarantee is
  // recorded for these bits, and a wake by a signal alone is -ERESTARTSYS, not a retry.
  const cleared = engine.flags & ~ENGINE_STOP & ~events;
  for (let first = true; ; first = false) {
    recheck();
    let ret = setEvents(kernel, task, engine, events);
    // A 0 that cleared nothing new says nothing of a callback still running for an event an
    // earlier utrace_set_events cleared with -EINPROGRESS: on the first try, wait that
    // callback out as for -EINPROGRESS. Callbacks started after this call see the new flags.
    if (ret === 0 && first && calledWhileInCallback(kernel, task, engine)) ret = -EINPROGRESS;
    if (ret === 0) recordDisabled(kernel, engine, cleared);
    if (ret === 0 || ret === -ESRCH) return ret;
    if (ret === -EALREADY && task.utrace?.death !== true) return -ESRCH;
    if (interruptible && thread.signalPending) {
      thread.signalPending = false;
      return -ERESTARTSYS;
    }
    const done = (): boolean =>
      engine.ops !== engine.userOps ||
      (task.utrace?.reporting !== engine && !(ret === -EALREADY && task.utrace?.death === true));
    await thread.block(
      { until: done, what: `utrace_set_events_sync: the callback of ${engine.name} in progress on ${task} to finish` },
      interruptible,
    );
    if (interruptible && thread.signalPending && !done()) {
      thread.signalPending = false;
      return -ERESTARTSYS;
    }
  }
}

/** A callback of `engine` is in progress on a running `task` other than the caller. */
function calledWhileInCallback(kernel: Kernel, task: Task, engine: EngineRecord): boolean {
  return task.utrace?.reporting === engine && !task.stoppedOrTraced && task.exit_state === 0 && kernel.current !== task.thread;
}

/**
 * The kernel side of utrace_detach_sync: sync the events down to REAP, then
 * `UTRACE_DETACH`, waiting out -EINPROGRESS and -EALREADY. Not interruptible.
 * @returns 0 (every callback finished; the engine is detached) or -ESRCH (report_reap is
 * running now, or the engine was already detached).
 * @internal
 */
export async function detachSync(
  kernel: Kernel,
  thread: TracerThread,
  task: Task,
  engine: EngineRecord,
  recheck: () => void,
): Promise<number> {
  const ret = await setEventsSync(kernel, thread, task, engine, engine.flags & REAP, false, recheck);
  if (ret !== 0) return -ESRCH;
  for (;;) {
    recheck();
    const r = control(kernel, task, engine, UTRACE_DETACH);
    if (r === 0 || r === -ESRCH) return r;
    if (r === -EINPROGRESS) {
      await thread.block(
        { until: () => task.utrace?.reporting !== engine, what: `utrace_detach_sync: ${engine.name}'s last callback to finish` },
        false,
      );
      return 0;
    }
    await thread.block(
      { until: () => task.utrace?.death !== true, what: `utrace_detach_sync: the death report of ${task} to finish` },
      false,
    );
  }
}
