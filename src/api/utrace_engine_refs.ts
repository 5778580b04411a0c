/**
 * `utrace_engine_get` and `utrace_engine_put`: counted references.
 * @packageDocumentation
 */
import type { any_engine } from '../../types/engine.js';
import type { engine_get_result } from '../../types/results.js';
import type { checked_engine } from '../../types/rules.js';
import { UtraceUsageError } from '../errors.js';
import { EngineHandle } from '../kernel/engine.js';
import { maybeFreeEngine } from '../kernel/lifetime.js';
import { retag } from './transition.js';
import { asHandle } from './validate.js';

/**
 * Takes a counted reference on `engine`: it then stays allocated, even detached, until that
 * reference is put. On an `'rcu-only'` engine, call it inside {@link rcu_read_section}: it
 * turns the RCU-kept pointer into a counted, `'attached'` one, or fails with `-ESRCH` when
 * a callback has already detached the engine.
 * @returns `{ ret, engine }`: `ret` 0 with the counted handle, or `-ESRCH` (detached).
 * @throws `UtraceUsageError` for a bad or stale handle.
 * @example
 * ```ts
 * import { Kernel, sys, defineOps, utrace_attach_task, utrace_engine_get, utrace_engine_put,
 *   rcu_read_section, IS_ERR, UTRACE_ATTACH_CREATE } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('traced', [sys(1)]);
 * const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({}), null);
 * if (!IS_ERR(engine)) {
 *   const r = rcu_read_section(() => utrace_engine_get(engine));
 *   if (r.ret === 0) utrace_engine_put(r.engine);
 * }
 * ```
 * @public
 * @category Kernel calls
 */
export function utrace_engine_get<E extends any_engine>(engine: checked_engine<E, 'utrace_engine_get'>): engine_get_result<E> {
  const call = 'utrace_engine_get';
  const handle = asHandle(engine, call);
  const kernel = handle.record.task.kernel;
  const record = kernel.useEngine(handle, call);
  if (record.isDetached) return { ret: -3, engine: handle } as unknown as engine_get_result<E>;
  record.refs += 1;
  const next = handle.state === 'in-callback' ? new EngineHandle(record, 'attached') : retag(handle, 'attached');
  return { ret: 0, engine: next } as unknown as engine_get_result<E>;
}

/**
 * Gives up one counted reference on `engine`, or, with none left, the pointer
 * `utrace_attach_task` gave the tracer. When nothing keeps the engine any more (it is
 * detached and unlinked, or was detached by a callback and a grace period passed) it is
 * freed and `ops.release(data)` runs. Putting more than was taken is a `refcount-underflow`
 * failure.
 * @throws `UtraceUsageError` for a bad or stale handle, or the handle a callback was given.
 * @example
 * ```ts
 * import { Kernel, sys, defineOps, utrace_attach_task, utrace_control, utrace_engine_put,
 *   IS_ERR, UTRACE_ATTACH_CREATE, UTRACE_DETACH } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('traced', [sys(1)]);
 * const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, defineOps({}), null);
 * if (!IS_ERR(engine)) {
 *   const r = utrace_control(task, engine, UTRACE_DETACH);
 *   utrace_engine_put(r.engine);
 * }
 * ```
 * @public
 * @category Kernel calls
 */
export function utrace_engine_put<E extends any_engine>(engine: checked_engine<E, 'utrace_engine_put'>): void {
  const call = 'utrace_engine_put';
  const handle = asHandle(engine, call);
  if (handle.state === 'in-callback') {
    throw new UtraceUsageError(
      'put-callback-engine',
      'utrace_engine_put: the engine a callback is given holds no reference of yours; put the handle utrace_engine_get returned',
    );
  }
  const kernel = handle.record.task.kernel;
  const record = kernel.useEngine(handle, call);
  if (record.refs > 0) {
    record.refs -= 1;
  } else if (record.tracerPointer) {
    record.tracerPointer = false;
  } else {
    kernel.fail('refcount-underflow', `utrace_engine_put on ${record.name}, which holds no reference of the tracer's any more`, record.detachedAt ? [record.detachedAt] : []);
  }
  if (kernel.tracing) kernel.log(`utrace_engine_put(${record.name}): ${record.refs} counted, tracer pointer ${record.tracerPointer ? 'kept' : 'given up'}`);
  if (record.refs === 0 && !record.tracerPointer) handle.revokedBy = 'utrace_engine_put';
  maybeFreeEngine(kernel, record);
}
