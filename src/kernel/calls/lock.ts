/**
 * `get_utrace_lock`: what every call on an engine checks first.
 * @packageDocumentation
 */
import { DETACHED_OPS, type EngineRecord } from '../engine.js';
import type { Task, UtraceState } from '../task.js';
import { ERESTARTSYS, ESRCH } from '../../constants/errno.js';

/**
 * The task's utrace state when `engine` is attached; -ESRCH when it is detached, or, for
 * utrace_barrier (`attached` false), -ERESTARTSYS while it is marked detached but not yet
 * unlinked.
 * @internal
 */
export function get_utrace_lock(task: Task, engine: EngineRecord, attached: boolean): UtraceState | number {
  if (engine.ops === null) return -ESRCH;
  if (engine.ops === DETACHED_OPS) return attached ? -ESRCH : -ERESTARTSYS;
  return task.utrace!;
}
