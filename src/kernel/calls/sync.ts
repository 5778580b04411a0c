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

const REAP = 1 << UTRACE_EVENT_INDEX.REAP;

/**
 * The kernel side of utrace_set_events_sync: utrace_set_events until it returns something
 * other than -EINPROGRESS, waiting in between until the callback in progress finishes.
 * -EALREADY while report_death runs is waited out too, even when `release_task` has already
 * flagged the reap (the reap is deferred until the death reports are done); -EALREADY after
 * the reap began, with no death report left, becomes -ESRCH (report_reap is running).
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
  for (;;) {
    recheck();
    const ret = setEvents(kernel, task, engine, events);
    if (ret === 0) recordDisabled(kernel, engine, cleared);
    if (ret === 0 || ret === -3) return ret;
    if (ret === -114 && task.utrace?.reap === true && !task.utrace.death) return -3;
    if (interruptible && thread.signalPending) {
      thread.signalPending = false;
      return -512;
    }
    const done = (): boolean =>
      engine.ops !== engine.userOps ||
      (task.utrace?.reporting !== engine && !(ret === -114 && task.utrace?.death === true));
    await thread.block(
      { until: done, what: `utrace_set_events_sync: the callback of ${engine.name} in progress on ${task} to finish` },
      interruptible,
    );
    if (interruptible && thread.signalPending && !done()) {
      thread.signalPending = false;
      return -512;
    }
  }
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
  if (ret !== 0) return -3;
  for (;;) {
    recheck();
    const r = control(kernel, task, engine, UTRACE_DETACH);
    if (r === 0 || r === -3) return r;
    if (r === -115) {
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
