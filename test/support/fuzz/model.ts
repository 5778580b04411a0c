/**
 * A small model of the documented return codes and callback guarantees, written from
 * SPEC.md §2–§3 and the reference's §1.2–§1.5 tables (K6 kerneldoc and DOC), not from the
 * kernel simulation. It sees the kernel only through what a tracer can see: the values calls
 * return, its own callbacks, whether the target can run (the scheduler's runnable threads),
 * has exited, was reaped.
 *
 * Where the outside view cannot decide (did a callback's UTRACE_DETACH take effect yet?) the
 * model allows each documented answer; where it can, it allows exactly one.
 */

export const ESRCH = 3;
export const EAGAIN = 11;
export const EEXIST = 17;
export const EINVAL = 22;
export const EPERM = 1;
export const ENOMEM = 12;
export const ENOENT = 2;
export const EOPNOTSUPP = 95;
export const EALREADY = 114;
export const EINPROGRESS = 115;
export const ERESTARTSYS = 512;

/** Stands for "an engine" in the allowed results of an attach. */
export const AN_ENGINE = 1;

export const STOP = 0;
export const INTERRUPT = 1;
export const REPORT = 2;
export const SINGLESTEP = 3;
export const BLOCKSTEP = 4;
export const RESUME = 5;
export const DETACH = 6;
export const RESUME_MAX = 7;

export const QUIESCE = 1 << 0;
export const REAP = 1 << 1;
export const CLONE = 1 << 2;
export const EXEC = 1 << 3;
export const EXIT = 1 << 4;
export const DEATH = 1 << 5;
export const SYSCALL_ENTRY = 1 << 6;
export const SYSCALL_EXIT = 1 << 7;
export const SIGNAL_ALL = 0x1f00;
export const JCTL = 1 << 13;
export const DEATH_EVENTS = DEATH | QUIESCE;
export const ALL_EVENTS = 0x3fff;
/** `ENGINE_STOP`: masked out of a set_events argument (ref §1.3). */
export const ENGINE_STOP_BIT = 1 << 14;
export const NBITS = 14;

/** What a tracer can see of the target at the moment of a call. */
export interface TaskView {
  /** `exit_state` is nonzero (zombie or reaped). */
  readonly exited: boolean;
  /** `release_task` began (`exit_state == EXIT_DEAD`, the pid maps to nothing). */
  readonly reaped: boolean;
  /** Certainly in a tracing or job-control stop (`task_is_stopped_or_traced`). */
  readonly stopped: boolean;
  /**
   * The tracer's view cannot tell whether it is stopped (it is blocked, but maybe in `wait()`
   * or a vfork, or a call of this step may have woken it): each answer of either is allowed.
   */
  readonly stoppedMaybe: boolean;
  /** A kernel thread. */
  readonly kthread: boolean;
}

/** What the model knows about one bit of one engine. */
export type BitState =
  | { readonly kind: 'on' }
  | { readonly kind: 'unknown' }
  /**
   * A call cleared the bit at `since`. `grace`: the call said a callback may still be
   * running (-EINPROGRESS), so only that callback, the task's very next step, may still
   * come; `hardFrom`: a later barrier (or sync) ended the grace.
   */
  | { readonly kind: 'off'; readonly since: number; readonly grace: boolean; hardFrom: number; readonly why: string };

/** One point of an engine's event-mask history (for the exactly-once eligibility). */
export interface MaskPoint {
  readonly step: number;
  readonly sure: number;
}

/** Three-valued knowledge. */
export type Tri = 'yes' | 'no' | 'maybe';

/** The model of one engine. */
export class EngineModel {
  /** Certainly detached: every call but utrace_barrier / utrace_engine_put returns -ESRCH. */
  detached = false;
  /** The engine may have been detached behind the tracer's back (a callback returned UTRACE_DETACH, reap, ...). */
  maybeDetached = false;
  /** Bits certainly in the engine's events, and bits possibly in them. */
  sure = 0;
  maybe = 0;
  /** Whether this engine keeps the target stopped (ENGINE_STOP). */
  wantsStop: Tri = 'no';
  /** Counted references the owner holds. */
  refs = 0;
  /** The owner still holds the pointer utrace_attach_task gave it. */
  pointer = true;
  /** Everything put: the handle is dead. */
  gone = false;
  /** Bits cleared by a set_events that returned -EINPROGRESS, settled by the next barrier 0. */
  pendingClear = 0;
  readonly bits: BitState[];
  readonly history: MaskPoint[];
  /** Steps at which the tracer's own calls disabled something for good (an accepted detach). */
  readonly detachSteps: number[] = [];
  /** Steps of bodies of this engine's callbacks that returned UTRACE_DETACH. */
  readonly callbackDetachSteps: number[] = [];
  /** After detach_sync returned -ESRCH: only report_reap may still come, from this step on. */
  reapOnlyFrom = Number.POSITIVE_INFINITY;

  constructor(
    readonly id: number,
    readonly taskPid: number,
    readonly opsKind: 0 | 1,
    readonly attachStep: number,
  ) {
    // A new engine has no events: no callback can come until some are set.
    this.bits = Array.from({ length: NBITS }, () => ({ kind: 'off', since: attachStep, grace: false, hardFrom: Number.POSITIVE_INFINITY, why: 'attached with no events' }) as BitState);
    this.history = [{ step: attachStep, sure: 0 }];
  }

  /** The engine's status for a call: certainly detached, certainly attached, or unknown. */
  status(task: TaskView): 'det' | 'att' | 'unk' {
    if (this.detached) return 'det';
    if (this.maybeDetached || task.reaped) return 'unk';
    return 'att';
  }

  /** Every bit off from `step` (no callback of this engine at all afterwards). */
  allOff(step: number, grace: boolean, why: string): void {
    for (let b = 0; b < NBITS; b++) this.bitOff(b, step, grace, why);
  }

  /**
   * Bit `b` off from `step`: strictly, or with the grace of one callback in progress. An
   * earlier strict clear stays; an earlier grace clear ends (becomes strict) at `step`.
   */
  bitOff(b: number, step: number, grace: boolean, why: string): void {
    const cur = this.bits[b]!;
    if (cur.kind === 'off' && !cur.grace && cur.since <= step) return;
    if (cur.kind === 'off' && cur.grace) {
      if (!grace && step < cur.hardFrom) cur.hardFrom = step;
      return;
    }
    this.bits[b] = { kind: 'off', since: step, grace, hardFrom: Number.POSITIVE_INFINITY, why };
  }

  /** A (possibly) new mask was written at `step`. */
  writeMask(step: number, sure: number, maybe: number): void {
    this.sure = sure;
    this.maybe = maybe;
    this.history.push({ step, sure });
  }
}

/** A set of allowed results, with the rule that says so. */
export interface Allowed {
  readonly values: ReadonlySet<number>;
  readonly rule: string;
}

function allow(rule: string, ...values: number[]): Allowed {
  return { values: new Set(values), rule };
}

function merge(a: Allowed, b: Allowed): Allowed {
  return { values: new Set([...a.values, ...b.values]), rule: `${a.rule}; or ${b.rule}` };
}

const DETACHED_RULE = 'a detached engine: every call but utrace_barrier/utrace_engine_put returns -ESRCH (ref §1.1 DOC, §1.4 "a second UTRACE_DETACH returns -ESRCH")';

/** `utrace_set_events(task, engine, events)`: SPEC §2, ref §1.3. */
export function expectSetEvents(e: EngineModel, eventsArg: number, task: TaskView): Allowed {
  const events = eventsArg & ~ENGINE_STOP_BIT;
  const st = e.status(task);
  if (st === 'det') return allow(DETACHED_RULE, -ESRCH);
  const possiblyClears = (e.maybe & ~events) !== 0;
  let out: Allowed;
  if (task.exited) {
    const mustAlready = (events & ~e.maybe & DEATH_EVENTS) !== 0;
    // "Newly" may also be relative to the task's flags, which lose DEATH/QUIESCE once the
    // death report is over: any DEATH/QUIESCE in events may get -EALREADY on a dead target.
    const mayAlready = mustAlready || (events & DEATH_EVENTS) !== 0 || (e.maybe & ~events & (DEATH_EVENTS | REAP)) !== 0;
    if (mustAlready) {
      out = allow('newly setting DEATH or QUIESCE on a dead target returns -EALREADY (ref §1.3 (c))', -EALREADY);
    } else if (mayAlready) {
      out = allow('on a dead target: 0, or -EALREADY when touching DEATH/QUIESCE while report_death may run or clearing REAP after reap began (ref §1.3); never -EINPROGRESS (target has exit_state)', 0, -EALREADY);
    } else {
      out = allow('on a dead target, not touching DEATH/QUIESCE/REAP: 0 (ref §1.3: no -EINPROGRESS once exit_state is set)', 0);
    }
  } else if (possiblyClears && (!task.stopped || task.stoppedMaybe)) {
    out = allow('clearing bits on a running target: 0, or -EINPROGRESS when a callback of this engine may be running (SPEC §2, ref §1.3)', 0, -EINPROGRESS);
  } else if (possiblyClears) {
    out = allow('clearing bits on a stopped target: 0, never -EINPROGRESS (ref §1.3: only when the target is not stopped)', 0);
  } else {
    out = allow('set_events that only adds bits never returns -EINPROGRESS (ref §1.3)', 0);
  }
  if (st === 'unk') out = merge(out, allow('the engine may have been detached by its callback or at reap: -ESRCH', -ESRCH));
  return out;
}

/** `utrace_control(task, engine, action)`: SPEC §2, ref §1.4. */
export function expectControl(
  e: EngineModel,
  action: number,
  task: TaskView,
  arch: { readonly singleStep: boolean; readonly blockStep: boolean },
): Allowed {
  if (action < 0 || action >= RESUME_MAX) return allow('action >= UTRACE_RESUME_MAX returns -EINVAL (ref §1.4)', -EINVAL);
  const st = e.status(task);
  const needsQuiesce = action === REPORT || action === SINGLESTEP || action === BLOCKSTEP;
  let einval: Allowed | null = null;
  if (needsQuiesce) {
    const rule = 'REPORT/SINGLESTEP/BLOCKSTEP without UTRACE_EVENT(QUIESCE) returns -EINVAL (ref §1.4)';
    if (st === 'att' && (e.maybe & QUIESCE) === 0) return allow(rule, -EINVAL);
    if (st !== 'att' || (e.sure & QUIESCE) === 0) einval = allow(rule, -EINVAL);
  }
  let out: Allowed;
  if (st === 'det') {
    out = allow(DETACHED_RULE, -ESRCH);
  } else if (task.exited) {
    if (action !== DETACH) {
      out = allow('target dead and action is not DETACH: -ESRCH (ref §1.4)', -ESRCH);
    } else if (task.reaped) {
      out = allow('DETACH after reap began: -ESRCH (ref §1.4)', -ESRCH);
    } else {
      out = allow('DETACH on a dead target: 0, or -EALREADY while report_death may be running (ref §1.4)', 0, -EALREADY);
    }
  } else {
    switch (action) {
      case STOP:
        out = task.stoppedMaybe
          ? allow('UTRACE_STOP: 0 on a stopped target, -EINPROGRESS on a running one (ref §1.4); which it is, the tracer cannot tell', 0, -EINPROGRESS)
          : task.stopped
            ? allow('UTRACE_STOP on a stopped target returns 0 (ref §1.4)', 0)
            : allow('UTRACE_STOP on a running target returns -EINPROGRESS (ref §1.4)', -EINPROGRESS);
        break;
      case DETACH:
        out = task.stopped && !task.stoppedMaybe
          ? allow('UTRACE_DETACH on a stopped target returns 0 (ref §1.4)', 0)
          : allow('UTRACE_DETACH on a running target: 0, or -EINPROGRESS when a callback of this engine may be running (ref §1.4)', 0, -EINPROGRESS);
        break;
      case SINGLESTEP:
        out = arch.singleStep
          ? allow('UTRACE_SINGLESTEP with arch support: 0 (ref §1.4)', 0)
          : allow('UTRACE_SINGLESTEP without arch_has_single_step: -EOPNOTSUPP (ref §1.4)', -EOPNOTSUPP);
        break;
      case BLOCKSTEP:
        out =
          arch.blockStep || arch.singleStep
            ? allow('UTRACE_BLOCKSTEP (falling back to SINGLESTEP): 0 (ref §1.4)', 0)
            : allow('UTRACE_BLOCKSTEP without block or single step: -EOPNOTSUPP (ref §1.4)', -EOPNOTSUPP);
        break;
      default:
        out = allow('RESUME/REPORT/INTERRUPT on a live attached engine: 0 (ref §1.4)', 0);
    }
  }
  if (st === 'unk') out = merge(out, allow('the engine may have been detached: -ESRCH', -ESRCH));
  return einval ? merge(einval, out) : out;
}

/** `utrace_barrier(task, engine)` as it returns: SPEC §2, ref §1.5. */
export function expectBarrier(e: EngineModel, task: TaskView, signalMaybePending: boolean): Allowed {
  const st = e.status(task);
  let out =
    st === 'det'
      ? allow('barrier on a detached engine returns -ESRCH once it is unlinked (ref §1.5)', -ESRCH)
      : st === 'att'
        ? allow('barrier on an attached engine returns 0 (ref §1.5)', 0)
        : allow('barrier on an engine that may be detached: 0 or -ESRCH (ref §1.5)', 0, -ESRCH);
  if (signalMaybePending) out = merge(out, allow('a signal is pending for the tracer: -ERESTARTSYS (ref §1.5)', -ERESTARTSYS));
  return out;
}

/** `utrace_engine_get(engine)`: SPEC §3. */
export function expectGet(e: EngineModel, task: TaskView): Allowed {
  const st = e.status(task);
  if (st === 'det') return allow('utrace_engine_get on a detached engine returns -ESRCH (SPEC §3)', -ESRCH);
  if (st === 'att') return allow('utrace_engine_get on an attached engine returns 0 (SPEC §3)', 0);
  return allow('utrace_engine_get on an engine that may be detached: 0 or -ESRCH (SPEC §3)', 0, -ESRCH);
}

/** Matching engines on the target, for EXCLUSIVE and lookups (ref §1.2 engine_matches). */
export interface Match {
  readonly id: number;
  readonly st: 'att' | 'unk';
}

/** `utrace_attach_task` with UTRACE_ATTACH_CREATE: ref §1.2. */
export function expectAttachCreate(
  task: TaskView,
  nullOps: boolean,
  exclusive: readonly Match[] | null,
  viaPid: boolean,
  allocFails = false,
): Allowed {
  if (viaPid && task.reaped) return allow('utrace_attach_pid when the pid maps to no task: -ESRCH (ref §1.2)', -ESRCH);
  if (nullOps) return allow('CREATE with ops == NULL returns -EINVAL (ref §1.2)', -EINVAL);
  if (task.kthread) return allow('attaching to a kernel thread returns -EPERM (ref §1.2)', -EPERM);
  // The allocations come before the EXCLUSIVE match and the reap test (ref §1.2 table: -ENOMEM).
  if (allocFails) return allow('an allocation of struct utrace or of the engine fails: ERR_PTR(-ENOMEM), no engine made (ref §1.2)', -ENOMEM);
  if (exclusive !== null && exclusive.some((m) => m.st === 'att')) {
    return allow('EXCLUSIVE when a matching engine exists returns -EEXIST (ref §1.2)', -EEXIST);
  }
  let out = allow('CREATE returns a new engine (ref §1.2)', AN_ENGINE);
  if (exclusive !== null && exclusive.length > 0) out = merge(out, allow('EXCLUSIVE and a matching engine that may still be attached: -EEXIST', -EEXIST));
  if (task.reaped) out = merge(out, allow('the task is being reaped and has no utrace flags: -ESRCH (ref §1.2)', -ESRCH));
  return out;
}

/**
 * `utrace_attach_task` without CREATE (a lookup): the first matching engine not detached, in
 * attach order, or -ENOENT (ref §1.2). Returns the ids allowed (AN_ENGINE is not used) and
 * whether -ENOENT is.
 */
export function expectLookup(candidates: readonly Match[], task: TaskView, viaPid: boolean): { ids: number[]; enoent: boolean; esrch: boolean; rule: string } {
  const ids: number[] = [];
  let enoent = true;
  for (const c of candidates) {
    ids.push(c.id);
    if (c.st === 'att') {
      enoent = false;
      break;
    }
  }
  return {
    ids,
    enoent,
    esrch: viaPid && task.reaped,
    rule: 'a lookup returns the first matching engine that is not detached, with a counted reference, else -ENOENT (ref §1.2)',
  };
}

/** `utrace_set_events_sync` / `utrace_clear_events_sync` as it returns: SPEC §2. */
export function expectSetEventsSync(e: EngineModel, events: number, atCall: TaskView, atReturn: TaskView, signalMaybePending: boolean): Allowed {
  const st = e.status(atReturn);
  if (e.status(atCall) === 'det') return allow(DETACHED_RULE, -ESRCH);
  let out = allow('set_events_sync returns only 0, -ESRCH or -ERESTARTSYS (SPEC §2)', 0);
  if (st !== 'att' || atReturn.exited) out = merge(out, allow('detached, or report_reap running: -ESRCH (SPEC §2)', -ESRCH));
  if (signalMaybePending) out = merge(out, allow('the tracer was interrupted: -ERESTARTSYS (SPEC §2)', -ERESTARTSYS));
  void events;
  return out;
}

/** `utrace_detach_sync` as it returns: SPEC §2. */
export function expectDetachSync(e: EngineModel, atCall: TaskView, atReturn: TaskView): Allowed {
  if (e.status(atCall) === 'det') return allow(DETACHED_RULE, -ESRCH);
  if (e.status(atCall) === 'att' && !atReturn.exited && e.status(atReturn) === 'att') {
    return allow('detach_sync on an attached engine of a live target returns 0 (SPEC §2)', 0);
  }
  return allow('detach_sync returns only 0 or -ESRCH (SPEC §2)', 0, -ESRCH);
}

/** `utrace_prepare_examine`: ref §1.6. */
export function expectPrepareExamine(e: EngineModel, atCall: TaskView): Allowed {
  const st = e.status(atCall);
  if (st === 'det') return allow(DETACHED_RULE, -ESRCH);
  let out: Allowed;
  if (e.wantsStop === 'no') {
    out = allow('this engine is not keeping the target stopped: -EINVAL (ref §1.6)', -EINVAL);
  } else {
    out = atCall.exited
      ? allow('the target has exit_state: -ESRCH (ref §1.6)', -ESRCH)
      : atCall.stopped || atCall.stoppedMaybe
        ? allow('stopped target: 0, or -EAGAIN if it woke meanwhile (ref §1.6)', 0, -EAGAIN)
        : allow('running target: -EAGAIN (ref §1.6)', -EAGAIN);
    if (e.wantsStop === 'maybe') out = merge(out, allow('this engine may not be keeping the target stopped: -EINVAL', -EINVAL));
  }
  if (st === 'unk') out = merge(out, allow('the engine may be detached: -ESRCH', -ESRCH));
  return out;
}

/** `utrace_finish_examine`: ref §1.6. */
export function expectFinishExamine(e: EngineModel, atCall: TaskView): Allowed {
  const st = e.status(atCall);
  if (st === 'det') return allow(DETACHED_RULE, -ESRCH);
  let out =
    e.wantsStop === 'no'
      ? allow('this engine is not keeping the target stopped: -EINVAL (ref §1.6)', -EINVAL)
      : allow('finish_examine: 0, -EINVAL or -EAGAIN (ref §1.6)', 0, -EINVAL, -EAGAIN);
  if (st === 'unk') out = merge(out, allow('the engine may be detached: -ESRCH', -ESRCH));
  return out;
}

/** `kill(task, sig)`: SPEC §2 facade. */
export function expectKill(sig: number, task: TaskView): Allowed {
  if (sig < 1 || sig > 64) return allow('no such signal: -EINVAL', -EINVAL);
  if (task.exited) return allow('the task has exited: -ESRCH', -ESRCH);
  return allow('signal sent: 0', 0);
}

/** The event bit a callback belongs to, or a mask of bits any of which may request it. */
export function callbackBits(name: string): number {
  switch (name) {
    case 'report_quiesce':
      return QUIESCE;
    case 'report_reap':
      return REAP;
    case 'report_clone':
      return CLONE;
    case 'report_exec':
      return EXEC;
    case 'report_exit':
      return EXIT;
    case 'report_death':
      return DEATH;
    case 'report_syscall_entry':
      return SYSCALL_ENTRY;
    case 'report_syscall_exit':
      return SYSCALL_EXIT;
    case 'report_signal':
      // Requested by SIGNAL_* or QUIESCE (ref §2).
      return SIGNAL_ALL | QUIESCE;
    case 'report_jctl':
      return JCTL;
    default:
      return 0;
  }
}

/** Bit indexes set in `mask`. */
export function bitIndexes(mask: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < NBITS; b++) if ((mask & (1 << b)) !== 0) out.push(b);
  return out;
}

/** Updates the model after `utrace_set_events(.., events)` returned `ret` at `step`. */
export function afterSetEvents(e: EngineModel, eventsArg: number, ret: number, step: number): void {
  const events = eventsArg & ~ENGINE_STOP_BIT;
  if (ret === 0 || ret === -EINPROGRESS) {
    // Both write the new mask (ref §1.3: -EINPROGRESS is returned after engine->flags is set).
    const surely = e.sure & ~events;
    const possibly = e.maybe & ~e.sure & ~events;
    for (let b = 0; b < NBITS; b++) {
      const bit = 1 << b;
      if ((events & bit) !== 0) e.bits[b] = { kind: 'on' };
      else if ((surely & bit) !== 0) {
        e.bits[b] = {
          kind: 'off',
          since: step,
          grace: ret !== 0,
          hardFrom: Number.POSITIVE_INFINITY,
          why: ret === 0 ? 'utrace_set_events returned 0 clearing it' : 'utrace_set_events returned -EINPROGRESS clearing it',
        };
      } else if ((possibly & bit) !== 0) e.bits[b] = { kind: 'unknown' };
    }
    e.pendingClear = ret === 0 ? e.pendingClear & ~events : (e.pendingClear | surely) & ~events;
    e.writeMask(step, events, events);
  } else if (ret === -ESRCH) {
    detachedBehindOurBack(e, step, 'utrace_set_events returned -ESRCH');
  }
}

/**
 * A call said -ESRCH: the engine is detached. If the tracer had not detached it itself, it
 * was detached by a callback's return value or at reap, after that callback finished: no
 * callback from here on. An engine the tracer detached keeps what that detach allowed.
 */
function detachedBehindOurBack(e: EngineModel, step: number, why: string): void {
  if (!e.detached) e.allOff(step, false, why);
  e.detached = true;
}

/** Updates the model after `utrace_control(.., action)` returned `ret` at `step`. */
export function afterControl(e: EngineModel, action: number, ret: number, step: number, task: TaskView, finishPending: boolean): void {
  if (action === DETACH) {
    if (ret === 0 || ret === -EINPROGRESS) {
      e.detached = true;
      e.detachSteps.push(step);
      e.allOff(step, ret !== 0, ret === 0 ? 'UTRACE_DETACH returned 0' : 'UTRACE_DETACH returned -EINPROGRESS');
    } else if (ret === -ESRCH) {
      if (task.exited) e.maybeDetached = true;
      else detachedBehindOurBack(e, step, 'UTRACE_DETACH returned -ESRCH');
    }
    return;
  }
  if (ret === -ESRCH && !task.exited) detachedBehindOurBack(e, step, 'utrace_control returned -ESRCH');
  if (action === STOP && (ret === 0 || ret === -EINPROGRESS)) e.wantsStop = finishPending ? 'maybe' : 'yes';
  if (action >= INTERRUPT && action <= RESUME && ret === 0) e.wantsStop = finishPending ? 'maybe' : 'no';
}

/** Updates the model after `utrace_barrier` returned `ret` at `step`. */
export function afterBarrier(e: EngineModel, ret: number, step: number): void {
  if (ret === 0) {
    // "A successful return orders it after earlier utrace_set_events / utrace_control calls" (ref §1.5).
    for (const b of bitIndexes(e.pendingClear)) e.bitOff(b, step, false, 'utrace_barrier returned 0 after a clear that returned -EINPROGRESS');
    e.pendingClear = 0;
  } else if (ret === -ESRCH) {
    e.detached = true;
    e.allOff(step, false, 'utrace_barrier returned -ESRCH (completely detached)');
  }
}

/** Updates the model after `utrace_engine_get` returned `ret`. */
export function afterGet(e: EngineModel, ret: number, step: number): void {
  if (ret === 0) e.refs += 1;
  else if (ret === -ESRCH) detachedBehindOurBack(e, step, 'utrace_engine_get returned -ESRCH');
}

/**
 * Before a blocking `utrace_set_events_sync(.., events)`: its first utrace_set_events may
 * enable the added bits at any step from the call on, long before it returns.
 */
export function beforeSetEventsSync(e: EngineModel, eventsArg: number): void {
  const events = eventsArg & ~ENGINE_STOP_BIT;
  for (const b of bitIndexes(events & ~e.sure)) e.bits[b] = { kind: 'unknown' };
  // A pending -EINPROGRESS clear of a bit this call sets again is no longer pending.
  e.pendingClear &= ~events;
}

/**
 * Updates the model after `utrace_set_events_sync(.., events)` called at `callStep` returned
 * `ret` at `step`.
 */
export function afterSetEventsSync(e: EngineModel, eventsArg: number, ret: number, callStep: number, step: number): void {
  const events = eventsArg & ~ENGINE_STOP_BIT;
  // Whatever it returns, its first utrace_set_events may have written the mask right away.
  e.history.push({ step: callStep, sure: e.sure & events });
  if (ret === 0) {
    for (let b = 0; b < NBITS; b++) {
      if ((events & (1 << b)) !== 0) e.bits[b] = { kind: 'on' };
      else e.bitOff(b, step, false, 'utrace_set_events_sync returned 0');
    }
    e.pendingClear = 0;
    e.writeMask(step, events, events);
    return;
  }
  // -ESRCH or -ERESTARTSYS: a first utrace_set_events may or may not have written the mask.
  for (const b of bitIndexes((events & ~e.sure) | (e.maybe & ~events))) e.bits[b] = { kind: 'unknown' };
  e.writeMask(step, e.sure & events, e.maybe | events);
  if (ret === -ESRCH) {
    // Detached, or report_reap is running now (SPEC §2): nothing but report_reap from here,
    // unless the tracer's own earlier detach already said what may still come.
    e.maybeDetached = true;
    if (!e.detached) e.reapOnlyFrom = Math.min(e.reapOnlyFrom, step);
  }
}

/** Updates the model after `utrace_detach_sync` called at `callStep` returned `ret` at `step`. */
export function afterDetachSync(e: EngineModel, ret: number, callStep: number, step: number): void {
  // It first syncs the events down to REAP (SPEC §2), at some step after the call.
  e.history.push({ step: callStep, sure: e.sure & REAP });
  e.writeMask(step, e.sure & REAP, e.maybe);
  if (ret === 0) {
    e.detached = true;
    e.detachSteps.push(callStep);
    e.allOff(step, false, 'utrace_detach_sync returned 0');
  } else if (ret === -ESRCH && !e.detached) {
    // "report_reap is running now" (SPEC §2); an engine the tracer had already detached
    // keeps what that detach said (a callback then in progress may still finish).
    e.maybeDetached = true;
    e.reapOnlyFrom = Math.min(e.reapOnlyFrom, step);
  }
}
