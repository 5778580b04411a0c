/**
 * The command line of `utrace-explore`: its usage text, and parsing `argv` into options.
 *
 * @packageDocumentation
 */
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DFS_ORDER } from '../explore/dfs.js';
import { DEFAULT_DFS_BOUND, DEFAULT_PCT_DEPTH, type StrategyOptions } from '../explore/strategy.js';
import { decodeSchedule, ScheduleFormatError } from '../sched/schedule-string.js';
import { MAX_PCT_DEPTH } from '../sched/pct.js';

/**
 * Runs a random or PCT search makes when neither `--max-executions` nor `--max-seconds` is
 * given (they never exhaust).
 * @internal
 */
export const DEFAULT_RANDOM_EXECUTIONS = 10_000;

/**
 * The usage text printed by `--help` and after a usage error.
 * @internal
 */
export const USAGE = `Usage: utrace-explore <example-name | thread | path/to/scenario.js> [options]

Runs a utrace scenario under many thread interleavings and reports the first that breaks a
rule (use-after-free, module code after unload, PROVE_RCU, ...), shortened, as a schedule
string that replays it and as a timeline.

Targets:
  <example-name>           one of the thread's cases (see the list below)
  thread                   all seven cases of the 2008 thread, with a summary table
  path/to/scenario.js      a module exporting scenarios made with defineScenario
                           (default export, or every exported scenario);
                           path/to/scenario.js#name picks one of them

Options:
  --strategy dfs|stateful|random|pct|replay
                           dfs: every schedule within the preemption bound (default)
                           stateful: every interleaving, no bound, states seen before
                           pruned; a clean result is proven over all interleavings
                           random, pct: seeded random search; replay: one schedule
  --bound N                dfs preemption bound (default ${DEFAULT_DFS_BOUND})
  --order deepest-first|earliest-first
                           where each dfs run diverges from the runs before it (default
                           ${DEFAULT_DFS_ORDER}): deepest-first varies the last steps of a run
                           first; earliest-first tries every choice at one step, in all runs
                           so far, before any at a later step. Both run the same schedules
  --seed N                 random / pct seed (default 1)
  --depth N                pct bug depth (default ${DEFAULT_PCT_DEPTH})
  --replay SCHEDULE        replay a printed schedule string (implies --strategy replay)
  --max-states N           stateful: most distinct states kept (default 1,000,000)
  --max-executions N       stop after N runs (random / pct default ${DEFAULT_RANDOM_EXECUTIONS})
  --max-seconds N          stop after N seconds
  --no-shorten             show the failing schedule as found, without shortening it
  --svg PATH               write the failing (or replayed) run as an SVG timeline: to
                           PATH/<case>.svg if PATH is a directory (or ends with /), else to
                           PATH, which must end in .svg; for a group, one file per failing
                           case, with -<case> inserted before .svg. Missing directories are
                           created (and said so)
  --width N                width of the text timeline in characters (default: the
                           terminal's width; when piped, $COLUMNS, else 100)
  --full                   show every step of a long timeline (default: the first, last and
                           failing steps of a run over 200 steps, with a count of the rest)
  --color                  colour the output (default: on when stdout is a terminal and
                           NO_COLOR is not set)
  --version                print the version
  --help                   print this text

Ctrl-C stops the search: the partial result (runs so far, a failing schedule if one was
found) is printed and the exit status is 130.

Exit status:
  one scenario:  0 the search was exhausted (the bound, or the replayed schedule) with no
                 failure; 1 a run broke a rule; 2 a limit stopped the search first. This
                 reports what the search found, whatever the scenario's expect says (the
                 report line says whether that was expected): a failing run is exit 1
  a group:       0 every case behaved as expected (each unsafe case found, each safe case
                 exhausted clean); 1 some case contradicted its expectation; 2 otherwise,
                 some case was stopped by a limit before it was decided. A one-scenario
                 module can be judged this way too: list it twice in a module's default
                 export, or run it within a group
  64             usage error: bad option, unknown scenario, unreadable scenario file, bad
                 schedule string, or a replayed schedule that does not fit the scenario
  70             a scenario's set-up or the explorer itself threw
  73             otherwise 0, but an SVG file could not be written
  130            interrupted (Ctrl-C)`;

/**
 * A command-line mistake: the message says what was wrong; the exit status is 64.
 * @internal
 */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/**
 * The parsed command line.
 * @internal
 */
export interface CliOptions {
  /** `--help` was given: print the usage and exit 0. */
  readonly help: boolean;
  /** `--version` was given: print the version and exit 0. */
  readonly version: boolean;
  /** `--width`: the text timeline's width, when given. */
  readonly width: number | undefined;
  /** `--full`: show every step of the timeline. */
  readonly full: boolean;
  /** The target: an example name, a group name, or a path to a scenario module. */
  readonly target: string;
  /** The search strategy. */
  readonly strategy: StrategyOptions;
  /** Run limit, if any. */
  readonly maxExecutions: number | undefined;
  /** Time limit in seconds, if any. */
  readonly maxSeconds: number | undefined;
  /** Shorten a failing schedule. */
  readonly shorten: boolean;
  /** Where to write SVG timelines, if anywhere. */
  readonly svg: string | undefined;
  /** Colour the output. */
  readonly color: boolean;
}

const OPTIONS = {
  strategy: { type: 'string' },
  bound: { type: 'string' },
  order: { type: 'string' },
  seed: { type: 'string' },
  depth: { type: 'string' },
  replay: { type: 'string' },
  svg: { type: 'string' },
  width: { type: 'string' },
  'max-executions': { type: 'string' },
  'max-states': { type: 'string' },
  'max-seconds': { type: 'string' },
  'no-shorten': { type: 'boolean' },
  full: { type: 'boolean' },
  color: { type: 'boolean' },
  version: { type: 'boolean', short: 'V' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `--bound -1`: a value that looks like an option is joined to its option (`--bound=-1`) so that the option's own check judges it. */
function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && (OPTIONS as Record<string, { type: string }>)[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Our own words for what `parseArgs` refused. */
function explainParseError(e: unknown, argv: readonly string[]): string {
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  const quoted = /'(-[^' ]*)/.exec(message)?.[1];
  const option = quoted ?? argv.find((a) => a.startsWith('-')) ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const bare = option.replace(/^-+/, '').replace(/=.*$/, '');
    const guess = closest(bare, Object.keys(OPTIONS));
    return `unknown option ${option}${guess === undefined ? '' : `; did you mean --${guess}?`}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /--[\w-]+/.exec(message)?.[0] ?? option;
    const entry = (OPTIONS as Record<string, { type: string }>)[name.slice(2)];
    return entry?.type === 'boolean' ? `${name} takes no value` : `${name} needs a value`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${JSON.stringify(option)}`;
  return message;
}

/**
 * The candidate closest to `word` by edit distance, if it is close enough to be a likely
 * misspelling (at most a third of its length, and at least one edit away).
 * @internal
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(Math.max(word.length, best.length) / 3)) ? best : undefined;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

const STRATEGIES = ['dfs', 'random', 'pct', 'replay', 'stateful'] as const;
const ORDERS = ['deepest-first', 'earliest-first'] as const;

/**
 * Parses `argv` (without the node and script paths).
 * @param argv - the arguments.
 * @param colorByDefault - whether colour is on when `--color` is not given.
 * @returns the options; `help` set and the rest defaulted when `--help` is given.
 * @throws {@link CliUsageError} on an unknown option, a missing or extra target, a bad
 * number, an option that does not apply to the strategy, or a bad schedule string.
 * @internal
 */
export function parseCommandLine(argv: readonly string[], colorByDefault: boolean): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv),
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
  } catch (e) {
    throw new CliUsageError(explainParseError(e, argv));
  }
  const v = parsed.values;
  const color = v.color === true || colorByDefault;
  if (v.help === true || v.version === true) {
    return {
      help: v.help === true,
      version: v.version === true && v.help !== true,
      width: undefined,
      full: false,
      target: '',
      strategy: { kind: 'dfs' },
      maxExecutions: undefined,
      maxSeconds: undefined,
      shorten: true,
      svg: undefined,
      color,
    };
  }
  if (parsed.positionals.length === 0) throw new CliUsageError('missing the scenario: an example name, `thread`, or a path');
  if (parsed.positionals.length > 1) {
    throw new CliUsageError(`one scenario at a time; got ${parsed.positionals.map((p) => JSON.stringify(p)).join(', ')}`);
  }
  const target = parsed.positionals[0]!;

  let kind = v.strategy ?? (v.replay !== undefined ? 'replay' : 'dfs');
  if (!(STRATEGIES as readonly string[]).includes(kind)) {
    throw new CliUsageError(`--strategy must be one of ${STRATEGIES.join(', ')}; got ${JSON.stringify(kind)}`);
  }
  const only = (option: 'bound' | 'order' | 'seed' | 'depth' | 'replay' | 'max-states', kinds: readonly string[]): void => {
    if (v[option] !== undefined && !kinds.includes(kind)) {
      throw new CliUsageError(`--${option} applies to --strategy ${kinds.join(' or ')}, not ${kind}`);
    }
  };
  only('bound', ['dfs']);
  only('order', ['dfs']);
  only('seed', ['random', 'pct']);
  only('depth', ['pct']);
  only('replay', ['replay']);
  only('max-states', ['stateful']);

  let strategy: StrategyOptions;
  switch (kind) {
    case 'dfs':
      strategy = { kind: 'dfs', bound: integer(v.bound, '--bound', 0, 1000) ?? DEFAULT_DFS_BOUND, order: order(v.order) };
      break;
    case 'stateful': {
      const maxStates = integer(v['max-states'], '--max-states', 1, Number.MAX_SAFE_INTEGER);
      strategy = maxStates === undefined ? { kind: 'stateful' } : { kind: 'stateful', maxStates };
      break;
    }
    case 'random':
      strategy = { kind: 'random', seed: integer(v.seed, '--seed', -0x80000000, 0x7fffffff) ?? 1 };
      break;
    case 'pct':
      strategy = {
        kind: 'pct',
        seed: integer(v.seed, '--seed', -0x80000000, 0x7fffffff) ?? 1,
        depth: integer(v.depth, '--depth', 1, MAX_PCT_DEPTH) ?? DEFAULT_PCT_DEPTH,
      };
      break;
    default: {
      kind = 'replay';
      if (v.replay === undefined) throw new CliUsageError('--strategy replay needs --replay SCHEDULE');
      try {
        decodeSchedule(v.replay);
      } catch (e) {
        if (e instanceof ScheduleFormatError) throw new CliUsageError(`--replay: ${e.message}`);
        throw e;
      }
      strategy = { kind: 'replay', schedule: v.replay.trim() };
    }
  }

  let maxExecutions = integer(v['max-executions'], '--max-executions', 1, Number.MAX_SAFE_INTEGER);
  const maxSeconds = positive(v['max-seconds'], '--max-seconds');
  if ((kind === 'random' || kind === 'pct') && maxExecutions === undefined && maxSeconds === undefined) {
    maxExecutions = DEFAULT_RANDOM_EXECUTIONS;
  }
  if (v.svg !== undefined && v.svg.trim() === '') throw new CliUsageError('--svg needs a path');
  if (v.svg !== undefined && !/[\\/]$/.test(v.svg) && extname(v.svg) !== '' && extname(v.svg).toLowerCase() !== '.svg') {
    throw new CliUsageError(`--svg ${v.svg}: the picture is SVG; give a file name ending in .svg, or a directory ending with /`);
  }
  const width = integer(v.width, '--width', 20, 1000);
  return {
    help: false,
    version: false,
    width,
    full: v.full === true,
    target,
    strategy,
    maxExecutions,
    maxSeconds,
    shorten: v['no-shorten'] !== true,
    svg: v.svg,
    color,
  };
}

/** The `--order` option, or the default order when absent. */
function order(text: string | undefined): (typeof ORDERS)[number] {
  if (text === undefined) return DEFAULT_DFS_ORDER;
  const found = ORDERS.find((o) => o === text.trim());
  if (found === undefined) throw new CliUsageError(`--order must be one of ${ORDERS.join(', ')}; got ${JSON.stringify(text)}`);
  return found;
}

/** A decimal integer option from `min` to `max`, or undefined when absent. */
function integer(text: string | undefined, option: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const range = max >= Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
  const n = /^[-+]?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (Number.isNaN(n)) throw new CliUsageError(`${option} must be an integer ${range}; got ${JSON.stringify(text)}`);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new CliUsageError(`${option} must be an integer ${range}; got ${text.trim()}, which is out of range`);
  return n;
}

/** A positive number option, or undefined when absent. */
function positive(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!(n > 0)) throw new CliUsageError(`${option} must be a positive number of seconds; got ${JSON.stringify(text)}`);
  return n;
}
