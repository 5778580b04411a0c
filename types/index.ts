/**
 * The type-level specification of the utrace API: lifecycle states, callback tables, what
 * each callback may return, what each call accepts and returns. No run-time code.
 * @packageDocumentation
 */
export type * from './actions.js';
export type * from './engine.js';
export type * from './err-ptr.js';
export type * from './errno.js';
export type * from './event-table.js';
export type * from './events.js';
export type * from './module.js';
export type * from './ops.js';
export type * from './results.js';
export type * from './rules.js';
export type * from './task.js';
