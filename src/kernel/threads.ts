/**
 * The threads of the simulation. Tasks and kernel threads are generators that yield at
 * each scheduling point; tracer threads are async functions that give the CPU up only where
 * they block in a utrace call.
 * @packageDocumentation
 */
import { UtraceUsageError } from '../errors.js';
import type { ThreadInfo } from '../sched/execution.js';
import { KernelPanic } from './panic.js';

/**
 * What a generator thread yields: nothing (a plain scheduling point), or a wait: the thread
 * may take its next step only once `until()` is true.
 * @internal
 */
export interface Wait {
  readonly until: () => boolean;
  readonly what: string;
  /**
   * `until()` reads only the waiting task's own run state and fatal flag: the run loop then
   * re-checks it only when those change (the task tells the kernel), not at every step.
   */
  readonly ownStateOnly?: boolean;
}

/** @internal */
export type Step = Generator<Wait | undefined, void, void>;

/**
 * Common shape of every simulated thread.
 * @internal
 */
export abstract class SimThread implements ThreadInfo {
  abstract readonly kind: 'task' | 'tracer' | 'kernel';
  done = false;
  /** RCU read-side sections this thread has open. */
  rcuDepth = 0;
  /** Mutexes and spinlocks this thread holds, in the order taken. */
  readonly held: { readonly name: string; readonly sleeping: boolean }[] = [];
  /** The lock this thread waits for, for the deadlock cycle. */
  waitingOn: { readonly name: string; owner: SimThread | null } | null = null;

  constructor(
    readonly id: number,
    readonly name: string,
  ) {}

  abstract runnable(): boolean;
  /**
   * Runnable, and sure to stay so until it takes a step: nothing another thread does can make
   * it wait. The run loop re-checks only the threads for which this is false.
   */
  abstract steadyRunnable(): boolean;
  abstract step(): void | Promise<void>;
  /** What the thread waits for, when it is not runnable. */
  abstract waiting(): string;
}

/**
 * A thread whose code is a generator.
 * @internal
 */
export class GeneratorThread extends SimThread {
  #wait: Wait | undefined;
  #gen: Step | undefined;

  constructor(
    id: number,
    name: string,
    readonly kind: 'task' | 'kernel',
    readonly body: () => Step,
    readonly canRun: () => boolean = () => true,
  ) {
    super(id, name);
  }

  runnable(): boolean {
    if (this.done || !this.canRun()) return false;
    return this.#wait === undefined || this.#wait.until();
  }

  /** Waits on a condition of its own task's state only (see {@link Wait.ownStateOnly}). */
  get waitsOnOwnState(): boolean {
    return !this.done && this.#wait?.ownStateOnly === true && this.canRun();
  }

  steadyRunnable(): boolean {
    // canRun (a task started by its parent) never turns false again; a wait comes only from a step.
    return !this.done && this.#wait === undefined && this.canRun();
  }

  step(): void {
    this.#gen ??= this.body();
    let r: IteratorResult<Wait | undefined, void>;
    try {
      r = this.#gen.next();
    } catch (e) {
      // A failed check or a BUG_ON unwound the thread: it is over.
      this.done = true;
      this.#wait = undefined;
      throw e;
    }
    if (r.done) {
      this.done = true;
      this.#wait = undefined;
    } else {
      this.#wait = r.value;
    }
  }

  /** Runs the generator up to its first scheduling point; for kernel threads that start idle. @internal */
  prime(): void {
    this.step();
  }

  waiting(): string {
    return this.#wait?.what ?? 'the CPU';
  }
}

/**
 * A tracer thread: the user's async function. It runs without interruption from one
 * blocking utrace call to the next.
 * @internal
 */
export class TracerThread extends SimThread {
  readonly kind = 'tracer' as const;
  #started = false;
  #wait: Wait | undefined;
  #interruptible = false;
  #resume: (() => void) | undefined;
  #park: (() => void) | undefined;
  /** A signal is pending for this thread (it was interrupted). */
  signalPending = false;
  /** Whether the user's code threw (or its promise rejected) with anything but a kernel panic. */
  failed = false;
  /** The thread is parked in `schedule()` (a yield), not in a wait that can be false. */
  inYield = false;
  /**
   * Fair scheduling (CHESS): the threads that were runnable when this thread last yielded and
   * have not stepped since. While one of them can run, this thread is not offered.
   */
  yieldWait: Set<number> | null = null;
  /** What the user's code threw when {@link TracerThread.failed}: any value, `undefined` included. */
  error: unknown = undefined;

  constructor(
    id: number,
    name: string,
    readonly fn: () => Promise<void>,
  ) {
    super(id, name);
  }

  steadyRunnable(): boolean {
    return !this.done && !this.#started;
  }

  runnable(): boolean {
    if (this.done) return false;
    if (!this.#started) return true;
    if (this.#wait === undefined) return false;
    return this.#wait.until() || (this.#interruptible && this.signalPending);
  }

  step(): Promise<void> {
    return new Promise<void>((park) => {
      this.#park = park;
      if (!this.#started) {
        this.#started = true;
        let result: Promise<void>;
        try {
          result = Promise.resolve(this.fn());
        } catch (e) {
          result = Promise.reject(e);
        }
        result.then(
          () => this.#finish(false, undefined),
          (e: unknown) => this.#finish(true, e),
        );
      } else {
        const resume = this.#resume;
        this.#resume = undefined;
        this.#wait = undefined;
        this.inYield = false;
        this.yieldWait = null;
        resume!();
      }
    });
  }

  /**
   * Gives the CPU up until `wait.until()` holds (or a signal arrives, when interruptible).
   * Resolves when the scheduler runs this thread again.
   */
  block(wait: Wait, interruptible: boolean, isYield = false): Promise<void> {
    if (this.#resume !== undefined) {
      throw new UtraceUsageError(
        'one-blocking-call-at-a-time',
        `tracer thread ${this.name} started a blocking call while another was pending; await each blocking call before the next`,
      );
    }
    this.#wait = wait;
    this.#interruptible = interruptible;
    this.inYield = isYield;
    return new Promise<void>((resume) => {
      this.#resume = resume;
      this.#giveUp();
    });
  }

  waiting(): string {
    return this.#wait?.what ?? 'the CPU';
  }

  /** Whether the thread is parked in a blocking call. */
  get blocked(): boolean {
    return this.#resume !== undefined;
  }

  #finish(threw: boolean, error: unknown): void {
    this.done = true;
    this.#wait = undefined;
    this.inYield = false;
    if (threw && !(error instanceof KernelPanic)) {
      this.failed = true;
      this.error = error;
    }
    this.#giveUp();
  }

  #giveUp(): void {
    const park = this.#park;
    this.#park = undefined;
    park?.();
  }

  /** Wakes a thread stalled on something that is not a utrace call, so the run can end. @internal */
  abandon(): void {
    this.#giveUp();
  }
}
