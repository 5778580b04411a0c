/**
 * Size of what a consumer loads: the runtime entry (`dist/src/index.js`) bundled and minified
 * with esbuild, then gzipped; the kernel and API part of it alone (no explorer, scenarios or
 * timelines); and the types-only entry (`dist/types/*.d.ts`, concatenated, gzipped). Also
 * checks that the package has no runtime dependency.
 * @packageDocumentation
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type BenchResult, count } from './row.js';

/** The goal for the whole runtime entry, minified and gzipped. */
const GOAL_BYTES = 20 * 1024;

/** The kernel and API without the explorer: what a test that runs one kernel needs. */
const KERNEL_AND_API = `
export * from './src/constants/resume-actions.js';
export * from './src/constants/events.js';
export * from './src/constants/attach-flags.js';
export * from './src/constants/signal-actions.js';
export * from './src/constants/syscall-actions.js';
export * from './src/constants/errno.js';
export * from './src/constants/err-ptr.js';
export { UtraceUsageError } from './src/errors.js';
export { utrace_attach_task, utrace_attach_pid } from './src/api/utrace_attach_task.js';
export { find_get_pid } from './src/api/pid.js';
export { utrace_engine_get, utrace_engine_put } from './src/api/utrace_engine_refs.js';
export { utrace_set_events } from './src/api/utrace_set_events.js';
export { utrace_control } from './src/api/utrace_control.js';
export { utrace_barrier } from './src/api/utrace_barrier.js';
export { utrace_prepare_examine, utrace_finish_examine } from './src/api/utrace_examine.js';
export { utrace_set_events_sync, utrace_clear_events_sync, utrace_detach_sync } from './src/api/utrace_sync.js';
export { rcu_read_section, synchronize_rcu, call_rcu } from './src/api/rcu.js';
export { module_unload, alloc_percpu_counters } from './src/api/module.js';
export { schedule, kill, current } from './src/api/sched.js';
export { defineOps, utrace_syscall_return, utrace_signal_return } from './src/api/define-ops.js';
export { Kernel } from './src/kernel/kernel.js';
export { KBox } from './src/kernel/kbox.js';
export * from './src/kernel/program.js';
export { RoundRobinScheduler, RandomScheduler } from './src/sched/basic.js';
`;

interface Measured {
  readonly minified: number;
  readonly gzipped: number;
}

async function bundle(options: { entry: string } | { contents: string }): Promise<Measured> {
  const common = { bundle: true, minify: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'silent' } as const;
  const r =
    'entry' in options
      ? await build({ ...common, entryPoints: [options.entry] })
      : await build({ ...common, stdin: { contents: options.contents, resolveDir: 'dist', sourcefile: 'kernel-and-api.js' } });
  const code = r.outputFiles[0]!.contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/**
 * The size benchmark.
 * @returns its table and goals.
 */
export async function size(): Promise<BenchResult> {
  const whole = await bundle({ entry: 'dist/src/index.js' });
  const kernel = await bundle({ contents: KERNEL_AND_API });
  // The entry without the timeline renderers: what a separate entry for them would leave.
  const index = readFileSync('dist/src/index.js', 'utf8');
  const noTimelines = await bundle({
    contents: index
      .split('\n')
      .filter((l) => !l.includes('/timeline-'))
      .join('\n')
      .replaceAll("from './", "from './src/")
      .replaceAll("from '../types/", "from './types/"),
  });
  const typesDir = 'dist/types';
  const dts = readdirSync(typesDir)
    .filter((f) => f.endsWith('.d.ts'))
    .sort()
    .map((f) => readFileSync(join(typesDir, f)));
  const types = Buffer.concat(dts);
  const typesGz = gzipSync(types, { level: 9 }).length;
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
  const deps = Object.keys(pkg.dependencies ?? {}).length + Object.keys(pkg.peerDependencies ?? {}).length;
  return {
    tables: [
      {
        title: 'Bundled with esbuild (bundle, minify, ESM, platform neutral), gzipped with node:zlib (level 9)',
        header: ['entry', 'minified', 'gzipped'],
        rows: [
          ['runtime entry, dist/src/index.js (kernel, API, explorer, scenarios, timelines)', kb(whole.minified), kb(whole.gzipped)],
          ['  without the timeline renderers (text, SVG)', kb(noTimelines.minified), kb(noTimelines.gzipped)],
          ['  kernel + API + basic schedulers alone (no explorer)', kb(kernel.minified), kb(kernel.gzipped)],
          [`types-only entry, dist/types/*.d.ts (${dts.length} files, concatenated)`, kb(types.length), kb(typesGz)],
        ],
        notes: [`Runtime dependencies in package.json: ${deps} (dependencies and peerDependencies).`],
      },
    ],
    goals: [
      {
        figure: 'size: runtime entry, minified and gzipped',
        measured: `${kb(whole.gzipped)} (${count(whole.gzipped)} bytes)`,
        goal: `at most ${kb(GOAL_BYTES)}`,
        met: whole.gzipped <= GOAL_BYTES,
      },
      { figure: 'size: runtime dependencies', measured: String(deps), goal: 'none', met: deps === 0 },
    ],
  };
}
