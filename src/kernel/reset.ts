/**
 * `utrace_reset` and the bookkeeping around it: splicing newly attached engines, marking
 * engines detached or stopped, waking the task when no engine keeps it stopped.
 * @packageDocumentation
 */
import { UTRACE_EVENT_INDEX } from '../constants/events.js';
import { UTRACE_RESUME } from '../constants/resume-actions.js';
import { DETACHED_OPS, type DetachCause, ENGINE_STOP, type EngineRecord } from './engine.js';
import type { Kernel } from './kernel.js';
import { maybeFreeEngine } from './lifetime.js';
import type { Task, UtraceState } from './task.js';

const REAP = 1 << UTRACE_EVENT_INDEX.REAP;
const QUIESCE = 1 << UTRACE_EVENT_INDEX.QUIESCE;

/** `splice_attaching`: engines attached since the last pass join the list the task reports to. @internal */
export function splice_attaching(utrace: UtraceState): void {
  if (utrace.attaching.length > 0) {
    // A new array, never a change in place: a reporting pass walks the array it started with.
    utrace.attached = utrace.attached.concat(utrace.attaching);
    utrace.attaching = [];
  }
  utrace.pending_attach = false;
}

/** `mark_engine_detached` (and the callback-return variant): ops become the detached ops. @internal */
export function markEngineDetached(kernel: Kernel, engine: EngineRecord, cause: DetachCause, byControl: boolean): void {
  if (engine.ops === DETACHED_OPS || engine.ops === null) return;
  engine.ops = DETACHED_OPS;
  if (byControl) engine.flags = QUIESCE;
  engine.detachedBy = cause;
  engine.detachedAt = kernel.stepRef(`${engine.name} detached (${cause})`);
  if (kernel.tracing) kernel.log(`${engine.name} marked detached (${cause})`);
}

/** `mark_engine_wants_stop`. @internal */
export function mark_engine_wants_stop(task: Task, engine: EngineRecord): void {
  engine.flags |= ENGINE_STOP;
  task.utrace_flags |= ENGINE_STOP;
}

/** `clear_engine_wants_stop`. @internal */
export function clear_engine_wants_stop(engine: EngineRecord): void {
  engine.flags &= ~ENGINE_STOP;
}

/** `utrace_wakeup`: out of the tracing stop, back to a job-control stop if one is in force. @internal */
export function utrace_wakeup(kernel: Kernel, task: Task): void {
  task.state = task.jobctl ? 'stopped' : 'running';
  task.nvcsw++;
  if (kernel.tracing) kernel.log(`${task} woken from its tracing stop`);
}

/**
 * `utrace_reset`: unlink engines marked detached, recompute `utrace_flags` from the rest,
 * and wake the task if no engine keeps it stopped.
 * @returns true when no engine is left.
 * @internal
 */
export function utrace_reset(kernel: Kernel, task: Task, utrace: UtraceState): boolean {
  splice_attaching(utrace);
  let flags = 0;
  const detached: EngineRecord[] = [];
  const kept: EngineRecord[] = [];
  for (const engine of utrace.attached) {
    if (engine.ops === DETACHED_OPS) {
      engine.ops = null;
      detached.push(engine);
    } else {
      flags |= engine.flags | REAP;
      kept.push(engine);
    }
  }
  utrace.attached = kept;
  if (task.exit_state !== 0) flags &= REAP;
  if (flags === 0) utrace.resume = UTRACE_RESUME;
  if (task.state === 'traced' && (flags & ENGINE_STOP) === 0) utrace_wakeup(kernel, task);
  task.utrace_flags = flags;
  for (const engine of detached) {
    engine.linked = false;
    if (kernel.tracing) kernel.log(`${engine.name} unlinked from ${task}`);
    maybeFreeEngine(kernel, engine);
  }
  return flags === 0;
}
