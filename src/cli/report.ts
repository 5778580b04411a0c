/**
 * What the command line prints about one explored scenario, and the summary table of a group.
 *
 * @packageDocumentation
 */
import type { ScenarioReport } from '../explore/run-scenario.js';
import { renderTimelineText } from '../explore/timeline-text.js';
import { formatCount, formatDuration, painter, plural, table } from './format.js';

/**
 * How to print.
 * @internal
 */
export interface ReportStyle {
  /** Colour on or off. */
  readonly color: boolean;
  /** Longest timeline line, in characters. */
  readonly width: number;
  /** The command that replays a schedule of this scenario, without `--replay` (e.g. `utrace-explore safe-detach`). */
  readonly replayCommand: string;
  /** Most timeline rows (`Infinity` with `--full`); default the renderer's. */
  readonly maxRows?: number | undefined;
  /** What a gap in the timeline tells the reader to do to see every step. */
  readonly fullHint?: string;
}

/**
 * The heading printed before a scenario's search starts: its name, expectation, description
 * and strategy.
 * @internal
 */
export function formatHeading(report: Pick<ScenarioReport, 'scenario'>, strategy: string, color: boolean): string {
  const paint = painter(color);
  const { scenario } = report;
  return [
    paint('bold', `== ${scenario.name} (expect: ${scenario.expect}) ==`),
    scenario.description,
    `search: ${strategy}`,
  ].join('\n');
}

/**
 * The result of one scenario: the result line (with the executions the search took), and
 * for a failure the shortening, the failure message, the replay command and the timeline.
 * @internal
 */
export function formatReport(report: ScenarioReport, style: ReportStyle): string {
  const paint = painter(style.color);
  const { result, counterexample: cx, scenario } = report;
  const runs = plural(result.executions, 'execution');
  const time = formatDuration(result.elapsedMs);
  const judged =
    report.verdict === 'met'
      ? paint('green', `as expected (${scenario.expect})`)
      : report.verdict === 'contradicted'
        ? paint('red', `UNEXPECTED: the scenario is expected to be ${scenario.expect}`)
        : paint('yellow', `undecided (expected: ${scenario.expect})`);
  const lines: string[] = [];
  switch (result.status) {
    case 'failed': {
      const check = result.outcome.failure?.check ?? 'failure';
      lines.push(`${paint('red', `FOUND ${check}`)} in execution ${formatCount(result.execution + 1)}: ${runs}, ${time}; ${judged}`);
      break;
    }
    case 'exhausted': {
      const what = result.strategy.startsWith('replay')
        ? 'the replayed schedule ran without failure'
        : result.states !== undefined
          ? `proven over all interleavings: ${formatCount(result.states.states)} distinct states, ${formatCount(result.states.transitions)} transitions, no failure`
          : `every schedule of ${result.strategy} ran without failure`;
      lines.push(`${paint('green', 'CLEAN')}: ${what}: ${runs}, ${time}; ${judged}`);
      break;
    }
    case 'limit': {
      const limit =
        result.limit === 'executions' ? 'the run limit' : result.limit === 'time' ? 'the time limit' : result.limit === 'states' ? 'the state cap' : 'an interrupt';
      lines.push(`${paint('yellow', 'STOPPED')} by ${limit} before any failure: ${runs}, ${time}; ${judged}`);
      if (result.states !== undefined) {
        const c = result.states;
        lines.push(
          `  not proven: ${formatCount(c.states)} distinct states and ${formatCount(c.transitions)} transitions covered; ` +
            `${formatCount(c.untried)} step(s) out of states on the search's path not taken, and what lies below them not covered`,
        );
      }
      break;
    }
  }
  if (cx !== undefined) {
    const s = cx.shortened;
    if (s !== undefined) {
      lines.push(
        `shortened: ${plural(cx.preemptions, 'preemption')}, ${plural(cx.steps, 'step')} ` +
          `(found: ${plural(s.original.preemptions, 'preemption')}, ${plural(s.original.steps, 'step')}; ` +
          `${plural(s.executions, 'execution')} to shorten)`,
      );
    } else {
      lines.push(`counterexample: ${plural(cx.preemptions, 'preemption')}, ${plural(cx.steps, 'step')} (not shortened)`);
    }
    const failure = cx.outcome.failure!;
    lines.push(`failure: ${failure.check}: ${failure.message}`);
    lines.push(`replay:  ${style.replayCommand} --replay ${cx.schedule}`);
    lines.push('');
    lines.push(
      renderTimelineText(cx.outcome, {
        width: style.width,
        color: style.color,
        title: `Timeline of ${scenario.name}: ${summary(cx)}`,
        ...(style.maxRows === undefined ? {} : { maxRows: style.maxRows }),
        ...(style.fullHint === undefined ? {} : { fullHint: style.fullHint }),
      }),
    );
  }
  return lines.join('\n');
}

function summary(cx: NonNullable<ScenarioReport['counterexample']>): string {
  return `${plural(cx.steps, 'step')}, ${plural(cx.preemptions, 'preemption')}, failed: ${cx.outcome.failure!.check}`;
}

/**
 * What a search covers, from its strategy's description: the preemption bound of a dfs search
 * (`bound 2`), the seed of a random or pct one (random, seed 1), the replayed schedule, or the
 * description itself for any other strategy (one that covers all interleavings says so there).
 * @internal
 */
export function coverage(description: string): string {
  const bound = /^(\w+) \(preemption bound (\d+)/.exec(description);
  if (bound !== null) return `${bound[1]}, bound ${bound[2]}`;
  const seeded = /^(\w+) \(seed (-?\d+)(?:, depth (\d+))?/.exec(description);
  if (seeded !== null) return `${seeded[1]}, seed ${seeded[2]}${seeded[3] === undefined ? '' : `, depth ${seeded[3]}`}`;
  if (/^\w+ \(s\d+:/.test(description)) return 'one replayed schedule';
  const everything = /^(\w+) \(all interleavings/.exec(description);
  if (everything !== null) return everything[1]!;
  return description;
}

/**
 * The summary table of a group: one row per scenario with its expectation, result,
 * executions, time, the preemptions of its counterexample, and whether it behaved as
 * expected; then a closing line.
 * @internal
 */
export function formatSummary(groupName: string, reports: readonly ScenarioReport[], color: boolean): string {
  const paint = painter(color);
  const rows: string[][] = [['case', 'expect', 'result', 'executions', 'time', 'preemptions', 'as expected']];
  for (const r of reports) {
    const scope = coverage(r.result.strategy);
    const result =
      r.result.status === 'failed'
        ? `found ${r.result.outcome.failure?.check ?? 'failure'} (${scope})`
        : r.result.status === 'exhausted'
          ? r.result.states !== undefined ? `proven (${scope}, all interleavings)` : `clean (${scope}, exhausted)`
          : `stopped (${scope}, ${r.result.limit} limit)`;
    rows.push([
      r.scenario.name,
      r.scenario.expect,
      result,
      formatCount(r.result.executions).padStart(10),
      formatDuration(r.result.elapsedMs),
      r.counterexample === undefined ? '-' : String(r.counterexample.preemptions),
      r.verdict === 'met' ? 'yes' : r.verdict === 'contradicted' ? 'NO' : 'undecided',
    ]);
  }
  const body = table(rows, (row, column) => {
    if (column !== 6) return undefined;
    const v = reports[row]!.verdict;
    return (text) => paint(v === 'met' ? 'green' : v === 'contradicted' ? 'red' : 'yellow', text);
  });
  const met = reports.filter((r) => r.verdict === 'met').length;
  const contradicted = reports.filter((r) => r.verdict === 'contradicted').map((r) => r.scenario.name);
  const undecided = reports.filter((r) => r.verdict === 'undecided').map((r) => r.scenario.name);
  let closing = `${groupName}: ${met} of ${plural(reports.length, 'case')} behaved as expected`;
  if (contradicted.length > 0) closing += `; contradicted: ${contradicted.join(', ')}`;
  if (undecided.length > 0) closing += `; undecided (a limit stopped the search): ${undecided.join(', ')}`;
  const verdict = contradicted.length > 0 ? paint('red', closing) : undecided.length > 0 ? paint('yellow', closing) : paint('green', closing);
  return `${paint('bold', `Summary of ${groupName}`)}\n${body}\n${verdict}`;
}
