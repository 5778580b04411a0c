/**
 * The error thrown for a misuse that the kernel would not answer with an errno: a wrong
 * argument type, a stale handle, a blocking call outside a tracer thread.
 * @packageDocumentation
 */

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
  readonly rule: string;

  /**
   * Makes the error.
   * @param rule - short name of the rule broken.
   * @param message - the rule and the fix, in words.
   */
  constructor(rule: string, message: string) {
    super(message);
    this.name = 'UtraceUsageError';
    this.rule = rule;
  }
}
