/**
 * `utrace_set_events`: choose which events an engine gets callbacks for.
 * @packageDocumentation
 */
import { _UTRACE_DEATH_EVENTS, UTRACE_EVENT_INDEX } from '../../constants/events.js';
import { ENGINE_STOP, type EngineRecord } from '../engine.js';
import type { Kernel } from '../kernel.js';
import type { Task } from '../task.js';
import { get_utrace_lock } from './lock.js';
import { EALREADY, EINPROGRESS } from '../../constants/errno.js';

const REAP = 1 << UTRACE_EVENT_INDEX.REAP;

/**
 * The kernel side of utrace_set_events, as K6 does it.
 * @returns 0, -ESRCH, -EALREADY or -EINPROGRESS.
 * @internal
 */
export function setEvents(kernel: Kernel, task: Task, engine: EngineRecord, events: number): number {
  events &= ~ENGINE_STOP;
  const utrace = get_utrace_lock(task, engine, true);
  if (typeof utrace === 'number') return utrace;
  const old_utrace_flags = task.utrace_flags;
  const old_flags = engine.flags & ~ENGINE_STOP;
  if (
    task.exit_state !== 0 &&
    ((events & ~old_flags & _UTRACE_DEATH_EVENTS) !== 0 ||
      (utrace.death && (old_flags & ~events & _UTRACE_DEATH_EVENTS) !== 0) ||
      (utrace.reap && (old_flags & ~events & REAP) !== 0))
  ) {
    return -EALREADY;
  }
  if ((events & ~old_utrace_flags & _UTRACE_DEATH_EVENTS) !== 0 && task.exit_state !== 0) return -EALREADY;
  engine.flags = events | (engine.flags & ENGINE_STOP);
  task.utrace_flags |= events;
  for (const bit of engine.disabledSince.keys()) if ((events & bit) !== 0) engine.disabledSince.delete(bit);
  let ret = 0;
  const current = kernel.current;
  const isCurrent = current !== null && current === task.thread;
  if ((old_flags & ~events) !== 0 && !isCurrent && !task.stoppedOrTraced && task.exit_state === 0) {
    if (utrace.reporting === engine) ret = -EINPROGRESS;
  }
  if (ret === 0) recordDisabled(kernel, engine, old_flags & ~events);
  if (kernel.tracing) {
    kernel.log(`utrace_set_events(${task}, ${engine.name}, 0x${events.toString(16)}) = ${ret}`);
  }
  return ret;
}

/**
 * After a 0 that cleared `bits`, no callback for them may be made: remember it, so a
 * callback that comes anyway fails the `callback-after-sync` check.
 * @internal
 */
export function recordDisabled(kernel: Kernel, engine: EngineRecord, bits: number): void {
  if (bits === 0) return;
  const at = kernel.stepRef(`a call returned 0 disabling events 0x${bits.toString(16)} of ${engine.name}`);
  for (let b = 1; b <= bits; b <<= 1) {
    if ((bits & b) !== 0 && b !== REAP) engine.disabledSince.set(b, at);
  }
}
