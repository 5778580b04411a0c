/**
 * Unwinds the thread whose step made a run-time check fire. The failure itself is kept by
 * the kernel; this only stops the code that was running.
 *
 * It carries no stack trace: the kernel catches it at the end of the step, the failure
 * records where the check fired, and capturing a stack for every failing run of a search
 * costs more than the rest of the run.
 * @internal
 */
export class KernelPanic extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'KernelPanic';
  }
}
