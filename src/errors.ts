/**
 * The error thrown for a misuse that the kernel would not answer with an errno: a wrong
 * argument type, a stale handle, a blocking call outside a tracer thread.
 * @packageDocumentation
 */

/**
 * The name of a rule a {@link UtraceUsageError} reports as broken: every rule the library
 * checks at run time that has no errno in the kernel. A new check adds its name here.
 * @example
 * ```ts
 * import { utrace_engine_put, UtraceUsageError, type UsageRule } from 'utrace';
 * let rule: UsageRule | undefined;
 * try {
 *   utrace_engine_put(null as never);
 * } catch (e) {
 *   if (e instanceof UtraceUsageError) rule = e.rule;
 * }
 * console.log(rule); // 'bad-engine'
 * ```
 * @public
 * @category Errors
 */
export type UsageRule =
  | 'assertion-arguments'
  | 'assertion-outside-run'
  | 'atomic-argument'
  | 'attach-each'
  | 'attach-flags'
  | 'bad-engine'
  | 'bad-examiner'
  | 'bad-kernel'
  | 'bad-module'
  | 'bad-ops'
  | 'bad-option'
  | 'bad-pid'
  | 'bad-task'
  | 'blocking-outside-tracer'
  | 'call-rcu'
  | 'callback-engine'
  | 'engine-task-mismatch'
  | 'err-ptr'
  | 'event-bits'
  | 'event-name'
  | 'execute-contract'
  | 'fail-allocations'
  | 'foreign-engine'
  | 'foreign-ops'
  | 'kernel-options'
  | 'kfree-argument'
  | 'kmalloc-arguments'
  | 'locking-arguments'
  | 'locking-outside-run'
  | 'module-arguments'
  | 'module-state'
  | 'not-an-integer'
  | 'one-blocking-call-at-a-time'
  | 'one-run-at-a-time'
  | 'preemptible-argument'
  | 'program-event'
  | 'property-arguments'
  | 'put-callback-engine'
  | 'rcu-section-body'
  | 'rule-1'
  | 'rule-7'
  | 'run-arguments'
  | 'run-once'
  | 'scenario'
  | 'scheduler'
  | 'setup-before-run'
  | 'spawn-arguments'
  | 'stale-handle'
  | 'strategy-protocol'
  | 'tasklist-arguments'
  | 'tasklist-outside-run'
  | 'tracer-arguments'
  | 'tracer-awaited-foreign-promise';

/**
 * Thrown when a call breaks a rule of the API that has no errno in the kernel. The message
 * names the rule broken and the fix; {@link UtraceUsageError.rule} names the rule alone.
 * @example
 * ```ts
 * import { UTRACE_EVENT, UtraceUsageError } from 'utrace';
 * try {
 *   UTRACE_EVENT('NOPE' as never);
 * } catch (e) {
 *   console.log(e instanceof UtraceUsageError); // true
 * }
 * ```
 * @public
 * @category Errors
 */
export class UtraceUsageError extends Error {
  /** Short name of the rule broken, e.g. `'stale-handle'`. */
  readonly rule: UsageRule;

  /**
   * Makes the error.
   * @param rule - short name of the rule broken.
   * @param message - the rule and the fix, in words.
   */
  constructor(rule: UsageRule, message: string) {
    super(message);
    this.name = 'UtraceUsageError';
    this.rule = rule;
  }
}
