/**
 * A key for the state of a simulation between two steps, for a search that caches the states
 * it has visited (a stateful search, as SPIN makes).
 *
 * The state of a run has two parts. The kernel's part lives in plain objects (tasks, engines,
 * RCU, modules, per-CPU counters, tracer data), so it can be written out. Each thread's own
 * part (where its generator or async function stands, its local variables) cannot be read from
 * outside; the key replaces it by a digest of the thread's history: everything the thread was
 * told by the kernel, in order (each utrace call with its return value, each callback the task
 * ran with what it returned, each wakeup, signal and grace period it saw), as the kernel's trace
 * writes it, and what it waits for now.
 *
 * The key is sound (two states with one key have the same futures) under these assumptions,
 * which the explorer's scenarios meet and the tests check on every example by replaying pairs
 * of schedules that reach one key:
 *
 * - A thread is deterministic given its history: its code depends only on what the kernel
 *   told it and on how many steps it has taken (no `Math.random`, clock, or state kept between runs; the explorer already
 *   requires this).
 * - Threads share state only through the kernel: through calls, engine data and `kmalloc`
 *   data, not through JavaScript variables that two threads' closures both write.
 * - A thread that reads `kmalloc` data or engine data keeps nothing of what it read across a
 *   blocking call unless it also acts on it through a call (callbacks, which run to the end
 *   within a step, meet this by construction).
 *
 * What the key leaves out on purpose: step numbers (a state reached by two schedules of
 * different order has the same future, but the `related` steps a failure message names may be
 * numbered differently), the kernel's id, and the trace itself.
 *
 * The key is kept as a 128-bit hash of its full text (eight 16-bit characters; four 32-bit lanes of a multiply-xor
 * hash, mixed into each other at every character): for a million states the chance that any
 * two different states share a hash is about 1e-27, far below any other cause of error.
 * @packageDocumentation
 */
import type { Kernel } from './kernel.js';
import { KBox } from './kbox.js';
import { Task } from './task.js';
import { SimThread } from './threads.js';

/** Keys of kernel objects the key skips: back references, run ids and step numbers. */
const SKIP: ReadonlySet<string> = new Set(['kernel', 'kernelId', 'step', 'thread', 'program']);

/**
 * Writes the canonical text of a kernel's state: the objects reachable from its tasks,
 * engines, tracer data, modules, RCU, failures and threads, in a fixed order, each object
 * named by the order in which it is first met, so two kernels with the same shape of objects
 * and the same values write the same text.
 * @internal
 */
export function kernelStateText(kernel: Kernel): string {
  const ids = new Map<object, number>();
  let out = '';
  const walk = (v: unknown): void => {
    switch (typeof v) {
      case 'string':
        out += JSON.stringify(v);
        return;
      case 'number':
      case 'boolean':
      case 'bigint':
        out += String(v);
        return;
      case 'undefined':
        out += 'u';
        return;
      case 'symbol':
        out += String(v);
        return;
      case 'function': {
        const seen = ids.get(v as object);
        if (seen !== undefined) {
          out += `@${seen}`;
          return;
        }
        ids.set(v as object, ids.size);
        out += `f${ids.size - 1}`;
        return;
      }
    }
    if (v === null) {
      out += 'n';
      return;
    }
    const o = v as object;
    const seen = ids.get(o);
    if (seen !== undefined) {
      out += `@${seen}`;
      return;
    }
    ids.set(o, ids.size);
    if (o instanceof SimThread) {
      // Threads are written once, below, by id.
      out += `T${o.id}`;
      return;
    }
    if (o instanceof KBox) {
      out += `K(${JSON.stringify(o.label)},`;
      if (o.freed) out += 'freed';
      else walk(o.value);
      out += ')';
      return;
    }
    if (Array.isArray(o)) {
      out += '[';
      for (let i = 0; i < o.length; i++) {
        walk(o[i]);
        out += ',';
      }
      out += ']';
      return;
    }
    if (o instanceof Map) {
      out += 'M{';
      for (const [k, val] of o) {
        walk(k);
        out += ':';
        walk(val);
        out += ',';
      }
      out += '}';
      return;
    }
    if (o instanceof Set) {
      out += 'S{';
      for (const val of o) {
        walk(val);
        out += ',';
      }
      out += '}';
      return;
    }
    if (o instanceof Promise) {
      out += 'P';
      return;
    }
    const proto = Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
    out += `${proto?.constructor?.name ?? 'O'}{`;
    if (o instanceof Task) out += `state:${o.state},fatal:${o.fatal},`;
    for (const key of Object.keys(o)) {
      if (SKIP.has(key)) continue;
      out += `${key}:`;
      walk((o as Record<string, unknown>)[key]);
      out += ',';
    }
    out += '}';
  };
  out += `threads:${kernel.threads.length};`;
  for (const t of kernel.threads) {
    const tracer = t as { signalPending?: boolean; failed?: boolean };
    out += `t${t.id}:${t.done ? 'done' : t.runnable() ? 'run' : `wait ${t.waiting()}`},rcu${t.rcuDepth},sig${tracer.signalPending === true},`;
  }
  out += ';tasks:';
  walk(kernel.tasks);
  out += ';orphans:';
  walk(kernel.orphans);
  out += ';engines:';
  walk(kernel.engines);
  out += ';allocations:';
  walk(kernel.allocations);
  out += ';modules:';
  walk(kernel.modules);
  out += `;rcu:${kernel.rcu.completed},${kernel.rcu.requested},${kernel.rcu.pendingCallbacks};inflight:`;
  walk(kernel.inFlight);
  out += ';oopses:';
  walk(kernel.oopses);
  out += ';failure:';
  walk(kernel.failure);
  out += `;allocFailures:${kernel.allocFailures}`;
  return out;
}

/** The four lanes' starting values of {@link hash128} (digits of pi). */
const LANE_A = 0x243f6a88;
const LANE_B = 0x85a308d3;
const LANE_C = 0x13198a2e;
const LANE_D = 0x03707344;
/** Multipliers of {@link hash128}'s lanes (golden ratio and xxHash primes). */
const PRIME_A = 0x9e3779b1;
const PRIME_D = 0x27d4eb2f;
/** The low 16 bits of a lane, one character of the hash string. */
const LOW16 = 0xffff;

/**
 * A 128-bit hash of `text` as a string of eight 16-bit characters (compact in a `Set`): four 32-bit lanes, each a multiply-xor hash of
 * the characters, each lane folding in its neighbour at every character, then a final
 * avalanche of each lane.
 * @internal
 */
export function hash128(text: string): string {
  let a = LANE_A;
  let b = LANE_B | 0;
  let c = LANE_C;
  let d = LANE_D;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, PRIME_A) ^ (d >>> 15);
    b = Math.imul(b ^ ch, 0x85ebca6b) ^ (a >>> 13);
    c = Math.imul(c ^ ch, 0xc2b2ae35) ^ (b >>> 16);
    d = Math.imul(d ^ ch, PRIME_D) ^ (c >>> 11);
  }
  a = finish(a ^ text.length, b);
  b = finish(b, a);
  c = finish(c, b);
  d = finish(d, c);
  return String.fromCharCode(a & LOW16, a >>> 16, b & LOW16, b >>> 16, c & LOW16, c >>> 16, d & LOW16, d >>> 16);
}

function finish(x: number, other: number): number {
  x ^= other;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return x ^ (x >>> 16);
}


/** No thread's line read yet in this pass (thread ids are 0 and up; set-up lines, also below 0, are skipped). */
const NO_THREAD_YET = -1;

/**
 * The histories of a run's threads, read from the kernel's trace as the run goes: call
 * {@link ThreadHistories.update} at every scheduling point, then {@link ThreadHistories.key}
 * for the key of the state there. The kernel must trace (`trace: true`), since the trace is
 * where the kernel writes what each thread was told.
 * @internal
 */
export class ThreadHistories {
  /** A hash of each thread's history so far, by thread id. */
  readonly digests: string[] = [];
  /** Steps each thread has taken, by thread id. */
  readonly steps: number[] = [];
  /** Trace lines already read. */
  #read = 0;

  /** Counts a step of `thread` (the thread the scheduler chose). */
  stepped(thread: number): void {
    this.steps[thread] = (this.steps[thread] ?? 0) + 1;
  }

  /** Folds the trace lines logged since the last call into their threads' digests. */
  update(kernel: Kernel): void {
    const trace = kernel.trace;
    const digests = this.digests;
    // Lines of one step belong to one thread; gather them, then hash once per thread.
    let thread = NO_THREAD_YET;
    let text = '';
    for (let i = this.#read; i < trace.length; i++) {
      const e = trace[i]!;
      if (e.thread < 0) continue; // set-up code, the same in every run
      if (e.thread !== thread) {
        if (thread >= 0) digests[thread] = hash128(`${digests[thread] ?? ''}\n${text}`);
        thread = e.thread;
        text = '';
      }
      text += `${e.text}\n`;
    }
    if (thread >= 0) digests[thread] = hash128(`${digests[thread] ?? ''}\n${text}`);
    this.#read = trace.length;
  }

  /** The key of the state now: the kernel's state and every thread's history, hashed. */
  key(kernel: Kernel): string {
    return hash128(`${kernelStateText(kernel)}|${this.digests.join(',')}|${this.steps.join(',')}`);
  }
}
