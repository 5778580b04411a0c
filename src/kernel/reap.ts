/**
 * Reaping: `release_task` and `utrace_maybe_reap`, with DEATH and REAP serialised, and the
 * `init` thread that reaps orphans.
 * @packageDocumentation
 */
import { _UTRACE_DEATH_EVENTS, UTRACE_EVENT_INDEX } from '../constants/events.js';
import { DETACHED_OPS } from './engine.js';
import type { Kernel } from './kernel.js';
import { maybeFreeEngine } from './lifetime.js';
import { callModuleCode } from './module-code.js';
import { asCallbackEngine, asTaskStruct, callback_finished, callback_started, callbackHandle } from './report.js';
import { utrace_reset } from './reset.js';
import { EXIT_DEAD, EXIT_ZOMBIE, type Task, type UtraceState } from './task.js';
import type { Step } from './threads.js';

const REAP = 1 << UTRACE_EVENT_INDEX.REAP;

/**
 * `utrace_maybe_reap`. From `release_task` (`reap` true): defer to the dying thread while
 * its death reports are due, else make the `report_reap` callbacks and detach every engine.
 * From the death report (`reap` false): finish the death bookkeeping, and do the reap work
 * if `release_task` came first.
 * @internal
 */
export function* utrace_maybe_reap(kernel: Kernel, task: Task, utrace: UtraceState, reap: boolean): Step {
  if (reap) {
    utrace.reap = true;
    if ((task.utrace_flags & _UTRACE_DEATH_EVENTS) !== 0) {
      if (kernel.tracing) kernel.log(`reap of ${task} deferred: its death reports are not done`);
      return;
    }
  } else {
    utrace.death = false;
    if (!utrace.reap) {
      utrace_reset(kernel, task, utrace);
      return;
    }
  }
  task.utrace_flags = 0;
  const engines = [...utrace.attached, ...utrace.attaching];
  utrace.attached = [];
  utrace.attaching = [];
  for (const engine of engines) {
    const ops = engine.ops;
    if ((engine.flags & REAP) !== 0 && ops !== null && ops !== DETACHED_OPS) {
      const report_reap = ops.report_reap;
      engine.counters?.inc(task.cpu);
      if (kernel.tracing) kernel.log(`report_reap of ${engine.name} starts`);
      callback_started(kernel, engine, 'report_reap');
      yield;
      if (typeof report_reap === 'function') {
        callModuleCode(kernel, engine, 'report_reap', report_reap, [asCallbackEngine(callbackHandle(engine)), asTaskStruct(task)]);
      }
      callback_finished(kernel, engine, 'report_reap', undefined);
      yield;
      engine.counters?.dec(task.cpu);
    }
    engine.ops = null;
    engine.flags = 0;
    engine.linked = false;
    if (engine.detachedBy === null) {
      engine.detachedBy = 'reap';
      engine.detachedAt = kernel.stepRef(`${engine.name} detached at reap`);
    }
    if (kernel.tracing) kernel.log(`${engine.name} detached from ${task} at reap`);
    maybeFreeEngine(kernel, engine);
  }
}

/**
 * `release_task`: the zombie is reaped; its pid is free from now on.
 * @internal
 */
export function* release_task(kernel: Kernel, task: Task, reaper: string): Step {
  if (kernel.tracing) kernel.log(`${reaper} reaps ${task}`);
  task.exit_state = EXIT_DEAD;
  kernel.tasks.delete(task.pid);
  const parent = task.parent;
  if (parent !== null) {
    const i = parent.children.indexOf(task);
    if (i >= 0) parent.children.splice(i, 1);
  }
  if (task.utrace !== null && task.utrace_flags !== 0) yield* utrace_maybe_reap(kernel, task, task.utrace, true);
}

/** A zombie that `init` reaps: its parent is gone or was never a task. @internal */
function orphanZombie(kernel: Kernel): Task | undefined {
  // The lowest pid among the orphaned zombies, from a heap (a scan of every task at every step
  // made a run of many tasks quadratic). Entries that stopped qualifying are dropped.
  const heap = kernel.orphans;
  while (heap.length > 0) {
    const t = heap[0]!;
    if (t.exit_state === EXIT_ZOMBIE && !t.reaping && (t.parent === null || t.parent.exit_state !== 0)) return t;
    popOrphan(heap);
  }
  return undefined;
}

/** Adds a zombie whose parent is gone to `init`'s heap. @internal */
export function pushOrphan(kernel: Kernel, task: Task): void {
  const heap = kernel.orphans;
  heap.push(task);
  let i = heap.length - 1;
  while (i > 0) {
    const up = (i - 1) >> 1;
    if (heap[up]!.pid <= task.pid) break;
    heap[i] = heap[up]!;
    i = up;
  }
  heap[i] = task;
}

function popOrphan(heap: Task[]): void {
  const last = heap.pop()!;
  if (heap.length === 0) return;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= heap.length) break;
    const r = l + 1;
    const c = r < heap.length && heap[r]!.pid < heap[l]!.pid ? r : l;
    if (heap[c]!.pid >= last.pid) break;
    heap[i] = heap[c]!;
    i = c;
  }
  heap[i] = last;
}

/**
 * The `init` kernel thread: reaps orphaned zombies, one at a time.
 * @internal
 */
export function* reaperThread(kernel: Kernel): Step {
  for (;;) {
    yield { until: () => orphanZombie(kernel) !== undefined, what: 'a zombie to reap' };
    const zombie = orphanZombie(kernel)!;
    zombie.reaping = true;
    yield* release_task(kernel, zombie, 'init');
  }
}
