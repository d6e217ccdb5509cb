/**
 * Breaks: the gaps between consecutive engaged intervals of one session (SEMANTICS.md, "Session").
 * Gaps between folded intervals are accumulated as they fold (see timeline.ts); the gaps still in the
 * timeline's tail are added when the statistics are read. Their total needs no tally: it is
 * `durationMs - engagedMs`, and their count is the histogram's sum.
 */
import { BREAK_BUCKETS, type BreakStats } from './records';
import type { Timeline } from './timeline';

/** Folded gaps: histogram counts in `BREAK_BUCKETS` order, then the longest gap. */
export type BreakTally = number[];

export const createBreakTally = (): BreakTally => [0, 0, 0, 0, 0];

/** Counts a gap; its bucket: `<30s`, `30s-2m`, `2m-10m`, `>=10m`. */
export function addGap(b: BreakTally, gapMs: number): void {
  b[gapMs < 30e3 ? 0 : gapMs < 120e3 ? 1 : gapMs < 600e3 ? 2 : 3]!++;
  b[4] = Math.max(b[4]!, gapMs);
}

/** Break statistics of the folded tally plus the gaps in the timeline's tail; `totalMs` is theirs. */
export function breakStats(folded: BreakTally, t: Timeline, totalMs: number): BreakStats {
  const b = [...folded];
  t.i.reduce((prev, [s, e]) => (prev && addGap(b, s - prev), e), t.f);
  return {
    count: b[0]! + b[1]! + b[2]! + b[3]!,
    totalMs,
    longestMs: b[4]!,
    histogram: Object.fromEntries(BREAK_BUCKETS.map((k, i) => [k, b[i]])) as BreakStats['histogram'],
  };
}
