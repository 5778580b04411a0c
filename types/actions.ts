/**
 * What each callback may return (SPEC rule 4), at the type level.
 *
 * A callback returns a resume action; `report_syscall_entry` may add a syscall action and
 * `report_signal` a signal action (and `UTRACE_SIGNAL_HOLD`). Bitwise `|` in TypeScript
 * always yields `number`, which would hide the resume action from the detach inference, so
 * combined values are built with `utrace_syscall_return` and `utrace_signal_return`, whose
 * results carry their resume action in their type.
 * @packageDocumentation
 */

/**
 * `enum utrace_resume_action_t` by name: the value of each resume action.
 * @public
 * @category Lifecycle types
 */
export interface utrace_resume_actions {
  /** Stay quiescent after the callbacks. */
  STOP: 0;
  /** Make a report_signal callback soon. */
  INTERRUPT: 1;
  /** Make some callback soon. */
  REPORT: 2;
  /** Resume for one instruction. */
  SINGLESTEP: 3;
  /** Resume until the next branch. */
  BLOCKSTEP: 4;
  /** Resume normally. */
  RESUME: 5;
  /** Detach this engine. */
  DETACH: 6;
}

/**
 * `enum utrace_resume_action_t`: every resume action.
 * @public
 * @category Lifecycle types
 */
export type utrace_resume_action_t = utrace_resume_actions[keyof utrace_resume_actions];

/**
 * `enum utrace_signal_action`: every signal action.
 * @public
 * @category Lifecycle types
 */
export type utrace_signal_action_t = 0x00 | 0x10 | 0x20 | 0x30 | 0x40 | 0x50 | 0x60 | 0x70;

/**
 * `enum utrace_syscall_action`: every syscall action.
 * @public
 * @category Lifecycle types
 */
export type utrace_syscall_action_t = 0x00 | 0x10;

declare const resumePart: unique symbol;
declare const extraKind: unique symbol;

/**
 * A return value that combines resume action `R` with extra bits of kind `K`. At run time
 * it is the plain number `extra | R`; its type remembers `R` so the compiler can tell
 * whether the callback may detach.
 * @public
 * @category Lifecycle types
 */
export type combined_return<R extends utrace_resume_action_t, K extends 'syscall' | 'signal'> = number & {
  /** The resume action carried (type only). */
  readonly [resumePart]: R;
  /** What the extra bits are (type only). */
  readonly [extraKind]: K;
};

/**
 * What `report_quiesce`, `report_clone`, `report_jctl`, `report_exec`,
 * `report_syscall_exit` and `report_exit` may return: a resume action.
 * @public
 * @category Lifecycle types
 */
export type resume_return = utrace_resume_action_t;

/**
 * What `report_syscall_entry` may return: a resume action, possibly with
 * `UTRACE_SYSCALL_ABORT` added through `utrace_syscall_return`.
 * @public
 * @category Lifecycle types
 */
export type syscall_entry_return = utrace_resume_action_t | combined_return<utrace_resume_action_t, 'syscall'>;

/**
 * What `report_signal` may return: a resume action, possibly with a signal action and
 * `UTRACE_SIGNAL_HOLD` added through `utrace_signal_return`.
 * @public
 * @category Lifecycle types
 */
export type signal_return = utrace_resume_action_t | combined_return<utrace_resume_action_t, 'signal'>;

/**
 * What `report_death` may return: only `UTRACE_DETACH` is meaningful; `UTRACE_RESUME`
 * leaves the engine attached until reap.
 * @public
 * @category Lifecycle types
 */
export type death_return = utrace_resume_actions['DETACH'] | utrace_resume_actions['RESUME'];

/**
 * The `action` a callback is given: the resume action chosen by the engines called before it
 * (and for `report_syscall_entry` and `report_signal`, the syscall or signal action so far).
 * Returning it unchanged is legal (ptrace's `report_signal` does), and the detach inference
 * reads it as a value that may be `UTRACE_DETACH`: ops that return it are may-detach.
 * @public
 * @category Lifecycle types
 */
export type incoming_action<K extends 'resume' | 'syscall' | 'signal' = 'resume'> = K extends 'syscall' | 'signal'
  ? combined_return<utrace_resume_action_t, K>
  : utrace_resume_action_t;
