/**
 * Media time actually played, as a union of ranges in seconds of media time: seeking back and playing
 * a part again does not count it twice (issue 13: "seconds watched as the union of the ranges actually
 * played"). Pure: the plugin (index.ts) feeds it what the element played.
 */
import type { PageMedium } from '../../core/attention';

/** `[start, end]` in seconds of media time. */
export type Ranges = Array<[start: number, end: number]>;

/** The union of `ranges` (which it sorts in place), sorted and disjoint: overlapping and touching ranges join, empty and reversed ones drop out. */
export const union = (ranges: Ranges): Ranges =>
  ranges
    .sort((a, b) => a[0] - b[0])
    .reduce<Ranges>((out, [a, b]) => {
      const last = out[out.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else if (b > a) out.push([a, b]);
      return out;
    }, []);

/** What one medium played so far: the union of its ranges, its duration in seconds (NaN while unknown), whether it ended. */
export type Played = [ranges: Ranges, durationS: number, ended: boolean];

/** What a page record says about one medium (src/core/attention.ts). */
export function mediaFigures([ranges, durationS, ended]: Played): PageMedium {
  const watched = ranges.reduce((sum, [a, b]) => sum + b - a, 0);
  // Unknown before metadata (NaN), infinite for a live stream.
  const known = durationS > 0 && durationS < Infinity;
  return {
    watchedMs: Math.round(watched * 1000),
    durationMs: known ? Math.round(durationS * 1000) : null,
    // A range ends where the browser last saw the playhead; at `ended` it is the duration itself.
    completion: known ? Math.min(1, Math.round((watched / durationS) * 1e4) / 1e4) : null,
    ended,
  };
}
