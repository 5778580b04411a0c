/**
 * The test support itself: the thread-id convention of the kernel (SPEC §4 deterministic
 * scheduler; brief: 0 rcu_gp, 1 init, then tasks and tracers in creation order) and the
 * scripted scheduler the other runtime tests rely on to land calls at exact points.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kernel, RoundRobinScheduler, sys, UTRACE_EVENT, UTRACE_RESUME, utrace_engine_put } from '../src/index.js';
import { assertOk, FIRST, inCallback, INIT, oneTask, RCU_GP, runSteps, runUntil, script } from './support/kernel-helpers.js';

describe('thread ids and the scripted scheduler (SPEC §4)', () => {
  it('threads are numbered 0 rcu_gp, 1 init, then tasks and tracer threads in creation order (SPEC §4; clone children get the next id)', async () => {
    const kernel = new Kernel();
    kernel.spawn('a', [sys(1)]);
    kernel.tracer('t', async () => undefined);
    kernel.spawn('b', [sys(1)]);
    const outcome = await kernel.run(new RoundRobinScheduler());
    assertOk(outcome);
    assert.deepEqual(
      outcome.threads.map((t) => [t.id, t.name, t.kind]),
      [
        [RCU_GP, 'rcu_gp', 'kernel'],
        [INIT, 'init', 'kernel'],
        [FIRST, 'a[1]', 'task'],
        [FIRST + 1, 't', 'tracer'],
        [FIRST + 2, 'b[2]', 'task'],
      ],
    );
  });

  it('follows the script (ids, step counts, conditions), then falls back to round robin (SPEC §4 replayable schedules)', async () => {
    const { kernel, engine } = oneTask([sys(1), sys(2)], { report_syscall_entry: () => UTRACE_RESUME }, UTRACE_EVENT('SYSCALL_ENTRY'));
    kernel.tracer('t', async () => utrace_engine_put(engine));
    const s = script(runSteps(FIRST, 1), runUntil(FIRST, () => inCallback(kernel, engine)), FIRST + 1);
    const outcome = await kernel.run(s);
    assertOk(outcome);
    // One step reaches the task's first event; the next enters syscall 1 and starts the callback.
    assert.deepEqual(outcome.schedule.slice(0, 3), [FIRST, FIRST, FIRST + 1]);
    assert.equal(s.finished, true);
    assert.equal(s.scripted, 3);
  });

  it('a scripted thread that cannot run is reported with the step and the runnable threads (SPEC §4)', async () => {
    const kernel = new Kernel();
    kernel.spawn('a', [sys(1)]);
    await assert.rejects(kernel.run(script(INIT)), /thread 1 cannot run at step 0 \(runnable: 2\)/);
  });
});
