/**
 * When an engine is freed (SPEC §3's memory rule) and what runs then.
 *
 * - While linked on a task's list, the attachment keeps it.
 * - Detached by the tracer, by `report_death` or at reap: freed when the tracer
 *   has given its pointer up and no counted reference is left.
 * - Detached because another callback returned `UTRACE_DETACH`: freed one RCU grace period
 *   after it is unlinked, unless a counted reference is held; the tracer's own pointer does
 *   not keep it.
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
    kernel.rcu.call(() => freeEngine(kernel, engine));
    return;
  }
  if (engine.tracerPointer) return;
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
