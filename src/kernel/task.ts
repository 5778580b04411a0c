/**
 * A simulated thread of a user process (`struct task_struct`) and its utrace bookkeeping
 * (`struct utrace`).
 * @packageDocumentation
 */
import { UTRACE_RESUME } from '../constants/resume-actions.js';
import type { EngineRecord } from './engine.js';
import type { Kernel } from './kernel.js';
import type { ProgramEvent } from './program.js';
import type { GeneratorThread } from './threads.js';

/** `exit_state` of a zombie. @category Kernel simulation @public */
export const EXIT_ZOMBIE: 16 = 16;
/** `exit_state` of a reaped task. @category Kernel simulation @public */
export const EXIT_DEAD: 32 = 32;

/**
 * `struct utrace`: per-task state, allocated at the first attach.
 * @internal
 */
export class UtraceState {
  /**
   * Engines the task reports to, in attach order. Replaced, never changed in place: a
   * reporting pass walks the array it started with.
   */
  attached: readonly EngineRecord[] = [];
  /** Engines attached since the last reporting pass began. */
  attaching: EngineRecord[] = [];
  /** The engine whose callback is between start_callback and finish_callback. */
  reporting: EngineRecord | null = null;
  /** The resume action wanted at the next return to user mode. */
  resume: number = UTRACE_RESUME;
  /** In utrace_report_death now. */
  death = false;
  /** release_task has run. */
  reap = false;
  /** Engines wait on `attaching`. */
  pending_attach = false;
}

/**
 * Run state of a task, as the scheduler sees it.
 * @internal
 */
export type RunState = 'running' | 'traced' | 'stopped' | 'dead';

/**
 * A task of the simulated kernel.
 * @internal
 */
export class Task {
  exit_state = 0;
  #state: RunState = 'running';
  utrace: UtraceState | null = null;
  /** Union of the attached engines' events, plus REAP and ENGINE_STOP (`task->utrace_flags`). */
  utrace_flags = 0;
  /** TIF_NOTIFY_RESUME: make utrace_resume at the next return to user mode. */
  notify_resume = false;
  /** Signals queued, in order. */
  readonly pending: number[] = [];
  #fatal = false;
  /** In a job-control stop (SIGNAL_STOP_STOPPED). */
  jobctl = false;
  /** Being reaped. */
  reaping = false;
  /** Job-control stop finished with SIGCONT; report_jctl(CLD_CONTINUED) is due. */
  continued = false;
  /** Context switches, for utrace_prepare_examine's `ncsw`. */
  nvcsw = 0;
  exit_code = 0;
  /** Children created by clone, in order. */
  readonly children: Task[] = [];
  /** Started: a clone child waits until its parent's report_clone is over. */
  started: boolean;
  thread!: GeneratorThread;

  constructor(
    readonly kernel: Kernel,
    readonly pid: number,
    readonly comm: string,
    readonly program: readonly ProgramEvent[],
    public parent: Task | null,
    readonly cpu: number,
    readonly kthread: boolean,
    started: boolean,
  ) {
    this.started = started;
  }

  /** Run state; a change tells the kernel, whose run loop re-checks the task's wait. */
  get state(): RunState {
    return this.#state;
  }

  set state(value: RunState) {
    if (value === this.#state) return;
    this.#state = value;
    this.kernel.taskChanged(this);
  }

  /** SIGKILL is pending; a change tells the kernel, as for {@link Task.state}. */
  get fatal(): boolean {
    return this.#fatal;
  }

  set fatal(value: boolean) {
    if (value === this.#fatal) return;
    this.#fatal = value;
    this.kernel.taskChanged(this);
  }

  /** `task_is_stopped_or_traced`. */
  get stoppedOrTraced(): boolean {
    return this.state === 'traced' || this.state === 'stopped';
  }

  toString(): string {
    return `${this.comm}[${this.pid}]`;
  }
}
