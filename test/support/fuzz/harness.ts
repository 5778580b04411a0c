/**
 * Runs one generated {@link Scenario} on the kernel and checks it against the model
 * (`model.ts`): every call's return value as it returns, the callbacks as they run, the
 * invariants at every scheduling point, and after the run the guarantees that need the
 * whole schedule (-EINPROGRESS exactly when a callback was in progress, every enabled event
 * reported exactly once to every engine eligible for it).
 *
 * The oracle reads no kernel-internal state: what it knows of a task is its public
 * `exit_state`, the scheduler's runnable threads at each step, and the steps at which the
 * task took its program's events (a probe); {@link view} derives "stopped" from them. Only
 * {@link checkInvariants} reads the kernel's bookkeeping, which the invariants are about
 * (reference counts, task lists).
 */
import {
  clone,
  exec,
  exit,
  find_get_pid,
  call_rcu,
  IS_ERR,
  KBox,
  Kernel,
  kill,
  module_unload,
  PTR_ERR,
  raise,
  RandomScheduler,
  RoundRobinScheduler,
  rcu_read_section,
  schedule,
  synchronize_rcu,
  sys,
  UTRACE_ATTACH_CREATE,
  UTRACE_ATTACH_EXCLUSIVE,
  UTRACE_ATTACH_MATCH_DATA,
  UTRACE_ATTACH_MATCH_OPS,
  utrace_attach_pid,
  utrace_attach_task,
  utrace_barrier,
  utrace_clear_events_sync,
  utrace_control,
  utrace_detach_sync,
  utrace_engine_get,
  utrace_engine_put,
  utrace_examiner_init,
  utrace_finish_examine,
  utrace_prepare_examine,
  utrace_set_events,
  utrace_set_events_sync,
  UTRACE_SIGNAL_IGN,
  UTRACE_SYSCALL_ABORT,
  wait,
  UtraceUsageError,
  type ExecutionOutcome,
  type ProgramEvent,
  type Scheduler,
  type SchedulingPoint,
  type task_struct,
  type TracerHandle,
  type utrace_engine_ops,
  defineOps,
} from '../../../src/index.js';
import type { EngineHandle, EngineRecord } from '../../../src/kernel/engine.js';
import type { Task } from '../../../src/kernel/task.js';
import { ReplayScheduler } from '../../../src/sched/replay.js';
import { PctScheduler } from '../../../src/sched/pct.js';
import { encodeSchedule } from '../../../src/sched/schedule-string.js';
import {
  afterBarrier,
  afterControl,
  afterDetachSync,
  afterGet,
  afterSetEvents,
  afterSetEventsSync,
  AN_ENGINE,
  beforeSetEventsSync,
  bitIndexes,
  callbackBits,
  CLONE,
  DEATH,
  DEATH_EVENTS,
  DETACH,
  EINPROGRESS,
  ENGINE_STOP_BIT,
  ENOMEM,
  INTERRUPT,
  EngineModel,
  ENOENT,
  ERESTARTSYS,
  ESRCH,
  EXEC,
  EXIT,
  expectAttachCreate,
  expectBarrier,
  expectControl,
  expectDetachSync,
  expectFinishExamine,
  expectGet,
  expectKill,
  expectLookup,
  expectPrepareExamine,
  expectSetEvents,
  expectSetEventsSync,
  REAP,
  RESUME,
  SYSCALL_ENTRY,
  SYSCALL_EXIT,
  type Allowed,
  type BitState,
  type Match,
  type TaskView,
} from './model.js';
import { DRAIN_UNTIL_EXIT, ODD_BASE, ODD_RETURNS, type CallbackAct, type Cmd, type EvSpec, type MaskHow, type OpsKind, type Scenario, type TracerSpec } from './scenario.js';

const EXIT_DEAD = 32;
const SIGKILL = 9;
const SIGCONT = 18;
const CLONE_VFORK = 0x4000;
/** Watchdog ticks a tracer may stay blocked in an interruptible call before it is interrupted. */
const WATCHDOG_TICKS = 40;
const MAX_STEPS = 40_000;
/** Rounds of the tracer's last loop (SIGCONT to every live task, then schedule()). */
const FINAL_ROUNDS = 300;
/** Rounds the unloader and the watchdog poll for the tracers to finish. */
const POLL_ROUNDS = 4000;

/** What one run checked. */
export interface RunStats {
  /** Scheduling steps the kernel took. */
  readonly steps: number;
  /** API calls whose result was checked against the model. */
  readonly calls: number;
  /** Callback bodies run (each checked). */
  readonly callbacks: number;
  /** (engine, event) pairs where the engine was certainly eligible, so exactly one callback was required. */
  readonly eligible: number;
  /** Post-run checks of -EINPROGRESS / barrier results against the callbacks in progress. */
  readonly inProgressChecks: number;
  /** `call_rcu` callbacks queued (each checked to run once, after its call returned and before a later `synchronize_rcu` returned). */
  readonly rcuCallbacks: number;
  /** Callbacks that returned an illegal value or threw. */
  readonly hostileCallbacks: number;
  /** Calls through a revoked handle (each checked to throw a `stale-handle` UtraceUsageError). */
  readonly staleUses: number;
  /** Uses of an RCU-kept pointer after its events were enabled (each checked to throw a `rule-7` UtraceUsageError). */
  readonly rule7Uses: number;
  /** Attaches that made an allocation fail: predicted -ENOMEM, returned it, and a lookup found no engine. */
  readonly enomem: number;
  /** Blocking calls given an RCU-kept pointer (each checked to throw a `rule-1` UtraceUsageError and change nothing). */
  readonly rule1Uses: number;
  /** API calls made from callbacks and checked (own engine, another engine, get/put, barrier on current). */
  readonly callbackCalls: number;
  /** ... of which on another engine than the callback's. */
  readonly callbackCallsOther: number;
  /** -ERESTARTSYS returned to a tracer whose pending signal came from another tracer thread. */
  readonly interruptsOther: number;
  /** UTRACE_INTERRUPT calls by a tracer, on a target it saw certainly running / certainly stopped. */
  readonly interruptRunning: number;
  readonly interruptStopped: number;
  /** The tracer's views of live tasks: certainly stopped, certainly running, either. */
  readonly views: { readonly stopped: number; readonly running: number; readonly maybe: number };
  /** The run ended with the `refcount-underflow` check the model predicted for a second put. */
  readonly underflow?: boolean;
  /** The run ended with the deadlock the model predicted: this many tasks left alive when every tracer returned. */
  readonly deadlock?: number;
  /** The run ended with the `might_sleep` check the model predicted for a blocking call from a callback. */
  readonly mightSleep?: boolean;
  /** The callback the run's oops named, as the model predicted. */
  readonly oops?: string;
  /** Module unloads checked: 'after-unload' (module code after unload predicted and reported), 'clean' (neither). */
  readonly unload?: 'after-unload' | 'clean';
}

/** The result of one run: its statistics, what broke, and the kernel's outcome. */
export interface RunResult {
  readonly stats: RunStats;
  /** Model violations, invariant breaks, a failed outcome or an error thrown by the run. */
  readonly problems: readonly string[];
  readonly outcome: ExecutionOutcome | undefined;
}

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  /** Keep the kernel's trace (for the report of a failure). */
  readonly trace?: boolean;
  /** Replay this schedule (e.g. a failure's) instead of the scenario's seeded random one. */
  readonly replay?: readonly number[];
  /** Run under this scheduler (one the explorer hands out) instead of the scenario's own. */
  readonly scheduler?: Scheduler;
}

/** The scheduler a scenario asks for, seeded with its seed. */
function schedulerOf(sc: Scenario): Scheduler {
  switch (sc.sched.kind) {
    case 'random':
      return new RandomScheduler(sc.seed);
    case 'round-robin':
      return new RoundRobinScheduler();
    case 'pct':
      return new PctScheduler(sc.seed, sc.sched.depth, 200);
  }
}

/** Clock: records each step's thread and checks the invariants before each step. */
class Clock implements Scheduler {
  step = -1;
  thread = -1;
  /** The threads that could take the current step (the scheduler's view, public). */
  runnable: ReadonlySet<number> = new Set();
  readonly picks: number[] = [];
  readonly byThread = new Map<number, number[]>();

  constructor(
    readonly inner: Scheduler,
    readonly before: () => void,
  ) {}

  pick(point: SchedulingPoint): number {
    this.before();
    const chosen = this.inner.pick(point);
    this.step = point.step;
    this.thread = chosen;
    this.runnable = new Set(point.runnable);
    this.picks.push(chosen);
    let list = this.byThread.get(chosen);
    if (list === undefined) this.byThread.set(chosen, (list = []));
    list.push(point.step);
    return chosen;
  }

  /** Whether `thread` took a step strictly between steps `a` and `b`. */
  steppedBetween(thread: number, a: number, b: number): boolean {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const steps = this.byThread.get(thread) ?? [];
    // First index with step > lo.
    let l = 0;
    let h = steps.length;
    while (l < h) {
      const m = (l + h) >> 1;
      if (steps[m]! <= lo) l = m + 1;
      else h = m;
    }
    return l < steps.length && steps[l]! < hi;
  }

  /** Steps of `thread` just before and just after its step `s`. */
  around(thread: number, s: number): { prev: number; next: number } {
    const steps = this.byThread.get(thread) ?? [];
    let l = 0;
    let h = steps.length;
    while (l < h) {
      const m = (l + h) >> 1;
      if (steps[m]! < s) l = m + 1;
      else h = m;
    }
    return { prev: l > 0 ? steps[l - 1]! : Number.NEGATIVE_INFINITY, next: l + 1 < steps.length ? steps[l + 1]! : Number.POSITIVE_INFINITY };
  }

  lastStepOf(thread: number): number {
    const steps = this.byThread.get(thread);
    return steps === undefined || steps.length === 0 ? -1 : steps[steps.length - 1]!;
  }
}

/** A program the fuzzer built: its events' occurrence ids and the step at which the task fetched each. */
interface ProgInfo {
  readonly spec: readonly EvSpec[];
  /** Occurrence id of event i (sys/exec/clone), else -1. */
  readonly ids: number[];
  /** Step at which the task's thread fetched event i (for..of over the program). */
  readonly fetch: number[];
  /** Step at which the iteration ended without a break, or -1. */
  done: number;
  /** The task's thread, learned when it first fetched an event (it takes that step), or -1. */
  tid: number;
}

interface TaskInfo {
  readonly task: task_struct;
  readonly pid: number;
  readonly prog: ProgInfo;
  readonly kthread: boolean;
}

interface Body {
  readonly step: number;
  readonly thread: number;
  readonly name: string;
  readonly occ: number;
  readonly resumed: boolean;
  readonly ret: number | undefined;
}

interface EngInfo {
  readonly model: EngineModel;
  handle: unknown;
  readonly data: KBox<{ id: number; calls: number }>;
  readonly rets: readonly number[];
  readonly acts: readonly CallbackAct[];
  readonly task: TaskInfo;
  readonly owner: number;
  readonly record: EngineRecord;
  readonly bodies: Body[];
  released: number;
  count: number;
  /** Counted handles from utrace_engine_get beyond the main one, each owing one put (SPEC §3 v2). */
  readonly extra: unknown[];
  /** Handles a transition or a put revoked (a call returned another handle for them). */
  readonly revoked: unknown[];
  /**
   * `handle` is still the RCU-kept pointer a CREATE of may-detach ops returned (no counted
   * reference yet): tracked by the harness from the calls it made, never read from the handle.
   */
  rcuPointer: boolean;
  /**
   * A `*_sync` call of its tracer on it is in flight: it writes the mask at steps the tracer
   * does not see, so the model's mask is not known until it returns.
   */
  syncInFlight: boolean;
}

interface TracerState {
  readonly spec: TracerSpec;
  handle: TracerHandle | undefined;
  done: boolean;
  /** A signal may be pending (interrupt_self or the watchdog), not yet consumed by -ERESTARTSYS. */
  signalMaybe: boolean;
  /** Who sent the signal that may be pending. */
  signalFrom: 'self' | 'other' | 'watchdog' | null;
  /** Watchdog tick at which it blocked in an interruptible call, or null. */
  blockedSince: number | null;
}

interface PostCheck {
  readonly engine: EngInfo;
  readonly step: number;
  readonly what: string;
  /**
   * `einprogress-iff`: -EINPROGRESS exactly when a callback of the engine was in progress;
   * `einprogress-only-if`: -EINPROGRESS only then; `not-in-callback`: no callback was in
   * progress; `sync`: a *_sync call returned 0, so no callback for an event outside
   * `events` was in progress (SPEC §2).
   */
  readonly kind: 'einprogress-iff' | 'einprogress-only-if' | 'not-in-callback' | 'sync';
  readonly ret: number;
  /** For `sync`: the events the call left enabled. */
  readonly events?: number;
}

const describeAllowed = (a: Allowed): string => [...a.values].map((v) => (v === AN_ENGINE ? 'an engine' : String(v))).join(' | ');

/**
 * Runs `sc` once and checks it. Never throws for a kernel or model problem: those are in
 * `problems`.
 */
export async function runScenario(sc: Scenario, options: RunScenarioOptions = {}): Promise<RunResult> {
  const kernel = new Kernel({
    nr_cpus: sc.cpus,
    trace: options.trace ?? false,
    arch_has_single_step: sc.archSingleStep,
    arch_has_block_step: sc.archBlockStep,
  });
  const arch = { singleStep: sc.archSingleStep, blockStep: sc.archBlockStep };
  const problems: string[] = [];
  let calls = 0;
  let callbacks = 0;
  let eligibleCount = 0;
  const clock = new Clock(options.scheduler ?? (options.replay ? new ReplayScheduler(options.replay) : schedulerOf(sc)), () => checkInvariants());
  const problem = (text: string): void => {
    if (problems.length < 12) problems.push(`step ${clock.step}: ${text}`);
  };

  // ---- programs -------------------------------------------------------------------------
  const progByComm = new Map<string, ProgInfo>();
  // The kernel's probe says when a task's thread takes each event of its program: the lower
  // bound of that event's reporting passes (and, past the end, the upper bound of the last one's).
  kernel.probe = {
    fetch(task, index) {
      const info = progByComm.get(task.comm);
      if (info === undefined) return;
      info.tid = clock.thread;
      if (index < info.spec.length) info.fetch[index] = clock.step;
      else info.done = clock.step;
    },
  };
  const occurrences = new Map<number, { prog: ProgInfo; index: number }>();
  let nextOcc = 1000;
  let programCount = 0;
  const build = (spec: readonly EvSpec[], comm: string): ProgramEvent[] => {
    programCount++;
    const info: ProgInfo = { spec, ids: [], fetch: [], done: -1, tid: -1 };
    progByComm.set(comm, info);
    const events: ProgramEvent[] = spec.map((ev, index) => {
      let id = -1;
      let out: ProgramEvent;
      switch (ev.k) {
        case 'sys':
          id = nextOcc++;
          out = sys(id, index);
          break;
        case 'exec':
          id = nextOcc++;
          out = exec(`/bin/p${id}`);
          break;
        case 'clone': {
          id = nextOcc++;
          const comm2 = `c${id}`;
          out = clone(build(ev.child, comm2), { flags: ev.vfork ? CLONE_VFORK : 0, comm: comm2 });
          break;
        }
        case 'raise':
          out = raise(ev.sig);
          break;
        case 'wait':
          out = wait();
          break;
        case 'exit':
          out = exit(ev.code);
          break;
      }
      info.ids.push(id);
      if (id >= 0) occurrences.set(id, { prog: info, index });
      return out;
    });
    return events;
  };

  // ---- tasks ----------------------------------------------------------------------------
  const tasks = new Map<number, TaskInfo>();
  const taskList: TaskInfo[] = [];
  const allTaskObjects = new Set<Task>();
  const killSteps = new Map<number, number[]>();
  sc.tasks.forEach((t, i) => {
    const comm = `t${i}`;
    const task = kernel.spawn(comm, build(t.program, comm), { kthread: t.kthread });
    const info: TaskInfo = { task, pid: task.pid, prog: progByComm.get(comm)!, kthread: t.kthread };
    tasks.set(task.pid, info);
    taskList.push(info);
  });
  const maxPid = programCount;
  /** Every task the tracers can know of, in pid order (children once they exist). */
  const knownTasks = (): TaskInfo[] => {
    for (let pid = 1; pid <= maxPid; pid++) {
      if (tasks.has(pid)) continue;
      const task = kernel.find_task_by_pid(pid);
      if (task === undefined) continue;
      const prog = progByComm.get(task.comm);
      if (prog === undefined) continue;
      const info: TaskInfo = { task, pid, prog, kthread: false };
      tasks.set(pid, info);
      taskList.push(info);
    }
    return taskList;
  };
  /** How often the tracer's view of a live task said stopped, running, or either. */
  const views = { stopped: 0, running: 0, maybe: 0 };
  /** Tasks a call of the current step may have woken (a resume, a detach, a signal): step and pids. */
  let touched = { step: -1, pids: new Set<number>() };
  const touch = (t: TaskInfo): void => {
    if (touched.step !== clock.step) touched = { step: clock.step, pids: new Set() };
    touched.pids.add(t.pid);
  };
  /**
   * What a tracer sees of a task: `exit_state`, and whether its thread could take the current
   * step. A task cannot stop during another thread's step, so one that could run is not
   * stopped for the whole step; one that could not is stopped, unless it may be blocked in
   * `wait()` or a vfork, or a call of this step may have woken it: then either.
   */
  const view = (t: TaskInfo): TaskView => {
    const exited = t.task.exit_state !== 0;
    const tid = t.prog.tid;
    let stopped = false;
    let stoppedMaybe = false;
    if (!exited && tid >= 0 && !clock.runnable.has(tid)) {
      let last = -1;
      t.prog.fetch.forEach((s, i) => {
        if (s !== undefined) last = i;
      });
      const ev = t.prog.done >= 0 ? undefined : t.prog.spec[last];
      const mayWait = ev !== undefined && (ev.k === 'wait' || (ev.k === 'clone' && ev.vfork));
      const woken = touched.step === clock.step && touched.pids.has(t.pid);
      if (mayWait || woken) stoppedMaybe = true;
      else stopped = true;
    }
    if (!exited) views[stoppedMaybe ? 'maybe' : stopped ? 'stopped' : 'running']++;
    return { exited, reaped: t.task.exit_state === EXIT_DEAD, stopped, stoppedMaybe, kthread: t.kthread };
  };
  const threadOf = (t: TaskInfo): number => t.prog.tid;

  // ---- engines and callbacks ------------------------------------------------------------
  const engines = new Map<number, EngInfo>();
  const engineList: EngInfo[] = [];
  let nextEngine = 1;

  const onBody = (name: string, handle: unknown, occ: number, resumed: boolean): number | undefined => {
    const box = (handle as EngineHandle).data as KBox<{ id: number; calls: number }>;
    const value = box.value;
    value.calls++;
    const E = engines.get(value.id);
    if (E === undefined) {
      problem(`${name} called for an engine the tracers never attached`);
      return RESUME;
    }
    callbacks++;
    const step = clock.step;
    const thread = clock.thread;
    checkCallbackAllowed(E, name, step, thread);
    const n = E.count++;
    const r = E.rets[n % E.rets.length]!;
    if (r >= ODD_BASE && name !== 'report_reap') {
      // Hostile: an illegal value, or a throw. The model: an oops naming this callback (the
      // run's failure if it is the first and nothing else fails), the callback read as
      // UTRACE_RESUME (SPEC rule 4).
      const odd = ODD_RETURNS[r - ODD_BASE];
      oddBodies.push({ name, step, threw: odd === 'throw' });
      E.model.wantsStop = 'maybe';
      E.bodies.push({ step, thread, name, occ, resumed, ret: RESUME });
      if (odd === 'throw') throw new Error(`fuzz: ${name} throws on purpose`);
      return odd as number;
    }
    if (name !== 'report_reap') {
      const act = E.acts.length === 0 ? 0 : E.acts[n % E.acts.length]!;
      if (act !== 0) callbackAct(E, handle, name, act);
    }
    let action = r & 7;
    if (action === 7) action = RESUME;
    const extra = (r & 8) !== 0;
    let ret: number | undefined;
    if (name === 'report_reap') {
      ret = undefined;
      E.model.maybeDetached = true;
      E.model.allOff(step, false, 'report_reap ran (the final event)');
    } else {
      if (name === 'report_death') action = action === DETACH ? DETACH : RESUME;
      else if (action === DETACH && E.model.opsKind === 0) action = RESUME;
      ret = action;
      if (name === 'report_syscall_entry' && extra) ret |= UTRACE_SYSCALL_ABORT;
      if (name === 'report_signal' && extra) ret |= UTRACE_SIGNAL_IGN;
      E.model.wantsStop = 'maybe';
      if (action === DETACH) {
        E.model.maybeDetached = true;
        E.model.callbackDetachSteps.push(step);
        E.model.allOff(step, false, `${name} returned UTRACE_DETACH`);
      }
    }
    E.bodies.push({ step, thread, name, occ, resumed, ret });
    return ret;
  };

  /** API calls from callbacks checked, and of them those on another engine. */
  const cbCalls = { all: 0, other: 0 };
  /**
   * A callback body calls the API (SPEC §2 calls are allowed from callbacks; only blocking ones
   * are not: might_sleep). On its own engine it passes the handle it was given; the target is
   * current, so it is running, and a barrier returns 0 at once (ref §1.5: target == current).
   */
  const callbackAct = (E: EngInfo, handle: unknown, name: string, act: CallbackAct): void => {
    const step = clock.step;
    const from = `from ${name} of engine ${E.model.id}`;
    const other = engineList.find((O) => O !== E && !O.model.gone && !O.rcuPointer);
    switch (act) {
      case 1: {
        const tv = view(E.task);
        const allowed = expectControl(E.model, RESUME, tv, arch);
        const r = utrace_control(E.task.task, handle as never, RESUME);
        check(`utrace_control(engine ${E.model.id}, UTRACE_RESUME) ${from}`, allowed, r.ret);
        afterControl(E.model, RESUME, r.ret, step, tv, false);
        cbCalls.all++;
        return;
      }
      case 2: {
        // Not while a sync call of the tracer is settling the mask (the model cannot know it then).
        if (E.syncInFlight) return;
        // Only adds (relative to every bit that may be set): never clears, so never -EINPROGRESS.
        const events = (E.model.sure | E.model.maybe) & ~ENGINE_STOP_BIT;
        const allowed = expectSetEvents(E.model, events, view(E.task));
        const r = utrace_set_events(E.task.task, handle as never, events);
        check(`utrace_set_events(engine ${E.model.id}, 0x${events.toString(16)}) ${from}`, allowed, r.ret);
        afterSetEvents(E.model, events, r.ret, step);
        cbCalls.all++;
        return;
      }
      case 3: {
        const allowed = expectGet(E.model, view(E.task));
        const g = utrace_engine_get(handle as never);
        check(`utrace_engine_get(engine ${E.model.id}) ${from}`, allowed, g.ret);
        afterGet(E.model, g.ret, step);
        if (g.ret === 0) {
          utrace_engine_put(g.engine as never);
          E.model.refs--;
        }
        cbCalls.all++;
        return;
      }
      case 4:
        if (other === undefined) return;
        doControl(other, RESUME, false);
        cbCalls.all++;
        cbCalls.other++;
        return;
      case 5: {
        const p = utrace_barrier(E.task.task, handle as never);
        cbCalls.all++;
        void p.then((ret) => {
          if (ret !== 0) problem(`utrace_barrier(engine ${E.model.id}) ${from} returned ${ret}; the model expects 0 (ref §1.5: the target is current, nothing to wait for)`);
        });
        return;
      }
      case 6: {
        // A blocking call from a callback: the might_sleep check ends the run. Only the first
        // failure of a run is its outcome, so only when nothing else has failed or will.
        if (oddBodies.length > 0 || expectedFailure !== undefined) return;
        const target = engineList.find((O) => O.task !== E.task && !O.model.gone && !O.rcuPointer);
        expectedFailure = { check: 'might_sleep', step, why: `a blocking call ${from}` };
        const p =
          target !== undefined
            ? utrace_barrier(target.task.task, target.handle as never)
            : utrace_set_events_sync(E.task.task, handle as never, E.model.sure);
        void Promise.resolve(p).catch(() => undefined);
        problem(`a blocking call ${from} returned; the model expects the 'might_sleep' check to end the run`);
        return;
      }
    }
  };

  /** No callback for an event after a call that returned 0 (or a grace-ended -EINPROGRESS) disabled it. */
  const checkCallbackAllowed = (E: EngInfo, name: string, step: number, thread: number): void => {
    if (step > E.model.reapOnlyFrom && name !== 'report_reap') {
      problem(`${name} of engine ${E.model.id} ran after utrace_detach_sync/set_events_sync returned -ESRCH at step ${E.model.reapOnlyFrom}: only report_reap may still come (SPEC §2)`);
      return;
    }
    let blocking: BitState | undefined;
    for (const b of bitIndexes(callbackBits(name))) {
      const st = E.model.bits[b]!;
      if (st.kind !== 'off') return;
      if (step <= st.since) return;
      if (st.grace && step <= st.hardFrom && !clock.steppedBetween(thread, st.since, step)) return;
      blocking = st;
    }
    if (blocking !== undefined && blocking.kind === 'off') {
      problem(
        `${name} of engine ${E.model.id} ran at step ${step} on thread ${thread}, after ${blocking.why} at step ${blocking.since}${blocking.grace ? ` (a callback then in progress could finish, but not a later one${Number.isFinite(blocking.hardFrom) ? `, nor any after step ${blocking.hardFrom}` : ''})` : ''}`,
      );
    }
  };

  /** Handle misuses made, and the kernel check one of them must end the run with. */
  const misuses = { stale: 0, putTwice: 0 };
  let rcuMisuses = 0;
  let allocFailures = 0;
  let enomem = 0;
  let rule1Uses = 0;
  const interruptCalls = { running: 0, stopped: 0 };
  let expectedFailure: { readonly check: string; readonly step: number; readonly why: string } | undefined;
  /** Callbacks that returned an illegal value or threw, in the order they ran. */
  const oddBodies: Array<{ readonly name: string; readonly step: number; readonly threw: boolean }> = [];
  /** The call_rcu callbacks the tracers queued, and how often each ran. */
  const rcuQueued: Array<{ readonly step: number; ran: number }> = [];

  // ---- module ---------------------------------------------------------------------------
  const mod = sc.module !== null ? kernel.load_module('fuzzmod') : undefined;
  const moduleMembers =
    mod === undefined ? {} : sc.module!.counters ? { owner: mod, percpu_counters: kernel.alloc_percpu_counters() } : { owner: mod };
  /**
   * What the unloader saw when module_unload returned: whether an engine had not yet run its
   * `release` (module code that must still run, so after the unload).
   */
  let unloadSeen: { readonly step: number; readonly released: ReadonlySet<number> } | undefined;

  const occOf = (s: string, prefix: string): number => (s.startsWith(prefix) ? Number(s.slice(prefix.length)) : -1);
  const makeOps = (): utrace_engine_ops<any> => ({
    report_quiesce: (_a: number, e: unknown) => onBody('report_quiesce', e, -1, false),
    report_signal: (_a: number, e: unknown) => onBody('report_signal', e, -1, false),
    report_clone: (_a: number, e: unknown, _f: number, child: task_struct) => onBody('report_clone', e, occOf(child.comm, 'c'), false),
    report_jctl: (_a: number, e: unknown) => onBody('report_jctl', e, -1, false),
    report_exec: (_a: number, e: unknown, _fmt: unknown, bprm: { filename: string }) => onBody('report_exec', e, occOf(bprm.filename, '/bin/p'), false),
    report_syscall_entry: (a: number, e: unknown, regs: { syscall_nr: number }) => onBody('report_syscall_entry', e, regs.syscall_nr, (a & 0x100) !== 0),
    report_syscall_exit: (_a: number, e: unknown, regs: { syscall_nr: number }) => onBody('report_syscall_exit', e, regs.syscall_nr, false),
    report_exit: (_a: number, e: unknown) => onBody('report_exit', e, -1, false),
    report_death: (e: unknown) => onBody('report_death', e, -1, false),
    report_reap: (e: unknown) => {
      onBody('report_reap', e, -1, false);
      return undefined;
    },
    release: (data: KBox<{ id: number }>) => {
      const E = engines.get(data.value.id);
      if (E !== undefined) {
        E.released++;
        if (E.released > 1) problem(`release ran twice for engine ${E.model.id}`);
      }
      kernel.kfree(data as KBox<unknown>);
      return undefined;
    },
    ...moduleMembers,
  } as unknown as utrace_engine_ops<any>);
  // Kind 0 never detaches from a callback but report_death; kind 1 may (SPEC §3 rule 3).
  const opsByKind: Record<OpsKind, utrace_engine_ops<any>> = {
    0: defineOps(makeOps() as never) as never,
    1: defineOps(makeOps() as never, 'may-detach') as never,
  };

  const register = (handle: unknown, data: KBox<{ id: number; calls: number }>, t: TaskInfo, kind: OpsKind, rets: readonly number[], owner: number, acts: readonly CallbackAct[]): EngInfo => {
    const id = data.value.id;
    const E: EngInfo = {
      model: new EngineModel(id, t.pid, kind, clock.step),
      handle,
      data,
      rets,
      acts,
      task: t,
      owner,
      record: (handle as EngineHandle).record,
      bodies: [],
      released: 0,
      count: 0,
      extra: [],
      revoked: [],
      // SPEC §3 v2: a CREATE of may-detach ops gives the RCU-kept pointer, of never-detaching ops a counted reference.
      rcuPointer: kind === 1,
      syncInFlight: false,
    };
    engines.set(id, E);
    engineList.push(E);
    return E;
  };

  const check = (what: string, allowed: Allowed, ret: number): void => {
    calls++;
    if (!allowed.values.has(ret)) problem(`${what} returned ${ret === AN_ENGINE ? 'an engine' : ret}; the model allows ${describeAllowed(allowed)}: ${allowed.rule}`);
  };
  const postChecks: PostCheck[] = [];

  /** The callback of `E` may still be between its body and finish_callback (the task has not stepped since). */
  const finishPending = (E: EngInfo): boolean => {
    const last = E.bodies[E.bodies.length - 1];
    if (last === undefined || last.name === 'report_reap') return false;
    return clock.lastStepOf(last.thread) === last.step;
  };

  // ---- invariants at every scheduling point ---------------------------------------------
  function checkInvariants(): void {
    for (const t of kernel.tasks.values()) allTaskObjects.add(t);
    const seen = new Set<EngineRecord>();
    for (const t of allTaskObjects) {
      const u = t.utrace;
      if (u === null) continue;
      for (const list of [u.attached, u.attaching]) {
        for (const e of list) {
          if (seen.has(e)) problem(`invariant: ${e.name} is on more than one task list (attached/attaching)`);
          seen.add(e);
          if (e.task !== t) problem(`invariant: ${e.name} is on a list of ${t}, not of its own task ${e.task}`);
          if (!e.linked) problem(`invariant: ${e.name} is on a task list but not marked linked`);
          if (e.freedAt !== null) problem(`invariant: ${e.name} is on a task list after it was freed`);
        }
      }
    }
    for (const e of kernel.engines) {
      if (e.refs < 0) problem(`invariant: ${e.name} has a reference count below zero (${e.refs})`);
      if (e.freedAt !== null && e.linked) problem(`invariant: ${e.name} was freed while still linked`);
    }
  }

  // ---- set-up engines -------------------------------------------------------------------
  const newData = (): KBox<{ id: number; calls: number }> => kernel.kmalloc(`engine data ${nextEngine}`, { id: nextEngine++, calls: 0 });
  const owned: EngInfo[][] = sc.tracers.map(() => []);
  for (const spec of sc.engines) {
    const t = taskList[spec.task]!;
    const data = newData();
    const r = utrace_attach_task(t.task, UTRACE_ATTACH_CREATE, opsByKind[spec.opsKind] as never, data as never);
    if (IS_ERR(r)) {
      // A kernel thread: -EPERM is the documented answer; the data is ours to free.
      check('utrace_attach_task (set-up)', expectAttachCreate(view(t), false, null, false), PTR_ERR(r as never));
      kernel.kfree(data as KBox<unknown>);
      continue;
    }
    check('utrace_attach_task (set-up)', expectAttachCreate(view(t), false, null, false), AN_ENGINE);
    const E = register(r, data, t, spec.opsKind, spec.rets, spec.tracer, spec.acts);
    owned[spec.tracer]!.push(E);
    if (spec.opsKind === 1) {
      // The RCU-kept pointer is consumed: the counted handle becomes the main one.
      const g = utrace_engine_get(E.handle as never);
      check('utrace_engine_get (set-up)', expectGet(E.model, view(t)), g.ret);
      afterGet(E.model, g.ret, clock.step);
      if (g.engine !== E.handle) E.revoked.push(E.handle);
      E.handle = g.engine;
      if (g.ret === 0) E.rcuPointer = false;
    }
    const allowed = expectSetEvents(E.model, spec.mask, view(t));
    const s = utrace_set_events(t.task, E.handle as never, spec.mask);
    check('utrace_set_events (set-up)', allowed, s.ret);
    afterSetEvents(E.model, spec.mask, s.ret, clock.step);
    E.handle = s.engine;
  }

  // ---- tracer threads -------------------------------------------------------------------
  const tracers: TracerState[] = sc.tracers.map((spec) => ({ spec, handle: undefined, done: false, signalMaybe: false, signalFrom: null, blockedSince: null }));
  let wdTick = 0;
  const needsWatchdog = sc.tracers.some((t) => t.cmds.some((c) => c.op === 'barrier')) || sc.tracers.some((t) => t.teardown === 'control');

  const live = (k: number): EngInfo[] => owned[k]!.filter((E) => !E.model.gone);
  const pickEngine = (k: number, e: number): EngInfo | undefined => {
    const list = live(k);
    return list.length === 0 ? undefined : list[e % list.length];
  };
  const maskFor = (E: EngInfo, mask: number, how: MaskHow): number => {
    if (how === 'add') return E.model.maybe | mask;
    if (how === 'clear') return E.model.sure & ~mask & ~ENGINE_STOP_BIT;
    return mask;
  };
  const inRcu = <T>(rcu: boolean, body: () => T): T => (rcu ? (rcu_read_section(body as never) as T) : body());

  const doSetEvents = (E: EngInfo, events: number, rcu: boolean): void => {
    const tv = view(E.task);
    const st = E.model.status(tv);
    const surelyClears = (E.model.sure & ~(events & ~ENGINE_STOP_BIT)) !== 0;
    const allowed = expectSetEvents(E.model, events, tv);
    const step = clock.step;
    const r = inRcu(rcu, () => utrace_set_events(E.task.task, E.handle as never, events));
    touch(E.task);
    check(`utrace_set_events(engine ${E.model.id}, 0x${events.toString(16)})`, allowed, r.ret);
    if (st === 'att' && !tv.exited && !tv.stopped && !tv.stoppedMaybe && surelyClears) {
      postChecks.push({ engine: E, step, what: 'utrace_set_events', kind: 'einprogress-iff', ret: r.ret });
    } else if (r.ret === -EINPROGRESS) {
      postChecks.push({ engine: E, step, what: 'utrace_set_events', kind: 'einprogress-only-if', ret: r.ret });
    }
    afterSetEvents(E.model, events, r.ret, step);
    E.handle = r.engine;
  };

  const doControl = (E: EngInfo, action: number, rcu: boolean): number => {
    const tv = view(E.task);
    const st = E.model.status(tv);
    const allowed = expectControl(E.model, action, tv, arch);
    const step = clock.step;
    const pending = finishPending(E);
    const r = inRcu(rcu, () => utrace_control(E.task.task, E.handle as never, action));
    touch(E.task);
    if (action === INTERRUPT && r.ret === 0 && !tv.exited && !tv.stoppedMaybe) interruptCalls[tv.stopped ? 'stopped' : 'running']++;
    check(`utrace_control(engine ${E.model.id}, ${action})`, allowed, r.ret);
    if (action === DETACH && st === 'att' && !tv.exited && !tv.stopped && !tv.stoppedMaybe) {
      postChecks.push({ engine: E, step, what: 'utrace_control(UTRACE_DETACH)', kind: 'einprogress-iff', ret: r.ret });
    }
    afterControl(E.model, action, r.ret, step, tv, pending);
    // A call that returns another handle revoked the one passed in (a transition).
    if (r.engine !== E.handle) E.revoked.push(E.handle);
    E.handle = r.engine;
    return r.ret;
  };

  const blockingInterruptible = async <T>(tr: TracerState, body: () => Promise<T>): Promise<T> => {
    tr.blockedSince = wdTick;
    try {
      return await body();
    } finally {
      tr.blockedSince = null;
    }
  };

  let interruptsOther = 0;
  const consumeSignal = (tr: TracerState): void => {
    if (tr.signalFrom === 'other') interruptsOther++;
    tr.signalMaybe = false;
    tr.signalFrom = null;
  };

  const doBarrier = async (tr: TracerState, E: EngInfo): Promise<number> => {
    const ret = await blockingInterruptible(tr, () => utrace_barrier(E.task.task, E.handle as never));
    touch(E.task);
    const step = clock.step;
    check(`utrace_barrier(engine ${E.model.id})`, expectBarrier(E.model, view(E.task), tr.signalMaybe), ret);
    if (ret === -ERESTARTSYS) consumeSignal(tr);
    if (ret === 0) postChecks.push({ engine: E, step, what: 'utrace_barrier', kind: 'not-in-callback', ret });
    afterBarrier(E.model, ret, step);
    return ret;
  };

  const doSetEventsSync = async (tr: TracerState, E: EngInfo, events: number, clear: boolean): Promise<void> => {
    const atCall = view(E.task);
    const callStep = clock.step;
    beforeSetEventsSync(E.model, events);
    E.syncInFlight = true;
    const r = await blockingInterruptible(tr, () =>
      clear ? utrace_clear_events_sync(E.task.task, E.handle as never) : utrace_set_events_sync(E.task.task, E.handle as never, events),
    ).finally(() => {
      E.syncInFlight = false;
    });
    touch(E.task);
    const step = clock.step;
    const name = clear ? 'utrace_clear_events_sync' : `utrace_set_events_sync(0x${events.toString(16)})`;
    check(`${name} on engine ${E.model.id}`, expectSetEventsSync(E.model, events, atCall, view(E.task), tr.signalMaybe), r.ret);
    if (r.ret === 0) postChecks.push({ engine: E, step, what: name, kind: 'sync', ret: 0, events: events & ~ENGINE_STOP_BIT });
    if (r.ret === -ERESTARTSYS) consumeSignal(tr);
    afterSetEventsSync(E.model, events, r.ret, callStep, step);
    if (r.engine !== E.handle) E.revoked.push(E.handle);
    E.handle = r.engine;
  };

  const doDetachSync = async (E: EngInfo): Promise<void> => {
    const atCall = view(E.task);
    const callStep = clock.step;
    E.syncInFlight = true;
    const r = await utrace_detach_sync(E.task.task, E.handle as never).finally(() => {
      E.syncInFlight = false;
    });
    touch(E.task);
    const step = clock.step;
    check(`utrace_detach_sync(engine ${E.model.id})`, expectDetachSync(E.model, atCall, view(E.task)), r.ret);
    if (r.ret === 0) postChecks.push({ engine: E, step, what: 'utrace_detach_sync', kind: 'sync', ret: 0, events: 0 });
    afterDetachSync(E.model, r.ret, callStep, step);
    E.handle = r.engine;
  };

  const doGet = (E: EngInfo, rcu: boolean): void => {
    const allowed = expectGet(E.model, view(E.task));
    const r = inRcu(rcu, () => utrace_engine_get(E.handle as never));
    check(`utrace_engine_get(engine ${E.model.id})`, allowed, r.ret);
    afterGet(E.model, r.ret, clock.step);
    // Each get gives a new handle owing its own put; one from the RCU-kept pointer replaces it.
    if (r.ret === 0 && E.rcuPointer) {
      E.revoked.push(E.handle);
      E.handle = r.engine;
      E.rcuPointer = false;
    } else if (r.ret === 0) E.extra.push(r.engine);
  };

  /** Gives up every counted reference: the extra ones, then the main handle's. */
  const putAll = (E: EngInfo): void => {
    rcu_read_section(() => {
      for (const h of E.extra.splice(0)) utrace_engine_put(h as never);
      utrace_engine_put(E.handle as never);
      E.model.refs = 0;
      E.model.pointer = false;
      E.model.gone = true;
    });
  };

  const doKill = (t: TaskInfo, sig: number): number => {
    const allowed = expectKill(sig, view(t));
    const ret = kill(t.task, sig);
    touch(t);
    check(`kill(pid ${t.pid}, ${sig})`, allowed, ret);
    if (sig === SIGKILL && ret === 0) {
      let list = killSteps.get(t.pid);
      if (list === undefined) killSteps.set(t.pid, (list = []));
      list.push(clock.step);
    }
    return ret;
  };

  const resumeAll = (k: number): void => {
    for (const E of live(k)) if (E.model.status(view(E.task)) !== 'det') doControl(E, RESUME, false);
    for (const t of knownTasks()) {
      const v = view(t);
      if (v.stopped || v.stoppedMaybe) doKill(t, SIGCONT);
    }
  };

  /**
   * Rule 7 (SPEC §3): once its events are enabled, no call takes an engine's RCU-kept pointer.
   * In one step (no callback can run between): enable events through the pointer, use it again
   * (utrace_engine_get must throw a `rule-7` UtraceUsageError), then take the counted reference
   * the right way, by a lookup of the engine's data.
   */
  const rcuPointerMisuse = (E: EngInfo, lookupFlags: number): void => {
    doSetEvents(E, SYSCALL_ENTRY | REAP, false);
    const enabled = E.model.sure !== 0;
    let threw: unknown;
    let got: { ret: number; engine: unknown } | undefined;
    try {
      got = utrace_engine_get(E.handle as never);
    } catch (e) {
      threw = e;
    }
    calls++;
    const rule7 = threw instanceof UtraceUsageError && threw.rule === 'rule-7';
    if (threw !== undefined && !rule7) throw threw;
    if (enabled && !rule7) {
      problem(`utrace_engine_get through the RCU-kept pointer of engine ${E.model.id} after its events were enabled returned ${got?.ret}; the model expects a 'rule-7' UtraceUsageError (SPEC §3 rule 7)`);
    }
    if (got !== undefined) {
      afterGet(E.model, got.ret, clock.step);
      if (got.ret === 0) {
        E.revoked.push(E.handle);
        E.handle = got.engine;
        E.rcuPointer = false;
      }
      return;
    }
    rcuMisuses++;
    const r = utrace_attach_task(E.task.task, (lookupFlags & UTRACE_ATTACH_MATCH_OPS) | UTRACE_ATTACH_MATCH_DATA, opsByKind[1] as never, E.data as never);
    calls++;
    if (IS_ERR(r)) {
      problem(`the lookup of engine ${E.model.id} by its data, attached in this very step, returned ${PTR_ERR(r as never)}; the model expects the engine (ref §1.2)`);
      E.model.gone = true;
      return;
    }
    afterGet(E.model, 0, clock.step);
    E.handle = r;
    E.rcuPointer = false;
  };

  /**
   * Rule 1 (SPEC §3): a blocking call never takes an RCU-kept pointer, even before events are
   * enabled: it throws a `rule-1` UtraceUsageError at once (memory rule v2) and changes nothing,
   * so the pointer still works for the utrace_engine_get that follows.
   */
  const rule1Misuse = async (E: EngInfo, call: 'barrier' | 'detach_sync'): Promise<void> => {
    let threw: unknown;
    let ret: number | undefined;
    try {
      ret = call === 'barrier' ? await utrace_barrier(E.task.task, E.handle as never) : (await utrace_detach_sync(E.task.task, E.handle as never)).ret;
    } catch (e) {
      threw = e;
    }
    calls++;
    if (threw instanceof UtraceUsageError && threw.rule === 'rule-1') {
      rule1Uses++;
      return;
    }
    if (threw !== undefined) throw threw;
    problem(`utrace_${call} through the RCU-kept pointer of engine ${E.model.id} returned ${ret}; the model expects a 'rule-1' UtraceUsageError (SPEC §3 rule 1)`);
    E.model.gone = true;
  };

  const doAttach = async (k: number, cmd: Extract<Cmd, { op: 'attach' }>): Promise<void> => {
    const known = knownTasks();
    const t = known[cmd.task % known.length]!;
    const tv = view(t);
    const onTask = engineList.filter((E) => E.task === t);
    const matchData = onTask.length > 0 ? onTask[cmd.dataOf % onTask.length]!.data : undefined;
    const byMode: Record<string, number> = {
      create: UTRACE_ATTACH_CREATE,
      'create-exclusive': UTRACE_ATTACH_CREATE | UTRACE_ATTACH_EXCLUSIVE,
      'create-exclusive-ops': UTRACE_ATTACH_CREATE | UTRACE_ATTACH_EXCLUSIVE | UTRACE_ATTACH_MATCH_OPS,
      'create-exclusive-data': UTRACE_ATTACH_CREATE | UTRACE_ATTACH_EXCLUSIVE | UTRACE_ATTACH_MATCH_DATA,
      'create-null-ops': UTRACE_ATTACH_CREATE,
      'lookup-any': 0,
      'lookup-ops': UTRACE_ATTACH_MATCH_OPS,
      'lookup-data': UTRACE_ATTACH_MATCH_DATA,
      'lookup-ops-data': UTRACE_ATTACH_MATCH_OPS | UTRACE_ATTACH_MATCH_DATA,
    };
    const flags = byMode[cmd.mode]!;
    const ops = cmd.mode === 'create-null-ops' ? null : opsByKind[cmd.opsKind];
    const data = (flags & UTRACE_ATTACH_CREATE) !== 0 ? newData() : matchData;
    const matches = (E: EngInfo): boolean =>
      ((flags & UTRACE_ATTACH_MATCH_OPS) === 0 || E.model.opsKind === cmd.opsKind) &&
      ((flags & UTRACE_ATTACH_MATCH_DATA) === 0 || E.data === data);
    const candidates: Match[] = [];
    for (const E of onTask) {
      const st = E.model.status(tv);
      if (st !== 'det' && matches(E)) candidates.push({ id: E.model.id, st });
    }
    const r = cmd.viaPid
      ? utrace_attach_pid(find_get_pid(kernel, t.pid), flags, ops as never, data as never)
      : utrace_attach_task(t.task, flags, ops as never, data as never);
    const got = IS_ERR(r) ? PTR_ERR(r as never) : AN_ENGINE;
    if ((flags & UTRACE_ATTACH_CREATE) !== 0) {
      const exclusive = (flags & UTRACE_ATTACH_EXCLUSIVE) !== 0 ? candidates : null;
      // The allocation is tried once the pid, the ops and the kthread test passed (ref §1.2).
      const allocates = !(cmd.viaPid && tv.reaped) && ops !== null && !t.kthread;
      const allocFails = allocates && allocFailures > 0;
      if (allocFails) allocFailures--;
      check(`utrace_attach_${cmd.viaPid ? 'pid' : 'task'}(pid ${t.pid}, ${cmd.mode})`, expectAttachCreate(tv, ops === null, exclusive, cmd.viaPid, allocFails), got);
      if (got === -ENOMEM) {
        // No engine was made: a lookup of its data finds nothing.
        const l = utrace_attach_task(t.task, UTRACE_ATTACH_MATCH_DATA, null as never, data as never);
        calls++;
        if (IS_ERR(l) && PTR_ERR(l as never) === -ENOENT) enomem++;
        else {
          problem(`utrace_attach(pid ${t.pid}, ${cmd.mode}) returned -ENOMEM, yet a lookup of its data found ${IS_ERR(l) ? PTR_ERR(l as never) : 'an engine'}; the model expects -ENOENT (a failed allocation makes no engine)`);
          if (!IS_ERR(l)) rcu_read_section(() => utrace_engine_put(l as never));
        }
      }
      if (got !== AN_ENGINE) {
        kernel.kfree(data as KBox<unknown>);
        return;
      }
      const E = register(r, data as KBox<{ id: number; calls: number }>, t, cmd.opsKind, cmd.rets, k, cmd.acts);
      owned[k]!.push(E);
      if (cmd.opsKind === 1 && cmd.rule1 !== 'none') await rule1Misuse(E, cmd.rule1);
      if (cmd.opsKind === 1 && cmd.rcuMisuse) rcuPointerMisuse(E, flags & ~UTRACE_ATTACH_CREATE & ~UTRACE_ATTACH_EXCLUSIVE);
      else if (cmd.opsKind === 1) doGet(E, false);
      return;
    }
    // A lookup: the first matching engine not detached, with a counted reference, which is put at once.
    const exp = expectLookup(candidates, tv, cmd.viaPid);
    calls++;
    if (got !== AN_ENGINE) {
      const okErr = (got === -ENOENT && exp.enoent) || (got === -ESRCH && exp.esrch);
      if (!okErr) problem(`lookup utrace_attach(pid ${t.pid}, ${cmd.mode}) returned ${got}; the model allows engine(s) ${exp.ids.join(', ')}${exp.enoent ? ' or -ENOENT' : ''}: ${exp.rule}`);
      return;
    }
    const foundBox = (r as unknown as { data: unknown }).data;
    const found = onTask.find((E) => E.data === foundBox);
    if (found === undefined || !exp.ids.includes(found.model.id)) {
      problem(`lookup utrace_attach(pid ${t.pid}, ${cmd.mode}) returned engine ${found?.model.id ?? '?'}; the model allows ${exp.ids.join(', ') || 'none'}${exp.enoent ? ' or -ENOENT' : ''}: ${exp.rule}`);
    }
    rcu_read_section(() => utrace_engine_put(r as never));
  };

  /**
   * Handle misuse. A revoked handle: any call through it throws a `stale-handle`
   * UtraceUsageError and changes nothing (SPEC §3, memory rule v2). A second put of one
   * counted reference: the kernel's `refcount-underflow` check ends the run.
   */
  const doMisuse = (E: EngInfo, kind: 'stale' | 'put-twice'): void => {
    if (kind === 'stale') {
      const h = E.revoked[E.revoked.length - 1];
      if (h === undefined) return;
      calls++;
      misuses.stale++;
      let ret: number;
      try {
        ret = utrace_control(E.task.task, h as never, RESUME).ret;
      } catch (e) {
        if (e instanceof UtraceUsageError && e.rule === 'stale-handle') return;
        throw e;
      }
      problem(`utrace_control(engine ${E.model.id}, UTRACE_RESUME) through a revoked handle returned ${ret}; the model expects a 'stale-handle' UtraceUsageError (SPEC §3: a transition revokes the handle passed in)`);
      return;
    }
    const tv = view(E.task);
    const allowed = expectGet(E.model, tv);
    const g = utrace_engine_get(E.handle as never);
    check(`utrace_engine_get(engine ${E.model.id})`, allowed, g.ret);
    afterGet(E.model, g.ret, clock.step);
    if (g.ret !== 0) return;
    utrace_engine_put(g.engine as never);
    E.model.refs--;
    misuses.putTwice++;
    expectedFailure = { check: 'refcount-underflow', step: clock.step, why: `a second utrace_engine_put of one counted reference of engine ${E.model.id}` };
    utrace_engine_put(g.engine as never);
    problem(`a second utrace_engine_put of one counted reference of engine ${E.model.id} returned; the model expects the 'refcount-underflow' check to end the run`);
  };

  const runCmd = async (k: number, tr: TracerState, cmd: Cmd): Promise<void> => {
    switch (cmd.op) {
      case 'attach':
        await doAttach(k, cmd);
        return;
      case 'set_events': {
        const E = pickEngine(k, cmd.e);
        if (E) doSetEvents(E, maskFor(E, cmd.mask, cmd.how), cmd.rcu);
        return;
      }
      case 'control': {
        const E = pickEngine(k, cmd.e);
        if (E) doControl(E, cmd.action, cmd.rcu);
        return;
      }
      case 'barrier': {
        const E = pickEngine(k, cmd.e);
        if (E) await doBarrier(tr, E);
        return;
      }
      case 'set_events_sync': {
        const E = pickEngine(k, cmd.e);
        if (E) await doSetEventsSync(tr, E, maskFor(E, cmd.mask, cmd.how), false);
        return;
      }
      case 'clear_events_sync': {
        const E = pickEngine(k, cmd.e);
        if (E) await doSetEventsSync(tr, E, 0, true);
        return;
      }
      case 'detach_sync': {
        const E = pickEngine(k, cmd.e);
        if (E) await doDetachSync(E);
        return;
      }
      case 'get': {
        const E = pickEngine(k, cmd.e);
        if (E) doGet(E, cmd.rcu);
        return;
      }
      case 'put': {
        const E = pickEngine(k, cmd.e);
        const baseline = E?.model.opsKind === 1 ? 1 : 0;
        if (E && E.model.refs > baseline && E.extra.length > 0) {
          const h = E.extra.pop();
          utrace_engine_put(h as never);
          E.revoked.push(h);
          E.model.refs--;
        }
        return;
      }
      case 'examine': {
        const E = pickEngine(k, cmd.e);
        if (!E) return;
        const exam = utrace_examiner_init();
        const allowedP = expectPrepareExamine(E.model, view(E.task));
        const ret = await utrace_prepare_examine(E.task.task, E.handle as never, exam);
        const prepStep = clock.step;
        check(`utrace_prepare_examine(engine ${E.model.id})`, allowedP, ret);
        const pv = view(E.task);
        if (ret === 0 && !pv.stopped && !pv.stoppedMaybe) problem(`utrace_prepare_examine returned 0 but the target is running (ref §1.6)`);
        for (let i = 0; i < cmd.hold; i++) await schedule();
        const allowedF = expectFinishExamine(E.model, view(E.task));
        const f = utrace_finish_examine(E.task.task, E.handle as never, exam);
        check(`utrace_finish_examine(engine ${E.model.id})`, allowedF, f);
        if (f === 0 && ret !== 0) problem('utrace_finish_examine returned 0 without a successful utrace_prepare_examine');
        if (f === 0 && ret === 0 && clock.steppedBetween(threadOf(E.task), prepStep, clock.step)) {
          problem('utrace_finish_examine returned 0 though the target ran since utrace_prepare_examine (ref §1.6: -EAGAIN)');
        }
        return;
      }
      case 'kill': {
        const known = knownTasks();
        doKill(known[cmd.task % known.length]!, cmd.sig);
        return;
      }
      case 'schedule':
        for (let i = 0; i < cmd.n; i++) await schedule();
        return;
      case 'synchronize_rcu': {
        const before = rcuQueued.slice();
        await synchronize_rcu();
        // "every call_rcu callback queued before it has run" (the synchronize_rcu contract, src/api/rcu.ts).
        for (const q of before) if (q.ran === 0) problem(`synchronize_rcu returned before the call_rcu callback queued at step ${q.step} ran`);
        return;
      }
      case 'call_rcu': {
        const box = kernel.kmalloc(`rcu block ${rcuQueued.length}`, { n: rcuQueued.length });
        const q = { step: clock.step, ran: 0 };
        rcuQueued.push(q);
        inRcu(cmd.rcu, () =>
          call_rcu(() => {
            q.ran++;
            if (q.ran > 1) problem(`the call_rcu callback queued at step ${q.step} ran ${q.ran} times`);
            kernel.kfree(box);
          }),
        );
        if (q.ran !== 0) problem('a call_rcu callback ran before call_rcu returned (it must wait for a grace period)');
        return;
      }
      case 'interrupt_self':
        tr.signalMaybe = true;
        tr.signalFrom = 'self';
        tr.handle!.interrupt();
        return;
      case 'interrupt_other': {
        // Another tracer thread's signal: a blocking call it is in (or makes next) may return -ERESTARTSYS.
        if (tracers.length < 2) return;
        const o = tracers[(k + 1 + cmd.t) % tracers.length]!;
        if (o === tr || o.done) return;
        o.signalMaybe = true;
        o.signalFrom = 'other';
        o.handle!.interrupt();
        return;
      }
      case 'fail_alloc':
        kernel.fail_next_allocations(cmd.n);
        allocFailures = cmd.n;
        return;
      case 'resume_all':
        resumeAll(k);
        return;
      case 'misuse': {
        const E = pickEngine(k, cmd.e);
        if (E) doMisuse(E, cmd.kind);
        return;
      }
    }
  };

  const teardown = async (k: number, tr: TracerState): Promise<void> => {
    for (const E of live(k)) {
      if (tr.spec.teardown === 'detach_sync') {
        await doDetachSync(E);
      } else {
        const ret = doControl(E, DETACH, false);
        if (ret === -EINPROGRESS) await doBarrier(tr, E);
      }
      putAll(E);
    }
  };

  tracers.forEach((tr, k) => {
    tr.handle = kernel.tracer(`tracer${k}`, async () => {
      try {
        for (const cmd of tr.spec.cmds) await runCmd(k, tr, cmd);
        for (let i = 0; i < tr.spec.drain; i++) {
          if (tr.spec.drain === DRAIN_UNTIL_EXIT && knownTasks().every((t) => t.task.exit_state !== 0)) break;
          resumeAll(k);
          await schedule();
        }
        await teardown(k, tr);
        // Nothing keeps a task stopped any more but a job-control stop: continue it until every task has exited.
        // Bounded. `schedule()` is a fair yield, so every strategy lets the tasks run between rounds;
        // should a task still be left in a stop, the model predicts that deadlock after the run.
        for (let round = 0; round < FINAL_ROUNDS; round++) {
          let alive = false;
          for (const t of knownTasks()) if (kill(t.task, SIGCONT) === 0) alive = true;
          if (!alive) break;
          await schedule();
        }
      } finally {
        tr.done = true;
      }
    });
  });
  if (mod !== undefined) {
    kernel.tracer('unloader', async () => {
      if (sc.module!.wait) {
        // The safe order: every engine detached and put by its tracer, then wait until each
        // has run release. An engine a callback detached is unlinked only when its task next
        // reports or is reaped, and freed a grace period after that: waiting for the tracers
        // and one synchronize_rcu is not enough.
        for (let i = 0; i < POLL_ROUNDS && tracers.some((t) => !t.done); i++) await schedule();
        for (let round = 0; round < 200 && engineList.some((E) => E.released === 0); round++) {
          await synchronize_rcu();
          await schedule();
        }
      }
      await module_unload(mod);
      unloadSeen = { step: clock.step, released: new Set(engineList.filter((E) => E.released > 0).map((E) => E.model.id)) };
    });
  }
  if (needsWatchdog) {
    kernel.tracer('watchdog', async () => {
      for (let i = 0; i < POLL_ROUNDS && tracers.some((t) => !t.done); i++) {
        await schedule();
        wdTick++;
        for (const t of tracers) {
          if (t.blockedSince !== null && wdTick - t.blockedSince > WATCHDOG_TICKS) {
            t.blockedSince = null;
            t.signalMaybe = true;
            t.signalFrom = 'watchdog';
            t.handle!.interrupt();
          }
        }
      }
    });
  }

  // ---- run --------------------------------------------------------------------------------
  let outcome: ExecutionOutcome | undefined;
  try {
    outcome = await kernel.run(clock, { maxSteps: MAX_STEPS });
  } catch (e) {
    problem(`the run threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  // Every polling loop of the harness is bounded, so no schedule, fair or not, reaches the
  // step limit. An unfair one may let the tracers return while a task they know has not
  // exited; nothing continues it if it stops: the model predicts the deadlock from what the
  // tracers see (every tracer returned, a known task's exit_state still 0), and that the
  // kernel's report names exactly those tasks.
  const afterUnload = outcome?.failure?.check === 'module-code-after-unload';
  const leftAlive = knownTasks().filter((t) => t.task.exit_state === 0);
  const tracersDone = tracers.every((t) => t.done);
  let deadlockChecked = false;
  // (A run that ends 'ok' has every task exited, so the only case to check is a deadlock.)
  if (outcome !== undefined && outcome.failure?.check === 'deadlock') {
    if (tracersDone && leftAlive.length > 0) {
      const msg = outcome.failure!.message;
      const named = (t: TaskInfo): boolean => msg.includes(`[${t.pid}] waits for`);
      const missing = leftAlive.filter((t) => !named(t));
      const extra = knownTasks().filter((t) => t.task.exit_state !== 0 && named(t));
      if (missing.length > 0 || extra.length > 0) {
        problem(`the deadlock report does not name exactly the tasks left alive (${leftAlive.map((t) => t.pid).join(', ')}): ${msg}`);
      } else deadlockChecked = true;
    }
  }
  const unfairStop = deadlockChecked;
  let unloadVerdict: 'after-unload' | 'clean' | undefined;
  let oopsChecked = false;
  if (outcome !== undefined && mod !== undefined) {
    // Every engine is freed by the end (each tracer puts its own), and its release is module
    // code: module code after unload exactly when an engine (one attached before the unload,
    // or after it) had not run release when module_unload returned.
    if (unloadSeen === undefined && !afterUnload && outcome.status === 'ok') problem('the unloader never returned from module_unload');
    // With per-CPU counters, module_unload waits until no callback of the module runs: module
    // code after unload can only come after it returned, never from the unload itself.
    if (unloadSeen === undefined && afterUnload && expectedFailure === undefined && sc.module!.counters) {
      problem(`module code after unload reported before module_unload returned, though every engine's ops have per-CPU counters it must wait for: ${outcome.failure?.message}`);
    }
    const pending = unloadSeen === undefined ? [] : engineList.filter((E) => !unloadSeen!.released.has(E.model.id)).map((E) => E.model.id);
    const expected = pending.length > 0;
    // Without per-CPU counters module_unload cannot wait: it reports a report pass of the
    // module's callbacks still in flight as module code after unload. The tracer cannot see the
    // pass, only that an engine of the module had not run release (it could still report).
    const unloadMidCallback = (): boolean =>
      /unloaded while report_\w+ of /.test(outcome.failure?.message ?? '') && engineList.some((E) => E.released === 0);
    if (expected && afterUnload) unloadVerdict = 'after-unload';
    else if (afterUnload && unloadSeen === undefined && !sc.module!.counters && unloadMidCallback()) unloadVerdict = 'after-unload';
    else if (!expected && outcome.status === 'ok' && unloadSeen !== undefined) unloadVerdict = 'clean';
    if (expected && outcome.status === 'ok') {
      problem(`module_unload returned at step ${unloadSeen!.step} before engine(s) ${pending.join(', ')} ran release, yet the run reported no module code after unload`);
    } else if (afterUnload && unloadSeen !== undefined && !expected) {
      problem(`module code after unload reported though every engine had run release when module_unload returned (step ${unloadSeen.step}): ${outcome.failure?.message}`);
    }
  }
  let misuseChecked = false;
  if (outcome !== undefined && expectedFailure !== undefined && !afterUnload) {
    if (outcome.failure?.check !== expectedFailure.check) {
      problem(`${expectedFailure.why} at step ${expectedFailure.step}: the model expects the run to fail the '${expectedFailure.check}' check, but it ended ${outcome.status}${outcome.failure ? ` (${outcome.failure.check})` : ''}`);
    } else misuseChecked = true;
  }
  // The first hostile callback is the run's failure, an oops naming it, unless a check fails.
  const firstOdd = oddBodies[0];
  const oopsed = outcome?.failure?.check === 'oops';
  if (outcome !== undefined && firstOdd !== undefined && !misuseChecked) {
    const head = `${firstOdd.name} of `;
    const how = firstOdd.threw ? ' threw' : ' returned';
    if (outcome.status === 'ok') problem(`${firstOdd.name} ${firstOdd.threw ? 'threw' : 'returned an illegal value'} at step ${firstOdd.step}, yet the run reported no oops (SPEC rule 4)`);
    else if (oopsed && !(outcome.failure!.message.startsWith(head) && outcome.failure!.message.includes(how))) {
      problem(`the oops does not name the first hostile callback (${firstOdd.name} at step ${firstOdd.step}, which${how}): ${outcome.failure!.message}`);
    } else if (oopsed) oopsChecked = true;
  }
  if (outcome !== undefined && outcome.status !== 'ok' && !unfairStop && !oopsChecked && !misuseChecked && !(afterUnload && mod !== undefined && (!sc.module!.wait || unloadVerdict === 'after-unload'))) {
    problem(`the run failed the kernel's '${outcome.failure?.check}' check: ${outcome.failure?.message}`);
  }

  // ---- after the run ------------------------------------------------------------------------
  // An oops does not stop the run: every check that needs the whole schedule still applies.
  if (outcome !== undefined) postRun(outcome.status !== 'ok' && !oopsChecked);

  /** The callback of `E` in progress at step `s` (between its start and finish_callback), if any. */
  function inProgressAt(E: EngInfo, s: number): Body | undefined {
    for (const b of E.bodies) {
      if (b.name === 'report_reap') continue;
      const { prev, next } = clock.around(b.thread, b.step);
      if (prev < s && s < next) return b;
    }
    return undefined;
  }
  function adjacent(E: EngInfo, s: number): boolean {
    return inProgressAt(E, s) !== undefined;
  }

  /**
   * The checks that need the whole schedule. When the run stopped early (a check fired), only
   * those a shorter schedule cannot fake: a callback in progress at a step stays in progress
   * when later steps are cut, but a callback due after the cut never shows.
   */
  function postRun(cut: boolean): void {
    for (const c of postChecks) {
      const inCb = adjacent(c.engine, c.step);
      if (c.kind === 'sync') {
        const b = inProgressAt(c.engine, c.step);
        if (b !== undefined && (callbackBits(b.name) & (c.events ?? 0)) === 0) {
          problem(`${c.what} on engine ${c.engine.model.id} returned 0 at step ${c.step} while its ${b.name} (step ${b.step}), an event it disabled, was still in progress (SPEC §2: 0 means no disabled callback is running)`);
        }
      } else if (c.kind === 'not-in-callback') {
        if (inCb) problem(`${c.what} on engine ${c.engine.model.id} returned 0 at step ${c.step} while a callback of it was in progress (ref §1.5)`);
      } else if (c.ret === -EINPROGRESS && !inCb && !cut) {
        problem(`${c.what} on engine ${c.engine.model.id} returned -EINPROGRESS at step ${c.step}, but no callback of it was in progress (ref §1.3/§1.4: only when utrace->reporting == engine)`);
      } else if (c.kind === 'einprogress-iff' && c.ret === 0 && inCb) {
        problem(`${c.what} on engine ${c.engine.model.id} returned 0 at step ${c.step} while a callback of it was in progress: it must return -EINPROGRESS (ref §1.3/§1.4)`);
      }
    }
    if (cut) return;
    for (const q of rcuQueued) if (q.ran !== 1) problem(`the call_rcu callback queued at step ${q.step} ran ${q.ran} times by the end of the run (once is required)`);
    for (const E of engineList) {
      checkExactlyOnce(E);
      if (E.record.freedAt !== null && E.released !== 1) problem(`engine ${E.model.id} was freed but release ran ${E.released} times`);
    }
  }

  function eligible(E: EngInfo, bit: number, f: number, w: number, killMatters: boolean): boolean {
    const m = E.model;
    if (m.attachStep >= f) return false;
    let on = false;
    for (const h of m.history) {
      if (h.step < f) on = (h.sure & bit) !== 0;
      else if (h.step < w && (h.sure & bit) === 0) return false;
    }
    if (!on) return false;
    if (m.detachSteps.some((s) => s < w)) return false;
    if (m.callbackDetachSteps.some((s) => s < w)) return false;
    if (killMatters && (killSteps.get(E.task.pid) ?? []).some((s) => s < w)) return false;
    return true;
  }

  function checkExactlyOnce(E: EngInfo): void {
    const prog = E.task.prog;
    const tid = threadOf(E.task);
    const last = clock.lastStepOf(tid);
    const expect = (name: string, occ: number, bit: number, f: number, w: number, killMatters: boolean, label: string): void => {
      let count = 0;
      for (const b of E.bodies) if (b.name === name && b.occ === occ && !b.resumed) count++;
      if (count > 1) problem(`engine ${E.model.id} got ${name} ${count} times for ${label} (each event is reported once to an engine)`);
      else if (eligible(E, bit, f, w, killMatters)) {
        eligibleCount++;
        if (count === 1) return;
        problem(`engine ${E.model.id} never got ${name} for ${label}: it was attached with the event set before the event began (step ${f}) and not detached or cleared before it ended (step ${w})`);
      }
    };
    for (let i = 0; i < prog.spec.length; i++) {
      const f = prog.fetch[i];
      const occ = prog.ids[i]!;
      if (f === undefined || occ < 0) continue;
      const w = prog.fetch[i + 1] ?? (prog.done >= 0 ? prog.done : last);
      const label = `event ${i} of pid ${E.task.pid} (occurrence ${occ})`;
      switch (prog.spec[i]!.k) {
        case 'sys':
          expect('report_syscall_entry', occ, SYSCALL_ENTRY, f, w, true, label);
          expect('report_syscall_exit', occ, SYSCALL_EXIT, f, w, true, label);
          break;
        case 'exec':
          expect('report_exec', occ, EXEC, f, w, true, label);
          break;
        case 'clone':
          expect('report_clone', occ, CLONE, f, w, true, label);
          break;
        default:
          break;
      }
    }
    let lastFetch = prog.done;
    for (const s of prog.fetch) if (s !== undefined && s > lastFetch) lastFetch = s;
    if (lastFetch < 0) return;
    for (const b of E.bodies) if (b.occ >= 0 && !occurrences.has(b.occ)) problem(`engine ${E.model.id}: ${b.name} for an event no program has (${b.occ})`);
    for (const b of E.bodies) {
      const o = b.occ >= 0 ? occurrences.get(b.occ) : undefined;
      if (o !== undefined && o.prog !== prog) problem(`engine ${E.model.id} of pid ${E.task.pid} got ${b.name} for an event of another task`);
    }
    expect('report_exit', -1, EXIT, lastFetch, last, true, `the exit of pid ${E.task.pid}`);
    expect('report_death', -1, DEATH, lastFetch, last, false, `the death of pid ${E.task.pid}`);
    expect('report_reap', -1, REAP, lastFetch, Number.POSITIVE_INFINITY, false, `the reap of pid ${E.task.pid}`);
  }

  return {
    stats: {
      steps: outcome?.schedule.length ?? clock.picks.length,
      calls,
      callbacks,
      eligible: eligibleCount,
      inProgressChecks: outcome?.status === 'ok' ? postChecks.length : 0,
      rcuCallbacks: rcuQueued.length,
      hostileCallbacks: oddBodies.length,
      staleUses: misuses.stale,
      rule7Uses: rcuMisuses,
      enomem,
      rule1Uses,
      callbackCalls: cbCalls.all,
      callbackCallsOther: cbCalls.other,
      interruptsOther,
      interruptRunning: interruptCalls.running,
      interruptStopped: interruptCalls.stopped,
      views,
      ...(deadlockChecked ? { deadlock: leftAlive.length } : {}),
      ...(misuseChecked && expectedFailure?.check === 'refcount-underflow' ? { underflow: true } : {}),
      ...(misuseChecked && expectedFailure?.check === 'might_sleep' ? { mightSleep: true } : {}),
      ...(oopsChecked ? { oops: oddBodies[0]!.name } : {}),
      ...(unloadVerdict !== undefined ? { unload: unloadVerdict } : {}),
    },
    problems,
    outcome,
  };
}

/** A readable report of a failed run: the problems, the schedule that replays it, the trace's end. */
export function formatFailure(sc: Scenario, result: RunResult): string {
  const lines = [`${result.problems.length} problem(s) in a run of ${result.stats.steps} steps (${sc.sched.kind} scheduler, seed ${sc.seed}):`];
  for (const p of result.problems) lines.push(`  - ${p}`);
  if (result.outcome !== undefined) {
    lines.push(`  schedule (replay with ReplayScheduler.fromString): ${encodeSchedule(result.outcome.schedule)}`);
    const names = new Map(result.outcome.threads.map((t) => [t.id, t.name]));
    const trace = result.outcome.trace;
    if (trace.length > 0) {
      lines.push(`  last ${Math.min(40, trace.length)} trace lines:`);
      for (const e of trace.slice(-40)) lines.push(`    ${e.step} ${names.get(e.thread) ?? e.thread}: ${e.text}`);
    }
  }
  return lines.join('\n');
}
