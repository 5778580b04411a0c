/**
 * When an engine is freed (SPEC §3, memory rule v2) and what runs then.
 *
 * - While linked on a task's list, the attachment keeps it (the kernel's implicit reference).
 * - Each counted reference keeps it: the one a CREATE attach of never-detaching ops gives,
 *   each lookup's, each `utrace_engine_get`'s. An RCU-kept pointer keeps nothing.
 * - Once unlinked and unreferenced it is freed, and `release(data)` runs, exactly once:
 *   at once when the tracer, `report_death` or the reap detached it; one RCU grace period
 *   later when another callback returned `UTRACE_DETACH` (the thread's RCU-kept pointer).
 * @packageDocumentation
 */
import type { EngineRecord } from './engine.js';
import type { Kernel } from './kernel.js';
import { runModuleCode } from './module-code.js';

/** Frees `engine` now, or queues its free, if nothing keeps it any more. @internal */
export function maybeFreeEngine(kernel: Kernel, engine: EngineRecord): void {
  if (engine.freedAt !== null || engine.freePending || engine.linked || engine.refs > 0) return;
  if (engine.detachedBy === 'callback') {
    engine.freePending = true;
    if (kernel.tracing) kernel.log(`${engine.name} unlinked; freed after the next RCU grace period (call_rcu)`);
    kernel.rcu.call(() => {
      engine.freePending = false;
      // A lookup cannot find an unlinked engine, so no reference can have been taken since.
      if (engine.refs === 0) freeEngine(kernel, engine);
    });
    return;
  }
  freeEngine(kernel, engine);
}

/** `__utrace_engine_release`: runs `release(data)`, then the engine is gone. @internal */
export function freeEngine(kernel: Kernel, engine: EngineRecord): void {
  if (engine.freedAt !== null) return;
  engine.freedAt = kernel.stepRef(`${engine.name} freed`);
  if (kernel.tracing) kernel.log(`${engine.name} freed`);
  const release = engine.release;
  if (release !== undefined) {
    runModuleCode(kernel, engine, 'release', () => release(engine.data));
  }
}
