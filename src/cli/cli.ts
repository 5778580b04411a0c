/**
 * `utrace-explore`: explore one scenario or a group, print what was found, and decide the
 * exit status.
 *
 * @packageDocumentation
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { runScenario, type ScenarioReport } from '../explore/run-scenario.js';
import { DEFAULT_DFS_ORDER } from '../explore/dfs.js';
import { DEFAULT_DFS_BOUND, makeStrategy, type StrategyOptions } from '../explore/strategy.js';
import { renderTimelineSvg } from '../explore/timeline-svg.js';
import { ScheduleDivergedError } from '../sched/replay.js';
import { ScheduleFormatError } from '../sched/schedule-string.js';
import { ScenarioBuildError } from '../scenario/execute.js';
import { UtraceUsageError } from '../errors.js';
import { CliUsageError, parseCommandLine, USAGE } from './args.js';
import { formatCount } from './format.js';
import { formatHeading, formatReport, formatSummary } from './report.js';
import { ProgressLine, type ProgressStream } from './progress.js';
import { knownNames, resolveTarget, type Target } from './targets.js';

/**
 * Exit statuses of `utrace-explore`.
 * @internal
 */
export const EXIT = {
  /** Exhausted clean (one scenario), or every case as expected (a group). */
  ok: 0,
  /** A rule broke (one scenario), or a case contradicted its expectation (a group). */
  failed: 1,
  /** A limit stopped the search first. */
  limit: 2,
  /** A usage error. */
  usage: 64,
  /** A scenario's set-up or the explorer threw. */
  software: 70,
} as const;

/**
 * Where the command line reads its environment and writes its output.
 * @internal
 */
export interface CliIo {
  /** Results. */
  readonly stdout: ProgressStream & { readonly columns?: number };
  /** Progress line and errors. */
  readonly stderr: ProgressStream;
  /** Environment variables (for `NO_COLOR`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs the command line on `argv` (without the node and script paths).
 * @returns the exit status: see {@link EXIT} and the usage text.
 * @internal
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const out = (text: string): void => void io.stdout.write(`${text}\n`);
  const err = (text: string): void => void io.stderr.write(`${text}\n`);
  const colorByDefault = io.stdout.isTTY === true && io.env['NO_COLOR'] === undefined;
  let target: Target;
  let options;
  try {
    options = parseCommandLine(argv, colorByDefault);
    if (options.help) {
      out(`${USAGE}\n\nScenarios by name: ${knownNames()}`);
      return EXIT.ok;
    }
    // Build the strategy once up front, so a bad parameter (a PCT depth of 10^15) is a usage error.
    try {
      makeStrategy(options.strategy);
    } catch (e) {
      if (e instanceof UtraceUsageError || e instanceof ScheduleFormatError) throw new CliUsageError(e.message);
      throw e;
    }
    target = await resolveTarget(options.target);
    if (target.group && options.strategy.kind === 'replay') {
      throw new CliUsageError(`--replay replays one scenario; ${target.name} is a group of ${target.scenarios.length}: name one`);
    }
  } catch (e) {
    if (!(e instanceof CliUsageError)) throw e;
    err(`utrace-explore: ${e.message}`);
    err('Run utrace-explore --help for the usage.');
    return EXIT.usage;
  }

  const width = io.stdout.isTTY === true && io.stdout.columns !== undefined ? Math.max(60, io.stdout.columns) : 160;
  const strategyText = describeStrategy(options.strategy, options.maxExecutions, options.maxSeconds);
  const reports: ScenarioReport[] = [];
  for (const scenario of target.scenarios) {
    if (reports.length > 0) out('');
    out(formatHeading({ scenario }, strategyText, options.color));
    const progress = new ProgressLine(io.stderr, scenario.name);
    let report: ScenarioReport;
    try {
      report = await runScenario(scenario, {
        strategy: options.strategy,
        ...(options.maxExecutions === undefined ? {} : { maxExecutions: options.maxExecutions }),
        ...(options.maxSeconds === undefined ? {} : { maxSeconds: options.maxSeconds }),
        shorten: options.shorten,
        onProgress: progress.update,
      });
    } catch (e) {
      progress.clear();
      if (e instanceof ScheduleDivergedError) {
        err(`utrace-explore: the schedule does not fit scenario ${scenario.name}: ${e.message}`);
        return EXIT.usage;
      }
      err(`utrace-explore: ${e instanceof ScenarioBuildError ? e.message : `scenario ${scenario.name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`}`);
      return EXIT.software;
    }
    progress.clear();
    reports.push(report);
    const replayCommand = `utrace-explore ${replayTarget(target, scenario.name)}`;
    out(formatReport(report, { color: options.color, width, replayCommand }));
    if (options.svg !== undefined && report.counterexample !== undefined) {
      const path = svgPath(options.svg, scenario.name, target.group);
      try {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, renderTimelineSvg(report.counterexample.outcome, { title: `utrace: ${scenario.name}` }));
      } catch (e) {
        err(`utrace-explore: could not write ${path}: ${e instanceof Error ? e.message : String(e)}`);
        return EXIT.software;
      }
      out(`svg: wrote ${path}`);
    }
  }

  if (!target.group) {
    const status = reports[0]!.result.status;
    return status === 'failed' ? EXIT.failed : status === 'exhausted' ? EXIT.ok : EXIT.limit;
  }
  out('');
  out(formatSummary(target.name, reports, options.color));
  out(`command: utrace-explore ${target.name} ${strategyFlags(options.strategy)}`);
  if (reports.some((r) => r.verdict === 'contradicted')) return EXIT.failed;
  if (reports.some((r) => r.verdict === 'undecided')) return EXIT.limit;
  return EXIT.ok;
}

/** The strategy and limits in words, e.g. `dfs (preemption bound 2, deepest-first)` or `random (seed 1), at most 10,000 runs`. */
function describeStrategy(strategy: StrategyOptions, maxExecutions: number | undefined, maxSeconds: number | undefined): string {
  let text = makeStrategy(strategy).description;
  if (maxExecutions !== undefined) text += `, at most ${formatCount(maxExecutions)} executions`;
  if (maxSeconds !== undefined) text += `, at most ${maxSeconds} s`;
  return text;
}

/** The flags that choose `strategy` on the command line. */
function strategyFlags(strategy: StrategyOptions): string {
  switch (strategy.kind) {
    case 'dfs':
      return `--strategy dfs --bound ${strategy.bound ?? DEFAULT_DFS_BOUND} --order ${strategy.order ?? DEFAULT_DFS_ORDER}`;
    case 'random':
      return `--strategy random --seed ${strategy.seed}`;
    case 'pct':
      return `--strategy pct --seed ${strategy.seed} --depth ${strategy.depth ?? 3}`;
    case 'replay':
      return `--replay ${strategy.schedule}`;
  }
}

/** The target that names one scenario of `target` on the command line. */
function replayTarget(target: Target, scenario: string): string {
  if (!target.group) return target.name;
  if (target.name.includes('/') || target.name.includes('\\') || /\.[cm]?js$/.test(target.name)) return `${target.name}#${scenario}`;
  return scenario;
}

/**
 * Where the SVG of `scenario` goes: `base/<scenario>.svg` when `base` is a directory (or ends
 * with a slash); else `base` itself for one scenario, and for a group `base` with
 * `-<scenario>` inserted before its extension.
 */
function svgPath(base: string, scenario: string, group: boolean): string {
  let directory = /[\\/]$/.test(base);
  if (!directory) {
    try {
      directory = statSync(base).isDirectory();
    } catch {
      directory = false;
    }
  }
  if (directory) return join(base, `${scenario}.svg`);
  if (!group) return base;
  const ext = extname(base);
  return ext === '' ? `${base}-${scenario}.svg` : `${base.slice(0, -ext.length)}-${scenario}${ext}`;
}
