/**
 * `utrace_barrier`: wait while the task may be in a callback of the engine.
 * @packageDocumentation
 */
import type { EngineRecord } from '../engine.js';
import type { Kernel } from '../kernel.js';
import type { Task } from '../task.js';
import type { TracerThread } from '../threads.js';
import { get_utrace_lock } from './lock.js';
import { ERESTARTSYS } from '../../constants/errno.js';

/**
 * The kernel side of utrace_barrier: poll until no callback of `engine` is in progress
 * (0), the engine is fully detached (-ESRCH), or a signal arrives (-ERESTARTSYS).
 * `recheck` runs before each poll, so a freed or RCU-kept engine is caught there.
 * @internal
 */
export async function barrier(
  kernel: Kernel,
  thread: TracerThread,
  task: Task,
  engine: EngineRecord,
  recheck: () => void,
): Promise<number> {
  for (;;) {
    recheck();
    const utrace = get_utrace_lock(task, engine, false);
    if (typeof utrace === 'number') {
      if (utrace !== -ERESTARTSYS) return utrace;
    } else if (utrace.reporting !== engine) {
      return 0;
    }
    if (thread.signalPending) {
      thread.signalPending = false;
      return -ERESTARTSYS;
    }
    await thread.block(
      {
        until: () => engine.ops === null || (engine.ops === engine.userOps && task.utrace?.reporting !== engine),
        what: `utrace_barrier: no callback of ${engine.name} in progress on ${task}`,
      },
      true,
    );
    if (kernel.tracing) kernel.log(`utrace_barrier(${task}, ${engine.name}) polls`);
  }
}
