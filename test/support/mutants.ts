/**
 * The planted rule breaks of `npm run mutants`: each is a small textual patch of one file of
 * the build (`build/`), applied in a copy of it, that breaks one rule of the contract. The
 * runtime tests must notice every one. `test/mutants-apply.test.ts` checks that every patch
 * still applies (its text occurs exactly once) to the current build.
 *
 * `tests` lists the test files most likely to notice, first; the runner tries them, then every
 * other runtime test file, and stops at the first that fails.
 */

/** One planted rule break. */
export interface Mutant {
  /** Short id, kebab case. */
  readonly id: string;
  /** The rule broken, in words. */
  readonly rule: string;
  /** The built file patched, relative to `build/`. */
  readonly file: string;
  /** Text that occurs exactly once in the file... */
  readonly find: string;
  /** ...and what it becomes. */
  readonly replace: string;
  /** Test files (names without `.test.js`) to try first, most relevant first. */
  readonly tests: readonly string[];
}

/** The maintained list. */
export const MUTANTS: readonly Mutant[] = [
  {
    id: 'set-events-never-einprogress',
    rule: 'utrace_set_events never returns -EINPROGRESS',
    file: 'src/kernel/calls/set-events.js',
    find: 'if (utrace.reporting === engine)\n            ret = -EINPROGRESS;',
    replace: 'if (utrace.reporting === engine)\n            ret = 0;',
    tests: ['api-set-events', 'examples-thread', 'fuzz-model'],
  },
  {
    id: 'set-events-einprogress-when-adding',
    rule: 'utrace_set_events returns -EINPROGRESS when it only adds bits',
    file: 'src/kernel/calls/set-events.js',
    find: 'if ((old_flags & ~events) !== 0 && !isCurrent',
    replace: 'if (!isCurrent',
    tests: ['api-set-events', 'fuzz-model'],
  },
  {
    id: 'set-events-death-on-dead-task',
    rule: 'newly setting DEATH or QUIESCE on a dead task does not return -EALREADY',
    file: 'src/kernel/calls/set-events.js',
    find: '((events & ~old_flags & _UTRACE_DEATH_EVENTS) !== 0 ||',
    replace: '(false ||',
    tests: ['api-set-events', 'fuzz-model'],
  },
  {
    id: 'control-accepts-action-7',
    rule: 'utrace_control accepts the action UTRACE_RESUME_MAX (7)',
    file: 'src/kernel/calls/control.js',
    find: 'if (action >= UTRACE_RESUME_MAX || action < 0)',
    replace: 'if (action > UTRACE_RESUME_MAX || action < 0)',
    tests: ['api-control', 'badinput-api'],
  },
  {
    id: 'control-report-without-quiesce',
    rule: 'UTRACE_REPORT / SINGLESTEP / BLOCKSTEP are accepted without UTRACE_EVENT(QUIESCE)',
    file: 'src/kernel/calls/control.js',
    find: 'action < UTRACE_RESUME && (engine.flags & QUIESCE) === 0)',
    replace: 'action < UTRACE_RESUME && false)',
    tests: ['api-control', 'fuzz-model'],
  },
  {
    id: 'detach-never-einprogress',
    rule: 'UTRACE_DETACH never returns -EINPROGRESS while the engine\'s callback runs',
    file: 'src/kernel/calls/control.js',
    find: 'if (!reset && utrace.reporting === engine)\n                ret = -EINPROGRESS;\n            break;\n        case UTRACE_RESUME:',
    replace: 'if (false)\n                ret = -EINPROGRESS;\n            break;\n        case UTRACE_RESUME:',
    tests: ['examples-thread', 'api-control', 'fuzz-model'],
  },
  {
    id: 'singlestep-without-arch',
    rule: 'UTRACE_SINGLESTEP succeeds on an architecture without single-step (not -EOPNOTSUPP)',
    file: 'src/kernel/calls/control.js',
    find: 'if (action === UTRACE_SINGLESTEP && !kernel.arch_has_single_step) {',
    replace: 'if (false) {',
    tests: ['api-control', 'fuzz-model'],
  },
  {
    id: 'stop-never-traced',
    rule: 'UTRACE_STOP on a task in a job-control stop does not make it traced (returns -EINPROGRESS)',
    file: 'src/kernel/calls/control.js',
    find: "    if (task.state === 'stopped') {\n        task.state = 'traced';\n    }",
    replace: "    if (false) {\n        task.state = 'traced';\n    }",
    tests: ['api-control', 'fuzz-model'],
  },
  {
    id: 'barrier-does-not-wait',
    rule: 'utrace_barrier returns 0 at once while a callback of the engine is in progress',
    file: 'src/kernel/calls/barrier.js',
    find: 'else if (utrace.reporting !== engine) {',
    replace: 'else if (true) {',
    tests: ['api-lifecycle', 'faults-kernel', 'fuzz-model'],
  },
  {
    id: 'barrier-ignores-signals',
    rule: 'utrace_barrier is not interruptible (never -ERESTARTSYS)',
    file: 'src/kernel/calls/barrier.js',
    find: 'if (thread.signalPending) {',
    replace: 'if (false) {',
    tests: ['faults-kernel', 'api-lifecycle'],
  },
  {
    id: 'sync-returns-while-callback-runs',
    rule: 'utrace_set_events_sync returns 0 while a callback of an event it disabled still runs',
    file: 'src/kernel/calls/sync.js',
    find: 'await thread.block({ until: done,',
    replace: 'await thread.block({ until: () => true,',
    tests: ['api-sync-seeds', 'examples-thread', 'fuzz-model'],
  },
  {
    id: 'detach-sync-esrch-as-0',
    rule: 'utrace_detach_sync returns 0 when the engine is already detached or reaped (not -ESRCH)',
    file: 'src/kernel/calls/sync.js',
    find: 'if (ret !== 0)\n        return -ESRCH;',
    replace: 'if (ret !== 0)\n        return 0;',
    tests: ['api-sync-seeds', 'faults-kernel', 'fuzz-model'],
  },
  {
    id: 'exclusive-never-eexist',
    rule: 'UTRACE_ATTACH_EXCLUSIVE never returns -EEXIST',
    file: 'src/kernel/calls/attach.js',
    find: 'if ((flags & EXCLUSIVE) !== 0 && find_matching_engine(',
    replace: 'if (false && find_matching_engine(',
    tests: ['api-attach', 'fuzz-model'],
  },
  {
    id: 'attach-to-kernel-thread',
    rule: 'attaching to a kernel thread succeeds (not -EPERM)',
    file: 'src/kernel/calls/attach.js',
    find: 'if (task.kthread)\n        return -EPERM;',
    replace: 'if (false)\n        return -EPERM;',
    tests: ['api-attach', 'badinput-api', 'fuzz-model'],
  },
  {
    id: 'lookup-takes-no-reference',
    rule: 'an attach lookup returns the engine without a counted reference',
    file: 'src/kernel/calls/attach.js',
    find: 'found.refs += 1;',
    replace: 'found.refs += 0;',
    tests: ['api-attach', 'kernel-memory', 'fuzz-model'],
  },
  {
    id: 'owner-not-checked',
    rule: 'ops.owner is not checked at attach (a string is accepted)',
    file: 'src/api/define-ops.js',
    find: 'if (owner !== undefined && !isInstance(owner, Module))',
    replace: 'if (false)',
    tests: ['badinput-hostile', 'callbacks-fidelity'],
  },
  {
    id: 'no-leak-check',
    rule: 'the end-of-run leak check is skipped',
    file: 'src/kernel/kernel.js',
    find: 'if (this.failure === undefined)\n                this.#checkLeaks();',
    replace: 'if (false)\n                this.#checkLeaks();',
    tests: ['kernel-memory', 'explore-shorten', 'examples-thread'],
  },
  {
    id: 'no-deadlock-check',
    rule: 'a run where no thread can run ends ok instead of failing with deadlock',
    file: 'src/kernel/kernel.js',
    find: 'this.#checkDeadlock();',
    replace: 'void 0;',
    tests: ['faults-kernel', 'kernel-memory'],
  },
  {
    id: 'double-kfree-silent',
    rule: 'freeing tracer data twice is not reported',
    file: 'src/kernel/kernel.js',
    find: 'if (!box.markFreed(at)) {',
    replace: 'if (!box.markFreed(at) && false) {',
    tests: ['badinput-kernel', 'kernel-memory'],
  },
  {
    id: 'callback-may-sleep',
    rule: 'a blocking call made from a callback is not reported (might_sleep)',
    file: 'src/kernel/kernel.js',
    find: '        if (this.callback !== null) {\n            this.fail(\'might_sleep\'',
    replace: '        if (false) {\n            this.fail(\'might_sleep\'',
    tests: ['fuzz-model', 'kernel-memory', 'api-misuse'],
  },
  {
    id: 'prove-rcu-off',
    rule: 'the engine a callback was given, used outside its callback after the callback detached, is not reported (PROVE_RCU)',
    file: 'src/kernel/kernel.js',
    find: "if (handle.state === 'in-callback' && e.detachedBy === 'callback'",
    replace: "if (false && handle.state === 'in-callback' && e.detachedBy === 'callback'",
    tests: ['memory-rule-v2', 'kernel-memory', 'api-lifecycle'],
  },
  {
    id: 'oops-ignored',
    rule: 'an oops of a callback does not fail the run',
    file: 'src/kernel/kernel.js',
    find: 'if (this.failure === undefined && this.oopses.length > 0)',
    replace: 'if (false)',
    tests: ['faults-kernel', 'kernel-reporting'],
  },
  {
    id: 'tracer-failure-ignored',
    rule: 'a tracer thread that throws does not fail the run',
    file: 'src/kernel/kernel.js',
    find: 'if (thread instanceof TracerThread && thread.failed) {',
    replace: 'if (false) {',
    tests: ['harness-mistakes', 'badinput-kernel'],
  },
  {
    id: 'sigkill-does-not-wake',
    rule: 'SIGKILL does not wake a stopped or traced task',
    file: 'src/kernel/signal.js',
    find: "        task.fatal = true;\n        if (task.state === 'traced' || task.state === 'stopped') {",
    replace: "        task.fatal = true;\n        if (false) {",
    tests: ['faults-kernel', 'kernel-reporting', 'fuzz-model'],
  },
  {
    id: 'reap-without-reap-event',
    rule: 'report_reap is made without UTRACE_EVENT(REAP)',
    file: 'src/kernel/reap.js',
    find: 'if ((engine.flags & REAP) !== 0 && ops !== null && ops !== DETACHED_OPS) {',
    replace: 'if (ops !== null && ops !== DETACHED_OPS) {',
    tests: ['kernel-reporting', 'fuzz-model'],
  },
  {
    id: 'module-unload-does-not-wait-for-counters',
    rule: 'module_unload does not wait for the per-CPU counters',
    file: 'src/api/module.js',
    find: 'until: () => m.inUse() === 0,',
    replace: 'until: () => true,',
    tests: ['examples-thread', 'kernel-memory', 'faults-kernel'],
  },
  {
    id: 'invalid-return-read-as-detach',
    rule: 'an invalid callback return is read as UTRACE_DETACH',
    file: 'src/kernel/report.js',
    find: '            if (problem !== null) {\n                kernel.oops(',
    replace: '            if (problem !== null) {\n                ret = UTRACE_DETACH;\n                kernel.oops(',
    tests: ['hostile-callbacks', 'kernel-reporting'],
  },
  {
    id: 'explore-trusts-execute',
    rule: 'the search does not check that its schedule was followed',
    file: 'src/explore/explore.js',
    find: 'checkFollowed(outcome, followed, executions);',
    replace: 'void followed;',
    tests: ['harness-mistakes'],
  },
  {
    id: 'harness-error-as-oops',
    rule: 'a usage error of the run machinery becomes an oops finding',
    file: 'src/scenario/execute.js',
    find: 'const fromTracer = e === kernel.tracerError ||',
    replace: 'const fromTracer = true ||',
    tests: ['harness-mistakes'],
  },
  {
    id: 'dfs-skips-last-choice',
    rule: 'the exhaustive search skips the last choice at each scheduling point',
    file: 'src/explore/dfs.js',
    find: 'while (i >= 0 && chosen[i] + 1 >= choices[i])',
    replace: 'while (i >= 0 && chosen[i] + 2 >= choices[i])',
    tests: ['explore-dfs', 'examples-thread'],
  },
  {
    id: 'replay-follows-nothing',
    rule: 'a replay that cannot follow its schedule does not diverge',
    file: 'src/sched/replay.js',
    find: 'if (expected === undefined || !point.runnable.includes(expected)) {',
    replace: 'if (false) {',
    tests: ['sched-replay', 'determinism-replay'],
  },
  {
    id: 'shorten-keeps-other-check',
    rule: 'shortening keeps a candidate that fails with another check',
    file: 'src/explore/shorten.js',
    find: "if (tried.outcome.status === 'failed' && failure?.check === check && smaller(tried, best)) {",
    replace: "if (tried.outcome.status === 'failed' && smaller(tried, best)) {",
    tests: ['harness-mistakes', 'explore-shorten'],
  },
  {
    id: 'max-steps-not-capped',
    rule: 'maxSteps above the longest schedule string is accepted',
    file: 'src/sched/schedule-string.js',
    find: 'value < 1 || value > MAX_SCHEDULE_STEPS)',
    replace: 'value < 1 || value > 2 * MAX_SCHEDULE_STEPS)',
    tests: ['harness-mistakes', 'badinput-kernel'],
  },
  {
    id: 'enomem-attach-creates-engine',
    rule: 'an attach whose allocation fails returns -ENOMEM but still makes the engine',
    file: 'src/kernel/calls/attach.js',
    find: '    if (kernel.allocFailures > 0) {\n        kernel.allocFailures--;\n        return -ENOMEM;\n    }\n    const utrace = task.utrace;',
    replace: '    if (kernel.allocFailures > 0) {\n        kernel.allocFailures--;\n        attachTask(kernel, task, flags, ops, data, claim);\n        return -ENOMEM;\n    }\n    const utrace = task.utrace;',
    tests: ['fuzz-model', 'faults-kernel'],
  },
  {
    id: 'enomem-after-exclusive',
    rule: 'an attach whose allocation fails is refused only after the EXCLUSIVE match (so -EEXIST wins over -ENOMEM)',
    file: 'src/kernel/calls/attach.js',
    find: '    if (kernel.allocFailures > 0) {\n        kernel.allocFailures--;\n        return -ENOMEM;\n    }\n    const utrace = task.utrace;\n    if ((flags & EXCLUSIVE) !== 0 && find_matching_engine(utrace, flags, ops, data) !== undefined)\n        return -EEXIST;',
    replace: '    const utrace = task.utrace;\n    if ((flags & EXCLUSIVE) !== 0 && find_matching_engine(utrace, flags, ops, data) !== undefined)\n        return -EEXIST;\n    if (kernel.allocFailures > 0) {\n        kernel.allocFailures--;\n        return -ENOMEM;\n    }',
    tests: ['fuzz-model', 'faults-kernel'],
  },
  {
    id: 'rule-1-not-enforced',
    rule: 'a blocking call accepts the RCU-kept pointer of a may-detach engine (rule 1)',
    file: 'src/kernel/kernel.js',
    find: 'if (BLOCKING_CALLS.has(call)) {',
    replace: 'if (false) {',
    tests: ['fuzz-model', 'memory-rule-v2'],
  },
  {
    id: 'barrier-on-current-blocks',
    rule: 'utrace_barrier called from a callback on its own task blocks (a might_sleep failure) instead of returning 0 at once',
    file: 'src/api/utrace_barrier.js',
    find: 'if (kernel.callback !== null && kernel.current !== null && kernel.current === task.thread) {',
    replace: 'if (false) {',
    tests: ['fuzz-model', 'api-misuse'],
  },
  {
    id: 'sparse-program-accepted',
    rule: 'a program with a hole is accepted',
    file: 'src/kernel/program-check.js',
    find: 'if (!present)',
    replace: 'if (false)',
    tests: ['badinput-hostile', 'badinput-kernel'],
  },
];
