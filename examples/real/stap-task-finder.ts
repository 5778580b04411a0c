/**
 * SystemTap's task finder, written against kernel utrace: the part its teardown variants
 * share (the module, its static data, its engines and their syscall callbacks). Each variant
 * file (`stap-stop-2008.ts`, `stap-stop-inuse-2008.ts`, `stap-stop-barrier-2010.ts`) holds its
 * own `stap_utrace_detach` and `stap_stop_task_finder`, transcribed from one revision.
 *
 * Sources (SystemTap, `runtime/task_finder.c`):
 * - the states of the finder: sourceware-org/systemtap mirror
 *   jav/systemtap@514f3b061acde35e1fa5bcea5664d113b8688863:runtime/task_finder.c:33-37;
 * - the in-use counter and its two macros (added by the 2008 fix):
 *   jav/systemtap@ee928e1461d33322e9485f4736ba2f979a3331b5:runtime/task_finder.c:26-29;
 * - the target's syscall-entry callback, which first checks the finder's state and returns
 *   `UTRACE_DETACH` once it is stopping, then brackets its work with the counter:
 *   jav/systemtap@ee928e1461d33322e9485f4736ba2f979a3331b5:runtime/task_finder.c:858-920
 *   (the same shape in the 2010 revision:
 *   jav/systemtap@514f3b061acde35e1fa5bcea5664d113b8688863:runtime/task_finder.c:1320-1386);
 * - how an engine is attached: CREATE, set its events, put it:
 *   jav/systemtap@514f3b061acde35e1fa5bcea5664d113b8688863:runtime/task_finder.c:479-561.
 *
 * Left out, and why:
 * - The work inside the callbacks (reading the syscall's arguments, the vma lists, the
 *   user's probe handlers): it touches only the task's own memory, not the engine's
 *   lifecycle. The callback keeps what matters to teardown: the state check, the counter,
 *   and that its code is the module's.
 * - The quiesce, clone and exec callbacks: the teardown races of these entries come from the
 *   syscall and death callbacks. The death callback is
 *   jav/systemtap@514f3b061acde35e1fa5bcea5664d113b8688863:runtime/task_finder.c:1059-1095;
 *   only `stap-stop-death-2010.ts` enables its event (`death: true`).
 * - The per-target data (`engine->data` is a `struct stap_task_finder_target`): the
 *   callbacks read only the module's static data, so the engines carry none (`null`).
 *
 * The module's static data (`__stp_task_finder_state`, `__stp_inuse_count`, both `atomic_t`)
 * is `module_data` of the module, freed by `delete_module` with its code: a callback reading
 * it afterwards is a use-after-free naming the variable.
 * - The engine reference: SystemTap puts the engine its CREATE attach returned. Its callbacks
 *   may return `UTRACE_DETACH`, so under this package's memory rule the attach gives an
 *   RCU-kept pointer that owes no put; the set-up enables the events through it and gives it
 *   up, which is what the put does in the kernel.
 * @packageDocumentation
 */
import {
  defineOps,
  IS_ERR,
  type callback_engine,
  atomic_dec,
  atomic_inc,
  atomic_read,
  type atomic_t,
  ATOMIC_INIT,
  type Kernel,
  type KBox,
  module_data,
  type module_struct,
  sys,
  UTRACE_ATTACH_CREATE,
  utrace_attach_task,
  UTRACE_DETACH,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_set_events,
} from '../../src/index.js';

/** `__STP_TF_RUNNING`: the finder is attaching and reporting. */
export const STP_TF_RUNNING = 1;
/** `__STP_TF_STOPPING`: module exit began; callbacks detach their engines. */
export const STP_TF_STOPPING = 2;
/** `__STP_TF_STOPPED`: every engine was told to detach. */
export const STP_TF_STOPPED = 3;

/** The module's static data the callbacks read. */
export interface TaskFinderStatics {
  /** `static atomic_t __stp_task_finder_state`. */
  readonly state: KBox<atomic_t>;
  /** `static atomic_t __stp_inuse_count`: callbacks between `__stp_tf_handler_start` and `_end`. */
  readonly inuse: KBox<atomic_t>;
}

/** What the set-up made, for the exit path to tear down. */
export interface TaskFinder {
  /** The stap module: its code is the callbacks'. */
  readonly mod: module_struct;
  /** The module's static data. */
  readonly statics: TaskFinderStatics;
  /** `__stp_utrace_task_finder_ops`'s target ops, shared by every engine. */
  readonly ops: ReturnType<typeof targetOps>;
}

/**
 * The target ops: syscall entry and exit callbacks that check the finder's state, and (when
 * `countInuse`, from the 2008 fix on) count themselves in `__stp_inuse_count`.
 */
function targetOps(mod: module_struct, tf: TaskFinderStatics, countInuse: boolean) {
  const syscallCallback = (_action: number, _engine: callback_engine<null>) => {
    if (atomic_read(tf.state.value) !== STP_TF_RUNNING) return UTRACE_DETACH;
    if (countInuse) atomic_inc(tf.inuse.value); // __stp_tf_handler_start()
    // ... the callback's work (left out) ...
    if (countInuse) atomic_dec(tf.inuse.value); // __stp_tf_handler_end()
    return UTRACE_RESUME;
  };
  return defineOps(
    {
      owner: mod,
      report_syscall_entry: syscallCallback,
      report_syscall_exit: syscallCallback,
      // __stp_utrace_task_finder_target_death: the same check, the user's callbacks (left
      // out) between the counter's two macros, and always UTRACE_DETACH.
      report_death: (_engine: callback_engine<null>) => {
        if (atomic_read(tf.state.value) !== STP_TF_RUNNING) return UTRACE_DETACH;
        if (countInuse) atomic_inc(tf.inuse.value);
        if (countInuse) atomic_dec(tf.inuse.value);
        return UTRACE_DETACH;
      },
    },
    'may-detach',
  );
}

/**
 * Loads the module and attaches the finder's engine to `tasks` traced tasks, each making two
 * system calls (and reporting its death when `death`), like `stap_start_task_finder` does for every matching task.
 */
export function startTaskFinder(kernel: Kernel, options: { countInuse: boolean; tasks?: number; death?: boolean }): TaskFinder {
  const count = options.tasks ?? 2;
  const tasks = Array.from({ length: count }, (_, i) => kernel.spawn(`target-${String.fromCharCode(97 + i)}`, [sys(9), sys(10)]));
  const mod = kernel.load_module('stap_task_finder');
  const statics: TaskFinderStatics = {
    state: module_data(mod, '__stp_task_finder_state', ATOMIC_INIT(STP_TF_RUNNING)),
    inuse: module_data(mod, '__stp_inuse_count', ATOMIC_INIT(0)),
  };
  const ops = targetOps(mod, statics, options.countInuse);
  for (const tsk of tasks) {
    // __stp_utrace_attach: utrace_attach_task(tsk, UTRACE_ATTACH_CREATE, ops, data), then
    // utrace_set_events(tsk, engine, event_flags), then the put (see the header).
    const engine = utrace_attach_task(tsk, UTRACE_ATTACH_CREATE, ops, null);
    if (IS_ERR(engine)) throw new Error('utrace_attach_task failed');
    const death = options.death === true ? UTRACE_EVENT('DEATH') : 0;
    utrace_set_events(tsk, engine, UTRACE_EVENT('SYSCALL_ENTRY') | UTRACE_EVENT('SYSCALL_EXIT') | death);
  }
  return { mod, statics, ops };
}
