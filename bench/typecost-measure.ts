/**
 * Running the type checkers on a project and reading their `--extendedDiagnostics`:
 * instantiation count, check time, total time. Shared by the type-cost benchmark, the
 * type-cost test (which holds the counts under the ceilings in `type-perf/ceilings.json`) and
 * the script that re-measures those ceilings.
 * @packageDocumentation
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (this file is built to `build/bench/`). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The two compilers: TypeScript 6 (`typescript`) and 7 (`typescript7`, the native port). */
export const COMPILERS = {
  ts6: join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
  ts7: join(ROOT, 'node_modules', 'typescript7', 'bin', 'tsc'),
} as const;

/** Which compiler. */
export type Compiler = keyof typeof COMPILERS;

/** The projects measured, as tsc `-p` arguments relative to the root. */
export const PROJECTS = {
  'type-tests': 'type-tests',
  'consumer-typed': 'type-perf/tsconfig.typed.json',
  'consumer-erased': 'type-perf/tsconfig.erased.json',
} as const;

/** Which project. */
export type Project = keyof typeof PROJECTS;

/** What one check reported. */
export interface Diagnostics {
  readonly compiler: Compiler;
  readonly project: Project;
  /** tsc's exit code: 0 when the project type-checks. */
  readonly exitCode: number;
  readonly instantiations: number;
  readonly types: number;
  /** Seconds, as tsc reports them. */
  readonly checkTime: number;
  readonly totalTime: number;
  /** Whether the output has error TS2589 (type instantiation is excessively deep). */
  readonly excessivelyDeep: boolean;
  /** Error lines, if any. */
  readonly errors: readonly string[];
}

function field(output: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+([\\d.]+)`, 'm').exec(output);
  if (m === null) throw new Error(`tsc --extendedDiagnostics printed no "${name}:" line:\n${output.slice(0, 2000)}`);
  return Number(m[1]);
}

/** The generator of the consumers, `type-perf/generate.mjs`. */
export interface ConsumerGenerator {
  /** The lifecycles in each consumer. */
  readonly LIFECYCLES: number;
  /** Both consumers' text. */
  consumers(): { typed: string; erased: string };
  /** Writes both into `build/type-perf/`; returns their paths. */
  writeConsumers(): { typed: string; erased: string };
}

/** Loads `type-perf/generate.mjs`. */
export async function generator(): Promise<ConsumerGenerator> {
  return (await import(pathToFileURL(join(ROOT, 'type-perf', 'generate.mjs')).href)) as ConsumerGenerator;
}

/**
 * Runs `compiler` on `project` with `--extendedDiagnostics`. The consumers are generated
 * first (they are not committed).
 */
export async function check(compiler: Compiler, project: Project): Promise<Diagnostics> {
  if (project !== 'type-tests') (await generator()).writeConsumers();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [COMPILERS[compiler], '-p', PROJECTS[project], '--extendedDiagnostics', '--pretty', 'false'],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}\n${stderr}`;
        const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        try {
          resolve({
            compiler,
            project,
            exitCode,
            instantiations: field(output, 'Instantiations'),
            types: field(output, 'Types'),
            checkTime: field(output, 'Check time'),
            totalTime: field(output, 'Total time'),
            excessivelyDeep: /TS2589|excessively deep/.test(output),
            errors: output.split('\n').filter((l) => /error TS\d+/.test(l)),
          });
        } catch (e) {
          reject(e);
        }
      },
    );
  });
}

/** The committed ceilings: per compiler and project, the most instantiations allowed. */
export interface Ceilings {
  readonly note: string;
  readonly compilers: Readonly<Record<Compiler, string>>;
  readonly measured: Readonly<Record<Compiler, Readonly<Record<string, number>>>>;
  readonly ceilings: Readonly<Record<Compiler, Readonly<Record<string, number>>>>;
}

/** Where the ceilings are kept. */
export const CEILINGS_FILE = join(ROOT, 'type-perf', 'ceilings.json');

/** Reads `type-perf/ceilings.json`. */
export function readCeilings(): Ceilings {
  return JSON.parse(readFileSync(CEILINGS_FILE, 'utf8')) as Ceilings;
}

/** Ceiling = measured instantiations x 1.25, rounded. */
export const CEILING_FACTOR = 1.25;

/** The version a compiler package reports. */
export function compilerVersion(compiler: Compiler): string {
  const dir = compiler === 'ts6' ? 'typescript' : 'typescript7';
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', dir, 'package.json'), 'utf8')) as { version: string }).version;
}
