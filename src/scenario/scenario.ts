/**
 * What a scenario is: a named, self-contained set-up of the simulated kernel (tasks, tracer
 * data, modules, engines, tracer threads) that the explorer can build afresh for every run,
 * together with what the search is expected to find.
 *
 * @packageDocumentation
 */
import { readFields } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import type { Kernel, KernelOptions } from '../kernel/kernel.js';
import { maxStepsProblem } from '../sched/schedule-string.js';

/**
 * What the search over a scenario's schedules is expected to show.
 *
 * - `'unsafe'`: some schedule breaks a rule; the explorer must find one.
 * - `'safe'`: no schedule within the bound breaks a rule; an exhaustive search must come
 *   back clean.
 * @public
 * @category Scenarios
 */
export type ScenarioExpectation = 'unsafe' | 'safe';

/**
 * The options of {@link defineScenario}: a scenario as its author writes it.
 * @public
 * @category Scenarios
 */
export interface ScenarioSpec {
  /**
   * Short name, in kebab case (`set-events-einprogress-free`): lower-case letters, digits
   * and single dashes. It names the scenario on the command line and in reports.
   */
  readonly name: string;
  /** One or two sentences: what the tracer does and what the search is expected to show. */
  readonly description: string;
  /** Whether a schedule that breaks a rule is expected to exist. */
  readonly expect: ScenarioExpectation;
  /**
   * Sets the scenario up on `kernel`, a fresh {@link Kernel} that has not run: spawn tasks,
   * `kmalloc` tracer data, `load_module`, attach engines and set their events, start tracer
   * threads with `kernel.tracer`. Called once per run, so it must depend on nothing but
   * `kernel` (no state kept between calls). It must be synchronous: blocking calls belong in
   * tracer threads.
   */
  build(kernel: Kernel): void;
  /** Options for every kernel built for this scenario (CPUs, architecture); tracing is the explorer's. */
  readonly kernel?: Omit<KernelOptions, 'trace'>;
  /**
   * Steps a run may take before it fails with `step-limit`: an integer from 1 to
   * `MAX_SCHEDULE_STEPS` (10,000,000); default the kernel's (100000).
   */
  readonly maxSteps?: number;
  /**
   * End-of-run properties, by what they say: each is called with the kernel once a run has
   * ended with no other failure, and a run where one returns anything but `true` (or throws)
   * fails with check `property` naming it (see `Kernel.property`). The functions read what
   * `build` made (tasks, tracer data); like `build`, they keep no state between runs.
   */
  readonly properties?: Readonly<Record<string, (kernel: Kernel) => boolean>>;
}

declare const scenarioBrand: unique symbol;

/**
 * A scenario made by {@link defineScenario}: the spec, checked and frozen.
 * @public
 * @category Scenarios
 */
export interface Scenario extends ScenarioSpec {
  /** Marks a value made by {@link defineScenario}; exists only in the type. */
  readonly [scenarioBrand]: true;
}

/** Registered symbol marking scenarios, shared by every copy of this package in a process. */
const SCENARIO = Symbol.for('utrace.scenario');

const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Checks a scenario spec and returns it as a frozen {@link Scenario}.
 *
 * @throws `UtraceUsageError` (rule `'scenario'`) when the name is not kebab case, the
 * description is empty, `expect` is neither `'unsafe'` nor `'safe'`, `build` is not a
 * function, or `maxSteps` is not an integer from 1 to `MAX_SCHEDULE_STEPS` (10,000,000), the
 * same rule as `Kernel.run`'s.
 * @example
 * ```ts
 * import { sys, defineOps, utrace_attach_task, utrace_set_events, IS_ERR, UTRACE_ATTACH_CREATE,
 *   UTRACE_EVENT, UTRACE_RESUME, UTRACE_DETACH, utrace_control, utrace_engine_put } from 'utrace';
 * import { defineScenario } from 'utrace/explore';
 *
 * export default defineScenario({
 *   name: 'attach-and-detach',
 *   description: 'A tracer detaches an engine whose callback touches no data: nothing can break.',
 *   expect: 'safe',
 *   build(kernel) {
 *     const task = kernel.spawn('traced', [sys(1)]);
 *     const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE,
 *       defineOps({ report_syscall_entry: () => UTRACE_RESUME }), null);
 *     if (IS_ERR(engine)) throw new Error('attach failed');
 *     utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
 *     kernel.tracer('tracer', async () => {
 *       utrace_engine_put(utrace_control(task, engine, UTRACE_DETACH).engine);
 *     });
 *   },
 * });
 * ```
 * @public
 * @category Scenarios
 */
export function defineScenario(spec: ScenarioSpec): Scenario {
  const fail = (what: string): never => {
    throw new UtraceUsageError('scenario', `defineScenario: ${what}`);
  };
  if (typeof spec !== 'object' || spec === null) fail('pass an object { name, description, expect, build }');
  // Read every field once: what is checked is what is kept (no getter answers twice).
  spec = readFields(spec, ['name', 'description', 'expect', 'build', 'kernel', 'maxSteps', 'properties'], 'defineScenario', 'scenario', 'spec') as unknown as ScenarioSpec;
  for (const key of Object.keys(spec)) if ((spec as unknown as Record<string, unknown>)[key] === undefined) delete (spec as unknown as Record<string, unknown>)[key];
  if (typeof spec.name !== 'string' || !NAME.test(spec.name)) {
    fail(`name must be kebab case (lower-case letters, digits, single dashes), got ${JSON.stringify(spec.name)}`);
  }
  if (typeof spec.description !== 'string' || spec.description.trim() === '') {
    fail(`scenario ${spec.name}: description must be a non-empty string`);
  }
  if (spec.expect !== 'unsafe' && spec.expect !== 'safe') {
    fail(`scenario ${spec.name}: expect must be 'unsafe' or 'safe', got ${JSON.stringify(spec.expect)}`);
  }
  if (typeof spec.build !== 'function') fail(`scenario ${spec.name}: build must be a function (kernel) => void`);
  const stepsProblem = maxStepsProblem(spec.maxSteps);
  if (stepsProblem !== undefined) fail(`scenario ${spec.name}: ${stepsProblem}`);
  if (spec.properties !== undefined) {
    if (typeof spec.properties !== 'object' || spec.properties === null) fail(`scenario ${spec.name}: properties must be an object { 'what it says': (kernel) => boolean }`);
    const props: Record<string, (kernel: Kernel) => boolean> = {};
    for (const [key, value] of Object.entries(spec.properties)) {
      if (typeof value !== 'function') fail(`scenario ${spec.name}: property ${JSON.stringify(key)} must be a function (kernel) => boolean`);
      props[key] = value;
    }
    (spec as { properties?: unknown }).properties = Object.freeze(props);
  }
  const scenario = { ...spec };
  Object.defineProperty(scenario, SCENARIO, { value: true });
  return Object.freeze(scenario) as Scenario;
}

/**
 * Whether `value` was made by {@link defineScenario} (of this or another copy of the package).
 * @example
 * ```ts
 * import { isScenario } from 'utrace/explore';
 * console.log(isScenario({ name: 'x' })); // false
 * ```
 * @public
 * @category Scenarios
 */
export function isScenario(value: unknown): value is Scenario {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return (value as Record<symbol, unknown>)[SCENARIO] === true;
  } catch {
    return false;
  }
}
