/**
 * The `action` argument a callback is given, as its type says: the kernel computes it as a
 * number (the resume action of the pass so far, with the syscall or signal part where the
 * event has one) and hands it over typed, so that a callback may return it as is.
 * @packageDocumentation
 */
import type { incoming_action } from '../../types/actions.js';

/**
 * Types the `action` the reporting pass computed: its low bits are always one of the resume
 * actions (the pass keeps the smallest returned so far), and the high bits the syscall or
 * signal action of the event in progress.
 * @internal
 */
export function incoming<K extends 'resume' | 'syscall' | 'signal' = 'resume'>(action: number): incoming_action<K> {
  return action as incoming_action<K>;
}
