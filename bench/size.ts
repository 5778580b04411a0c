/**
 * Size of what a consumer loads: each runtime entry bundled and minified with esbuild, then
 * gzipped: `utrace` (`dist/src/index.js`: kernel, API, basic schedulers), `utrace/explore`
 * (`dist/src/explore/index.js`: explorer, scenarios, timelines, with the part of the kernel it
 * uses) and both together; and the types-only entry (`dist/types/*.d.ts`, concatenated,
 * gzipped). Also checks that the package has no runtime dependency.
 * @packageDocumentation
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type BenchResult, count } from './row.js';

/** The goal for the `utrace` runtime entry, minified and gzipped. */
const GOAL_BYTES = 20 * 1024;

/** A program that uses both entries: the kernel and the explorer. */
const BOTH_ENTRIES = `
export * from './src/index.js';
export * from './src/explore/index.js';
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
      : await build({ ...common, stdin: { contents: options.contents, resolveDir: 'dist', sourcefile: 'both-entries.js' } });
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
  const runtime = await bundle({ entry: 'dist/src/index.js' });
  const explorer = await bundle({ entry: 'dist/src/explore/index.js' });
  const both = await bundle({ contents: BOTH_ENTRIES });
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
          ["runtime entry 'utrace', dist/src/index.js (kernel, API, basic schedulers)", kb(runtime.minified), kb(runtime.gzipped)],
          [
            "explorer entry 'utrace/explore', dist/src/explore/index.js (with the kernel parts it uses)",
            kb(explorer.minified),
            kb(explorer.gzipped),
          ],
          ['both entries in one bundle', kb(both.minified), kb(both.gzipped)],
          [`types-only entry, dist/types/*.d.ts (${dts.length} files, concatenated)`, kb(types.length), kb(typesGz)],
        ],
        notes: [`Runtime dependencies in package.json: ${deps} (dependencies and peerDependencies).`],
      },
    ],
    goals: [
      {
        figure: "size: runtime entry 'utrace', minified and gzipped",
        measured: `${kb(runtime.gzipped)} (${count(runtime.gzipped)} bytes)`,
        goal: `at most ${kb(GOAL_BYTES)}`,
        met: runtime.gzipped <= GOAL_BYTES,
      },
      { figure: 'size: runtime dependencies', measured: String(deps), goal: 'none', met: deps === 0 },
    ],
  };
}
