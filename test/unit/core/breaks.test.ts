// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { addGap, breakStats, createBreakTally } from '../../../src/core/breaks';
import { addInterval, createTimeline } from '../../../src/core/timeline';

/** A timeline of 1 ms intervals separated by `gaps`. */
const withGaps = (gaps: number[]) => {
  const t = createTimeline();
  let at = 0;
  for (const gap of gaps) {
    addInterval(t, [at, at + 1]);
    at += 1 + gap;
  }
  addInterval(t, [at, at + 1]);
  return t;
};

describe('breaks', () => {
  it('puts gaps into the histogram buckets at their edges', () => {
    const stats = breakStats(createBreakTally(), withGaps([29_999, 30_000, 119_999, 120_000, 599_999, 600_000]), 0);
    expect(stats.histogram).toEqual({ '<30s': 1, '30s-2m': 2, '2m-10m': 2, '>=10m': 1 });
    expect(stats.count).toBe(6);
    expect(stats.longestMs).toBe(600_000);
  });

  it('adds the folded tally to the gaps still in the timeline, and reports the total it is given', () => {
    const folded = createBreakTally();
    addGap(folded, 700_000);
    addGap(folded, 10_000);
    const stats = breakStats(folded, withGaps([40_000]), 750_000);
    expect(stats).toEqual({ count: 3, totalMs: 750_000, longestMs: 700_000, histogram: { '<30s': 1, '30s-2m': 1, '2m-10m': 0, '>=10m': 1 } });
    // Reading does not change the folded tally.
    expect(folded).toEqual([1, 0, 0, 1, 700_000]);
  });

  it('has no breaks for a single interval or none', () => {
    expect(breakStats(createBreakTally(), withGaps([]), 0)).toEqual({
      count: 0,
      totalMs: 0,
      longestMs: 0,
      histogram: { '<30s': 0, '30s-2m': 0, '2m-10m': 0, '>=10m': 0 },
    });
    expect(breakStats(createBreakTally(), createTimeline(), 0).count).toBe(0);
  });
});
