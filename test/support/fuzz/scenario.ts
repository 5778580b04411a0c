/**
 * The scenarios the model-based fuzzer generates: plain data (so fast-check can print and
 * shrink them), turned into a kernel run by `harness.ts`.
 *
 * A scenario is 1 to 3 tasks running random programs, 1 to 3 engines attached before the
 * run (each with a random event mask and a random script of callback return values), and 1
 * or 2 tracer threads, each running a random list of API calls on the engines it owns, then
 * an optional drain (resume the tasks and let them run) and a teardown that detaches and puts
 * everything, as a correct tracer must. The schedule comes from a `RandomScheduler` seeded
 * with the scenario's `seed`.
 */
import fc from 'fast-check';

/** One event of a generated task program. */
export type EvSpec =
  | { readonly k: 'sys' }
  | { readonly k: 'exec' }
  | { readonly k: 'clone'; readonly vfork: boolean; readonly child: readonly EvSpec[] }
  | { readonly k: 'raise'; readonly sig: number }
  | { readonly k: 'wait' }
  | { readonly k: 'exit'; readonly code: number };

/** A task made before the run. */
export interface TaskSpec {
  readonly program: readonly EvSpec[];
  /** A kernel thread: every attach to it gets -EPERM. */
  readonly kthread: boolean;
}

/**
 * Which callbacks may return UTRACE_DETACH: kind 0 only `report_death` (the engine is
 * `attached` for the compiler), kind 1 any callback (the engine is `rcu-only`: the tracer
 * takes a counted reference right after attaching, before any callback can run).
 */
export type OpsKind = 0 | 1;

/** An engine attached before the run. */
export interface EngineSpec {
  /** Index into the scenario's tasks. */
  readonly task: number;
  readonly opsKind: OpsKind;
  /** Events set right after the attach (bit 14, ENGINE_STOP, is masked out by the kernel). */
  readonly mask: number;
  /** Callback return values, used in turn; `ODD_BASE + i`: the hostile {@link ODD_RETURNS}[i]. */
  readonly rets: readonly number[];
  /** Index of the tracer thread that owns it. */
  readonly tracer: number;
  /** API calls its callbacks make, used in turn with `rets` (see {@link CallbackAct}). */
  readonly acts: readonly CallbackAct[];
}

/**
 * What a callback body does before it returns: 0 nothing; 1 `utrace_control(UTRACE_RESUME)` on
 * its own engine (the handle it was given); 2 `utrace_set_events` on its own engine, adding
 * only; 3 `utrace_engine_get` of its handle and `utrace_engine_put` of the reference; 4
 * `utrace_control(UTRACE_RESUME)` on another engine, through its tracer's counted handle; 5
 * `utrace_barrier` on its own engine (the target is current: 0 at once); 6 a blocking call
 * (`utrace_barrier` on another engine, else `utrace_set_events_sync` on its own): a
 * `might_sleep` failure that ends the run.
 */
export type CallbackAct = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** How an `attach` command calls utrace_attach_task. */
export type AttachMode =
  | 'create'
  | 'create-exclusive'
  | 'create-exclusive-ops'
  | 'create-exclusive-data'
  | 'create-null-ops'
  | 'lookup-any'
  | 'lookup-ops'
  | 'lookup-data'
  | 'lookup-ops-data';

/** How a mask argument is combined with the engine's current events. */
export type MaskHow = 'set' | 'add' | 'clear';

/** One call (or small group of calls) a tracer thread makes. `e` picks an engine it owns, `task` a known task. */
export type Cmd =
  | {
      readonly op: 'attach';
      readonly task: number;
      readonly mode: AttachMode;
      readonly opsKind: OpsKind;
      readonly rets: readonly number[];
      readonly viaPid: boolean;
      /** Which engine's data a lookup matches (modulo the engines on that task). */
      readonly dataOf: number;
      /**
       * For a CREATE of may-detach ops: enable events through the RCU-kept pointer first, then
       * use it again (a rule 7 usage error), and take the counted reference by a lookup instead.
       */
      readonly rcuMisuse: boolean;
      /**
       * For a CREATE of may-detach ops: pass the RCU-kept pointer to a blocking call first
       * (`utrace_barrier` or `utrace_detach_sync`: a rule 1 usage error that changes nothing).
       */
      readonly rule1: 'none' | 'barrier' | 'detach_sync';
      readonly acts: readonly CallbackAct[];
    }
  | { readonly op: 'set_events'; readonly e: number; readonly mask: number; readonly how: MaskHow; readonly rcu: boolean }
  | { readonly op: 'control'; readonly e: number; readonly action: number; readonly rcu: boolean }
  | { readonly op: 'barrier'; readonly e: number }
  | { readonly op: 'set_events_sync'; readonly e: number; readonly mask: number; readonly how: MaskHow }
  | { readonly op: 'clear_events_sync'; readonly e: number }
  | { readonly op: 'detach_sync'; readonly e: number }
  | { readonly op: 'get'; readonly e: number; readonly rcu: boolean }
  | { readonly op: 'put'; readonly e: number }
  | { readonly op: 'examine'; readonly e: number; readonly hold: number }
  | { readonly op: 'kill'; readonly task: number; readonly sig: number }
  | { readonly op: 'schedule'; readonly n: number }
  | { readonly op: 'synchronize_rcu' }
  /** Queue an RCU callback that frees a block the tracer allocated (`rcu`: from inside a read-side section). */
  | { readonly op: 'call_rcu'; readonly rcu: boolean }
  | { readonly op: 'interrupt_self' }
  /** Signal another tracer thread (`TracerHandle.interrupt`), which may be blocked in an interruptible call. */
  | { readonly op: 'interrupt_other'; readonly t: number }
  /** `Kernel.fail_next_allocations(n)`: the next `n` utrace allocations (an attach that creates) fail with -ENOMEM. */
  | { readonly op: 'fail_alloc'; readonly n: number }
  /**
   * Handle misuse: `stale`, a call through a handle a transition (or a put) revoked; `put-twice`,
   * a counted reference put a second time (the run ends there, failed).
   */
  | { readonly op: 'misuse'; readonly e: number; readonly kind: 'stale' | 'put-twice' }
  | { readonly op: 'resume_all' };

/** A drain that goes on until every task has exited (at most that many rounds). */
export const DRAIN_UNTIL_EXIT = 1000;

/** A tracer thread's calls, then its drain and teardown. */
export interface TracerSpec {
  readonly cmds: readonly Cmd[];
  /**
   * Rounds of "resume every engine's task, then schedule()" before the teardown;
   * {@link DRAIN_UNTIL_EXIT}: until every task has exited.
   */
  readonly drain: number;
  /** Teardown: `utrace_detach_sync`, or `UTRACE_DETACH` then `utrace_barrier` when it returned -EINPROGRESS. */
  readonly teardown: 'detach_sync' | 'control';
}

/**
 * The scheduler that picks every step of a run. PCT and dfs are not generated here: they run
 * through `explore` (`checkThroughExplore` in `property.ts`), where the model predicts the
 * deadlock an unfair run may end in (the tracers return while a task has not exited, and it
 * stops for ever); `'pct'` stays available to replay or hand-written scenarios.
 */
export type SchedSpec =
  | { readonly kind: 'random' }
  | { readonly kind: 'round-robin' }
  | { readonly kind: 'pct'; readonly depth: number };

/**
 * A module owning every engine's ops, with per-CPU counters around each callback, and an
 * `unloader` tracer thread that calls `module_unload`. `wait`: only after every tracer has
 * detached and put its engines and a `synchronize_rcu` (the safe order); otherwise at once,
 * while the engines are still attached, so a later callback or `release` is module code
 * after unload.
 */
export interface ModuleSpec {
  readonly wait: boolean;
  /**
   * The ops carry per-CPU counters (`percpu_counters`), which module_unload waits on; without
   * them it returns at once, and only the order of the tracer's calls keeps module code safe.
   */
  readonly counters: boolean;
}

/** One generated scenario. */
export interface Scenario {
  /** Seed of the scheduler that picks every step. */
  readonly seed: number;
  readonly sched: SchedSpec;
  readonly cpus: number;
  readonly archSingleStep: boolean;
  readonly archBlockStep: boolean;
  readonly tasks: readonly TaskSpec[];
  readonly engines: readonly EngineSpec[];
  readonly tracers: readonly TracerSpec[];
  /** Engines owned by a module that is unloaded during the run, or none. */
  readonly module: ModuleSpec | null;
}

const SIGUSR1 = 10;
const SIGSEGV = 11;
const SIGTERM = 15;
const SIGCHLD = 17;
const SIGCONT = 18;
const SIGSTOP = 19;
const SIGTSTP = 20;
const SIGKILL = 9;

/** Callback return script entries: low 3 bits a resume action (7 means RESUME), bit 3 an extra (syscall abort, signal ignore). */
const retArb = fc.tuple(
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(5) },
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.constant(1) },
    { weight: 2, arbitrary: fc.constant(2) },
    { weight: 1, arbitrary: fc.constantFrom(3, 4) },
    { weight: 2, arbitrary: fc.constant(6) },
  ),
  fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(8) }),
).map(([a, x]) => a | x);

/**
 * Hostile callback behaviour, given in a return script as `ODD_BASE + i`: return `ODD_RETURNS[i]`
 * (no legal value of any callback: SPEC rule 4) or, for `'throw'`, throw.
 */
export const ODD_BASE = 100;
export const ODD_RETURNS: readonly unknown[] = [1.5, -1, Number.NaN, '5', undefined, null, 7, 2 ** 53, 'throw', 'throw'];

/** Mostly empty: about one engine in four has callbacks that call the API. */
const actsArb: fc.Arbitrary<readonly CallbackAct[]> = fc.oneof(
  { weight: 3, arbitrary: fc.constant([] as CallbackAct[]) },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.constant<CallbackAct>(0) },
        { weight: 6, arbitrary: fc.constantFrom<CallbackAct>(1, 2, 3, 4, 5) },
        { weight: 1, arbitrary: fc.constant<CallbackAct>(6) },
      ),
      { minLength: 1, maxLength: 5 },
    ),
  },
);

const retsArb = fc.array(
  fc.oneof(
    { weight: 40, arbitrary: retArb },
    { weight: 1, arbitrary: fc.integer({ min: ODD_BASE, max: ODD_BASE + ODD_RETURNS.length - 1 }) },
  ),
  { minLength: 1, maxLength: 6 },
);

/** Event masks: any 15-bit value now and then, mostly a few bits people actually ask for. */
const maskArb = fc.oneof(
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x7fff }) },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.constantFrom(0, 0, 1, 1, 2, 3, 4, 4, 5, 5, 6, 6, 6, 7, 7, 7, 8, 9, 10, 11, 12, 13), { minLength: 1, maxLength: 5 })
      .map((bits) => bits.reduce<number>((m, b) => m | (1 << b), 0)),
  },
  { weight: 1, arbitrary: fc.constantFrom(0, 0x2, 0x21, 0xc0, 0x3fff, 0x1) },
);

const leafArb: fc.Arbitrary<EvSpec> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ k: 'sys' } as const) },
  { weight: 2, arbitrary: fc.constant({ k: 'exec' } as const) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        { weight: 3, arbitrary: fc.constantFrom(SIGUSR1, SIGCHLD, SIGCONT, SIGSEGV, SIGTERM) },
        { weight: 1, arbitrary: fc.constantFrom(SIGSTOP, SIGTSTP) },
      )
      .map((sig) => ({ k: 'raise', sig }) as const),
  },
  { weight: 1, arbitrary: fc.constant({ k: 'wait' } as const) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }).map((code) => ({ k: 'exit', code }) as const) },
);

const childProgramArb = fc.array(leafArb, { minLength: 1, maxLength: 4 });

const eventArb: fc.Arbitrary<EvSpec> = fc.oneof(
  { weight: 6, arbitrary: leafArb },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('clone' as const), vfork: fc.boolean(), child: childProgramArb }),
  },
);

const programArb = fc.array(eventArb, { minLength: 1, maxLength: 8 });

const taskArb: fc.Arbitrary<TaskSpec> = fc.record({
  program: programArb,
  kthread: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

const attachModeArb: fc.Arbitrary<AttachMode> = fc.constantFrom(
  'create',
  'create',
  'create',
  'create-exclusive',
  'create-exclusive-ops',
  'create-exclusive-data',
  'create-null-ops',
  'lookup-any',
  'lookup-ops',
  'lookup-data',
  'lookup-ops-data',
);

const howArb: fc.Arbitrary<MaskHow> = fc.constantFrom('set', 'add', 'clear');
const eArb = fc.nat(7);
const actionArb = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 0, max: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 7, 8, 9, 1000) },
);

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('attach' as const),
      task: fc.nat(7),
      mode: attachModeArb,
      opsKind: fc.constantFrom<OpsKind>(0, 1),
      rets: retsArb,
      viaPid: fc.boolean(),
      dataOf: fc.nat(3),
      rcuMisuse: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      rule1: fc.oneof(
        { weight: 6, arbitrary: fc.constant('none' as const) },
        { weight: 1, arbitrary: fc.constantFrom('barrier' as const, 'detach_sync' as const) },
      ),
      acts: actsArb,
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({ op: fc.constant('set_events' as const), e: eArb, mask: maskArb, how: howArb, rcu: fc.boolean() }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('control' as const), e: eArb, action: actionArb, rcu: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('barrier' as const), e: eArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('set_events_sync' as const), e: eArb, mask: maskArb, how: howArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clear_events_sync' as const), e: eArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('detach_sync' as const), e: eArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('get' as const), e: eArb, rcu: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('put' as const), e: eArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('examine' as const), e: eArb, hold: fc.nat(3) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('kill' as const),
      task: fc.nat(7),
      sig: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(SIGCONT, SIGUSR1, SIGCHLD, SIGSTOP) },
        { weight: 1, arbitrary: fc.constantFrom(SIGKILL, 0, 65, -1) },
      ),
    }),
  },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('schedule' as const), n: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'synchronize_rcu' } as const) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('call_rcu' as const), rcu: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ op: 'interrupt_self' } as const) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('interrupt_other' as const), t: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('fail_alloc' as const), n: fc.integer({ min: 1, max: 3 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('misuse' as const),
      e: eArb,
      kind: fc.oneof({ weight: 6, arbitrary: fc.constant('stale' as const) }, { weight: 1, arbitrary: fc.constant('put-twice' as const) }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ op: 'resume_all' } as const) },
);

const tracerArb: fc.Arbitrary<TracerSpec> = fc.record({
  cmds: fc.array(cmdArb, { maxLength: 30, size: 'medium' }),
  drain: fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 80 }) },
    { weight: 3, arbitrary: fc.constant(DRAIN_UNTIL_EXIT) },
  ),
  teardown: fc.constantFrom('detach_sync' as const, 'control' as const),
});

/** The arbitrary of whole scenarios. */
export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    seed: fc.integer(),
    sched: fc.oneof(
      { weight: 6, arbitrary: fc.constant<SchedSpec>({ kind: 'random' }) },
      { weight: 1, arbitrary: fc.constant<SchedSpec>({ kind: 'round-robin' }) },
    ),
    cpus: fc.integer({ min: 1, max: 3 }),
    archSingleStep: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    archBlockStep: fc.boolean(),
    tasks: fc.array(taskArb, { minLength: 1, maxLength: 5 }),
    engines: fc.array(
      fc.record({
        task: fc.nat(4),
        opsKind: fc.constantFrom<OpsKind>(0, 1),
        mask: maskArb,
        rets: retsArb,
        tracer: fc.nat(1),
        acts: actsArb,
      }),
      { minLength: 1, maxLength: 3 },
    ),
    tracers: fc.array(tracerArb, { minLength: 1, maxLength: 2 }),
    module: fc.oneof(
      { weight: 4, arbitrary: fc.constant<ModuleSpec | null>(null) },
      { weight: 1, arbitrary: fc.record({ wait: fc.boolean(), counters: fc.oneof({ weight: 2, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }) },
    ),
  })
  .map((s) => ({
    ...s,
    engines: s.engines.map((e) => ({ ...e, task: e.task % s.tasks.length, tracer: e.tracer % s.tracers.length })),
  }));
