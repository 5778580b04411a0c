/**
 * A set-up convenience for global engines: one set of ops attached to many tasks.
 *
 * @packageDocumentation
 */
import type { attach_state, utrace_engine } from '../../types/engine.js';
import type { defined_ops, detach_claim } from '../../types/ops.js';
import type { task_struct } from '../../types/task.js';
import { type data_of_ops, utrace_attach_task } from '../api/utrace_attach_task.js';
import { utrace_set_events } from '../api/utrace_set_events.js';
import { UTRACE_ATTACH_CREATE } from '../constants/attach-flags.js';
import { IS_ERR, PTR_ERR } from '../constants/err-ptr.js';
import { describeArg, isArray } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';

/**
 * Attaches a new engine with `ops` and `data` to each task of `tasks` (`UTRACE_ATTACH_CREATE`)
 * and sets its events to `events`: what a global tracer does at load time, in set-up code.
 *
 * Each engine is what a CREATE attach gives for these ops (SPEC §3, memory rule v2): a counted
 * reference, which owes one `utrace_engine_put`, for never-detaching ops; an RCU-kept pointer
 * (`'rcu-only'`), which owes none and no call takes once these events are set (rule 7), for
 * ops made with `defineOps(ops, 'may-detach')`.
 *
 * @param tasks - the tasks to trace.
 * @param ops - the callbacks, shared by every engine (make them with `defineOps`).
 * @param data - the private data, shared by every engine.
 * @param events - the event mask to set on each engine.
 * @returns the engines, in the order of `tasks`.
 * @throws `UtraceUsageError` (rule `'attach-each'`) when an attach returns an error or
 * `utrace_set_events` does not return 0 (neither happens to a fresh task).
 * @example
 * ```ts
 * import { Kernel, sys, defineOps, UTRACE_EVENT, UTRACE_RESUME } from 'utrace';
 * import { attachEach } from 'utrace/explore';
 * const kernel = new Kernel();
 * const tasks = ['a', 'b', 'c'].map((comm) => kernel.spawn(comm, [sys(1)]));
 * const ops = defineOps({ report_syscall_entry: () => UTRACE_RESUME });
 * const engines = attachEach(tasks, ops, null, UTRACE_EVENT('SYSCALL_ENTRY'));
 * console.log(engines.length); // 3
 * ```
 * @public
 * @category Scenarios
 */
export function attachEach<const O extends defined_ops<any, detach_claim>, D extends data_of_ops<O>>(
  tasks: readonly task_struct[],
  ops: O,
  data: D,
  events: number,
): utrace_engine<attach_state<O>, D, O>[] {
  if (!isArray(tasks)) {
    throw new UtraceUsageError('attach-each', `attachEach(tasks, ops, data, events): tasks must be an array of task_struct (Kernel.spawn); got ${describeArg(tasks)}`);
  }
  return Array.from(tasks as readonly task_struct[]).map((task) => {
    const engine = utrace_attach_task<O, D, typeof UTRACE_ATTACH_CREATE>(task, UTRACE_ATTACH_CREATE, ops as never, data);
    if (IS_ERR(engine)) {
      throw new UtraceUsageError('attach-each', `attachEach: utrace_attach_task(${describeArg(task)}) returned ${PTR_ERR(engine)}`);
    }
    const typed = engine as unknown as utrace_engine<attach_state<O>, D, O>;
    const r = utrace_set_events(task, typed as never, events) as { ret: number };
    if (r.ret !== 0) {
      throw new UtraceUsageError('attach-each', `attachEach: utrace_set_events(${describeArg(task)}) returned ${r.ret}`);
    }
    return typed;
  });
}
