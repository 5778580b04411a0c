/**
 * Helpers for the runtime tests of the kernel and the API: a scripted scheduler that lands a
 * tracer call at an exact point of a task's reporting pass, kernels with one task and one
 * engine, and readers for traces and kernel-side state.
 *
 * Thread ids: 0 is `rcu_gp`, 1 is `init`, then tasks and tracer threads in creation order
 * (a clone child gets the next id when it is created).
 */
import assert from 'node:assert/strict';
import {
  IS_ERR,
  Kernel,
  PTR_ERR,
  schedule,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  utrace_set_events,
  type ExecutionOutcome,
  type KernelOptions,
  type ProgramEvent,
  type Scheduler,
  type SchedulingPoint,
  type task_struct,
  type utrace_engine,
  type utrace_engine_ops,
  type defined_ops,
} from '../../src/index.js';
import type { EngineHandle, EngineRecord } from '../../src/kernel/engine.js';
import type { Task } from '../../src/kernel/task.js';

/** Thread id of the RCU grace-period thread. */
export const RCU_GP = 0;
/** Thread id of `init`, which reaps orphaned zombies. */
export const INIT = 1;
/** Thread id of the first task or tracer made. */
export const FIRST = 2;

/**
 * An engine handle whose lifecycle state the compiler does not track: these tests check the
 * runtime, which applies the rules whatever the types say.
 */
export type Eng = utrace_engine<any, any, any>;

/** Ops with any data. */
export type Ops = utrace_engine_ops<any> | defined_ops<any>;

/** One entry of a {@link ScriptedScheduler} script. */
export type ScriptEntry =
  /** Run this thread for one step. */
  | number
  /** Run `thread` until `until()` holds (checked before each step; zero steps if it holds already). */
  | { readonly thread: number; readonly until: () => boolean; readonly limit?: number }
  /** Run `thread` for `steps` steps. */
  | { readonly thread: number; readonly steps: number }
  /** Choose by hand: return a runnable id, or undefined when this entry is done. */
  | ((point: SchedulingPoint) => number | undefined);

/**
 * A scheduler that follows a script of thread ids and conditions, then falls back to round
 * robin. A scripted thread that cannot run is a test error, reported with the step and the
 * runnable threads.
 */
export class ScriptedScheduler implements Scheduler {
  readonly #script: ScriptEntry[];
  #index = 0;
  #count = 0;
  /** Steps taken under the script (before the round-robin fallback). */
  scripted = 0;

  constructor(script: readonly ScriptEntry[]) {
    this.#script = [...script];
  }

  /** Whether every entry of the script was used up. */
  get finished(): boolean {
    return this.#index >= this.#script.length;
  }

  pick(point: SchedulingPoint): number {
    while (this.#index < this.#script.length) {
      const entry = this.#script[this.#index]!;
      let chosen: number | undefined;
      if (typeof entry === 'number') {
        chosen = entry;
        this.#index++;
      } else if (typeof entry === 'function') {
        chosen = entry(point);
        if (chosen === undefined) {
          this.#index++;
          continue;
        }
      } else if ('steps' in entry) {
        if (this.#count >= entry.steps) {
          this.#count = 0;
          this.#index++;
          continue;
        }
        this.#count++;
        chosen = entry.thread;
      } else {
        if (entry.until()) {
          this.#count = 0;
          this.#index++;
          continue;
        }
        if (++this.#count > (entry.limit ?? 10_000)) {
          throw new Error(`script entry ${this.#index}: condition not met after ${entry.limit ?? 10_000} steps of thread ${entry.thread}`);
        }
        chosen = entry.thread;
      }
      if (!point.runnable.includes(chosen)) {
        throw new Error(
          `script entry ${this.#index}: thread ${chosen} cannot run at step ${point.step} (runnable: ${point.runnable.join(', ')})`,
        );
      }
      this.scripted++;
      return chosen;
    }
    for (const id of point.runnable) if (id > point.previous) return id;
    return point.runnable[0]!;
  }
}

/** Runs `thread` until `until()` holds. */
export function runUntil(thread: number, until: () => boolean, limit?: number): ScriptEntry {
  return limit === undefined ? { thread, until } : { thread, until, limit };
}

/** Runs `thread` for `steps` steps. */
export function runSteps(thread: number, steps: number): ScriptEntry {
  return { thread, steps };
}

/** A scheduler following `entries`, then round robin. */
export function script(...entries: ScriptEntry[]): ScriptedScheduler {
  return new ScriptedScheduler(entries);
}

/** The kernel's record behind an engine handle. */
export function rec(engine: unknown): EngineRecord {
  return (engine as EngineHandle).record;
}

/** The kernel's task behind a task_struct. */
export function T(task: task_struct): Task {
  return task as unknown as Task;
}

/** Whether a callback of `engine` has started and its body not yet finished (between the two scheduling points). */
export function inCallback(kernel: Kernel, engine: unknown): boolean {
  return kernel.inFlight.has(rec(engine));
}

/** Whether callback `name` of `engine` has started and its body not yet finished. */
export function inCallbackNamed(kernel: Kernel, engine: unknown, name: string): boolean {
  return kernel.inFlight.get(rec(engine))?.what.startsWith(`${name} `) ?? false;
}

/** Whether `utrace->reporting` is this engine: a callback of it may be running. */
export function reporting(task: task_struct, engine: unknown): boolean {
  return T(task).utrace?.reporting === rec(engine);
}

/** Whether the task is in a tracing stop. */
export function traced(task: task_struct): boolean {
  return T(task).state === 'traced';
}

/** The errno an attach returned as an error value, or 0 when it returned an engine. */
export function errOf(result: unknown): number {
  return IS_ERR(result) ? PTR_ERR(result as never) : 0;
}

/** The engine an attach returned; fails the test on an error value. */
export function engineOf(result: unknown): Eng {
  if (IS_ERR(result)) assert.fail(`attach returned ERR_PTR(${PTR_ERR(result as never)})`);
  return result as Eng;
}

/** Attaches a new engine with `ops` and sets `events`; asserts both succeed. */
export function attach(task: task_struct, ops: Ops, events: number, data: unknown = null): Eng {
  // Plain ops (not made by defineOps) are taken as never detaching; pass defineOps(ops,
  // 'may-detach') for ops whose callbacks detach.
  const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops as never, data as never);
  if (IS_ERR(engine)) assert.fail(`attach failed: ${PTR_ERR(engine as never)}`);
  const r = utrace_set_events(task, engine as Eng, events);
  assert.equal(r.ret, 0);
  return r.engine as Eng;
}

/** A kernel with one task (thread 2) and one engine on it. */
export interface OneTask {
  readonly kernel: Kernel;
  readonly task: task_struct;
  readonly engine: Eng;
  /** Thread id of the task: {@link FIRST}. */
  readonly tid: number;
}

/** Builds a kernel with one task running `program` and one engine with `ops` and `events`. */
export function oneTask(
  program: readonly ProgramEvent[],
  ops: Ops,
  events: number,
  options: { kernel?: KernelOptions; data?: (kernel: Kernel) => unknown; comm?: string } = {},
): OneTask {
  const kernel = new Kernel(options.kernel);
  const task = kernel.spawn(options.comm ?? 'traced', program);
  const data = options.data ? options.data(kernel) : null;
  const engine = attach(task, ops, events, data);
  return { kernel, task, engine, tid: FIRST };
}

/** In a tracer thread: gives the CPU up until `pred()` holds. */
export async function waitUntil(pred: () => boolean, limit = 100_000): Promise<void> {
  for (let i = 0; !pred(); i++) {
    if (i >= limit) throw new Error('waitUntil: condition never held');
    await schedule();
  }
}

/** The trace as lines `thread: text`. */
export function lines(outcome: ExecutionOutcome): string[] {
  return outcome.trace.map((e) => `${e.thread}: ${e.text}`);
}

/** Index of the first trace line matching `re` at or after `from`, or -1. */
export function find(outcome: ExecutionOutcome, re: RegExp, from = 0): number {
  for (let i = from; i < outcome.trace.length; i++) if (re.test(outcome.trace[i]!.text)) return i;
  return -1;
}

/** Asserts that the trace has lines matching each of `res`, in this order. */
export function assertOrder(outcome: ExecutionOutcome, ...res: RegExp[]): void {
  let at = 0;
  for (const re of res) {
    const i = find(outcome, re, at);
    if (i < 0) assert.fail(`trace has no ${re} after line ${at}:\n${lines(outcome).join('\n')}`);
    at = i + 1;
  }
}

/** Asserts that no trace line matches `re`. */
export function assertNone(outcome: ExecutionOutcome, re: RegExp): void {
  const i = find(outcome, re);
  if (i >= 0) assert.fail(`trace line ${i} matches ${re}: ${outcome.trace[i]!.text}`);
}

/** Asserts a clean run, showing the failure and trace otherwise. */
export function assertOk(outcome: ExecutionOutcome): void {
  if (outcome.status !== 'ok') {
    assert.fail(`run failed: ${outcome.failure?.check}: ${outcome.failure?.message}\n${lines(outcome).join('\n')}`);
  }
}

/** Asserts the run failed with `check`, and returns the failure. */
export function assertFailed(outcome: ExecutionOutcome, check: string): NonNullable<ExecutionOutcome['failure']> {
  if (outcome.status !== 'failed' || outcome.failure?.check !== check) {
    assert.fail(
      `expected a '${check}' failure, got ${outcome.status}${outcome.failure ? ` ${outcome.failure.check}: ${outcome.failure.message}` : ''}\n${lines(outcome).join('\n')}`,
    );
  }
  return outcome.failure!;
}
