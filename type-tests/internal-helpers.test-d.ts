/**
 * The helper types the public types are built from are not API: neither entry point exports
 * them, so a user cannot import them (they stay visible, expanded, in compiler messages).
 * The public types built from them still are importable.
 */
import { expectType } from 'tsd';
// @ts-expect-error is_union is a helper of the rule messages, not exported by 'utrace'
import type { is_union } from 'utrace';
// @ts-expect-error rule_message is a helper of the rule messages, not exported by 'utrace'
import type { rule_message } from 'utrace';
// @ts-expect-error engine_state_key is a helper of the lifecycle types, not exported by 'utrace'
import type { engine_state_key } from 'utrace';
// @ts-expect-error ops_shape is a helper of defineOps, not exported by 'utrace'
import type { ops_shape } from 'utrace';
// @ts-expect-error rule4_checked is a helper of defineOps, not exported by 'utrace'
import type { rule4_checked } from 'utrace';
// @ts-expect-error callback_returns is a helper of defineOps, not exported by 'utrace'
import type { callback_returns } from 'utrace/types';
// @ts-expect-error why is a helper of the rule messages, not exported by 'utrace/types'
import type { why } from 'utrace/types';
import type { checked_engine, engine_state, state_of, utrace_engine } from 'utrace';

declare const attachedEngine: utrace_engine<'attached'>;
expectType<'attached'>(null as unknown as state_of<typeof attachedEngine>);
expectType<typeof attachedEngine>(null as unknown as checked_engine<typeof attachedEngine, 'utrace_set_events'>);
declare const anyState: engine_state;
expectType<engine_state>(anyState);
