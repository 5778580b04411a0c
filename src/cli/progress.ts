/**
 * The progress line: executions, executions per second, elapsed time and, where a limit makes
 * it known, how much is left; rewritten in place on a terminal.
 *
 * @packageDocumentation
 */
import type { ExploreProgress } from '../explore/explore.js';
import { formatCount, formatDuration } from './format.js';

/**
 * A writable terminal stream, as far as the progress line needs one.
 * @internal
 */
export interface ProgressStream {
  /** Whether the stream is a terminal. */
  readonly isTTY?: boolean;
  /** Writes text. */
  write(text: string): unknown;
}

/**
 * The limits of a search, as far as the progress line can tell what is left.
 * @internal
 */
export interface ProgressLimits {
  /** Most runs, if limited. */
  readonly maxExecutions?: number | undefined;
  /** Most seconds, if limited. */
  readonly maxSeconds?: number | undefined;
}

/**
 * The text of the progress line: `label: 1,234 of 10,000 executions (12%), 5,000/s, 250 ms,
 * about 2 s left`. What is left is shown when a limit bounds the search; a `dfs` search
 * without a limit cannot know its size in advance, and says `total unknown`.
 * @internal
 */
export function progressText(label: string, progress: ExploreProgress, limits: ProgressLimits): string {
  const { executions, perSecond, elapsedMs } = progress;
  const parts = [`${label}: ${formatCount(executions)}`];
  const leftMs: number[] = [];
  if (limits.maxExecutions !== undefined) {
    parts[0] += ` of ${formatCount(limits.maxExecutions)} executions (${Math.floor((100 * executions) / limits.maxExecutions)}%)`;
    if (perSecond > 0) leftMs.push(((limits.maxExecutions - executions) / perSecond) * 1000);
  } else {
    parts[0] += ' executions';
  }
  if (limits.maxSeconds !== undefined) leftMs.push(limits.maxSeconds * 1000 - elapsedMs);
  parts.push(`${formatCount(Math.round(perSecond))}/s`, formatDuration(elapsedMs));
  if (leftMs.length > 0) parts.push(`at most ${formatDuration(Math.max(0, Math.min(...leftMs)))} left`);
  else parts.push('total unknown');
  return parts.join(', ');
}

/**
 * Shows the progress of one search on one line, rewritten in place. Does nothing when the
 * stream is not a terminal, so logs and pipes only get the results.
 * @internal
 */
export class ProgressLine {
  readonly #stream: ProgressStream;
  readonly #label: string;
  readonly #limits: ProgressLimits;
  #shown = false;

  /**
   * @param stream - where to draw (standard error).
   * @param label - what is being searched, shown first.
   * @param limits - the search's limits, to show how much is left.
   */
  constructor(stream: ProgressStream, label: string, limits: ProgressLimits = {}) {
    this.#stream = stream;
    this.#label = label;
    this.#limits = limits;
  }

  /** Redraws the line with `progress`. */
  readonly update = (progress: ExploreProgress): void => {
    if (this.#stream.isTTY !== true) return;
    this.#stream.write(`\r\u001b[K${progressText(this.#label, progress, this.#limits)}`);
    this.#shown = true;
  };

  /** Erases the line, if one was drawn. */
  clear(): void {
    if (!this.#shown) return;
    this.#stream.write('\r\u001b[K');
    this.#shown = false;
  }
}
