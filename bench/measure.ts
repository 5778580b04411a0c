/**
 * Side-by-side timing on a shared, noisy machine: the subjects of a comparison take turns in
 * short slices, so that a burst of load from elsewhere hits all of them alike, and each
 * ratio is the median of the ratios measured within one round.
 * @packageDocumentation
 */
import { median } from './row.js';

/** One thing to time: `slice` does some work and returns how many operations it did. */
export interface Subject {
  readonly name: string;
  /** Does one slice of work (the same amount every time) and returns its operation count. */
  readonly slice: () => number | Promise<number>;
  /** Untimed preparation before each slice (building a kernel, say), kept in a closure `slice` shares. */
  readonly prepare?: () => void | Promise<void>;
}

/** What {@link sideBySide} measured for one subject. */
export interface Timing {
  readonly name: string;
  /** Operations timed, over every round. */
  readonly ops: number;
  /** Milliseconds timed, over every round. */
  readonly ms: number;
  /** Median over rounds of the nanoseconds per operation. */
  readonly nsPerOp: number;
  /** Nanoseconds per operation in each round. */
  readonly perRound: readonly number[];
}

/**
 * Runs every subject once per round, in turn (the order rotates from round to round), for
 * `rounds` rounds after `warmup` untimed rounds.
 */
export async function sideBySide(subjects: readonly Subject[], rounds: number, warmup = 3): Promise<Timing[]> {
  const perRound: number[][] = subjects.map(() => []);
  const ops = subjects.map(() => 0);
  const ms = subjects.map(() => 0);
  for (let r = -warmup; r < rounds; r++) {
    for (let j = 0; j < subjects.length; j++) {
      const i = (j + Math.max(r, 0)) % subjects.length;
      const s = subjects[i]!;
      if (s.prepare !== undefined) await s.prepare();
      const t0 = performance.now();
      const n = await s.slice();
      const t1 = performance.now();
      if (r < 0) continue;
      ops[i]! += n;
      ms[i]! += t1 - t0;
      perRound[i]!.push(((t1 - t0) * 1e6) / n);
    }
  }
  return subjects.map((s, i) => ({ name: s.name, ops: ops[i]!, ms: ms[i]!, nsPerOp: median(perRound[i]!), perRound: perRound[i]! }));
}

/** Median over rounds of `a`'s time per operation divided by `b`'s, measured in the same round. */
export function ratio(a: Timing, b: Timing): number {
  return median(a.perRound.map((x, i) => x / b.perRound[i]!));
}
