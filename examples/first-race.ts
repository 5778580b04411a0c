/**
 * The thread's first race, run once and traced: the tracer clears its engine's events with
 * utrace_set_events(task, engine, 0), gets -EINPROGRESS, ignores it and frees its data; the
 * callback that was already running then touches the freed data.
 *
 * Run: `npm run build && node build/examples/first-race.js [seed]`. Without a seed it tries
 * seeds 0, 1, 2, ... and shows the first run in which the race happens.
 */
import {
  defineOps,
  IS_ERR,
  type KBox,
  Kernel,
  RandomScheduler,
  sys,
  UTRACE_ATTACH_CREATE,
  UTRACE_DETACH,
  UTRACE_EVENT,
  UTRACE_RESUME,
  utrace_attach_task,
  utrace_control,
  utrace_engine_put,
  utrace_set_events,
  type ExecutionOutcome,
} from '../src/index.js';

/** Builds the scenario in a fresh kernel and runs it under one seed. */
export async function runFirstRace(seed: number): Promise<ExecutionOutcome> {
  const kernel = new Kernel();
  const task = kernel.spawn('traced', [sys(0), sys(1), sys(2)]);
  const counts = kernel.kmalloc('syscall counts', { entries: 0 });
  const ops = defineOps({
    report_syscall_entry: (_action: number, engine) => {
      (engine.data as KBox<{ entries: number }>).value.entries++;
      return UTRACE_RESUME;
    },
  });
  const engine = utrace_attach_task(task, UTRACE_ATTACH_CREATE, ops, counts);
  if (IS_ERR(engine)) throw new Error('attach failed');
  utrace_set_events(task, engine, UTRACE_EVENT('SYSCALL_ENTRY'));
  kernel.tracer('tracer', async () => {
    utrace_set_events(task, engine, 0); // may return -EINPROGRESS: a callback may still be running
    kernel.kfree(counts); // ... and this frees what it uses
    const detached = utrace_control(task, engine, UTRACE_DETACH);
    utrace_engine_put(detached.engine);
  });
  return kernel.run(new RandomScheduler(seed));
}

async function main(): Promise<void> {
  const given = process.argv[2];
  let seed = given === undefined ? 0 : Number(given);
  let outcome = await runFirstRace(seed);
  while (given === undefined && outcome.status === 'ok' && seed < 1000) outcome = await runFirstRace(++seed);
  console.log(`seed ${seed}: ${outcome.status}`);
  for (const e of outcome.trace) console.log(`${String(e.step).padStart(3)}  ${(outcome.threads[e.thread]?.name ?? 'setup').padEnd(10)} ${e.text}`);
  if (outcome.failure) console.log(`\n${outcome.failure.check}: ${outcome.failure.message}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
