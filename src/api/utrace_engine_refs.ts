/**
 * `utrace_engine_get` and `utrace_engine_put`: counted references.
 * @packageDocumentation
 */
import type { any_engine } from '../../types/engine.js';
import type { engine_get_result } from '../../types/results.js';
import type { checked_engine } from '../../types/rules.js';
import { UtraceUsageError } from '../errors.js';
import { engine_get, engine_put } from '../kernel/calls/refs.js';
import { asHandle } from './validate.js';

/**
 * Takes a counted reference on `engine` and returns it as a new handle, which owes one
 * {@link utrace_engine_put}: the engine then stays allocated, even detached, until it is put
 * (after a detach, calls through it return `-ESRCH`; `utrace_barrier` and the put still work).
 *
 * Accepted states: an attached or events-cleared handle (the new handle has the same state;
 * putting one handle does not revoke the other), the engine a callback was given (the new
 * handle is attached), and an rcu-only engine in the code that attached it, before any of its
 * events is enabled (SPEC §3 rule 7): the RCU-kept pointer is consumed (the handle passed is
 * revoked) and the new handle is attached. Not a detached handle.
 *
 * @param engine - the handle to take a reference through.
 * @returns `{ ret, engine }`: `ret` 0 with the new counted handle; or `-ESRCH`, and the handle
 * passed, when the engine was already detached (by the tracer, a callback, `report_death` or
 * the reap): no reference was taken.
 * @throws `UtraceUsageError` for a bad or stale handle, or an rcu-only handle after its events
 * were enabled (rule 7).
 * @example
 * ```ts
 * import { Kernel, sys, defineOps, utrace_attach_task, utrace_engine_get, utrace_engine_put,
 *   utrace_set_events, IS_ERR, UTRACE_ATTACH_CREATE, UTRACE_DETACH, UTRACE_EVENT } from 'utrace';
 * const kernel = new Kernel();
 * const task = kernel.spawn('traced', [sys(1)]);
 * const ops = defineOps({ report_syscall_entry: () => UTRACE_DETACH }, 'may-detach');
 * const oneShot = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
 * if (!IS_ERR(oneShot)) {
 *   const got = utrace_engine_get(oneShot); // before enabling events: oneShot is consumed
 *   utrace_set_events(task, got.engine, UTRACE_EVENT('SYSCALL_ENTRY'));
 *   // ... later, in a tracer thread: await utrace_detach_sync(task, got.engine), then put it
 *   utrace_engine_put(got.engine);
 * }
 * ```
 * @public
 * @category Kernel calls
 */
export function utrace_engine_get<E extends any_engine>(engine: checked_engine<E, 'utrace_engine_get'>): engine_get_result<E> {
  const call = 'utrace_engine_get';
  const handle = asHandle(engine, call);
  return engine_get(handle.record.task.kernel, handle, call) as unknown as engine_get_result<E>;
}

/**
 * Gives up the counted reference `engine` stands for: the one a CREATE attach of
 * never-detaching ops, a lookup or a {@link utrace_engine_get} gave. Each counted handle owes
 * exactly one put (handles a transition returned for it share it). When the engine is
 * detached and no counted reference is left it is freed, and `ops.release(data)` runs, once.
 *
 * Accepted states: attached, events-cleared, detached. Not an rcu-only engine (an RCU-kept
 * pointer is no reference: putting it is a `refcount-underflow` failure), not the engine a
 * callback was given. A second put of the same reference is a `refcount-underflow` failure.
 *
 * @param engine - a counted handle.
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
 *   utrace_engine_put(r.engine); // the engine is freed here
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
  engine_put(handle.record.task.kernel, handle, call);
}
