/**
 * Unwinds the thread whose step made a run-time check fire. The failure itself is kept by
 * the kernel; this only stops the code that was running.
 * @internal
 */
export class KernelPanic extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelPanic';
  }
}
