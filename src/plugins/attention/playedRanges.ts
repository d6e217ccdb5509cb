/**
 * Media time actually played, as a union of ranges in seconds of media time: seeking back and playing
 * a part again does not count it twice (SEMANTICS-style rule of issue 13: "seconds watched as the union
 * of the ranges actually played"). Pure: the media adapter (media.ts) feeds it what the element played.
 */

/** `[start, end]` in seconds of media time; a list is sorted by start and disjoint. */
export type Ranges = Array<[start: number, end: number]>;

/** `ranges` with `[start, end]` added: overlapping and touching ranges are joined. Returns a new list. */
export function addRange(ranges: Ranges, start: number, end: number): Ranges {
  if (!(end > start)) return ranges;
  const out: Ranges = [];
  for (const r of ranges) {
    if (r[1] < start || r[0] > end) out.push(r);
    else (start = Math.min(start, r[0])), (end = Math.max(end, r[1]));
  }
  out.push([start, end]);
  return out.sort((a, b) => a[0] - b[0]);
}

/** Seconds covered by a sorted, disjoint list. */
export const coveredSeconds = (ranges: Ranges): number => ranges.reduce((s, [a, b]) => s + b - a, 0);

/** What a page record says about one medium. */
export interface MediaFigures {
  /** Milliseconds of media time played at least once (the union's length). */
  watchedMs: number;
  /** The medium's length in ms, `null` while unknown or for a live stream (infinite duration). */
  durationMs: number | null;
  /** `watchedMs / durationMs` in 0..1, `null` when the duration is unknown. */
  completion: number | null;
  /** The medium played to its end at least once (`ended` fired). */
  ended: boolean;
}

export function mediaFigures(ranges: Ranges, durationS: number, ended: boolean): MediaFigures {
  const watched = coveredSeconds(ranges);
  const known = Number.isFinite(durationS) && durationS > 0;
  return {
    watchedMs: Math.round(watched * 1000),
    durationMs: known ? Math.round(durationS * 1000) : null,
    // A range ends where the last timeupdate saw the playhead; at `ended` it is the duration itself.
    completion: known ? Math.min(1, Math.round((watched / durationS) * 1e4) / 1e4) : null,
    ended,
  };
}
