/**
 * The reporting pass: what it costs to deliver one event to N engines whose callbacks do
 * nothing but return UTRACE_RESUME, per callback made, against the limit, a plain loop
 * calling N functions from an array.
 *
 * The kernel is built once per run with one task making many system calls and N engines
 * wanting SYSCALL_ENTRY; only `kernel.run` is timed, with tracing off, under round robin.
 * Each callback is two scheduling points (after `start_callback` and after the body), so
 * the run loop (runnable threads, the scheduler's pick, the schedule kept for replay) and
 * the task's generator resume twice per callback. A third subject shows that floor: a
 * generator yielding twice per callback, driven by a bare `next()` loop.
 *
 * With a competing tracer thread (it calls `await schedule()` in a loop, bounded, long
 * enough to last the whole run) every scheduling point is a real choice between two
 * runnable threads, and round robin alternates them; the tracer's steps are counted in the
 * cost per callback.
 * @packageDocumentation
 */
import { defineOps } from '../src/api/define-ops.js';
import { schedule } from '../src/api/sched.js';
import { utrace_attach_task } from '../src/api/utrace_attach_task.js';
import { utrace_engine_put } from '../src/api/utrace_engine_refs.js';
import { utrace_set_events } from '../src/api/utrace_set_events.js';
import { UTRACE_ATTACH_CREATE } from '../src/constants/attach-flags.js';
import { IS_ERR } from '../src/constants/err-ptr.js';
import { UTRACE_EVENT } from '../src/constants/events.js';
import { UTRACE_RESUME } from '../src/constants/resume-actions.js';
import { Kernel } from '../src/kernel/kernel.js';
import { sys } from '../src/kernel/program.js';
import { RoundRobinScheduler } from '../src/sched/basic.js';
import type { Scheduler, SchedulingPoint } from '../src/sched/scheduler.js';
import { ratio, sideBySide, type Subject } from './measure.js';
import { type BenchResult, type Goal, nanos, times } from './row.js';

/** Engine counts measured. */
const ENGINES = [1, 4, 16, 64] as const;
/** Callbacks per timed run. */
const CALLBACKS = 16_384;
/** Rounds of side-by-side timing per engine count. */
const ROUNDS = 9;
/** The goal: the kernel at N = 16 costs at most this many times the plain loop. */
const GOAL = 2.0;

/** A kernel with one task of `syscalls` system calls, `n` trivial engines, and maybe a competing tracer. */
function buildKernel(n: number, syscalls: number, competing: boolean): Kernel {
  const kernel = new Kernel({ trace: false });
  const program = Array.from({ length: syscalls }, (_, i) => sys(i & 255));
  const task = kernel.spawn('traced', program);
  for (let i = 0; i < n; i++) {
    const ops = defineOps({ report_syscall_entry: () => UTRACE_RESUME });
    const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, null);
    if (IS_ERR(engine)) throw new Error('utrace_attach_task failed');
    utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
    utrace_engine_put(engine); // the engine goes at reap; the run ends clean
  }
  if (competing) {
    // Enough yields to outlast the task: its run is 2n + 1 steps per system call.
    const yields = (2 * n + 2) * syscalls;
    kernel.tracer('competitor', async () => {
      for (let i = 0; i < yields; i++) await schedule();
    });
  }
  return kernel;
}

/** Counts the scheduling points that offered more than one runnable thread. */
class CountingScheduler extends RoundRobinScheduler {
  points = 0;
  choices = 0;
  override pick(point: SchedulingPoint): number {
    this.points++;
    if (point.runnable.length > 1) this.choices++;
    return super.pick(point);
  }
}

async function runKernel(kernel: Kernel, scheduler: Scheduler = new RoundRobinScheduler()): Promise<void> {
  const outcome = await kernel.run(scheduler, { maxSteps: 10_000_000 });
  if (outcome.status !== 'ok') throw new Error(`reporting benchmark: the run failed: ${outcome.failure?.message}`);
}

/** The limit: N functions called from an array, as many times as the kernel makes callbacks. */
function plainLoop(n: number, syscalls: number): () => number {
  const fns = Array.from({ length: n }, () => (_action: number, _engine: unknown, _regs: unknown): number => UTRACE_RESUME);
  const regs = { syscall_nr: 0, args: [] as number[], return_value: 0 };
  return () => {
    let sum = 0;
    for (let s = 0; s < syscalls; s++) for (let i = 0; i < n; i++) sum += fns[i]!(0, fns, regs);
    if (sum !== UTRACE_RESUME * n * syscalls) throw new Error('plain loop: wrong sum');
    return n * syscalls;
  };
}

/** The floor of a simulation with two scheduling points per callback: bare generator steps. */
function generatorFloor(n: number, syscalls: number): () => number {
  const fns = Array.from({ length: n }, () => (): number => UTRACE_RESUME);
  function* task(): Generator<undefined, number, void> {
    let sum = 0;
    for (let s = 0; s < syscalls; s++) {
      yield;
      for (let i = 0; i < n; i++) {
        yield;
        sum += fns[i]!();
        yield;
      }
    }
    return sum;
  }
  return () => {
    const g = task();
    let r = g.next();
    while (r.done !== true) r = g.next();
    if (r.value !== UTRACE_RESUME * n * syscalls) throw new Error('generator floor: wrong sum');
    return n * syscalls;
  };
}

function kernelSubject(name: string, n: number, syscalls: number, competing: boolean): Subject {
  let kernel: Kernel | undefined;
  return {
    name,
    prepare: () => {
      kernel = buildKernel(n, syscalls, competing);
    },
    slice: async () => {
      await runKernel(kernel!);
      return n * syscalls;
    },
  };
}

/**
 * The reporting benchmark.
 * @returns one table (ns per callback and ratios for each engine count) and the N = 16 goal.
 */
export async function reporting(): Promise<BenchResult> {
  const rows: string[][] = [];
  const goals: Goal[] = [];
  let choiceShare = '';
  for (const n of ENGINES) {
    const syscalls = Math.max(1, Math.round(CALLBACKS / n));
    const [alone, competing, limit, floor] = await sideBySide(
      [
        kernelSubject('kernel, target alone', n, syscalls, false),
        kernelSubject('kernel, competing tracer', n, syscalls, true),
        { name: 'plain loop', slice: plainLoop(n, syscalls) },
        { name: 'generator floor', slice: generatorFloor(n, syscalls) },
      ],
      ROUNDS,
    );
    const aloneRatio = ratio(alone!, limit!);
    const competingRatio = ratio(competing!, limit!);
    rows.push([
      String(n),
      nanos(limit!.nsPerOp),
      nanos(floor!.nsPerOp),
      nanos(alone!.nsPerOp),
      times(aloneRatio),
      nanos(competing!.nsPerOp),
      times(competingRatio),
      times(ratio(floor!, limit!)),
    ]);
    if (n === 16) {
      goals.push(
        { figure: 'reporting pass, N = 16, target alone: cost per callback against a plain loop', measured: times(aloneRatio), goal: `at most ${GOAL.toFixed(1)}x`, met: aloneRatio <= GOAL },
        { figure: 'reporting pass, N = 16, competing tracer: cost per callback against a plain loop', measured: times(competingRatio), goal: `at most ${GOAL.toFixed(1)}x`, met: competingRatio <= GOAL },
      );
      const counting = new CountingScheduler();
      await runKernel(buildKernel(n, syscalls, true), counting);
      choiceShare = `${Math.round((100 * counting.choices) / counting.points)}% of the ${counting.points} scheduling points`;
    }
  }
  return {
    tables: [
      {
        title: `Cost per callback, trivial callbacks, tracing off, round robin (${ROUNDS} rounds side by side; median per round)`,
        header: ['engines N', 'plain loop (limit)', 'generator floor', 'kernel, target alone', 'vs limit', 'kernel, competing tracer', 'vs limit', 'floor vs limit'],
        rows,
        notes: [
          `Each timed kernel run makes about ${CALLBACKS} callbacks (${CALLBACKS} / N system calls); only kernel.run is timed.`,
          `With the competing tracer, a real choice (two runnable threads) was offered at ${choiceShare} (N = 16).`,
          'Generator floor: two bare generator steps per callback, the least any simulation with a scheduling point before and after',
          'each callback body pays before it asks a scheduler anything.',
        ],
      },
    ],
    goals,
  };
}
