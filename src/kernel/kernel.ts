/**
 * The simulated kernel: tasks, tracer threads, engines, RCU, modules, and the run loop that
 * asks a scheduler which thread takes each step and applies the run-time checks.
 * @packageDocumentation
 */
import type { module_struct, percpu_counters } from '../../types/module.js';
import type { task_struct } from '../../types/task.js';
import { describeArg, describeThrown, isInstance, readFields, thrownMessage } from '../constants/integer-arg.js';
import { UtraceUsageError } from '../errors.js';
import type { CheckName, ExecutionOutcome, Failure, StepRef, ThreadInfo, TraceEvent } from '../sched/execution.js';
import { maxStepsProblem } from '../sched/schedule-string.js';
import type { Scheduler } from '../sched/scheduler.js';
import { runningKernel, setRunningKernel, setupRcuDepth } from './current.js';
import type { EngineHandle, EngineRecord } from './engine.js';
import { KBox } from './kbox.js';
import { Module, moduleKernels } from './module.js';
import { KernelPanic } from './panic.js';
import { PercpuCounters } from './percpu.js';
import type { ProgramEvent } from './program.js';
import { checkProgram, isArray } from './program-check.js';
import { reaperThread } from './reap.js';
import { Rcu } from './rcu.js';
import { Task } from './task.js';
import { taskMain } from './task-main.js';
import { GeneratorThread, type SimThread, TracerThread } from './threads.js';

/**
 * Options of a {@link Kernel}.
 * @public
 * @category Kernel simulation
 */
export interface KernelOptions {
  /** CPUs, for per-CPU counters; tasks are spread over them by pid. Default 2. */
  readonly nr_cpus?: number;
  /** Keep a trace of every step (default true; the explorer turns it off while searching). */
  readonly trace?: boolean;
  /** Whether the simulated architecture has single-step (default true) and block-step (default true). */
  readonly arch_has_single_step?: boolean;
  /** See {@link KernelOptions.arch_has_single_step}. */
  readonly arch_has_block_step?: boolean;
  /**
   * Make tracer code preemptible inside every utrace call on an engine and at every access to
   * tracer data (`KBox.value`), before the call's effect: the engine's task and the kernel
   * threads may take steps there (see `docs/kernel-mapping.md`, "Real engines"). Default
   * false: a tracer thread then runs without interruption from one awaited call to the next,
   * and runs made with a hand-written schedule keep their steps.
   */
  readonly preempt_calls?: boolean;
}

/**
 * Options of {@link Kernel.run}.
 * @public
 * @category Kernel simulation
 */
export interface RunOptions {
  /**
   * Stop with a `step-limit` failure after this many steps: an integer from 1 to
   * `MAX_SCHEDULE_STEPS` (10,000,000), so that every schedule replays; default 100000.
   */
  readonly maxSteps?: number;
}

/** The callback in progress on the current thread, for might_sleep and module checks. @internal */
export interface CallbackContext {
  readonly task: Task;
  readonly engine: EngineRecord;
  readonly name: string;
}

let kernelIds = 0;

/** The calls that block (SPEC §2), which never take an rcu-only engine (rule 1). */
const BLOCKING_CALLS: ReadonlySet<string> = new Set([
  'utrace_barrier',
  'utrace_prepare_examine',
  'utrace_set_events_sync',
  'utrace_clear_events_sync',
  'utrace_detach_sync',
]);

/**
 * A simulated kernel. Make tasks with {@link Kernel.spawn}, tracer threads with
 * {@link Kernel.tracer}, data with {@link Kernel.kmalloc}, then {@link Kernel.run} it under
 * a scheduler. A kernel runs once.
 * @example
 * ```ts
 * import { Kernel, RoundRobinScheduler, sys } from 'utrace';
 * const kernel = new Kernel();
 * kernel.spawn('worker', [sys(0), sys(1)]);
 * const outcome = await kernel.run(new RoundRobinScheduler());
 * console.log(outcome.status); // 'ok'
 * ```
 * @public
 * @category Kernel simulation
 */
export class Kernel {
  /** @internal */ readonly id = ++kernelIds;
  /** @internal */ readonly nr_cpus: number;
  /** @internal */ readonly tracing: boolean;
  /** @internal */ readonly arch_has_single_step: boolean;
  /** @internal */ readonly arch_has_block_step: boolean;
  /** @internal */ readonly preempt_calls: boolean;
  /** @internal */ readonly threads: SimThread[] = [];
  /** @internal */ readonly tasks = new Map<number, Task>();
  /**
   * Zombies whose parent is gone, a min-heap by pid, for `init` (entries no longer orphaned
   * zombies are dropped when they reach the top). @internal
   */
  readonly orphans: Task[] = [];
  /** @internal */ readonly engines: EngineRecord[] = [];
  /** @internal */ readonly allocations: KBox<unknown>[] = [];
  /** @internal */ readonly modules: Module[] = [];
  /** @internal */ readonly rcu = new Rcu();
  /** @internal */ readonly trace: TraceEvent[] = [];
  /** @internal */ readonly oopses: Failure[] = [];
  /** @internal */ current: SimThread | null = null;
  /** @internal */ callback: CallbackContext | null = null;
  /** @internal */ stepIndex = 0;
  /** @internal */ failure: Failure | undefined;
  /** @internal */ allocFailures = 0;
  /** Tasks spawned with `may_end_stopped`: left in a stop at the end, they are no deadlock. @internal */
  readonly mayEndStopped = new Set<Task>();
  /**
   * Counts writes to kernel state made by tracer code (utrace calls, allocations, atomics,
   * locks, wake-ups); a poll whose round leaves it unchanged changed nothing. @internal
   */
  progressMark = 0;
  /**
   * Observation points for test harnesses, like tracepoints: `fetch(task, i)` when a task's
   * thread takes event `i` of its program (`i` = the program's length when it has run out).
   * @internal
   */
  probe: { fetch(task: Task, index: number): void } | undefined;
  /**
   * What {@link Kernel.run} rethrew because tracer code threw it, so a caller can tell the
   * tracer's own errors from errors of the run machinery. @internal
   */
  tracerError: unknown = undefined;
  /** Callbacks started whose body has not finished, with the step that started them. @internal */
  readonly inFlight = new Map<EngineRecord, StepRef>();
  #nextPid = 1;
  #runnable: RunnableSet | undefined;
  #loop: RunLoop | undefined;
  readonly #tracers: TracerThread[] = [];
  readonly #properties: { readonly name: string; readonly check: (kernel: Kernel) => boolean }[] = [];
  #nextEngine = 1;
  #ran = false;
  readonly #reaper: GeneratorThread;

  /**
   * Makes an empty kernel: no task yet, the `rcu_gp` and `init` kernel threads ready.
   * @throws `UtraceUsageError` when `nr_cpus` is not an integer from 1 to 1024.
   */
  constructor(options: KernelOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new UtraceUsageError('kernel-options', `Kernel: options must be an object such as { nr_cpus: 2 }, or left out; got ${describeArg(options)}`);
    }
    options = readFields(options, ['nr_cpus', 'trace', 'arch_has_single_step', 'arch_has_block_step', 'preempt_calls'], 'Kernel', 'kernel-options') as KernelOptions;
    const cpus = options.nr_cpus ?? 2;
    if (!Number.isInteger(cpus) || cpus < 1 || cpus > 1024) {
      throw new UtraceUsageError('kernel-options', `Kernel: nr_cpus must be an integer from 1 to 1024, got ${describeArg(cpus)}`);
    }
    this.nr_cpus = cpus;
    this.tracing = options.trace ?? true;
    this.arch_has_single_step = options.arch_has_single_step ?? true;
    this.arch_has_block_step = options.arch_has_block_step ?? true;
    if (options.preempt_calls !== undefined && typeof options.preempt_calls !== 'boolean') {
      throw new UtraceUsageError('kernel-options', `Kernel: preempt_calls is true or false; got ${describeArg(options.preempt_calls)}`);
    }
    this.preempt_calls = options.preempt_calls ?? false;
    const rcuThread = new GeneratorThread(this.threads.length, 'rcu_gp', 'kernel', () =>
      this.rcu.thread((text) => this.log(text)),
    );
    this.threads.push(rcuThread);
    rcuThread.prime();
    this.#reaper = new GeneratorThread(this.threads.length, 'init', 'kernel', () => reaperThread(this));
    this.threads.push(this.#reaper);
    this.#reaper.prime();
  }

  /**
   * Makes a task that runs `program`, reaped by `init` when it has exited.
   * @param comm - the task's name.
   * @param program - its events, in order.
   * @param options - `kthread: true` makes a kernel thread (utrace refuses it with -EPERM).
   * `may_end_stopped: true` says the task may legitimately be left in a stop when the run
   * ends (a job-control stop, such as the group stop `ptrace_attach`'s SIGSTOP starts, or a
   * tracing stop): the run then ends `ok` rather than `deadlock` when no thread but such
   * stopped tasks is left. Without it, a task left stopped is a `deadlock`.
   */
  spawn(comm: string, program: readonly ProgramEvent[], options: { kthread?: boolean; may_end_stopped?: boolean } = {}): task_struct {
    this.#assertSetup('spawn');
    if (typeof comm !== 'string' || !isArray(program)) {
      throw new UtraceUsageError('spawn-arguments', 'Kernel.spawn(comm, program): comm is a string and program an array of events (sys, exec, clone, raise, wait, exit)');
    }
    if (typeof options !== 'object' || options === null) {
      throw new UtraceUsageError('spawn-arguments', `Kernel.spawn(comm, program, options): options must be an object such as { kthread: true }, or left out; got ${describeArg(options)}`);
    }
    const { kthread, may_end_stopped } = readFields(options, ['kthread', 'may_end_stopped'], 'Kernel.spawn', 'spawn-arguments');
    if (may_end_stopped !== undefined && typeof may_end_stopped !== 'boolean') {
      throw new UtraceUsageError('spawn-arguments', `Kernel.spawn(comm, program, options): may_end_stopped is true or false; got ${describeArg(may_end_stopped)}`);
    }
    const events = checkProgram(program, 'Kernel.spawn');
    const task = this.createTask(comm, events, null, kthread === true, true);
    if (may_end_stopped === true) this.mayEndStopped.add(task);
    return task as unknown as task_struct;
  }

  /** @internal */
  createTask(comm: string, program: readonly ProgramEvent[], parent: Task | null, kthread: boolean, started: boolean): Task {
    const pid = this.#nextPid++;
    const task = new Task(this, pid, comm, program, parent, pid % this.nr_cpus, kthread, started);
    const thread = new GeneratorThread(this.threads.length, task.toString(), 'task', () => taskMain(this, task), () => task.started);
    task.thread = thread;
    this.threads.push(thread);
    this.tasks.set(pid, task);
    parent?.children.push(task);
    return task;
  }

  /**
   * Makes a tracer thread running `fn`. It runs without interruption from one awaited kernel
   * call (`utrace_barrier`, `*_sync`, `synchronize_rcu`, `schedule`, `preempt_point`,
   * `mutex_lock`, `spin_lock`, `wait_event`, `wait_for_completion`, `delete_module`, ...) to
   * the next, except that with the option `preempt_calls` tasks and kernel threads may also
   * run inside its utrace calls and data accesses; it must await nothing else.
   * @returns a handle whose `interrupt()` sends the thread a signal: a blocking call it is
   * in (or makes next) returns `-ERESTARTSYS`.
   */
  tracer(name: string, fn: () => Promise<void>): TracerHandle {
    this.#assertSetup('tracer');
    if (typeof fn !== 'function') {
      throw new UtraceUsageError('tracer-arguments', 'Kernel.tracer(name, fn): fn is an async function run as the tracer thread');
    }
    if (typeof name !== 'string') {
      throw new UtraceUsageError('tracer-arguments', `Kernel.tracer(name, fn): name is a string, shown in traces and timelines; got ${describeArg(name)}`);
    }
    const thread = new TracerThread(this.threads.length, name, fn);
    this.threads.push(thread);
    this.#tracers.push(thread);
    return {
      name,
      interrupt: () => {
        thread.signalPending = true;
        this.progressMark++;
        if (this.tracing) this.log(`signal sent to tracer ${name}`);
      },
    };
  }

  /**
   * Allocates tracer data whose use after {@link Kernel.kfree} is reported.
   * @param label - what the data is, for messages.
   * @param value - its initial value.
   */
  kmalloc<T>(label: string, value: T): KBox<T> {
    if (typeof label !== 'string') {
      throw new UtraceUsageError('kmalloc-arguments', `Kernel.kmalloc(label, value): label is a string naming the data in messages; got ${describeArg(label)}`);
    }
    this.progressMark++;
    const box = new KBox<T>(this, label, value);
    this.allocations.push(box as KBox<unknown>);
    return box;
  }

  /**
   * Frees tracer data. Freeing twice is a failure.
   */
  kfree(box: KBox<unknown>): void {
    if (!isInstance(box, KBox) || box.kernel !== this) {
      throw new UtraceUsageError('kfree-argument', 'kfree: pass a KBox made by kmalloc of this kernel');
    }
    this.progressMark++;
    const at = this.stepRef(`kfree(${box.label})`);
    if (!box.markFreed(at)) {
      this.fail('use-after-free', `tracer data "${box.label}" freed twice`, [box.freedAt!]);
    }
    if (this.tracing) this.log(`kfree(${box.label})`);
  }

  /** Loads a module: ops naming it as `owner` run its code. */
  load_module(name: string): module_struct {
    if (typeof name !== 'string') {
      throw new UtraceUsageError('module-arguments', `Kernel.load_module(name): name is a string naming the module in messages; got ${describeArg(name)}`);
    }
    const m = new Module(name, this.id);
    this.modules.push(m);
    moduleKernels.set(m, this);
    return m;
  }

  /** Allocates a per-CPU counter vector, one counter pair per CPU of this kernel. */
  alloc_percpu_counters(): percpu_counters {
    return new PercpuCounters(this.nr_cpus, this.id);
  }

  /** Makes the next `n` allocations of utrace structures fail (-ENOMEM), for fault tests. */
  fail_next_allocations(n: number): void {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new UtraceUsageError('fail-allocations', `Kernel.fail_next_allocations(n): n is how many allocations fail, an integer of at least 0; got ${describeArg(n)}`);
    }
    this.allocFailures = n;
  }

  /** The task with pid `pid`, until it is reaped. */
  find_task_by_pid(pid: number): task_struct | undefined {
    return this.tasks.get(pid) as unknown as task_struct | undefined;
  }

  /** A task's run state or fatal flag changed: its wait may have ended. @internal */
  taskChanged(task: Task): void {
    this.#runnable?.touch(task.thread);
  }

  /** @internal */
  newEngineId(): number {
    this.progressMark++;
    return this.#nextEngine++;
  }

  /** @internal */
  log(text: string): void {
    if (!this.tracing) return;
    this.trace.push({ step: this.stepIndex, thread: this.current?.id ?? -1, text });
  }

  /** @internal */
  stepRef(what: string): StepRef {
    return { step: this.stepIndex, thread: this.current?.id ?? -1, what };
  }

  /**
   * Records a failed run-time check and unwinds the code that made it fire.
   * @internal
   */
  fail(check: CheckName, message: string, related: readonly StepRef[] = []): never {
    const where = this.callback ? ` (in ${this.callback.name} of ${this.callback.engine.name} on ${this.callback.task})` : '';
    this.failure ??= {
      check,
      message: message + where,
      step: this.stepIndex,
      thread: this.current?.id ?? -1,
      related,
    };
    if (this.tracing) this.log(`${check}: ${message}${where}`);
    throw new KernelPanic(message);
  }

  /**
   * Records an oops of one engine's callback; the run goes on, and the first oops is the
   * run's failure if nothing else fails.
   * @internal
   */
  oops(message: string, check: CheckName = 'oops'): void {
    const entry: Failure = { check, message, step: this.stepIndex, thread: this.current?.id ?? -1, related: [] };
    this.oopses.push(entry);
    this.progressMark++;
    if (this.tracing) this.log(`${check}: ${message}`);
  }

  /**
   * Adds an end-of-run property: `check(kernel)` is called once the run has ended with no
   * other failure (every thread done, or only tasks left stopped that may end so); when it
   * returns false or throws, the run fails with check `property` naming it. Scenarios list
   * them in their `properties` field.
   * @param name - what the property says, shown in the failure (`'no engine left attached'`).
   * @param check - reads the kernel (or the scenario's own data) and returns whether it holds.
   * @throws `UtraceUsageError` (rule `property-arguments`) when `name` is not a string or
   * `check` not a function, or when called after `run()`.
   * @example
   * ```ts
   * import { Kernel, RoundRobinScheduler, sys } from 'utrace';
   * const kernel = new Kernel();
   * const task = kernel.spawn('worker', [sys(0)]);
   * kernel.property('the worker exited', () => task.exit_state !== 0);
   * console.log((await kernel.run(new RoundRobinScheduler())).status); // 'ok'
   * ```
   */
  property(name: string, check: (kernel: Kernel) => boolean): void {
    this.#assertSetup('property');
    if (typeof name !== 'string' || typeof check !== 'function') {
      throw new UtraceUsageError('property-arguments', `Kernel.property(name, check): name is a string and check a function (kernel) => boolean; got ${describeArg(name)} and ${describeArg(check)}`);
    }
    this.#properties.push({ name, check });
  }

  /**
   * Checks a handle before a call uses its engine (SPEC §3, memory rule v2): of this kernel,
   * not revoked, its counted reference not put, not freed; an RCU-kept pointer only before its
   * engine's events are enabled or it is detached (rule 7), and never in a blocking call
   * (rule 1); a callback's handle not outside its callback once a callback detached the engine.
   * @internal
   */
  useEngine(handle: EngineHandle, call: string): EngineRecord {
    this.progressMark++;
    if (handle.revokedBy !== null) {
      throw new UtraceUsageError(
        'stale-handle',
        `${call}: this engine handle was revoked when ${handle.revokedBy} moved the engine to another state; use the handle that call returned (result.engine)`,
      );
    }
    if (this.#loop !== undefined) this.preemptPoint(handle.record.task);
    const e = handle.record;
    if (e.freedAt !== null) {
      this.fail('use-after-free', `${call} used ${e.name} after it was freed`, [e.freedAt, ...(e.detachedAt ? [e.detachedAt] : [])]);
    }
    if (handle.ref !== null && handle.ref.putAt !== null) {
      throw new UtraceUsageError(
        'stale-handle',
        `${call}: the counted reference behind this handle was put (utrace_engine_put); take another with utrace_engine_get before putting, or look the engine up again`,
      );
    }
    if (handle.state === 'rcu-only') {
      if (e.eventsEnabled || e.isDetached) {
        throw new UtraceUsageError(
          'rule-7',
          `${call}: rule 7: this is the RCU-kept pointer of ${e.name}, whose ops may detach it, and ${e.isDetached ? 'it was detached' : 'its events were enabled'}: a callback may detach and free it at any time, so no call takes this pointer any more. Take a counted reference with utrace_engine_get right after attaching, before enabling events, and use that; or look the engine up (utrace_attach_task without UTRACE_ATTACH_CREATE, with UTRACE_ATTACH_MATCH_OPS), which gives a counted reference or -ENOENT`,
        );
      }
      if (BLOCKING_CALLS.has(call)) {
        throw new UtraceUsageError(
          'rule-1',
          `${call}: rule 1: a blocking call cannot take an rcu-only engine (an RCU-kept pointer, which a callback's UTRACE_DETACH would free while the call waits); take a counted reference with utrace_engine_get before enabling events, and pass that`,
        );
      }
    }
    if (handle.state === 'in-callback' && e.detachedBy === 'callback' && e.refs === 0 && this.rcuDepth() === 0 && this.callback?.engine !== e) {
      this.fail(
        'PROVE_RCU',
        `${call} used ${e.name} through the handle a callback was given, outside that callback, after a callback returned UTRACE_DETACH: the pointer is kept alive only by RCU; take a counted reference with utrace_engine_get inside the callback and use that`,
        e.detachedAt ? [e.detachedAt] : [],
      );
    }
    return e;
  }

  /** RCU read-side sections open on the current thread (or in set-up code). @internal */
  rcuDepth(): number {
    return this.current !== null ? this.current.rcuDepth : setupRcuDepth();
  }

  /** @internal */
  currentTracer(call: string): TracerThread {
    const t = this.current;
    if (this.callback !== null) {
      this.fail(
        'might_sleep',
        `${call} blocks, but it was called from ${this.callback.name}, a callback: callbacks run on the traced thread and must not sleep`,
      );
    }
    if (t !== null && t.rcuDepth > 0) {
      this.fail('might_sleep', `${call} blocks, but it was called inside an RCU read-side section: nothing may sleep there`);
    }
    const spin = t?.held.find((l) => !l.sleeping);
    if (spin !== undefined) {
      this.fail('might_sleep', `${call} sleeps, but ${t!.name} holds spinlock ${spin.name}: nothing may sleep under a spinlock; drop it first, or use a mutex`);
    }
    if (!(t instanceof TracerThread)) {
      throw new UtraceUsageError(
        'blocking-outside-tracer',
        `${call} blocks, so it can only be called from a tracer thread (Kernel.tracer) while the kernel runs`,
      );
    }
    return t;
  }

  /**
   * Runs the simulation to its end under `scheduler`: every task exited and reaped, every
   * tracer thread returned, or a check failed.
   * @returns the outcome: status, failure, the schedule that replays it, and the trace.
   * @throws `UtraceUsageError` when the kernel already ran, another run is in progress,
   * or tracer code threw an error of its own (rethrown as is).
   */
  async run(scheduler: Scheduler, options: RunOptions = {}): Promise<ExecutionOutcome> {
    const pickOf = (): unknown => (typeof scheduler === 'object' && scheduler !== null ? readFields(scheduler, ['pick'], 'Kernel.run', 'run-arguments', 'scheduler').pick : undefined);
    const pick = pickOf();
    if (typeof pick !== 'function') {
      throw new UtraceUsageError('run-arguments', `Kernel.run(scheduler): pass a Scheduler, an object with pick(point) (RoundRobinScheduler, RandomScheduler, ...); got ${describeArg(scheduler)}`);
    }
    if (typeof options !== 'object' || options === null) {
      throw new UtraceUsageError('run-arguments', `Kernel.run(scheduler, options): options must be an object such as { maxSteps: 1000 }, or left out; got ${describeArg(options)}`);
    }
    options = readFields(options, ['maxSteps'], 'Kernel.run', 'run-arguments') as RunOptions;
    const stepsProblem = maxStepsProblem(options.maxSteps);
    if (stepsProblem !== undefined) throw new UtraceUsageError('run-arguments', `Kernel.run(scheduler, options): ${stepsProblem}`);
    if (this.#ran) throw new UtraceUsageError('run-once', 'Kernel.run: a kernel runs once; build a new Kernel for another run');
    if (runningKernel() !== null) {
      throw new UtraceUsageError('one-run-at-a-time', 'Kernel.run: another kernel is running in this process; await its run first');
    }
    this.#ran = true;
    const maxSteps = options.maxSteps ?? 100_000;
    const schedule: number[] = [];
    const preemptionSteps: number[] = [];
    let userError: unknown;
    let stalled: TracerThread | undefined;
    // Tracer threads waiting for others after a yield, and the steps since the last one that
    // changed anything (every one a poll: schedule() returned, nothing changed, schedule()).
    let yielders = 0;
    let idleRun = 0;
    setRunningKernel(this);
    let finished = false;
    const watchdog = setImmediate(() => {
      if (finished) return;
      const t = this.current;
      if (t instanceof TracerThread && !t.done && !t.blocked) {
        stalled = t;
        t.abandon();
      }
    });
    try {
      const runnable = new RunnableSet(this.threads);
      this.#runnable = runnable;
      const loop: RunLoop = { scheduler, pick: pick as Scheduler['pick'], schedule, preemptionSteps, previous: -1, maxSteps, runnable, nested: 0, inside: false };
      this.#loop = loop;
      let stepped: SimThread | undefined;
      while (this.failure === undefined) {
        const n = runnable.update(stepped);
        if (n === 0) {
          this.current = null;
          this.#checkDeadlock();
          break;
        }
        if (this.stepIndex >= maxSteps) {
          this.current = null;
          this.#endAtLimit(maxSteps, idleRun, schedule);
          break;
        }
        const ids = yielders > 0 ? this.#fairOffer(runnable) : runnable.ids;
        const chosen = this.#pick(loop, ids, ids === runnable.ids);
        const thread = this.threads[chosen]!;
        stepped = thread;
        this.current = thread;
        const fromYield = thread instanceof TracerThread && thread.inYield;
        const mark = this.progressMark;
        if (yielders > 0) yielders = this.#stepped(chosen);
        loop.nested = 0;
        try {
          const pending = thread.step();
          if (pending !== undefined) await pending;
        } catch (e) {
          if (!(e instanceof KernelPanic)) throw e;
        }
        if (thread instanceof TracerThread && thread.inYield && !thread.done) {
          // schedule() is a yield: the threads runnable now go first (fair scheduling).
          const others = new Set<number>();
          for (const id of runnable.ids) if (id !== chosen) others.add(id);
          // Those that became runnable by this step are seen at the next update; a yield
          // waits only for threads already runnable, which is what keeps a search finite.
          thread.yieldWait = others.size > 0 ? others : null;
          if (others.size > 0) yielders++;
        }
        if (loop.nested > 0) yielders = this.#stepped(-1);
        idleRun = fromYield && thread instanceof TracerThread && thread.inYield && this.progressMark === mark && loop.nested === 0 ? idleRun + 1 : 0;
        if (stalled !== undefined) {
          throw new UtraceUsageError(
            'tracer-awaited-foreign-promise',
            `tracer thread ${stalled.name} awaited something that is not a utrace call; tracer threads may block only in utrace calls (utrace_barrier, *_sync, synchronize_rcu, schedule, module_unload)`,
          );
        }
        if (thread instanceof TracerThread && thread.failed) {
          userError = tracerError(thread);
          this.tracerError = userError;
          break;
        }
        this.stepIndex++;
      }
      this.current = null;
      if (this.tracerError !== undefined) throw userError;
      if (this.failure === undefined) this.#checkLeaks();
      if (this.failure === undefined && this.oopses.length > 0) this.failure = this.oopses[0];
      if (this.failure === undefined) this.#checkProperties();
    } finally {
      this.#loop = undefined;
      finished = true;
      clearImmediate(watchdog);
      setRunningKernel(null);
    }
    const threads: ThreadInfo[] = this.threads.map((t) => ({ id: t.id, name: t.name, kind: t.kind }));
    return {
      status: this.failure === undefined ? 'ok' : 'failed',
      failure: this.failure,
      schedule,
      preemptions: preemptionSteps.length,
      preemptionSteps,
      // A copy: calls made after the run (set-up helpers, a stray log) must not change an outcome.
      trace: this.trace.slice(),
      threads,
    };
  }

  /** Asks the scheduler for the thread of the next step among `ids`, and records the choice. */
  #pick(loop: RunLoop, ids: readonly number[], all: boolean): number {
    const point = { step: this.stepIndex, runnable: ids, previous: loop.previous };
    const chosen: unknown = loop.pick.call(loop.scheduler, point);
    // Membership in O(1) when every runnable thread is offered (the common case); no closure
    // per step, this runs at every scheduling point.
    if (typeof chosen !== 'number' || !(all ? loop.runnable.has(chosen) : ids.includes(chosen))) {
      throw new UtraceUsageError('scheduler', `scheduler picked thread ${describeArg(chosen)}, which cannot run at step ${this.stepIndex} (runnable: ${ids.join(', ')})`);
    }
    const prev = loop.previous;
    if (prev !== -1 && chosen !== prev && (all ? loop.runnable.has(prev) : ids.includes(prev))) loop.preemptionSteps.push(this.stepIndex);
    loop.schedule.push(chosen);
    loop.previous = chosen;
    return chosen;
  }

  /**
   * A preemption point inside a tracer thread's synchronous code: at a utrace call on an
   * engine of `task` (before the call has any effect), or at an access to tracer data
   * (`task` null). The tracer's step ends here; the scheduler may run steps of the task and
   * kernel threads that could touch what the call touches (the engine's task, `rcu_gp`,
   * `init`; for tracer data, every task), one at a time, before the tracer goes on. Other
   * tracer threads are async and cannot run inside a call: they interleave only where a
   * tracer awaits. The point is offered only when such a thread can run, so a call nobody
   * can race with costs nothing; taking it is a preemption like any other.
   * @internal
   */
  preemptPoint(task: Task | null): void {
    const loop = this.#loop;
    const me = this.current;
    if (loop === undefined || !this.preempt_calls || !(me instanceof TracerThread) || this.callback !== null || loop.inside || this.failure !== undefined) return;
    loop.inside = true;
    try {
      for (;;) {
        if (this.stepIndex + 1 >= loop.maxSteps) return;
        loop.runnable.update(undefined);
        const ids: number[] = [];
        for (const id of loop.runnable.ids) {
          const t = this.threads[id]!;
          if (!(t instanceof GeneratorThread)) continue;
          if (task === null || t.kind === 'kernel' || t === (task as Task).thread) ids.push(id);
        }
        if (ids.length === 0) return;
        let at = 0;
        while (at < ids.length && ids[at]! < me.id) at++;
        ids.splice(at, 0, me.id);
        this.stepIndex++;
        const chosen = this.#pick(loop, ids, false);
        if (chosen === me.id) return;
        loop.nested++;
        const thread = this.threads[chosen]! as GeneratorThread;
        this.current = thread;
        try {
          thread.step();
        } catch (e) {
          if (!(e instanceof KernelPanic)) throw e;
        } finally {
          this.current = me;
        }
        this.#stepped(chosen);
        loop.runnable.update(thread);
        if (this.failure !== undefined) throw new KernelPanic('the run failed while the tracer was preempted');
      }
    } finally {
      loop.inside = false;
    }
  }

  /**
   * The threads a scheduler is offered: the runnable ones, less each tracer thread that yielded
   * (`schedule()`) while others it waits for can still run (CHESS's fair scheduling). Never
   * empty when some thread is runnable.
   */
  #fairOffer(runnable: RunnableSet): number[] {
    const ids = runnable.ids;
    const out: number[] = [];
    for (const id of ids) {
      const t = this.threads[id];
      if (t instanceof TracerThread && t.yieldWait !== null) {
        for (const w of t.yieldWait) if (!runnable.has(w)) t.yieldWait.delete(w);
        if (t.yieldWait.size > 0) continue;
        t.yieldWait = null;
      }
      out.push(id);
    }
    return out.length > 0 ? out : ids;
  }

  /** Thread `id` takes a step: no yielder waits for it any more. Returns the yielders still waiting. */
  #stepped(id: number): number {
    let n = 0;
    for (const t of this.#tracers) {
      if (t.yieldWait === null) continue;
      t.yieldWait.delete(id);
      if (t.yieldWait.size === 0) t.yieldWait = null;
      else n++;
    }
    return n;
  }

  /**
   * The run reached `maxSteps`: a livelock when the last steps were all polls that changed
   * nothing, round after round (the cycle is the last round), else a `step-limit`.
   */
  #endAtLimit(maxSteps: number, idleRun: number, schedule: readonly number[]): void {
    const cycle: number[] = [];
    for (let i = schedule.length - 1; i >= 0 && i >= schedule.length - idleRun; i--) {
      if (cycle.includes(schedule[i]!)) break;
      cycle.unshift(schedule[i]!);
    }
    if (idleRun < 2 || idleRun < 2 * cycle.length) {
      this.#record('step-limit', `the run did not end within ${maxSteps} steps, and it was still changing kernel state (not a livelock); raise maxSteps, or look for a loop that never ends`);
      return;
    }
    const first = schedule.length - cycle.length;
    const related = cycle.map((id, i) => ({ step: first + i, thread: id, what: `${this.threads[id]!.name}: schedule() returned, nothing changed, schedule() again` }));
    const pollers = cycle.map((id) => this.threads[id]!.name).join(', ');
    const others = this.threads.filter((t) => !t.done && t.kind !== 'kernel' && !cycle.includes(t.id));
    const blocked = others.length === 0 ? 'no other thread is left' : others.map((t) => `${t.name} waits for ${t.waiting()}`).join('; ');
    this.#record(
      'livelock',
      `the run did not end within ${maxSteps} steps, and it is a livelock: ${pollers} polled for the last ${idleRun} steps and nothing changed: each round is schedule() returning and being called again with no kernel state written, so what the loop waits for can never happen (${blocked}); the cycle is one round of ${cycle.length} step(s)`,
      related,
    );
  }

  #record(check: CheckName, message: string, related: readonly StepRef[] = []): void {
    // An oops came first: it is the run's failure, whatever the end of the run shows.
    if (this.oopses.length > 0) this.failure ??= this.oopses[0];
    this.failure ??= { check, message, step: this.stepIndex, thread: -1, related };
    if (this.tracing) this.log(`${check}: ${message}`);
  }

  #checkDeadlock(): void {
    const stuck = this.threads.filter((t) => !t.done && t.kind !== 'kernel' && !this.#leftStopped(t));
    if (stuck.length === 0) return;
    const who = stuck.map((t) => `${t.name} waits for ${t.waiting()}`).join('; ');
    this.#record('deadlock', `no thread can run: ${who}`);
  }

  /** The user's end-of-run properties, in the order given; the first that fails is the failure. */
  #checkProperties(): void {
    for (const { name, check } of this.#properties) {
      let holds: unknown;
      try {
        holds = check(this);
      } catch (e) {
        if (e instanceof KernelPanic) return;
        this.#record('property', `end-of-run property "${name}" threw: ${thrownMessage(e)}`);
        return;
      }
      if (holds !== true) {
        this.#record('property', `end-of-run property "${name}" does not hold (it returned ${describeArg(holds)})`);
        return;
      }
    }
  }

  /** A task thread spawned with `may_end_stopped`, in a job-control or tracing stop. */
  #leftStopped(t: SimThread): boolean {
    if (t.kind !== 'task' || this.mayEndStopped.size === 0) return false;
    for (const task of this.mayEndStopped) if (task.thread === t) return task.stoppedOrTraced && task.exit_state === 0;
    return false;
  }

  #checkLeaks(): void {
    for (const e of this.engines) {
      if (e.freedAt !== null) continue;
      if (e.freePending) continue;
      const why = e.refs > 0
        ? `${e.refs} counted reference(s) never put with utrace_engine_put${e.linked ? ` (and still attached to ${e.task})` : ''}`
        : `still attached to ${e.task}`;
      this.#record('leak', `${e.name} leaked at the end of the run: ${why}`, e.detachedAt ? [e.detachedAt] : []);
      return;
    }
    for (const box of this.allocations) {
      if (!box.freed) {
        this.#record('leak', `tracer data "${box.label}" leaked: never freed with kfree`);
        return;
      }
    }
  }

  #assertSetup(call: string): void {
    if (this.#ran) throw new UtraceUsageError('setup-before-run', `Kernel.${call}: make tasks and tracer threads before run()`);
  }
}

/** The state of a run in progress, shared by the run loop and the preemption points inside tracer calls. */
interface RunLoop {
  readonly scheduler: Scheduler;
  readonly pick: Scheduler['pick'];
  readonly schedule: number[];
  readonly preemptionSteps: number[];
  previous: number;
  readonly maxSteps: number;
  readonly runnable: RunnableSet;
  /** Steps other threads took inside the current tracer step's calls. */
  nested: number;
  /** A preemption point is being served (no point inside another). */
  inside: boolean;
}

/**
 * The ids of the runnable threads, ascending, kept up to date step by step: a thread that is
 * steadily runnable (it cannot be made to wait but by its own step) is not asked again until
 * it steps; only the others (waiting, not yet started) are re-checked at every step. A run of
 * many tasks then costs time linear in its steps, not steps times threads.
 */
class RunnableSet {
  /** Runnable thread ids, ascending; one array, changed in place. */
  readonly ids: number[] = [];
  readonly #member: boolean[] = [];
  /** Threads that may change state without stepping: re-checked at every step. */
  readonly #watched: SimThread[] = [];
  readonly #isWatched: boolean[] = [];
  /** Task threads waiting on their own state only: re-checked when told, not at every step. */
  readonly #parked: boolean[] = [];
  readonly #touched: SimThread[] = [];
  #known = 0;

  constructor(readonly threads: readonly SimThread[]) {}

  has(id: number): boolean {
    return this.#member[id] === true;
  }

  /** The state its wait reads changed: re-check `thread` at the next update. */
  touch(thread: SimThread | undefined): void {
    if (thread !== undefined && this.#parked[thread.id] === true) this.#touched.push(thread);
  }

  /** Brings the set up to date after `stepped` took a step (and new threads appeared); returns its size. */
  update(stepped: SimThread | undefined): number {
    const threads = this.threads;
    while (this.#known < threads.length) this.#classify(threads[this.#known++]!);
    if (stepped !== undefined) this.#classify(stepped);
    const touched = this.#touched;
    for (let i = 0; i < touched.length; i++) {
      const t = touched[i]!;
      if (this.#parked[t.id] === true) this.#set(t.id, t.runnable());
    }
    touched.length = 0;
    const watched = this.#watched;
    for (let i = 0; i < watched.length; ) {
      const t = watched[i]!;
      if (this.#isWatched[t.id] !== true) {
        watched[i] = watched[watched.length - 1]!;
        watched.pop();
        continue;
      }
      if (t.done || t.steadyRunnable()) {
        this.#set(t.id, !t.done);
        this.#isWatched[t.id] = false;
        watched[i] = watched[watched.length - 1]!;
        watched.pop();
        continue;
      }
      this.#set(t.id, t.runnable());
      i++;
    }
    return this.ids.length;
  }

  #classify(t: SimThread): void {
    this.#parked[t.id] = false;
    if (t instanceof GeneratorThread && t.waitsOnOwnState) {
      // Not polled: its task tells the kernel when the state its wait reads changes.
      this.#parked[t.id] = true;
      this.#set(t.id, t.runnable());
      // Dropped from the watched list at its next pass.
      this.#isWatched[t.id] = false;
      return;
    }
    if (t.done) {
      this.#set(t.id, false);
    } else if (t.steadyRunnable()) {
      this.#set(t.id, true);
    } else if (this.#isWatched[t.id] !== true) {
      this.#isWatched[t.id] = true;
      this.#watched.push(t);
    }
  }

  #set(id: number, runnable: boolean): void {
    if ((this.#member[id] === true) === runnable) return;
    this.#member[id] = runnable;
    const ids = this.ids;
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ids[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    if (runnable) ids.splice(lo, 0, id);
    else ids.splice(lo, 1);
  }
}

/**
 * What a failed tracer thread makes {@link Kernel.run} reject with: the value thrown when it
 * is an `Error`, as is; anything else (`undefined`, a string, an object without a prototype)
 * wrapped in an `Error` naming the thread, with the value as its `cause`.
 */
function tracerError(thread: TracerThread): unknown {
  const value = thread.error;
  if (value instanceof Error) return value;
  return new Error(`tracer thread ${thread.name} threw ${describeThrown(value)}, not an Error`, { cause: value });
}

/**
 * What {@link Kernel.tracer} returns.
 * @public
 * @category Kernel simulation
 */
export interface TracerHandle {
  /** The thread's name. */
  readonly name: string;
  /** Sends the thread a signal: its current or next blocking call returns -ERESTARTSYS. */
  interrupt(): void;
}
