/**
 * What one execution of a simulation produces, in terms the explorer can use without
 * knowing anything about utrace: the schedule taken, the trace, and the failure if any.
 *
 * @packageDocumentation
 */
import type { Scheduler } from './scheduler.js';

/**
 * The names of the run-time checks. Each mirrors a check of the Linux kernel
 * (`might_sleep`, `PROVE_RCU`, KASAN's use-after-free, kref's underflow warning, ...).
 * @public
 * @category Scheduling
 */
export type CheckName =
  | 'use-after-free'
  | 'callback-after-sync'
  | 'module-code-after-unload'
  | 'might_sleep'
  | 'PROVE_RCU'
  | 'refcount-underflow'
  | 'leak'
  | 'deadlock'
  | 'oops'
  | 'step-limit'
  | 'livelock'
  | 'WARN_ON'
  | 'BUG_ON'
  | 'property'
  | 'lockdep'
  | 'runaway';

/**
 * One step of an execution that a failure points back to.
 * @public
 * @category Scheduling
 */
export interface StepRef {
  /** Step index. */
  readonly step: number;
  /** Thread that took the step. */
  readonly thread: number;
  /** What that step did, in words. */
  readonly what: string;
}

/**
 * A broken rule: which check fired, in words, where, and the earlier steps that led there.
 * @public
 * @category Scheduling
 */
export interface Failure {
  /** The kernel check this failure mirrors. */
  readonly check: CheckName;
  /** The rule broken and what to do about it, in plain words. */
  readonly message: string;
  /** Step at which the check fired (the step count so far when it fired at the end). */
  readonly step: number;
  /** Thread whose step made the check fire, or `-1` for checks made at the end. */
  readonly thread: number;
  /** Earlier steps that set the failure up (the free before a use-after-free, ...). */
  readonly related: readonly StepRef[];
}

/**
 * One line of an execution's trace.
 * @public
 * @category Scheduling
 */
export interface TraceEvent {
  /** Step index the event belongs to. */
  readonly step: number;
  /** Thread that took the step. */
  readonly thread: number;
  /** What happened, in words. */
  readonly text: string;
}

/**
 * A thread of the simulation as the explorer sees it.
 * @public
 * @category Scheduling
 */
export interface ThreadInfo {
  /** Thread id, dense from 0 in creation order. */
  readonly id: number;
  /** Name shown in traces and timelines. */
  readonly name: string;
  /** What kind of thread it is. */
  readonly kind: 'task' | 'tracer' | 'kernel';
}

/**
 * How an execution ended.
 * @public
 * @category Scheduling
 */
export type ExecutionStatus = 'ok' | 'failed';

/**
 * The result of running a simulation once under one scheduler.
 * @public
 * @category Scheduling
 */
export interface ExecutionOutcome {
  /** `'ok'` when every thread finished and no check fired, else `'failed'`. */
  readonly status: ExecutionStatus;
  /** The failure, when `status` is `'failed'`. */
  readonly failure: Failure | undefined;
  /** Thread chosen at each step, in order: replaying it reproduces the execution. */
  readonly schedule: readonly number[];
  /** Number of preemptions in `schedule`. */
  readonly preemptions: number;
  /**
   * The steps at which the scheduler preempted a thread that could have run on, ascending
   * (as many as `preemptions`). Left out by executions that do not record them; the
   * timelines then mark no preemption.
   */
  readonly preemptionSteps?: readonly number[];
  /** The trace, in step order. */
  readonly trace: readonly TraceEvent[];
  /** Every thread that existed during the execution, by id. */
  readonly threads: readonly ThreadInfo[];
}

/**
 * Runs a simulation from its initial state once, under the given scheduler.
 * @public
 * @category Scheduling
 */
export type Execute = (scheduler: Scheduler) => Promise<ExecutionOutcome>;
