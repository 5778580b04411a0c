/**
 * The progress line: executions, executions per second and elapsed time, rewritten in place
 * on a terminal.
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
 * Shows the progress of one search on one line, rewritten in place. Does nothing when the
 * stream is not a terminal, so logs and pipes only get the results.
 * @internal
 */
export class ProgressLine {
  readonly #stream: ProgressStream;
  readonly #label: string;
  #shown = false;

  /**
   * @param stream - where to draw (standard error).
   * @param label - what is being searched, shown first.
   */
  constructor(stream: ProgressStream, label: string) {
    this.#stream = stream;
    this.#label = label;
  }

  /** Redraws the line with `progress`. */
  readonly update = (progress: ExploreProgress): void => {
    if (this.#stream.isTTY !== true) return;
    const text =
      `${this.#label}: ${formatCount(progress.executions)} executions, ` +
      `${formatCount(Math.round(progress.perSecond))}/s, ${formatDuration(progress.elapsedMs)}`;
    this.#stream.write(`\r\u001b[K${text}`);
    this.#shown = true;
  };

  /** Erases the line, if one was drawn. */
  clear(): void {
    if (!this.#shown) return;
    this.#stream.write('\r\u001b[K');
    this.#shown = false;
  }
}
