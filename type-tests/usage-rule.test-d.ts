/**
 * `UtraceUsageError.rule` is a `UsageRule`, the union of the rule names the library checks:
 * a name outside it does not compile, and a caught error's rule narrows by comparison.
 */
import { expectType } from 'tsd';
import { UtraceUsageError, type UsageRule } from 'utrace';

// @ts-expect-error 'no-such-rule' is not a UsageRule
new UtraceUsageError('no-such-rule', 'message');
const made = new UtraceUsageError('stale-handle', 'utrace_control: the handle was revoked');
expectType<UsageRule>(made.rule);

declare const caught: UtraceUsageError;
if (caught.rule === 'bad-engine') expectType<'bad-engine'>(caught.rule);
// @ts-expect-error a rule name is not any string
expectType<'stale-handle'>(caught.rule);
