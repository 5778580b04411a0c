/**
 * The event table at run time: the callbacks of `struct utrace_engine_ops` in `utrace.h`'s order,
 * each with the events that make it and how it stands to `UTRACE_DETACH`. It satisfies the type
 * table (`utrace_callback_table` in `types/event-table.ts`), so the two cannot disagree; the
 * callback names the kernel and `defineOps` use are read from it.
 * @packageDocumentation
 */
import type { callback_detach, utrace_callback_name, utrace_callback_table } from '../../types/event-table.js';

/** A row of the run-time table: what the type table's row `K` says, as values. */
type callback_row_value<K extends utrace_callback_name> = {
  readonly events: readonly utrace_callback_table[K]['events'][];
  readonly detach: utrace_callback_table[K]['detach'] & callback_detach;
};

/**
 * The event table at run time (see the module comment).
 * @internal
 */
export const UTRACE_CALLBACKS = Object.freeze({
  report_quiesce: { events: ['QUIESCE'], detach: 'may' },
  report_signal: { events: ['SIGNAL', 'SIGNAL_IGN', 'SIGNAL_STOP', 'SIGNAL_TERM', 'SIGNAL_CORE'], detach: 'may' },
  report_clone: { events: ['CLONE'], detach: 'may' },
  report_jctl: { events: ['JCTL'], detach: 'may' },
  report_exec: { events: ['EXEC'], detach: 'may' },
  report_syscall_entry: { events: ['SYSCALL_ENTRY'], detach: 'may' },
  report_syscall_exit: { events: ['SYSCALL_EXIT'], detach: 'may' },
  report_exit: { events: ['EXIT'], detach: 'may' },
  report_death: { events: ['DEATH'], detach: 'death' },
  report_reap: { events: ['REAP'], detach: 'never' },
  release: { events: [], detach: 'never' },
} as const satisfies { readonly [K in utrace_callback_name]: callback_row_value<K> });

/**
 * The callback names, in `utrace.h`'s order.
 * @internal
 */
export const CALLBACK_NAMES: readonly utrace_callback_name[] = Object.freeze(Object.keys(UTRACE_CALLBACKS) as utrace_callback_name[]);
