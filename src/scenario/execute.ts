/**
 * Running a scenario once: the bridge between a {@link Scenario} and the explorer's
 * {@link Execute} contract.
 *
 * @packageDocumentation
 */
import { UtraceUsageError } from '../errors.js';
import { describeThrown, readFields } from '../constants/integer-arg.js';
import { Kernel } from '../kernel/kernel.js';
import type { Execute, ExecutionOutcome, ThreadInfo } from '../sched/execution.js';
import { isPreemption, type Scheduler, type SchedulingPoint } from '../sched/scheduler.js';
import { isScenario, type Scenario } from './scenario.js';

/**
 * Options of {@link scenarioExecute}.
 * @public
 * @category Scenarios
 */
export interface ScenarioExecuteOptions {
  /**
   * Keep a trace of every step. Off (the default) while searching, which is several times
   * faster; on to replay a failing schedule for its timeline. A run takes the same steps
   * either way, so a schedule found without the trace replays the same failure with it.
   */
  readonly trace?: boolean;
}

/**
 * Thrown when a scenario's `build` fails: the scenario cannot be set up, whatever the
 * schedule. The original error is the `cause`.
 * @public
 * @category Scenarios
 */
export class ScenarioBuildError extends Error {
  /** Name of the scenario whose `build` threw. */
  readonly scenario: string;

  /**
   * Makes the error for the scenario whose `build` threw `cause`.
   * @param scenario - the scenario's name.
   * @param cause - what `build` threw.
   */
  constructor(scenario: string, cause: unknown) {
    super(`scenario ${scenario}: build failed: ${describeBuildError(cause)}`, { cause });
    this.name = 'ScenarioBuildError';
    this.scenario = scenario;
  }
}

/** The message of what `build` threw, whatever it is (an object without a prototype, a revoked proxy). */
function describeBuildError(cause: unknown): string {
  try {
    if (cause instanceof Error && typeof cause.message === 'string') return cause.message;
  } catch {
    // fall through to the generic description
  }
  return describeThrown(cause);
}

/**
 * Usage-error rules that the kernel raises about a tracer thread's own conduct while it runs:
 * the scenario's fault, reported as an `oops` finding like a usage error the tracer threw.
 */
const TRACER_RULES: ReadonlySet<string> = new Set(['tracer-awaited-foreign-promise']);

/** Records the choices a scheduler makes, so a run cut short by an exception keeps its schedule. */
class RecordingScheduler implements Scheduler {
  readonly schedule: number[] = [];
  preemptions = 0;

  constructor(readonly inner: Scheduler) {}

  pick(point: SchedulingPoint): number {
    const chosen = this.inner.pick(point);
    if (isPreemption(point, chosen)) this.preemptions++;
    this.schedule.push(chosen);
    return chosen;
  }
}

/**
 * Makes the {@link Execute} function the explorer calls once per run: each call builds a
 * fresh {@link Kernel} (tracing on or off as asked), lets the scenario's `build` set it up,
 * and runs it to its end under the scheduler given.
 *
 * Misuse inside a run: when a tracer thread of the scenario throws a `UtraceUsageError` (a
 * stale handle, a bad argument, a blocking call where none may be made), the run becomes a
 * failed outcome with check `'oops'`, the thread that threw, the step it threw at, the
 * message, and the schedule up to there, so the explorer reports it (and replays it) like any
 * other broken rule. In a callback such an error is already an oops of the kernel's own.
 * Any other exception rejects the promise: an error of another kind thrown by scenario code
 * (anything but an `Error` wrapped in one that names the thread), and every usage error that
 * is not the tracer's (bad run options, a scheduler or strategy error such as a diverged replay
 * or a nondeterministic scenario), so that a harness error never passes for a finding. A
 * `build` that throws rejects it with {@link ScenarioBuildError}.
 *
 * @param scenario - the scenario to run.
 * @param options - `trace`: keep a trace (default off).
 * @returns a function running the scenario once under a scheduler.
 * @example
 * ```ts
 * import { scenarioExecute, explore, renderTimelineText, type Scenario } from 'utrace/explore';
 * declare const scenario: Scenario; // made with defineScenario
 *
 * const result = await explore(scenarioExecute(scenario), { strategy: { kind: 'dfs', bound: 2 } });
 * if (result.status === 'failed') {
 *   const replay = await explore(scenarioExecute(scenario, { trace: true }), {
 *     strategy: { kind: 'replay', schedule: result.schedule },
 *   });
 *   if (replay.status === 'failed') console.log(renderTimelineText(replay.outcome));
 * }
 * ```
 * @public
 * @category Scenarios
 */
export function scenarioExecute(scenario: Scenario, options: ScenarioExecuteOptions = {}): Execute {
  if (!isScenario(scenario)) throw new UtraceUsageError('scenario', 'scenarioExecute(scenario): pass a scenario made by defineScenario');
  if (typeof options !== 'object' || options === null) {
    throw new UtraceUsageError('scenario', 'scenarioExecute(scenario, options): options must be an object such as { trace: true }, or left out');
  }
  const trace = (readFields(options, ['trace'], 'scenarioExecute', 'scenario').trace ?? false) as boolean;
  const kernelOptions = { ...scenario.kernel, trace };
  const runOptions = scenario.maxSteps === undefined ? {} : { maxSteps: scenario.maxSteps };
  return async (scheduler: Scheduler): Promise<ExecutionOutcome> => {
    const kernel = new Kernel(kernelOptions);
    try {
      const built: unknown = scenario.build(kernel);
      if (typeof (built as { then?: unknown } | undefined)?.then === 'function') {
        throw new UtraceUsageError('scenario', 'build must be synchronous; start blocking work in a tracer thread (kernel.tracer)');
      }
    } catch (e) {
      throw new ScenarioBuildError(scenario.name, e);
    }
    for (const [name, check] of Object.entries(scenario.properties ?? {})) kernel.property(name, check);
    if (trace) markSetUp(kernel);
    const recorder = new RecordingScheduler(scheduler);
    try {
      return await kernel.run(recorder, runOptions);
    } catch (e) {
      // Only a misuse by the scenario's own tracer code is a finding; a usage error of the run
      // machinery (run options, a scheduler or strategy error, a nondeterministic replay) is a
      // harness error and rejects, so that it can never pass for a verdict.
      const fromTracer = e === kernel.tracerError || (e instanceof UtraceUsageError && TRACER_RULES.has(e.rule));
      if (!(e instanceof UtraceUsageError) || !fromTracer) throw e;
      return usageOops(kernel, recorder, e);
    }
  };
}

/**
 * Prefixes what `build` logged with `set-up:`: those lines belong to no thread (they are
 * logged before the first step), and a timeline would otherwise show them in the lane of the
 * thread that takes step 0.
 */
function markSetUp(kernel: Kernel): void {
  const trace = kernel.trace;
  for (let i = 0; i < trace.length; i++) {
    const e = trace[i]!;
    trace[i] = { ...e, text: `set-up: ${e.text}` };
  }
}

/** The failed outcome for a usage error a tracer thread threw at the last step taken. */
function usageOops(kernel: Kernel, recorder: RecordingScheduler, error: UtraceUsageError): ExecutionOutcome {
  const threads: ThreadInfo[] = kernel.threads.map((t) => ({ id: t.id, name: t.name, kind: t.kind }));
  const step = recorder.schedule.length - 1;
  const thread = recorder.schedule[step] ?? -1;
  const name = threads[thread]?.name ?? `thread ${thread}`;
  const message = `${name} misused the API (${error.rule}): ${error.message}`;
  const trace = kernel.tracing ? [...kernel.trace, { step, thread, text: `oops: ${message}` }] : kernel.trace;
  return {
    status: 'failed',
    failure: { check: 'oops', message, step, thread, related: [] },
    schedule: recorder.schedule,
    preemptions: recorder.preemptions,
    trace,
    threads,
  };
}
