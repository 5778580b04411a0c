/**
 * The engine lifecycle of SPEC §3 as data: the one description that the state diagram
 * (`docs/assets/lifecycle.svg`) and its text version (`docs/assets/lifecycle-transitions.md`)
 * are generated from by `npm run docs:diagram`. A test regenerates both and compares them with
 * the files on disk, so the pictures cannot drift from this table.
 *
 * The state names are the type-level spec's own (`engine_state` in `types/engine.ts`), so a
 * renamed or removed state breaks the build here. `'in-callback'` (the handle a callback is
 * given for the length of one call) is not a state a tracer's handle moves through, and is left
 * out of the picture.
 * @packageDocumentation
 */
import type { engine_state } from '../../types/engine.js';

/** A lifecycle state a tracer's engine handle can be in. */
export type lifecycle_state = Exclude<engine_state, 'in-callback'>;

/** A node of the diagram: a state, or the two ends of an engine's life. */
export type lifecycle_node = lifecycle_state | 'start' | 'gone';

/** What the diagram shows for one node; each array entry is one line of the box. */
export interface NodeInfo {
  /** The name drawn in bold at the top of the box. */
  readonly title: string;
  /** What the state means. */
  readonly meaning: readonly string[];
  /** What the tracer may call in it (empty for the two ends). */
  readonly allows: readonly string[];
}

/** One transition: the calls or events that move an engine from `from` to `to`. */
export interface Transition {
  /** The state before. */
  readonly from: lifecycle_node;
  /** The state after. */
  readonly to: lifecycle_node;
  /** The arrow's label, one entry a line; names of calls as in the kernel. */
  readonly label: readonly string[];
  /** The whole rule in one sentence, for the text version. */
  readonly rule: string;
  /** Made by a callback on the traced thread, behind the tracer's back (drawn dashed). */
  readonly byCallback?: boolean;
}

/**
 * Every node, each exactly once (the mapped type makes a missing state a compile error).
 */
export const lifecycleNodes: { readonly [N in lifecycle_node]: NodeInfo } = {
  start: {
    title: 'attach',
    meaning: ['utrace_attach_task', 'or utrace_attach_pid'],
    allows: [],
  },
  attached: {
    title: 'attached',
    meaning: ['a counted reference:', 'owes one utrace_engine_put'],
    allows: ['every call'],
  },
  'events-cleared': {
    title: 'events-cleared',
    meaning: ['no callback runs or will run', '(but report_reap if REAP kept)'],
    allows: ['set_events*, control,', 'detach_sync, engine_put;', 'may free its data'],
  },
  detached: {
    title: 'detached',
    meaning: ['UTRACE_DETACH accepted or', 'utrace_detach_sync returned'],
    allows: ['utrace_barrier,', 'utrace_engine_put'],
  },
  'rcu-only': {
    title: 'rcu-only',
    meaning: ['an RCU-kept pointer,', 'no reference: owes no put'],
    allows: ['before events are enabled:', 'non-blocking calls only'],
  },
  gone: {
    title: 'gone',
    meaning: ['engine freed,', 'release(data) has run'],
    allows: [],
  },
};

/** The transitions of SPEC §3, in the order the text version lists them. */
export const lifecycleTransitions: readonly Transition[] = [
  {
    from: 'start',
    to: 'attached',
    label: ['CREATE, ops never detach;', 'or a lookup'],
    rule:
      '`utrace_attach_task` / `utrace_attach_pid` with `UTRACE_ATTACH_CREATE` and ops claiming never to detach (no callback but `report_death` returns `UTRACE_DETACH`), or without CREATE (a lookup), give a counted reference, which owes one `utrace_engine_put`.',
  },
  {
    from: 'start',
    to: 'rcu-only',
    label: ['CREATE, ops may', "detach ('may-detach')"],
    rule:
      'A CREATE attach of ops made with `defineOps(ops, \'may-detach\')` (some callback other than `report_death` may return `UTRACE_DETACH`) gives an RCU-kept pointer: no reference, no put owed.',
  },
  {
    from: 'attached',
    to: 'events-cleared',
    label: ['utrace_set_events_sync(.., 0)', 'utrace_clear_events_sync', 'returned 0'],
    rule:
      '`utrace_set_events_sync` with no events (or only `UTRACE_EVENT(REAP)`) or `utrace_clear_events_sync` returning 0: no callback of the engine is running and none will be made.',
  },
  {
    from: 'events-cleared',
    to: 'attached',
    label: ['utrace_set_events(_sync)', 'with new event bits'],
    rule: '`utrace_set_events` or `utrace_set_events_sync` enabling events again.',
  },
  {
    from: 'attached',
    to: 'detached',
    label: ['UTRACE_DETACH: 0 / -EINPROGRESS', 'utrace_detach_sync'],
    rule:
      '`utrace_control(task, engine, UTRACE_DETACH)` accepted (0, or `-EINPROGRESS` while a callback may still run), or `utrace_detach_sync` returned.',
  },
  {
    from: 'events-cleared',
    to: 'detached',
    label: ['UTRACE_DETACH accepted', 'utrace_detach_sync'],
    rule: 'The same from events-cleared: `UTRACE_DETACH` accepted, or `utrace_detach_sync` returned.',
  },
  {
    from: 'rcu-only',
    to: 'attached',
    label: ['utrace_engine_get before', 'enabling events'],
    rule:
      '`utrace_engine_get` on the RCU-kept pointer, in the code that attached it and before any event is enabled, consumes the pointer and gives a counted, attached handle (rule 7: no call takes the pointer after its events are enabled).',
  },
  {
    from: 'detached',
    to: 'gone',
    label: ['utrace_engine_put', '(no reference left)'],
    rule:
      '`utrace_engine_put` gives up the last counted reference of a detached engine: it is freed and `release(data)` runs, exactly once. A reference never put is a leak; one put too many, a refcount underflow.',
  },
  {
    from: 'rcu-only',
    to: 'gone',
    label: ['events enabled, pointer dropped;', 'a callback detaches: freed', 'one RCU grace period later'],
    rule:
      'Fire and forget: the code that attached it enables events through the pointer and never touches it again; a callback returning `UTRACE_DETACH` detaches the engine and, with no counted reference held, it is freed one RCU grace period after the task unlinks it.',
    byCallback: true,
  },
];
