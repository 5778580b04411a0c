/**
 * The facade the erased consumer is checked against: the same names as the package's API,
 * typed without lifecycle states. One plain engine type goes in and out of every call, and
 * every result is `{ ret: number, engine }`. What the phantom states cost the type checker is
 * the difference between checking `consumer-typed.ts` and `consumer-erased.ts`.
 */

/** A task. */
export interface task_struct {
  readonly pid: number;
}

/** An event of a task's program. */
export interface ProgramEvent {
  readonly kind: string;
}

/** Tracer data. */
export interface KBox<T> {
  value: T;
}

/** Callbacks. */
export interface utrace_engine_ops {
  report_quiesce?: (action: number, engine: utrace_engine, event: number) => number;
  report_syscall_entry?: (action: number, engine: utrace_engine, regs: unknown) => number;
  report_syscall_exit?: (action: number, engine: utrace_engine, regs: unknown) => number;
  report_exit?: (action: number, engine: utrace_engine, code: number, cell: { code: number }) => number;
  report_death?: (engine: utrace_engine, group_dead: boolean, signal: number) => number;
  report_reap?: (engine: utrace_engine, task: task_struct) => void;
  release?: (data: unknown) => void;
}

/** An engine, in no particular state. */
export interface utrace_engine {
  readonly ops: utrace_engine_ops;
  readonly data: unknown;
  readonly flags: number;
}

/** An error pointer. */
export interface err_ptr {
  readonly err: number;
}

/** What the engine calls return. */
export interface engine_result {
  readonly ret: number;
  readonly engine: utrace_engine;
}

export declare class Kernel {
  spawn(comm: string, program: readonly ProgramEvent[]): task_struct;
  kmalloc<T>(label: string, value: T): KBox<T>;
  kfree(box: KBox<unknown>): void;
  tracer(name: string, fn: () => Promise<void>): void;
}

export declare const UTRACE_ATTACH_CREATE: number;
export declare const UTRACE_DETACH: number;
export declare const UTRACE_RESUME: number;
export declare const UTRACE_STOP: number;

export declare function UTRACE_EVENT(name: string): number;
export declare function IS_ERR(value: unknown): value is err_ptr;
export declare function sys(nr: number, ...args: number[]): ProgramEvent;
export declare function defineOps(ops: utrace_engine_ops, claim?: 'never-detaches' | 'may-detach'): utrace_engine_ops;
export declare function rcu_read_section<T>(body: () => T): T;

export declare function utrace_attach_task(target: task_struct, flags: number, ops: utrace_engine_ops, data: unknown): utrace_engine | err_ptr;
export declare function utrace_set_events(target: task_struct, engine: utrace_engine, events: number): engine_result;
export declare function utrace_control(target: task_struct, engine: utrace_engine, action: number): engine_result;
export declare function utrace_barrier(target: task_struct, engine: utrace_engine): Promise<number>;
export declare function utrace_set_events_sync(target: task_struct, engine: utrace_engine, events: number): Promise<engine_result>;
export declare function utrace_clear_events_sync(target: task_struct, engine: utrace_engine): Promise<engine_result>;
export declare function utrace_detach_sync(target: task_struct, engine: utrace_engine): Promise<engine_result>;
export declare function utrace_engine_get(engine: utrace_engine): engine_result;
export declare function utrace_engine_put(engine: utrace_engine): void;
