/**
 * Type-check cost: the generated consumers (`type-perf/consumer-typed.ts`, 500 engine
 * lifecycles against the package, and `type-perf/consumer-erased.ts`, the same code against
 * a facade without lifecycle states) checked by TypeScript 6 and 7 with
 * `--extendedDiagnostics`, each run {@link RUNS} times in turns; times are medians.
 * @packageDocumentation
 */
import { type BenchResult, count, type Goal, median, times } from './row.js';
import { check, type Compiler, type Diagnostics, readCeilings } from './typecost-measure.js';

/** Checks of each consumer per compiler. */
const RUNS = 3;
/** The goal: typed at most this many times erased, in time. */
const GOAL = 1.3;

interface Summary {
  readonly last: Diagnostics;
  readonly totalTime: number;
  readonly checkTime: number;
}

function summary(runs: readonly Diagnostics[]): Summary {
  return { last: runs[runs.length - 1]!, totalTime: median(runs.map((r) => r.totalTime)), checkTime: median(runs.map((r) => r.checkTime)) };
}

function seconds(s: number): string {
  return `${s.toFixed(2)} s`;
}

/**
 * The type-cost benchmark.
 * @returns its table and goals.
 */
export async function typeCost(): Promise<BenchResult> {
  const rows: string[][] = [];
  const goals: Goal[] = [];
  const ceilings = readCeilings().ceilings;
  for (const compiler of ['ts6', 'ts7'] as const satisfies readonly Compiler[]) {
    const typedRuns: Diagnostics[] = [];
    const erasedRuns: Diagnostics[] = [];
    for (let i = 0; i < RUNS; i++) {
      typedRuns.push(await check(compiler, 'consumer-typed'));
      erasedRuns.push(await check(compiler, 'consumer-erased'));
    }
    const typeTests = await check(compiler, 'type-tests');
    const typed = summary(typedRuns);
    const erased = summary(erasedRuns);
    const label = compiler === 'ts6' ? 'TypeScript 6 (tsc)' : 'TypeScript 7 (native tsc)';
    for (const [what, s] of [
      ['consumer-typed', typed],
      ['consumer-erased', erased],
    ] as const) {
      rows.push([
        label,
        what,
        s.last.exitCode === 0 ? 'ok' : `${s.last.errors.length} errors`,
        count(s.last.instantiations),
        count(s.last.types),
        seconds(s.checkTime),
        seconds(s.totalTime),
        what === 'consumer-typed' ? count(ceilings[compiler]['consumer-typed'] ?? NaN) : '',
      ]);
    }
    rows.push([label, 'type-tests/', typeTests.exitCode === 0 ? 'ok' : `${typeTests.errors.length} errors`, count(typeTests.instantiations), count(typeTests.types), seconds(typeTests.checkTime), seconds(typeTests.totalTime), count(ceilings[compiler]['type-tests'] ?? NaN)]);
    const total = typed.totalTime / erased.totalTime;
    const checkRatio = typed.checkTime / erased.checkTime;
    goals.push(
      { figure: `type cost, ${label}: typed consumer against erased, total time`, measured: `${times(total)} (check time alone ${times(checkRatio)})`, goal: `at most ${GOAL.toFixed(1)}x`, met: total <= GOAL },
      {
        figure: `type cost, ${label}: no "excessively deep" error, everything type-checks`,
        measured: [typed.last, erased.last, typeTests].some((d) => d.excessivelyDeep) ? 'TS2589 found' : [typed.last, erased.last, typeTests].every((d) => d.exitCode === 0) ? 'none; no error' : 'type errors',
        goal: 'none',
        met: [typed.last, erased.last, typeTests].every((d) => !d.excessivelyDeep && d.exitCode === 0),
      },
    );
  }
  return {
    tables: [
      {
        title: `tsc --extendedDiagnostics on the generated consumers (500 lifecycles each; median of ${RUNS} runs, in turns) and on type-tests/`,
        header: ['compiler', 'project', 'result', 'instantiations', 'types', 'check time', 'total time', 'ceiling (npm test)'],
        rows,
        notes: [
          'Both consumers load the same lib and @types/node; the typed one also loads the package\'s declarations (dist/).',
          'TypeScript 7 prints fewer --extendedDiagnostics fields than 6, among them Instantiations, Types, Check time and Total time.',
        ],
      },
    ],
    goals,
  };
}
