/**
 * Writes the type-check cost consumers: `consumer-typed.ts` (engine lifecycles written against
 * the package, `import ... from 'utrace'`) and `consumer-erased.ts` (the same code, byte for
 * byte apart from the import, against `erased.d.ts`, a facade with the same names whose
 * engine type carries no lifecycle state).
 *
 * The output (12,600 lines each) is not committed: it goes to `build/type-perf/`, written
 * afresh before each measurement by `bench/typecost-measure.ts` (and by
 * `npm run type-perf:generate`). After changing this file, re-measure the ceilings (see
 * `type-perf/README.md`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Engine lifecycles in each consumer. */
export const LIFECYCLES = 500;

const here = dirname(fileURLToPath(import.meta.url));

/** Where the consumers are written: the git-ignored `build/type-perf/`. */
export const OUT_DIR = join(here, '..', 'build', 'type-perf');

const NAMES = [
  'IS_ERR',
  'Kernel',
  'UTRACE_ATTACH_CREATE',
  'UTRACE_DETACH',
  'UTRACE_EVENT',
  'UTRACE_RESUME',
  'UTRACE_STOP',
  'defineOps',
  'sys',
  'utrace_attach_task',
  'utrace_barrier',
  'utrace_clear_events_sync',
  'utrace_control',
  'utrace_detach_sync',
  'utrace_engine_get',
  'utrace_engine_put',
  'utrace_set_events',
  'utrace_set_events_sync',
];

/** The tracer's data of each lifecycle. */
const PRELUDE = `
/** What the callbacks count. */
interface Counts {
  syscalls: number;
  exits: number;
}
`;

/**
 * One lifecycle: attach, set events, narrow the results, make the sync calls, detach, put.
 * Five shapes, in turn, so every call and every narrowing appears.
 */
function lifecycle(i) {
  const head = `
/** Lifecycle ${i}. */
export function lifecycle${i}(kernel: Kernel): void {
  const task = kernel.spawn('traced-${i}', [sys(${i % 300}), sys(${(i + 1) % 300})]);
  const data = kernel.kmalloc<Counts>('counts-${i}', { syscalls: 0, exits: 0 });`;
  switch (i % 5) {
    case 0: // the safe detach procedure
      return `${head}
  const ops = defineOps({
    report_syscall_entry: (_action: number, engine) => {
      (engine.data as KBox<Counts>).value.syscalls++;
      return UTRACE_RESUME;
    },
    report_reap: (engine) => {
      kernel.kfree(engine.data as KBox<Counts>);
    },
  });
  const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, data);
  if (IS_ERR(engine)) return;
  const set = utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY') | UTRACE_EVENT('REAP'));
  if (set.ret !== 0) return;
  kernel.tracer('tracer-${i}', async () => {
    const synced = await utrace_set_events_sync(task, set.engine, UTRACE_EVENT('REAP'));
    if (synced.ret !== 0) {
      utrace_engine_put(synced.engine);
      return;
    }
    const detached = utrace_control(task, synced.engine, UTRACE_DETACH);
    if (detached.ret === 0) kernel.kfree(data);
    utrace_engine_put(detached.engine);
  });
}
`;
    case 1: // detach_sync, then free
      return `${head}
  const ops = defineOps({
    report_syscall_exit: (_action: number, engine) => {
      (engine.data as KBox<Counts>).value.syscalls++;
      return UTRACE_RESUME;
    },
  });
  const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, data);
  if (IS_ERR(engine)) return;
  const set = utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_EXIT'));
  if (set.ret !== 0) return;
  kernel.tracer('tracer-${i}', async () => {
    const detached = await utrace_detach_sync(task, set.engine);
    kernel.kfree(data);
    utrace_engine_put(detached.engine);
  });
}
`;
    case 2: // rcu-only: a callback may detach; a counted reference taken before enabling events
      return `${head}
  const ops = defineOps({
    report_syscall_entry: (_action: number, engine) => {
      const counts = (engine.data as KBox<Counts>).value;
      counts.syscalls++;
      return counts.syscalls > ${(i % 7) + 1} ? UTRACE_DETACH : UTRACE_RESUME;
    },
  }, 'may-detach');
  const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, data);
  if (IS_ERR(engine)) return;
  const ref = utrace_engine_get(engine);
  utrace_set_events(task, ref.engine, UTRACE_EVENT('SYSCALL_ENTRY'));
  kernel.tracer('tracer-${i}', async () => {
    const detached = await utrace_detach_sync(task, ref.engine);
    kernel.kfree(data);
    utrace_engine_put(detached.engine);
  });
}
`;
    case 3: // detach, then wait out -EINPROGRESS with utrace_barrier
      return `${head}
  const ops = defineOps({
    report_exit: (_action: number, engine) => {
      (engine.data as KBox<Counts>).value.exits++;
      return UTRACE_RESUME;
    },
  });
  const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, data);
  if (IS_ERR(engine)) return;
  const set = utrace_set_events(task, engine, UTRACE_EVENT('EXIT'));
  if (set.ret !== 0) return;
  kernel.tracer('tracer-${i}', async () => {
    const detached = utrace_control(task, set.engine, UTRACE_DETACH);
    if (detached.ret === -115) {
      const waited = await utrace_barrier(task, detached.engine);
      if (waited !== 0 && waited !== -3) return;
    } else if (detached.ret !== 0) {
      return;
    }
    kernel.kfree(data);
    utrace_engine_put(detached.engine);
  });
}
`;
    default: // stop, clear the events synchronously, detach
      return `${head}
  const ops = defineOps({
    report_syscall_entry: (action: number, engine) => {
      (engine.data as KBox<Counts>).value.syscalls++;
      return action === UTRACE_STOP ? UTRACE_STOP : UTRACE_RESUME;
    },
  });
  const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, data);
  if (IS_ERR(engine)) return;
  const set = utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
  if (set.ret !== 0) return;
  kernel.tracer('tracer-${i}', async () => {
    const cleared = await utrace_clear_events_sync(task, set.engine);
    if (cleared.ret !== 0) {
      utrace_engine_put(cleared.engine);
      return;
    }
    kernel.kfree(data);
    const detached = utrace_control(task, cleared.engine, UTRACE_DETACH);
    utrace_engine_put(detached.engine);
  });
}
`;
  }
}

function consumer(from, note) {
  const body = Array.from({ length: LIFECYCLES }, (_, i) => lifecycle(i)).join('');
  return `// Generated by type-perf/generate.mjs (npm run type-perf:generate); do not edit.
// ${note}
import { ${NAMES.join(', ')} } from '${from}';
import type { KBox } from '${from}';
${PRELUDE}${body}`;
}

/** The two consumers' text. */
export function consumers() {
  return {
    typed: consumer('utrace', `${LIFECYCLES} engine lifecycles against the package's typed API.`),
    erased: consumer('../../type-perf/erased.js', `The same ${LIFECYCLES} lifecycles against erased.d.ts: the same names, no lifecycle states.`),
  };
}

/**
 * Writes both consumers into {@link OUT_DIR}, leaving a file untouched when it already holds
 * the right text.
 * @returns the paths written or kept.
 */
export function writeConsumers() {
  mkdirSync(OUT_DIR, { recursive: true });
  const { typed, erased } = consumers();
  const files = { typed: join(OUT_DIR, 'consumer-typed.ts'), erased: join(OUT_DIR, 'consumer-erased.ts') };
  for (const [path, text] of [[files.typed, typed], [files.erased, erased]]) {
    let old;
    try {
      old = readFileSync(path, 'utf8');
    } catch {
      old = undefined;
    }
    if (old !== text) writeFileSync(path, text);
  }
  return files;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeConsumers();
  console.log(`wrote build/type-perf/consumer-typed.ts and build/type-perf/consumer-erased.ts (${LIFECYCLES} lifecycles each)`);
}
