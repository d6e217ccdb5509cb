/**
 * Breaks: the gaps between consecutive engaged intervals of one session (SEMANTICS.md, "Session").
 * Gaps between folded intervals are accumulated as they fold (see timeline.ts); the gaps still in the
 * timeline's tail are added when the statistics are read.
 */
import { BREAK_BUCKETS, type BreakStats } from './records';
import type { Timeline } from './timeline';

/** Folded gaps: count, total, longest, histogram counts in `BREAK_BUCKETS` order. */
export interface BreakTally {
  n: number;
  ms: number;
  max: number;
  h: number[];
}

export const createBreakTally = (): BreakTally => ({ n: 0, ms: 0, max: 0, h: [0, 0, 0, 0] });

/** Counts a gap; its bucket: `<30s`, `30s-2m`, `2m-10m`, `>=10m`. */
export function addGap(b: BreakTally, gapMs: number): void {
  b.n++;
  b.ms += gapMs;
  b.max = Math.max(b.max, gapMs);
  b.h[gapMs < 30e3 ? 0 : gapMs < 120e3 ? 1 : gapMs < 600e3 ? 2 : 3]!++;
}

/** Break statistics of the folded tally plus the gaps in the timeline's tail. */
export function breakStats(folded: BreakTally, t: Timeline): BreakStats {
  const b = { ...folded, h: [...folded.h] };
  t.i.reduce((prev, [s, e]) => (prev && addGap(b, s - prev), e), t.f);
  return {
    count: b.n,
    totalMs: b.ms,
    longestMs: b.max,
    histogram: Object.fromEntries(BREAK_BUCKETS.map((k, i) => [k, b.h[i]])) as BreakStats['histogram'],
  };
}
