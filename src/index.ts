/**
 * utrace: a typed API and reference runtime for the Linux utrace tracing-engine lifecycle.
 *
 * The kernel's calls under their kernel names, with engine handles whose lifecycle state
 * (attached, events-cleared, detached, rcu-only) is known to the compiler; a deterministic
 * simulation of the kernel side that checks at run time what types cannot; and basic
 * schedulers to run it. The explorer, which runs a scenario under many thread interleavings,
 * is the separate entry `utrace/explore`.
 * @packageDocumentation
 * @module utrace
 */
export type * from '../types/index.js';

export * from './constants/resume-actions.js';
export * from './constants/events.js';
export * from './constants/attach-flags.js';
export * from './constants/signal-actions.js';
export * from './constants/syscall-actions.js';
export * from './constants/errno.js';
export * from './constants/err-ptr.js';
export { UtraceUsageError, type UsageRule } from './errors.js';

export {
  utrace_attach_task,
  utrace_attach_pid,
  type attach_error,
  type attach_result,
  type attach_state_for,
  type consistent_ops,
  type data_of_ops,
  type lookup_flags,
  type dataless_lookup_flags,
  type attach_data,
  type attached_data,
} from './api/utrace_attach_task.js';
export { find_get_pid } from './api/pid.js';
export { utrace_engine_get, utrace_engine_put } from './api/utrace_engine_refs.js';
export { utrace_set_events } from './api/utrace_set_events.js';
export { utrace_control } from './api/utrace_control.js';
export { utrace_barrier } from './api/utrace_barrier.js';
export { utrace_prepare_examine, utrace_finish_examine } from './api/utrace_examine.js';
export { utrace_examiner_init, type utrace_examiner } from './kernel/calls/examine.js';
export { utrace_set_events_sync, utrace_clear_events_sync, utrace_detach_sync } from './api/utrace_sync.js';
export { rcu_read_section, synchronize_rcu, call_rcu, type sync_section_body } from './api/rcu.js';
export { module_unload, alloc_percpu_counters } from './api/module.js';
export { schedule, kill, current } from './api/sched.js';
export { preempt_point, preemptible, preempt, type preempt_token } from './api/preempt.js';
export { WARN_ON, BUG_ON } from './api/bug.js';
export { delete_module, module_data } from './api/delete-module.js';
export { for_each_process, do_each_thread, find_task_by_vpid } from './api/tasklist.js';
export {
  mutex, spinlock_t, wait_queue_head_t, completion,
  DEFINE_MUTEX, mutex_lock, mutex_trylock, mutex_unlock, mutex_is_locked,
  DEFINE_SPINLOCK, spin_lock, spin_trylock, spin_unlock, spin_is_locked,
  DECLARE_WAIT_QUEUE_HEAD, wait_event, wait_event_interruptible, wake_up, wake_up_all,
  init_completion, wait_for_completion, complete, complete_all, completion_done,
} from './kernel/locking.js';
export { defineOps, utrace_syscall_return, utrace_signal_return } from './api/define-ops.js';

export { Kernel, type KernelOptions, type RunOptions, type TracerHandle } from './kernel/kernel.js';
export { KBox } from './kernel/kbox.js';
export { atomic_t, ATOMIC_INIT, atomic_read, atomic_set, atomic_inc, atomic_dec, atomic_dec_and_test } from './kernel/atomic.js';
export { EXIT_ZOMBIE, EXIT_DEAD } from './kernel/task.js';
export * from './kernel/program.js';
export {
  SIGHUP, SIGINT, SIGTRAP, SIGKILL, SIGUSR1, SIGSEGV, SIGUSR2, SIGTERM, SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP,
  CLD_STOPPED, CLD_CONTINUED,
} from './kernel/signals.js';

export type { Scheduler, SchedulingPoint } from './sched/scheduler.js';
export { isPreemption } from './sched/scheduler.js';
export type * from './sched/execution.js';
export { RoundRobinScheduler, RandomScheduler } from './sched/basic.js';
export { SeededRandom } from './sched/prng.js';
