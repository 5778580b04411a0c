/**
 * `enum utrace_signal_action`: the signal disposition a `report_signal` callback returns
 * beside its resume action, and the decoding helper.
 * @packageDocumentation
 */
import { integerArg } from './integer-arg.js';

/** Deliver the signal normally. @category Constants @public @example `UTRACE_SIGNAL_DELIVER === 0x00` */
export const UTRACE_SIGNAL_DELIVER: 0x00 = 0x00;
/** Ignore the signal. @category Constants @public @example `UTRACE_SIGNAL_IGN === 0x10` */
export const UTRACE_SIGNAL_IGN: 0x10 = 0x10;
/** Terminate the process. @category Constants @public @example `UTRACE_SIGNAL_TERM === 0x20` */
export const UTRACE_SIGNAL_TERM: 0x20 = 0x20;
/** Terminate with a core dump. @category Constants @public @example `UTRACE_SIGNAL_CORE === 0x30` */
export const UTRACE_SIGNAL_CORE: 0x30 = 0x30;
/** Job-control stop. @category Constants @public @example `UTRACE_SIGNAL_STOP === 0x40` */
export const UTRACE_SIGNAL_STOP: 0x40 = 0x40;
/** Job-control stop from a terminal signal. @category Constants @public @example `UTRACE_SIGNAL_TSTP === 0x50` */
export const UTRACE_SIGNAL_TSTP: 0x50 = 0x50;
/** A report with no signal (the `info` describes none). @category Constants @public @example `UTRACE_SIGNAL_REPORT === 0x60` */
export const UTRACE_SIGNAL_REPORT: 0x60 = 0x60;
/** A report after a signal handler was set up. @category Constants @public @example `UTRACE_SIGNAL_HANDLER === 0x70` */
export const UTRACE_SIGNAL_HANDLER: 0x70 = 0x70;
/** Mask of the signal action in a return value. @category Constants @public @example `UTRACE_SIGNAL_MASK === 0xf0` */
export const UTRACE_SIGNAL_MASK: 0xf0 = 0xf0;
/** Flag: push the signal back on the queue. @category Constants @public @example `UTRACE_SIGNAL_HOLD === 0x100` */
export const UTRACE_SIGNAL_HOLD: 0x100 = 0x100;

/**
 * `utrace_signal_action(action)`: the signal action part of a `report_signal` action or
 * return value, `action & UTRACE_SIGNAL_MASK`.
 * @example
 * ```ts
 * import { utrace_signal_action, UTRACE_SIGNAL_IGN, UTRACE_RESUME } from 'utrace';
 * console.log(utrace_signal_action(UTRACE_SIGNAL_IGN | UTRACE_RESUME) === UTRACE_SIGNAL_IGN); // true
 * ```
 * @public
 * @category Constants
 */
export function utrace_signal_action(action: number): number {
  return integerArg(action, 'action', 'utrace_signal_action') & UTRACE_SIGNAL_MASK;
}
