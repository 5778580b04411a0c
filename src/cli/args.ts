/**
 * The command line of `utrace-explore`: its usage text, and parsing `argv` into options.
 *
 * @packageDocumentation
 */
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { StrategyFlag } from '../explore/strategies/definition.js';
import { STRATEGIES, STRATEGY_NAMES, strategyDefinition, strategyFlags, type StrategyName, type StrategyOptions } from '../explore/strategy.js';
import { decodeSchedule, ScheduleFormatError } from '../sched/schedule-string.js';

/**
 * Runs a random or PCT search makes when neither `--max-executions` nor `--max-seconds` is
 * given (they never exhaust).
 * @internal
 */
export const DEFAULT_RANDOM_EXECUTIONS = 10_000;

/** Column where the help text of an option starts. */
const HELP_COLUMN = 27;
/** Longest line of the help text. */
const HELP_WIDTH = 92;

/** `text` wrapped to the help text's width, every line indented to the help column. */
function helpLines(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && HELP_COLUMN + line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => `${' '.repeat(HELP_COLUMN)}${l}`);
}

/** One option of the help text: its name and value, then its help, on the same line when it fits. */
function helpEntry(head: string, help: string): string {
  const body = helpLines(help);
  const first = `  ${head}`;
  if (first.length < HELP_COLUMN - 1) return [`${first.padEnd(HELP_COLUMN)}${body[0]!.trimStart()}`, ...body.slice(1)].join('\n');
  return [first, ...body].join('\n');
}

/** The help text of `--strategy` and of every strategy's flags, from the strategy registry. */
function strategyHelp(): string {
  const entries = [
    `  --strategy ${STRATEGY_NAMES.join('|')}`,
    ...STRATEGY_NAMES.flatMap((name, i) => helpLines(`${name}${i === 0 ? ' (default)' : ''}: ${STRATEGIES[name].summary}`)),
  ];
  for (const { flag } of strategyFlags().values()) {
    entries.push(helpEntry(`--${flag.option} ${flag.value}`, flag.default === undefined ? flag.help : `${flag.help} (default ${flag.default})`));
  }
  return entries.join('\n');
}

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
${strategyHelp()}
  --max-executions N       stop after N runs (random / pct default ${DEFAULT_RANDOM_EXECUTIONS})
  --max-seconds N          stop after N seconds
  --workers N              run every execution in worker threads, N at once (1 to 256),
                           splitting the search among them: the result is the same as with
                           1. A run longer than --budget-ms is stopped and reported as a
                           runaway failure; without workers, a run that never ends (a
                           callback that spins) hangs the search
  --budget-ms N            most milliseconds one run may take in a worker (default 10000);
                           implies --workers 1 when --workers is not given
  --shard K/N              search only part K of N of the split search (implies workers);
                           merge the parts' --json files with utrace-explore merge
  --json FILE              write the search's result as JSON (a shard's result, for merge)
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

utrace-explore merge FILE...  combines the --json results of every shard of one search into the
                           result of the whole search, with its exit status

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
  /** Worker threads (`--workers`, or 1 when `--budget-ms` or `--shard` asks for workers), or undefined to search in this thread. */
  readonly workers: number | undefined;
  /** `--budget-ms`: most milliseconds per run in a worker. */
  readonly budgetMs: number | undefined;
  /** `--shard K/N`. */
  readonly shard: { readonly index: number; readonly count: number } | undefined;
  /** `--json FILE`. */
  readonly json: string | undefined;
}

const OPTIONS = {
  strategy: { type: 'string' },
  ...Object.fromEntries([...strategyFlags().keys()].map((option) => [option, { type: 'string' } as const])),
  svg: { type: 'string' },
  workers: { type: 'string' },
  'budget-ms': { type: 'string' },
  shard: { type: 'string' },
  json: { type: 'string' },
  width: { type: 'string' },
  'max-executions': { type: 'string' },
  'max-seconds': { type: 'string' },
  'no-shorten': { type: 'boolean' },
  full: { type: 'boolean' },
  color: { type: 'boolean' },
  version: { type: 'boolean', short: 'V' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; short?: string }>;

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
      strategy: { kind: STRATEGY_NAMES[0]! } as StrategyOptions,
      maxExecutions: undefined,
      maxSeconds: undefined,
      shorten: true,
      svg: undefined,
      color,
      workers: undefined,
      budgetMs: undefined,
      shard: undefined,
      json: undefined,
    };
  }
  if (parsed.positionals.length === 0) throw new CliUsageError('missing the scenario: an example name, `thread`, or a path');
  if (parsed.positionals.length > 1) {
    throw new CliUsageError(`one scenario at a time; got ${parsed.positionals.map((p) => JSON.stringify(p)).join(', ')}`);
  }
  const target = parsed.positionals[0]!;

  const given = v as Record<string, string | boolean | undefined>;
  const flags = strategyFlags();
  const implied = [...flags.values()].find(({ flag }) => flag.implies === true && given[flag.option] !== undefined);
  const kind = (v.strategy ?? implied?.kinds[0] ?? STRATEGY_NAMES[0]!) as StrategyName;
  const definition = strategyDefinition(kind);
  if (definition === undefined) {
    throw new CliUsageError(`--strategy must be one of ${STRATEGY_NAMES.join(', ')}; got ${JSON.stringify(kind)}`);
  }
  for (const [option, { kinds }] of flags) {
    if (given[option] !== undefined && !kinds.includes(kind)) {
      throw new CliUsageError(`--${option} applies to --strategy ${kinds.join(' or ')}, not ${kind}`);
    }
  }
  const fields: Record<string, unknown> = { kind };
  for (const flag of definition.flags) {
    const value = flagValue(flag, given[flag.option] as string | undefined);
    if (value === undefined && flag.required === true) throw new CliUsageError(`--strategy ${kind} needs --${flag.option} ${flag.value}`);
    if (value !== undefined) fields[flag.field] = value;
  }
  const strategy = fields as unknown as StrategyOptions;

  let maxExecutions = integer(v['max-executions'], '--max-executions', 1, Number.MAX_SAFE_INTEGER);
  const maxSeconds = positive(v['max-seconds'], '--max-seconds');
  if (definition.endless && maxExecutions === undefined && maxSeconds === undefined) {
    maxExecutions = DEFAULT_RANDOM_EXECUTIONS;
  }
  if (v.svg !== undefined && v.svg.trim() === '') throw new CliUsageError('--svg needs a path');
  if (v.svg !== undefined && !/[\\/]$/.test(v.svg) && extname(v.svg) !== '' && extname(v.svg).toLowerCase() !== '.svg') {
    throw new CliUsageError(`--svg ${v.svg}: the picture is SVG; give a file name ending in .svg, or a directory ending with /`);
  }
  const width = integer(v.width, '--width', 20, 1000);
  const budgetMs = integer(v['budget-ms'], '--budget-ms', 1, 3_600_000);
  let shard: { index: number; count: number } | undefined;
  if (v.shard !== undefined) {
    const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(v.shard);
    const index = m === null ? NaN : Number(m[1]);
    const count = m === null ? NaN : Number(m[2]);
    if (!(index >= 1 && index <= count && count <= 10_000)) throw new CliUsageError(`--shard must be K/N with 1 <= K <= N <= 10000, e.g. 2/3; got ${JSON.stringify(v.shard)}`);
    shard = { index, count };
    if (definition.endless && maxExecutions === undefined) throw new CliUsageError(`--shard of --strategy ${kind} needs --max-executions, so that the shards split a known set of runs`);
  }
  if (v.json !== undefined && v.json.trim() === '') throw new CliUsageError('--json needs a file name');
  const workers = integer(v.workers, '--workers', 1, 256) ?? (budgetMs !== undefined || shard !== undefined || v.json !== undefined ? 1 : undefined);
  return {
    workers,
    budgetMs,
    shard,
    json: v.json,
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

/** The value of a strategy's flag from its text, else its default, else undefined. */
function flagValue(flag: StrategyFlag, text: string | undefined): number | string | undefined {
  if (text === undefined) return flag.default;
  switch (flag.type) {
    case 'integer':
      return integer(text, `--${flag.option}`, flag.min, flag.max);
    case 'choice': {
      const found = flag.choices.find((c) => c === text.trim());
      if (found === undefined) throw new CliUsageError(`--${flag.option} must be one of ${flag.choices.join(', ')}; got ${JSON.stringify(text)}`);
      return found;
    }
    case 'schedule':
      try {
        decodeSchedule(text);
      } catch (e) {
        if (e instanceof ScheduleFormatError) throw new CliUsageError(`--${flag.option}: ${e.message}`);
        throw e;
      }
      return text.trim();
  }
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
