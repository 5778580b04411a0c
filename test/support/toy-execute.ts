/**
 * A toy simulation for the explorer's tests: a few fake threads running tiny programs over
 * shared integer variables, with non-atomic read-modify-write, atomic add, locks and thread
 * creation. It knows nothing of utrace; it only honours the `Execute` contract.
 */
import type { Execute, ExecutionOutcome, Failure, StepRef, ThreadInfo, TraceEvent } from '../../src/sched/execution.js';
import { isPreemption } from '../../src/sched/scheduler.js';
import type { Scheduler } from '../../src/sched/scheduler.js';

/** One step of a toy thread. */
export type ToyOp =
  /** Copies a shared variable into the thread's register. */
  | { readonly op: 'load'; readonly from: string }
  /** Writes register + `add` to a shared variable. */
  | { readonly op: 'store'; readonly to: string; readonly add: number }
  /** Adds to a shared variable in one step. */
  | { readonly op: 'add'; readonly to: string; readonly add: number }
  /** Takes a lock; the thread cannot run while another holds it. */
  | { readonly op: 'lock'; readonly lock: string }
  /** Releases a lock. */
  | { readonly op: 'unlock'; readonly lock: string }
  /** Creates a thread, which gets the next id. */
  | { readonly op: 'spawn'; readonly thread: ToyThread }
  /** A step that touches nothing shared. */
  | { readonly op: 'work' };

/** A toy thread: a name and its steps. */
export interface ToyThread {
  readonly name: string;
  readonly ops: readonly ToyOp[];
}

/** A toy program: initial shared state, initial threads, and the rules checked. */
export interface ToyProgram {
  readonly shared: Readonly<Record<string, number>>;
  readonly threads: readonly ToyThread[];
  /** Variables that must never go below 0 ('refcount-underflow' at the step that does it). */
  readonly nonNegative?: readonly string[];
  /** Values the variables must hold at the end ('leak' otherwise). */
  readonly finalEquals?: Readonly<Record<string, number>>;
  /** Most steps a run may take ('step-limit' otherwise); default 10 000. */
  readonly stepLimit?: number;
}

interface ThreadState {
  readonly id: number;
  readonly name: string;
  readonly ops: readonly ToyOp[];
  pc: number;
  reg: number;
}

/** An `Execute` running the toy program afresh on every call. */
export function toyExecute(program: ToyProgram): Execute {
  const stepLimit = program.stepLimit ?? 10_000;
  const nonNegative = new Set(program.nonNegative ?? []);
  return async (scheduler: Scheduler): Promise<ExecutionOutcome> => {
    const shared = new Map<string, number>(Object.entries(program.shared));
    const locks = new Map<string, number>();
    const threads: ThreadState[] = program.threads.map((t, id) => ({ id, name: t.name, ops: t.ops, pc: 0, reg: 0 }));
    const accesses = new Map<string, StepRef[]>();
    const schedule: number[] = [];
    const trace: TraceEvent[] = [];
    let preemptions = 0;
    let previous = -1;
    let failure: Failure | undefined;

    const touch = (name: string, ref: StepRef): void => {
      let list = accesses.get(name);
      if (list === undefined) accesses.set(name, (list = []));
      list.push(ref);
    };

    for (let step = 0; failure === undefined; step++) {
      const runnable: number[] = [];
      let unfinished = false;
      for (const t of threads) {
        const op = t.ops[t.pc];
        if (op === undefined) continue;
        unfinished = true;
        if (op.op === 'lock' && locks.has(op.lock)) continue;
        runnable.push(t.id);
      }
      if (runnable.length === 0) {
        if (unfinished) {
          failure = { check: 'deadlock', message: 'every unfinished thread waits for a lock', step, thread: -1, related: [] };
        }
        break;
      }
      if (step >= stepLimit) {
        failure = { check: 'step-limit', message: `more than ${stepLimit} steps`, step, thread: -1, related: [] };
        break;
      }
      const point = { step, runnable, previous };
      const chosen = scheduler.pick(point);
      if (!runnable.includes(chosen)) throw new Error(`toy: thread ${chosen} is not runnable at step ${step}`);
      if (isPreemption(point, chosen)) preemptions++;
      schedule.push(chosen);
      const t = threads[chosen]!;
      const op = t.ops[t.pc++]!;
      let text: string;
      switch (op.op) {
        case 'load':
          t.reg = shared.get(op.from) ?? 0;
          text = `load ${op.from} = ${t.reg}`;
          touch(op.from, { step, thread: chosen, what: text });
          break;
        case 'store': {
          const value = t.reg + op.add;
          shared.set(op.to, value);
          text = `store ${op.to} = ${value}`;
          touch(op.to, { step, thread: chosen, what: text });
          failure = checkNonNegative(op.to, value, step, chosen);
          break;
        }
        case 'add': {
          const value = (shared.get(op.to) ?? 0) + op.add;
          shared.set(op.to, value);
          text = `add ${op.to} ${op.add} -> ${value}`;
          touch(op.to, { step, thread: chosen, what: text });
          failure = checkNonNegative(op.to, value, step, chosen);
          break;
        }
        case 'lock':
          locks.set(op.lock, chosen);
          text = `lock ${op.lock}`;
          break;
        case 'unlock':
          locks.delete(op.lock);
          text = `unlock ${op.lock}`;
          break;
        case 'spawn':
          threads.push({ id: threads.length, name: op.thread.name, ops: op.thread.ops, pc: 0, reg: 0 });
          text = `spawn ${op.thread.name}`;
          break;
        case 'work':
          text = 'work';
          break;
      }
      trace.push({ step, thread: chosen, text });
      previous = chosen;
    }

    function checkNonNegative(name: string, value: number, step: number, thread: number): Failure | undefined {
      if (!nonNegative.has(name) || value >= 0) return undefined;
      const related = (accesses.get(name) ?? []).filter((r) => r.step !== step);
      return {
        check: 'refcount-underflow',
        message: `${name} went below zero (${value}): a reference was dropped twice`,
        step,
        thread,
        related,
      };
    }

    if (failure === undefined && program.finalEquals !== undefined) {
      for (const [name, expected] of Object.entries(program.finalEquals)) {
        const actual = shared.get(name) ?? 0;
        if (actual !== expected) {
          failure = {
            check: 'leak',
            message: `${name} is ${actual} at the end, expected ${expected}: an update was lost, so the object is never freed`,
            step: schedule.length,
            thread: -1,
            related: accesses.get(name) ?? [],
          };
          break;
        }
      }
    }

    const info: ThreadInfo[] = threads.map((t) => ({ id: t.id, name: t.name, kind: 'task' }));
    return {
      status: failure === undefined ? 'ok' : 'failed',
      failure,
      schedule,
      preemptions,
      trace,
      threads: info,
    };
  };
}

/** `count` steps that touch nothing shared. */
export function work(count: number): ToyOp[] {
  return Array.from({ length: count }, () => ({ op: 'work' }) as const);
}

/**
 * Two workers each drop one of two references with a non-atomic decrement (load, then store
 * minus one), with `padding` steps of local work before and after. A lost update leaves a
 * reference behind: 'leak' at the end.
 */
export function lostUpdate(padding = 0): ToyProgram {
  const worker = (name: string): ToyThread => ({
    name,
    ops: [...work(padding), { op: 'load', from: 'refs' }, { op: 'store', to: 'refs', add: -1 }, ...work(padding)],
  });
  return { shared: { refs: 2 }, threads: [worker('worker A'), worker('worker B')], finalEquals: { refs: 0 }, nonNegative: ['refs'] };
}

/** The same as {@link lostUpdate} with each decrement under a lock: never fails. */
export function safeUpdate(padding = 0): ToyProgram {
  const worker = (name: string): ToyThread => ({
    name,
    ops: [
      ...work(padding),
      { op: 'lock', lock: 'm' },
      { op: 'load', from: 'refs' },
      { op: 'store', to: 'refs', add: -1 },
      { op: 'unlock', lock: 'm' },
      ...work(padding),
    ],
  });
  return { shared: { refs: 2 }, threads: [worker('worker A'), worker('worker B')], finalEquals: { refs: 0 }, nonNegative: ['refs'] };
}

/**
 * A main thread that creates a worker and then races it: both drop a reference with a
 * non-atomic decrement. The worker exists only from the main thread's first step on.
 */
export function spawnedLostUpdate(): ToyProgram {
  const drop: ToyOp[] = [{ op: 'load', from: 'refs' }, { op: 'store', to: 'refs', add: -1 }];
  return {
    shared: { refs: 2 },
    threads: [{ name: 'main', ops: [{ op: 'spawn', thread: { name: 'child', ops: drop } }, ...drop] }],
    finalEquals: { refs: 0 },
  };
}

/** Threads that only work: `steps[i]` steps for thread `i`. Never fails. */
export function independent(...steps: number[]): ToyProgram {
  return { shared: {}, threads: steps.map((n, i) => ({ name: `t${i}`, ops: work(n) })) };
}
