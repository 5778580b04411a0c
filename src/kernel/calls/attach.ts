/**
 * `utrace_attach_task`: make a new engine, or look one up.
 * @packageDocumentation
 */
import { UTRACE_EVENT_INDEX } from '../../constants/events.js';
import { describeArg, isInstance, readFields } from '../../constants/integer-arg.js';
import { UtraceUsageError } from '../../errors.js';
import { Module } from '../module.js';
import type { utrace_engine_ops } from '../../../types/ops.js';
import { DETACHED_OPS, EngineRecord } from '../engine.js';
import type { Kernel } from '../kernel.js';
import { PercpuCounters } from '../percpu.js';
import { EXIT_DEAD, type Task, UtraceState } from '../task.js';

const REAP = 1 << UTRACE_EVENT_INDEX.REAP;
const MATCH_OPS = 0x1;
const MATCH_DATA = 0x2;
const CREATE = 0x10;
const EXCLUSIVE = 0x20;

function engine_matches(engine: EngineRecord, flags: number, ops: unknown, data: unknown): boolean {
  if ((flags & MATCH_OPS) !== 0 && engine.userOps !== ops) return false;
  if ((flags & MATCH_DATA) !== 0 && engine.data !== data) return false;
  return engine.ops !== null && engine.ops !== DETACHED_OPS;
}

function find_matching_engine(utrace: UtraceState, flags: number, ops: unknown, data: unknown): EngineRecord | undefined {
  return (
    utrace.attached.find((e) => engine_matches(e, flags, ops, data)) ??
    utrace.attaching.find((e) => engine_matches(e, flags, ops, data))
  );
}

/**
 * The fields of `ops` the kernel keeps at attach, read once and checked: `owner` a module of
 * this kernel, `percpu_counters` counters of this kernel, `release` a function (each optional).
 * A read that throws, or a field of another kind, is a UtraceUsageError (rule `bad-ops`).
 * @internal
 */
export function opsFields(kernel: Kernel, ops: object): { owner: Module | undefined; counters: PercpuCounters | undefined; release: EngineRecord['release'] } {
  const call = 'utrace_attach_task';
  const f = readFields(ops, ['owner', 'percpu_counters', 'release'], call, 'bad-ops', 'ops');
  const bad = (what: string, value: unknown): never => {
    throw new UtraceUsageError('bad-ops', `${call}: ops.${what}; got ${describeArg(value)}`);
  };
  if (f.owner !== undefined && f.owner !== null) {
    if (!isInstance(f.owner, Module)) bad('owner must be a module made by Kernel.load_module, or left out', f.owner);
    if ((f.owner as Module).kernelId !== kernel.id) bad('owner is a module of another kernel', f.owner);
  }
  if (f.percpu_counters !== undefined && f.percpu_counters !== null) {
    if (!isInstance(f.percpu_counters, PercpuCounters)) bad('percpu_counters must come from alloc_percpu_counters(kernel), or be left out', f.percpu_counters);
    if ((f.percpu_counters as PercpuCounters).kernelId !== kernel.id) bad('percpu_counters belong to another kernel', f.percpu_counters);
  }
  if (f.release !== undefined && f.release !== null && typeof f.release !== 'function') bad('release must be a function (data) => void, or left out', f.release);
  return {
    owner: (f.owner ?? undefined) as Module | undefined,
    counters: (f.percpu_counters ?? undefined) as PercpuCounters | undefined,
    release: (f.release ?? undefined) as EngineRecord['release'],
  };
}

/**
 * The kernel side of attach. Returns the engine and whether the caller got a counted
 * reference (lookup) rather than its own new pointer (create), or a negative errno.
 * @internal
 */
export function attachTask(
  kernel: Kernel,
  task: Task,
  flags: number,
  ops: utrace_engine_ops<unknown> | null | undefined,
  data: unknown,
): { engine: EngineRecord; lookup: boolean } | number {
  if ((flags & CREATE) === 0) {
    if (task.utrace === null) return -2;
    const found = find_matching_engine(task.utrace, flags, ops, data);
    if (found === undefined) return -2;
    found.refs += 1;
    return { engine: found, lookup: true };
  }
  if (ops === null || ops === undefined || ops === DETACHED_OPS) return -22;
  // Read and check the fields the kernel keeps before anything changes (a bad one is refused).
  opsFields(kernel, ops);
  if (task.kthread) return -1;
  if (task.utrace === null) {
    if (kernel.allocFailures > 0) {
      kernel.allocFailures--;
      return -12;
    }
    task.utrace = new UtraceState();
  }
  if (kernel.allocFailures > 0) {
    kernel.allocFailures--;
    return -12;
  }
  const utrace = task.utrace;
  if ((flags & EXCLUSIVE) !== 0 && find_matching_engine(utrace, flags, ops, data) !== undefined) return -17;
  // Once the reap pass has taken the engines (reap begun, no death report left to defer it),
  // nothing would ever detach a new engine: utrace_set_events may have set utrace_flags
  // again meanwhile, so the EXIT_DEAD test below cannot be the only guard.
  if (task.exit_state === EXIT_DEAD && utrace.reap && !utrace.death) return -3;
  if (task.utrace_flags === 0) {
    if (task.exit_state === EXIT_DEAD) return -3;
    task.utrace_flags = REAP;
  }
  const { owner, counters, release } = opsFields(kernel, ops);
  const engine = new EngineRecord(kernel.newEngineId(), task, ops, data, release, owner, counters);
  if (owner !== undefined && counters !== undefined) owner.counters.add(counters);
  kernel.engines.push(engine);
  utrace.attaching.push(engine);
  utrace.pending_attach = true;
  if (kernel.tracing) kernel.log(`${engine.name} attached to ${task}${owner ? ` (module ${owner.name})` : ''}`);
  return { engine, lookup: false };
}
