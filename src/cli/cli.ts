/**
 * `utrace-explore`: explore one scenario or a group, print what was found, and decide the
 * exit status.
 *
 * @packageDocumentation
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runScenario, verdictOf, type ScenarioReport } from '../explore/run-scenario.js';
import { DEFAULT_RUN_BUDGET_MS, exploreInWorkers, mergeShards, shardResult, type ShardResult, type WorkerExploreOptions } from '../explore/workers.js';
import type { ExploreResult } from '../explore/explore.js';
import type { Scenario } from '../scenario/scenario.js';
import { makeStrategy, strategyDefinition, type StrategyOptions } from '../explore/strategy.js';
import { renderTimelineSvg } from '../explore/timeline-svg.js';
import { renderTimelineText } from '../explore/timeline-text.js';
import type { ExecutionOutcome } from '../sched/execution.js';
import { ReplayScheduler, ScheduleDivergedError } from '../sched/replay.js';
import { decodeSchedule, encodeSchedule, ScheduleFormatError } from '../sched/schedule-string.js';
import { ScenarioBuildError, scenarioExecute } from '../scenario/execute.js';
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
  /** Otherwise clean, but an SVG file could not be written. */
  cantCreate: 73,
  /** Interrupted (SIGINT). */
  interrupted: 130,
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
  /** Environment variables (for `NO_COLOR` and `COLUMNS`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on an interrupt (SIGINT): the search stops and the partial result is printed. */
  readonly signal?: AbortSignal;
}

/** Whether the run was interrupted (read afresh: the signal changes under the search). */
function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** The package's version, from its package.json. */
function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'utrace' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not there from this build directory; try the next.
    }
  }
  return 'unknown';
}

/** The text timeline's width: `--width`, else the terminal's, else `$COLUMNS`, else 100. */
function timelineWidth(given: number | undefined, io: CliIo): number {
  if (given !== undefined) return given;
  if (io.stdout.isTTY === true && io.stdout.columns !== undefined && io.stdout.columns > 0) return Math.max(40, io.stdout.columns);
  const columns = Number(io.env['COLUMNS']);
  if (Number.isInteger(columns) && columns >= 20) return columns;
  return 100;
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
  if (argv[0] === 'merge') return runMerge(argv.slice(1), out, err);
  let target: Target;
  let options;
  try {
    options = parseCommandLine(argv, colorByDefault);
    if (options.help) {
      out(`${USAGE}\n\nScenarios by name: ${knownNames()}`);
      return EXIT.ok;
    }
    if (options.version) {
      out(`utrace-explore ${packageVersion()}`);
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
    if ((options.json !== undefined || options.shard !== undefined) && target.group) {
      throw new CliUsageError(`--json and --shard are for one search; ${target.name} is a group of ${target.scenarios.length}: name one`);
    }
    if (target.group && options.strategy.kind === 'replay') {
      throw new CliUsageError(`--replay replays one scenario; ${target.name} is a group of ${target.scenarios.length}: name one`);
    }
  } catch (e) {
    if (!(e instanceof CliUsageError)) throw e;
    err(`utrace-explore: ${e.message}`);
    err('Run utrace-explore --help for the usage.');
    return EXIT.usage;
  }

  const width = timelineWidth(options.width, io);
  const maxRows = options.full ? Infinity : undefined;
  const strategyText = describeStrategy(options.strategy, options.maxExecutions, options.maxSeconds);
  const reports: ScenarioReport[] = [];
  let svgFailed = false;
  for (const [index, scenario] of target.scenarios.entries()) {
    if (aborted(io.signal)) break;
    if (reports.length > 0) out('');
    out(formatHeading({ scenario }, strategyText, options.color));
    const label = target.group ? `${scenario.name} (case ${index + 1} of ${target.scenarios.length})` : scenario.name;
    const progress = new ProgressLine(io.stderr, label, { maxExecutions: options.maxExecutions, maxSeconds: options.maxSeconds });
    let report: ScenarioReport;
    try {
      if (options.workers !== undefined) {
        const inWorkers: WorkerExploreOptions = {
          ...locate(target, scenario),
          strategy: options.strategy,
          workers: options.workers,
          ...(options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs }),
          ...(options.shard === undefined ? {} : { shard: options.shard }),
          ...(options.maxExecutions === undefined ? {} : { maxExecutions: options.maxExecutions }),
          ...(options.maxSeconds === undefined ? {} : { maxSeconds: options.maxSeconds }),
          ...(io.signal === undefined ? {} : { signal: io.signal }),
        };
        let result: ExploreResult;
        try {
          if (options.shard !== undefined || options.json !== undefined) {
            const part = await shardResult(inWorkers);
            if (options.json !== undefined) writeFileSync(options.json, `${JSON.stringify(part)}\n`);
            if (options.shard !== undefined) {
              progress.clear();
              out(formatShard(part, options.json));
              if (part.failure !== null) return EXIT.failed;
              return part.limit !== null ? EXIT.limit : EXIT.ok;
            }
            result = mergeShards([part]);
          } else {
            result = await exploreInWorkers(inWorkers);
          }
        } catch (e) {
          if (e instanceof UtraceUsageError) throw new CliUsageError(e.message);
          throw e;
        }
        report = await workerReport(scenario, result);
      } else report = await runScenario(scenario, {
        strategy: options.strategy,
        ...(options.maxExecutions === undefined ? {} : { maxExecutions: options.maxExecutions }),
        ...(options.maxSeconds === undefined ? {} : { maxSeconds: options.maxSeconds }),
        ...(io.signal === undefined ? {} : { signal: io.signal }),
        shorten: options.shorten,
        onProgress: progress.update,
      });
    } catch (e) {
      progress.clear();
      if (e instanceof CliUsageError) {
        err(`utrace-explore: ${e.message}`);
        return EXIT.usage;
      }
      if (e instanceof ScheduleDivergedError || (e instanceof Error && e.name === 'ScheduleDivergedError')) {
        err(`utrace-explore: the schedule does not fit scenario ${scenario.name}: ${e.message}`);
        return EXIT.usage;
      }
      err(`utrace-explore: ${e instanceof ScenarioBuildError ? e.message : `scenario ${scenario.name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`}`);
      return EXIT.software;
    }
    progress.clear();
    reports.push(report);
    // A run in a worker may spin: its replay goes to a worker too.
    const inWorker = options.workers === undefined ? '' : ` --budget-ms ${options.budgetMs ?? DEFAULT_RUN_BUDGET_MS}`;
    const replayCommand = `utrace-explore ${replayTarget(target, scenario.name)}${inWorker}`;
    const fullHint = '--full shows every step';
    out(formatReport(report, { color: options.color, width, replayCommand, maxRows, fullHint }));

    // A replayed schedule that ran clean is shown too: it is the run the reader asked for.
    let drawn = report.counterexample?.outcome;
    if (drawn === undefined && options.strategy.kind === 'replay' && report.result.status === 'exhausted') {
      drawn = await scenarioExecute(scenario, { trace: true })(new ReplayScheduler(decodeSchedule(options.strategy.schedule)));
      out('');
      out(renderTimelineText(drawn, { width, color: options.color, title: `Timeline of ${scenario.name} (replayed, no failure):`, ...(maxRows === undefined ? {} : { maxRows }), fullHint }));
    }
    if (options.svg !== undefined) {
      if (drawn === undefined) {
        const why =
          report.result.status === 'limit' ? 'the search stopped before any run failed' : 'no run failed, and a clean search has no single run to draw';
        out(`svg: no picture of ${scenario.name}: ${why}; --replay a schedule to draw that run`);
      } else if (!writeSvg(options.svg, scenario.name, target.group, drawn, out, err)) {
        svgFailed = true;
      }
    }
    if (aborted(io.signal)) break;
  }

  const interrupted = aborted(io.signal);
  if (interrupted) {
    const runs = reports.reduce((n, r) => n + r.result.executions, 0);
    const left = target.scenarios.length - reports.filter((r) => r.result.status !== 'limit').length;
    err(
      `utrace-explore: interrupted after ${formatCount(runs)} execution${runs === 1 ? '' : 's'}` +
        (target.group ? `; ${left} of ${target.scenarios.length} cases not finished` : '') +
        (reports.some((r) => r.counterexample !== undefined) ? '; the replay lines above reproduce what was found' : '; no failure found so far'),
    );
    return EXIT.interrupted;
  }
  if (!target.group) {
    const status = reports[0]!.result.status;
    const code = status === 'failed' ? EXIT.failed : status === 'exhausted' ? EXIT.ok : EXIT.limit;
    return code === EXIT.ok && svgFailed ? EXIT.cantCreate : code;
  }
  out('');
  out(formatSummary(target.name, reports, options.color));
  out(`command: utrace-explore ${target.name} ${strategyFlags(options.strategy)}`);
  if (reports.some((r) => r.verdict === 'contradicted')) return EXIT.failed;
  if (reports.some((r) => r.verdict === 'undecided')) return EXIT.limit;
  return svgFailed ? EXIT.cantCreate : EXIT.ok;
}

/**
 * Writes the SVG timeline of `outcome` where `--svg` says, saying which directories it made.
 * @returns false, after saying why, when the file could not be written.
 */
function writeSvg(
  base: string,
  scenario: string,
  group: boolean,
  outcome: ExecutionOutcome,
  out: (text: string) => void,
  err: (text: string) => void,
): boolean {
  const path = svgPath(base, scenario, group);
  try {
    const made = mkdirSync(dirname(path), { recursive: true });
    if (made !== undefined) out(`svg: created directory ${made}`);
    writeFileSync(path, renderTimelineSvg(outcome, { title: `utrace: ${scenario}` }));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' ? 'a part of the path is a file, not a directory' : code === 'EISDIR' ? 'it is a directory' : code === 'EROFS' ? 'read-only file system' : e instanceof Error ? e.message : String(e);
    err(`utrace-explore: could not write the SVG of ${scenario} to ${path}: ${why}${group ? '; going on with the other cases' : ''}`);
    return false;
  }
  out(`svg: wrote ${path}`);
  return true;
}

/** The strategy and limits in words, e.g. `dfs (preemption bound 2, deepest-first)` or `random (seed 1), at most 10,000 runs`. */
function describeStrategy(strategy: StrategyOptions, maxExecutions: number | undefined, maxSeconds: number | undefined): string {
  let text = makeStrategy(strategy).description;
  if (maxExecutions !== undefined) text += `, at most ${formatCount(maxExecutions)} executions`;
  if (maxSeconds !== undefined) text += `, at most ${maxSeconds} s`;
  return text;
}

/**
 * The flags that choose `strategy` on the command line, from the strategy registry: `--strategy`
 * (unless a flag implies it) and every flag of the strategy with its value or default.
 */
function strategyFlags(strategy: StrategyOptions): string {
  const definition = strategyDefinition(strategy.kind)!;
  const parts = definition.flags.some((f) => f.implies === true) ? [] : [`--strategy ${strategy.kind}`];
  for (const flag of definition.flags) {
    const value = (strategy as unknown as Record<string, unknown>)[flag.field] ?? flag.default;
    if (value !== undefined) parts.push(`--${flag.option} ${String(value)}`);
  }
  return parts.join(' ');
}

/** Where worker threads find `scenario` of `target`: the examples' module, or the target's file. */
function locate(target: Target, scenario: Scenario): Pick<WorkerExploreOptions, 'module' | 'export' | 'scenario'> {
  const hash = target.name.lastIndexOf('#');
  const file = hash > 0 ? target.name.slice(0, hash) : target.name;
  if (/[\\/]|\.[cm]?[jt]s$/.test(file)) return { module: pathToFileURL(resolve(file)), scenario: scenario.name };
  return { module: new URL('../../examples/index.js', import.meta.url), export: 'examples', scenario: scenario.name };
}

/**
 * The report of a search made in workers: a failing schedule is shown as found (not
 * shortened: a candidate could spin in this thread), and, unless the run was stopped as a
 * runaway, replayed here with the trace on for its timeline.
 */
async function workerReport(scenario: Scenario, result: ExploreResult): Promise<ScenarioReport> {
  const verdict = verdictOf(scenario.expect, result.status);
  if (result.status !== 'failed') return { scenario, result, counterexample: undefined, verdict };
  let outcome = result.outcome;
  if (outcome.failure?.check !== 'runaway') {
    const scheduler = new ReplayScheduler(decodeSchedule(result.schedule));
    outcome = await scenarioExecute(scenario, { trace: true })(scheduler);
  }
  return {
    scenario,
    result,
    counterexample: { outcome, schedule: result.schedule, preemptions: outcome.preemptions, steps: outcome.schedule.length, shortened: undefined },
    verdict,
  };
}

/** What a shard prints: its part, what it found, and where its result went. */
function formatShard(part: ShardResult, json: string | undefined): string {
  const runs = part.done.reduce((n, [, k]) => n + k, 0);
  const mine = Math.max(0, Math.ceil((part.units - (part.shard.index - 1)) / part.shard.count));
  const lines = [
    `shard ${part.shard.index}/${part.shard.count}: ${part.done.length} of its ${Number.isFinite(mine) ? mine : 'endless'} units of ${part.description} done, ${formatCount(runs)} execution${runs === 1 ? '' : 's'}` +
      (part.failure !== null ? `; FOUND ${part.failure.outcome.failure?.check ?? 'failure'}: ${encodeSchedule(part.failure.outcome.schedule)}` : part.limit !== null ? `; stopped by the ${part.limit} limit` : '; no failure in this shard'),
  ];
  lines.push(json === undefined ? 'give --json FILE to keep this shard\'s result for utrace-explore merge' : `result: ${json} (utrace-explore merge it with the other shards' files)`);
  return lines.join('\n');
}

/** `utrace-explore merge FILE...`: the whole search's result from its shards' JSON files. */
function runMerge(files: readonly string[], out: (text: string) => void, err: (text: string) => void): number {
  if (files.length === 0) {
    err('utrace-explore: merge needs the --json files of every shard of one search');
    return EXIT.usage;
  }
  let result: ExploreResult;
  try {
    const shards = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as ShardResult);
    result = mergeShards(shards);
  } catch (e) {
    err(`utrace-explore: merge: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.usage;
  }
  const runs = `${formatCount(result.executions)} execution${result.executions === 1 ? '' : 's'}`;
  switch (result.status) {
    case 'failed':
      out(`FOUND ${result.outcome.failure?.check ?? 'failure'} in execution ${formatCount(result.execution + 1)} of ${result.strategy}: ${runs} (merged from ${files.length} shards)`);
      out(`failure: ${result.outcome.failure?.message ?? ''}`);
      out(`replay:  --replay ${result.schedule}`);
      return EXIT.failed;
    case 'exhausted':
      out(`CLEAN: every schedule of ${result.strategy} ran without failure: ${runs} (merged from ${files.length} shards)`);
      return EXIT.ok;
    case 'limit':
      out(`STOPPED by the ${result.limit} limit before any failure: ${runs} of ${result.strategy} (merged from ${files.length} shards)`);
      return EXIT.limit;
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
