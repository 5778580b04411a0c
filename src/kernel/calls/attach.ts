/**
 * `utrace_attach_task`: make a new engine, or look one up.
 * @packageDocumentation
 */
import { UTRACE_EVENT_INDEX } from '../../constants/events.js';
import type { utrace_engine_ops } from '../../../types/ops.js';
import { DETACHED_OPS, type DetachClaim, EngineRecord } from '../engine.js';
import type { Kernel } from '../kernel.js';
import { PercpuCounters } from '../percpu.js';
import { EXIT_DEAD, type Task, UtraceState } from '../task.js';
import { EEXIST, EINVAL, ENOENT, ENOMEM, EPERM, ESRCH } from '../../constants/errno.js';
import { UTRACE_ATTACH_CREATE, UTRACE_ATTACH_EXCLUSIVE, UTRACE_ATTACH_MATCH_DATA, UTRACE_ATTACH_MATCH_OPS } from '../../constants/attach-flags.js';

const REAP = 1 << UTRACE_EVENT_INDEX.REAP;
const MATCH_OPS = UTRACE_ATTACH_MATCH_OPS;
const MATCH_DATA = UTRACE_ATTACH_MATCH_DATA;
const CREATE = UTRACE_ATTACH_CREATE;
const EXCLUSIVE = UTRACE_ATTACH_EXCLUSIVE;

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
 * The kernel side of attach. Returns the engine and whether it was a lookup, or a negative
 * errno. A lookup, and a CREATE of never-detaching ops, give the caller a counted reference.
 * @internal
 */
export function attachTask(
  kernel: Kernel,
  task: Task,
  flags: number,
  ops: utrace_engine_ops<unknown> | null | undefined,
  data: unknown,
  claim: DetachClaim = 'never-detaches',
): { engine: EngineRecord; lookup: boolean } | number {
  if ((flags & CREATE) === 0) {
    if (task.utrace === null) return -ENOENT;
    const found = find_matching_engine(task.utrace, flags, ops, data);
    if (found === undefined) return -ENOENT;
    found.refs += 1;
    return { engine: found, lookup: true };
  }
  if (ops === null || ops === undefined || ops === DETACHED_OPS) return -EINVAL;
  if (task.kthread) return -EPERM;
  if (task.utrace === null) {
    if (kernel.allocFailures > 0) {
      kernel.allocFailures--;
      return -ENOMEM;
    }
    task.utrace = new UtraceState();
  }
  if (kernel.allocFailures > 0) {
    kernel.allocFailures--;
    return -ENOMEM;
  }
  const utrace = task.utrace;
  if ((flags & EXCLUSIVE) !== 0 && find_matching_engine(utrace, flags, ops, data) !== undefined) return -EEXIST;
  // Once the reap pass has taken the engines (reap begun, no death report left to defer it),
  // nothing would ever detach a new engine: utrace_set_events may have set utrace_flags
  // again meanwhile, so the EXIT_DEAD test below cannot be the only guard.
  if (task.exit_state === EXIT_DEAD && utrace.reap && !utrace.death) return -ESRCH;
  if (task.utrace_flags === 0) {
    if (task.exit_state === EXIT_DEAD) return -ESRCH;
    task.utrace_flags = REAP;
  }
  // The ops are defineOps' frozen, checked copy: owner and counters are of this kernel.
  const counters = ops.percpu_counters instanceof PercpuCounters ? ops.percpu_counters : undefined;
  const owner = ops.owner as EngineRecord['owner'];
  const engine = new EngineRecord(kernel.newEngineId(), task, ops, data, ops.release as EngineRecord['release'], owner, counters, claim);
  // Memory rule v2: never-detaching ops give the caller a counted reference; may-detach ops
  // an RCU-kept pointer, which is no reference (the attachment's own is `linked`).
  if (claim === 'never-detaches') engine.refs = 1;
  if (owner !== undefined && counters !== undefined) owner.counters.add(counters);
  kernel.engines.push(engine);
  utrace.attaching.push(engine);
  utrace.pending_attach = true;
  if (kernel.tracing) kernel.log(`${engine.name} attached to ${task}${owner ? ` (module ${owner.name})` : ''}`);
  return { engine, lookup: false };
}
