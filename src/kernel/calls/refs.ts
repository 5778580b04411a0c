/**
 * `utrace_engine_get` and `utrace_engine_put`: the engine's reference count, and the
 * `refcount-underflow` failure of a put that has no counted reference behind it.
 * @packageDocumentation
 */
import { CountedRef, EngineHandle } from '../engine.js';
import type { Kernel } from '../kernel.js';
import { maybeFreeEngine } from '../lifetime.js';
import { ESRCH } from '../../constants/errno.js';

/**
 * The kernel side of utrace_engine_get, on a handle the facade has checked: `-ESRCH` (and the
 * handle passed) when the engine is detached; else one more counted reference, as a new
 * handle (attached when the handle passed was rcu-only, which is then consumed, or the one a
 * callback was given).
 * @internal
 */
export function engine_get(kernel: Kernel, handle: EngineHandle, call: string): { ret: number; engine: EngineHandle } {
  const record = kernel.useEngine(handle, call);
  // After a detach by anyone, calls through a held reference return -ESRCH (SPEC §3).
  if (record.isDetached) return { ret: -ESRCH, engine: handle };
  record.refs += 1;
  if (handle.state === 'rcu-only') handle.revokedBy = 'utrace_engine_get (it consumed this RCU-kept pointer)';
  const state = handle.state === 'rcu-only' || handle.state === 'in-callback' ? 'attached' : handle.state;
  if (kernel.tracing) kernel.log(`utrace_engine_get(${record.name}): ${record.refs} counted reference(s)`);
  return { ret: 0, engine: new EngineHandle(record, state, new CountedRef()) };
}

/**
 * The kernel side of utrace_engine_put, on a handle the facade has checked: a put through an
 * RCU-kept pointer or of a reference already put is a `refcount-underflow` failure; else the
 * count drops, the handle is revoked, and the engine is freed when detached and unreferenced.
 * @internal
 */
export function engine_put(kernel: Kernel, handle: EngineHandle, call: string): void {
  const record = handle.record;
  const ref = handle.ref;
  if (ref === null) {
    kernel.fail(
      'refcount-underflow',
      `utrace_engine_put on ${record.name} through its RCU-kept pointer: a CREATE attach of may-detach ops gives no counted reference, so there is nothing to put; put only the handles utrace_engine_get and lookups return`,
    );
  }
  if (ref.putAt !== null) {
    kernel.fail('refcount-underflow', `utrace_engine_put on ${record.name}: this counted reference was already put; each counted handle owes exactly one put`, [ref.putAt]);
  }
  kernel.useEngine(handle, call);
  record.refs -= 1;
  ref.putAt = kernel.stepRef(`utrace_engine_put(${record.name})`);
  handle.revokedBy = 'utrace_engine_put';
  if (kernel.tracing) kernel.log(`utrace_engine_put(${record.name}): ${record.refs} counted reference(s) left`);
  maybeFreeEngine(kernel, record);
}
