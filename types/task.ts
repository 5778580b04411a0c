/**
 * The kernel objects a callback is shown: the task, its registers, signal information.
 * @packageDocumentation
 */

declare const taskBrand: unique symbol;

/**
 * A thread of the simulated kernel (`struct task_struct`). Only the kernel makes them.
 * @public
 * @category Lifecycle types
 */
export interface task_struct {
  /** Process id; unique for the life of a kernel. */
  readonly pid: number;
  /** Name shown in traces (`comm`). */
  readonly comm: string;
  /** Nonzero once the task has exited: `EXIT_ZOMBIE` (16) or `EXIT_DEAD` (32). */
  readonly exit_state: number;
  /** Brand: a task_struct is made by a kernel only. */
  readonly [taskBrand]: true;
}

/**
 * `struct pid`: names a task by number without keeping it alive.
 * @public
 * @category Lifecycle types
 */
export interface pid_struct {
  /** The number. */
  readonly nr: number;
}

/**
 * `struct pt_regs` as a syscall callback sees it: the syscall number and arguments, and
 * the return value after the call.
 * @public
 * @category Lifecycle types
 */
export interface pt_regs {
  /** System call number. */
  readonly syscall_nr: number;
  /** System call arguments; a callback may rewrite them at entry. */
  args: number[];
  /** Return value; meaningful at syscall exit, where a callback may rewrite it. */
  return_value: number;
}

/**
 * `siginfo_t`, reduced to what the simulation delivers.
 * @public
 * @category Lifecycle types
 */
export interface siginfo_t {
  /** Signal number; a callback may rewrite it. */
  si_signo: number;
  /** Pid of the sender, 0 for the kernel. */
  si_pid: number;
}

/**
 * `struct k_sigaction`, reduced to the disposition.
 * @public
 * @category Lifecycle types
 */
export interface k_sigaction {
  /** `'default'`, `'ignore'` or `'handler'`. */
  sa_handler: 'default' | 'ignore' | 'handler';
}

/**
 * `struct linux_binfmt`: the binary format of an exec.
 * @public
 * @category Lifecycle types
 */
export interface linux_binfmt {
  /** Format name, e.g. `'elf'`. */
  readonly name: string;
}

/**
 * `struct linux_binprm`: what is being executed.
 * @public
 * @category Lifecycle types
 */
export interface linux_binprm {
  /** Path of the executed file. */
  readonly filename: string;
}

/**
 * The exit code cell `report_exit` may rewrite (`long *code`).
 * @public
 * @category Lifecycle types
 */
export interface exit_code_cell {
  /** The exit code the task will report. */
  code: number;
}

/**
 * `CLD_STOPPED` (5) or `CLD_CONTINUED` (6): what `report_jctl` reports.
 * @public
 * @category Lifecycle types
 */
export type jctl_type = 5 | 6;
