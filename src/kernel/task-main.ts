/**
 * What a task's thread does: its program's events, each with its reports, the return to
 * user mode after each, and the exit path (`report_exit`, zombie, `report_death`).
 * @packageDocumentation
 */
import { _UTRACE_DEATH_EVENTS, UTRACE_EVENT_INDEX } from '../constants/events.js';
import type { pt_regs } from '../../types/task.js';
import type { Kernel } from './kernel.js';
import type { CloneEvent, ProgramEvent, SyscallEvent } from './program.js';
import { pushOrphan, release_task } from './reap.js';
import { type ReportStep, utrace_resume } from './report.js';
import { get_signal, send_signal } from './signal.js';
import { SIGKILL } from './signals.js';
import { EXIT_ZOMBIE, type Task } from './task.js';
import type { Step, Wait } from './threads.js';
import {
  utrace_report_clone,
  utrace_report_death,
  utrace_report_exec,
  utrace_report_exit,
  utrace_report_syscall_entry,
  utrace_report_syscall_exit,
} from './utrace-report.js';

const bit = (name: keyof typeof UTRACE_EVENT_INDEX): number => 1 << UTRACE_EVENT_INDEX[name];
const SYSCALL_ENTRY = bit('SYSCALL_ENTRY');
const SYSCALL_EXIT = bit('SYSCALL_EXIT');
const EXEC = bit('EXEC');
const CLONE = bit('CLONE');
const EXIT = bit('EXIT');
const ENOSYS = 38;

function wants(task: Task, event: number): boolean {
  return task.utrace !== null && (task.utrace_flags & event) !== 0;
}

function* do_syscall(kernel: Kernel, task: Task, ev: SyscallEvent): Step {
  const regs: pt_regs = { syscall_nr: ev.nr, args: [...ev.args], return_value: 0 };
  // tracehook_report_syscall_entry
  let abort = false;
  if (wants(task, SYSCALL_ENTRY)) abort = yield* utrace_report_syscall_entry(kernel, task, regs);
  if (task.fatal) abort = true;
  regs.return_value = abort ? -ENOSYS : 0;
  if (kernel.tracing) kernel.log(abort ? `syscall ${ev.nr} aborted` : `syscall ${ev.nr} runs`);
  // tracehook_report_syscall_exit
  if (wants(task, SYSCALL_EXIT)) yield* utrace_report_syscall_exit(kernel, task, regs);
}

function* do_clone(kernel: Kernel, task: Task, ev: CloneEvent): Step {
  const child = kernel.createTask(ev.comm, ev.program, task, false, false);
  if (kernel.tracing) kernel.log(`clone: ${child} created`);
  // tracehook_report_clone, tracehook_finish_clone / utrace_finish_vfork
  if (wants(task, CLONE)) yield* utrace_report_clone(kernel, task, ev.flags, child);
  child.started = true;
}

function* do_wait(kernel: Kernel, task: Task): Step {
  if (task.children.length === 0) return;
  yield {
    until: () => task.fatal || task.children.some((c) => c.exit_state === EXIT_ZOMBIE && !c.reaping),
    what: `a child of ${task} to exit`,
  };
  if (task.fatal) return;
  const zombie = task.children.find((c) => c.exit_state === EXIT_ZOMBIE && !c.reaping)!;
  zombie.reaping = true;
  yield* release_task(kernel, zombie, String(task));
}

/** `do_exit`: `report_exit` (where STOP stops), then the zombie and its death reports. */
function* do_exit(kernel: Kernel, task: Task, code: number, signal: number): Step {
  // `tracehook_report_exit` makes the report whenever EXIT is wanted, for a SIGKILLed task too
  // (K6 `snajpa/openvz6-kernel@4aadb2adba8a39015e634507e5c41a74e44968e6:include/linux/tracehook.h:231-236`);
  // a UTRACE_STOP returned then does not stop it (utrace_stop gives way to SIGKILL).
  if (wants(task, EXIT)) code = yield* utrace_report_exit(kernel, task, code);
  yield;
  task.exit_code = signal !== 0 ? signal : code;
  task.exit_state = EXIT_ZOMBIE;
  if (task.parent === null || task.parent.exit_state !== 0) pushOrphan(kernel, task);
  task.state = 'dead';
  for (const child of task.children) {
    if (child.exit_state === 0 || child.exit_state === EXIT_ZOMBIE) child.parent = null;
    if (child.exit_state === EXIT_ZOMBIE) pushOrphan(kernel, child);
  }
  if (kernel.tracing) kernel.log(`${task} exits (${signal ? `signal ${signal}` : `code ${code}`}); zombie`);
  // tracehook_report_death
  if (wants(task, _UTRACE_DEATH_EVENTS)) yield* utrace_report_death(kernel, task, signal);
}

/** The return to user mode after each event: the utrace report asked for, then signals. */
function* return_to_user(kernel: Kernel, task: Task): ReportStep<number> {
  if (task.fatal) return SIGKILL;
  yield* utrace_resume(kernel, task);
  if (task.fatal) return SIGKILL;
  return yield* get_signal(kernel, task);
}

function describe(ev: ProgramEvent): string {
  switch (ev.kind) {
    case 'syscall':
      return `enters syscall ${ev.nr}`;
    case 'exec':
      return `execs ${ev.filename}`;
    case 'clone':
      return `clones ${ev.comm}`;
    case 'raise':
      return `raises signal ${ev.signo}`;
    case 'wait':
      return 'waits for a child';
    case 'exit':
      return `calls exit(${ev.code})`;
  }
}

/**
 * The task each task thread runs, for `current`: kept after the task is reaped, since the dying
 * thread still runs its death reports then (in the kernel, `current` stays valid until the
 * thread's last schedule).
 * @internal
 */
export const taskOfThread = new WeakMap<object, Task>();

/**
 * The thread of `task`.
 * @internal
 */
export function* taskMain(kernel: Kernel, task: Task): Step {
  taskOfThread.set(task.thread, task);
  let code = 0;
  let signal = 0;
  const woken: Wait = { until: () => task.state === 'running' || task.fatal, what: `${task} to be woken`, ownStateOnly: true };
  const program = task.program;
  for (let index = 0; ; index++) {
    kernel.probe?.fetch(task, index);
    if (index >= program.length) break;
    const ev = program[index]!;
    yield woken;
    if (task.fatal) break;
    if (kernel.tracing) kernel.log(`${task} ${describe(ev)}`);
    if (ev.kind === 'exit') {
      code = ev.code;
      break;
    }
    switch (ev.kind) {
      case 'syscall':
        yield* do_syscall(kernel, task, ev);
        break;
      case 'exec':
        // tracehook_report_exec
        if (wants(task, EXEC)) yield* utrace_report_exec(kernel, task, ev.filename);
        break;
      case 'clone':
        yield* do_clone(kernel, task, ev);
        break;
      case 'raise':
        send_signal(kernel, task, ev.signo);
        break;
      case 'wait':
        yield* do_wait(kernel, task);
        break;
    }
    signal = yield* return_to_user(kernel, task);
    if (signal !== 0) break;
  }
  if (task.fatal) signal = SIGKILL;
  yield* do_exit(kernel, task, code, signal);
}
