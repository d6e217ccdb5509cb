/**
 * The union of engaged intervals, bounded in size.
 *
 * Several tabs commit their intervals into one shared timeline, possibly out of order (a tab that
 * wakes from sleep commits an interval that ended a while ago). The union, not the sum, is what
 * counts, so recent intervals stay as a sorted, disjoint list in which an insert merges overlaps.
 * Beyond `TAIL` intervals the oldest are folded into a total; later inserts are clipped to the end of
 * what was folded, so the total never counts an instant twice and the state never grows with a long
 * session.
 */
import type { Interval } from './engagement';

export const TAIL = 16;

export interface Timeline {
  /** Length of the folded intervals. */
  ms: number;
  /** End of the last folded interval (0 while none). Nothing before it can be added again. */
  f: number;
  /** Recent intervals: sorted, disjoint, not touching. */
  i: Interval[];
}

export const createTimeline = (): Timeline => ({ ms: 0, f: 0, i: [] });

/**
 * Adds `[s, e]` to the union. `onFold(gapBefore)` sees each interval as it is folded, with the gap
 * since the previously folded one (`null` for the first).
 */
export function addInterval(t: Timeline, [s, e]: Interval, onFold?: (gap: number | null) => void): void {
  s = Math.max(s, t.f);
  if (e <= s) return;
  // Overlapping or touching intervals merge into the new one; the others stay as they are.
  const kept = t.i.filter((iv) => iv[1] < s || iv[0] > e || ((s = Math.min(s, iv[0])), (e = Math.max(e, iv[1])), 0));
  kept.push([s, e]);
  kept.sort((a, b) => a[0] - b[0]);
  while (kept.length > TAIL) {
    const [a, b] = kept.shift()!;
    onFold?.(t.f ? a - t.f : null);
    t.ms += b - a;
    t.f = b;
  }
  t.i = kept;
}

/** Length of the union. */
export const unionMs = (t: Timeline): number => t.i.reduce((ms, [s, e]) => ms + e - s, t.ms);

