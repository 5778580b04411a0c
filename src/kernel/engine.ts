/**
 * The kernel's side of an engine (`struct utrace_engine`) and the handles the tracer holds.
 * @packageDocumentation
 */
import type { engine_state } from '../../types/engine.js';
import type { utrace_engine_ops } from '../../types/ops.js';
import type { StepRef } from '../sched/execution.js';
import type { Module } from './module.js';
import type { PercpuCounters } from './percpu.js';
import type { Task } from './task.js';
import { _UTRACE_NEVENTS } from '../constants/events.js';

/** `ENGINE_STOP`: the private flag bit past the events, "this engine keeps the task stopped". @internal */
export const ENGINE_STOP = 1 << _UTRACE_NEVENTS;

/** Who detached an engine: a callback's detach frees it one RCU grace period later (SPEC §3). @internal */
export type DetachCause = 'tracer' | 'callback' | 'death' | 'reap';

/**
 * What the ops of an engine claim about `UTRACE_DETACH` (SPEC §3 rule 3): `'never-detaches'`
 * ops return it from no callback but `report_death`, and a CREATE attach gives the tracer a
 * counted reference; `'may-detach'` ops may, and a CREATE attach gives an RCU-kept pointer.
 * @internal
 */
export type DetachClaim = 'never-detaches' | 'may-detach';

/**
 * `utrace_detached_ops`: what a detached engine's ops become until the task unlinks it at
 * its next safe point. Kernel code, not module code.
 * @internal
 */
export const DETACHED_OPS: utrace_engine_ops<unknown> = Object.freeze({
  report_quiesce: () => 6 as const,
  report_reap: () => undefined,
});

/**
 * An engine as the kernel holds it.
 * @internal
 */
export class EngineRecord {
  /** Current ops: the tracer's, {@link DETACHED_OPS} once marked detached, null once unlinked. */
  ops: utrace_engine_ops<unknown> | null;
  /** Events wanted, plus {@link ENGINE_STOP}. */
  flags = 0;
  /**
   * Counted references the tracer holds (SPEC §3, memory rule v2): from a CREATE attach of
   * never-detaching ops, from each lookup and from each utrace_engine_get. Each owes one put.
   */
  refs = 0;
  /** Events were enabled (a nonzero mask set): from then on no call takes an RCU-kept pointer (rule 7). */
  eventsEnabled = false;
  /** On the task's attaching or attached list. */
  linked = true;
  /** Why it was detached, once it was. */
  detachedBy: DetachCause | null = null;
  /** The step that detached it. */
  detachedAt: StepRef | null = null;
  /** A call_rcu free is queued. */
  freePending = false;
  /** The step that freed it, once freed. */
  freedAt: StepRef | null = null;
  /** Event bits that a 0 return guaranteed no callback for (the sync guarantee), with the step. */
  readonly disabledSince = new Map<number, StepRef>();
  /** Name used in traces and failure messages. */
  readonly name: string;
  /** The handle its callbacks are given (state `'in-callback'`), made at the first callback. */
  callbackHandle: EngineHandle | undefined = undefined;

  constructor(
    readonly id: number,
    readonly task: Task,
    readonly userOps: utrace_engine_ops<unknown>,
    readonly data: unknown,
    readonly release: ((data: unknown) => undefined) | undefined,
    readonly owner: Module | undefined,
    readonly counters: PercpuCounters | undefined,
    /** The detach claim of its ops, checked at every callback return. */
    readonly claim: DetachClaim = 'never-detaches',
  ) {
    this.ops = userOps;
    this.name = `engine#${id}`;
  }

  /** Marked detached (or unlinked): every call but barrier and put gets -ESRCH. */
  get isDetached(): boolean {
    return this.ops === null || this.ops === DETACHED_OPS;
  }
}

/**
 * The handle a tracer holds: one engine, seen in one lifecycle state. A call that moves the
 * engine to another state revokes the handle it was given and returns a new one.
 *
 * A handle is one of three kinds (SPEC §3, memory rule v2): a counted reference (`counted`,
 * owes one utrace_engine_put, shared by every handle a transition makes from it); the
 * RCU-kept pointer of a CREATE attach of may-detach ops (state `'rcu-only'`, owes nothing);
 * or the handle a callback is given (`'in-callback'`, valid until the callback returns).
 * @internal
 */
export class EngineHandle {
  /** Call that revoked this handle, once revoked. */
  revokedBy: string | null = null;

  constructor(
    readonly record: EngineRecord,
    readonly state: engine_state,
    /** The counted reference this handle stands for, or null for an RCU-kept pointer or a callback's handle. */
    readonly ref: CountedRef | null = null,
  ) {}

  /** The callback table given at attach. */
  get ops(): utrace_engine_ops<unknown> {
    return this.record.userOps;
  }

  /** The tracer's private data. */
  get data(): unknown {
    return this.record.data;
  }

  /** The event mask, without ENGINE_STOP. */
  get flags(): number {
    return this.record.flags & ~ENGINE_STOP;
  }
}

/**
 * One counted reference of the tracer's: the handles a transition makes from one another
 * share it, so putting it through any of them puts it once, and a second put through any of
 * them is a refcount underflow.
 * @internal
 */
export class CountedRef {
  /** The step that put it, once put. */
  putAt: StepRef | null = null;
}
