import { describe, expect, it } from 'vitest';
import { addInterval, createTimeline, TAIL, unionMs } from '../../../src/core/timeline';
import { breakStats, createBreakTally } from '../../../src/core/breaks';

describe('timeline: union of intervals from several tabs', () => {
  it('counts overlapping intervals once (a union, never a sum)', () => {
    const t = createTimeline();
    addInterval(t, [0, 60_000]); // tab A
    addInterval(t, [30_000, 90_000]); // tab B, overlapping half
    expect(unionMs(t)).toBe(90_000);
    expect(t.i).toEqual([[0, 90_000]]);
  });

  it('adds disjoint intervals, in any order', () => {
    const t = createTimeline();
    addInterval(t, [100, 200]);
    addInterval(t, [0, 50]);
    addInterval(t, [40, 120]);
    expect(t.i).toEqual([[0, 200]]);
    addInterval(t, [300, 400]);
    expect(unionMs(t)).toBe(300);
    expect(t.i.at(-1)?.[1]).toBe(400);
  });

  it('folds old intervals so its size stays bounded, reporting each gap, and clips late inserts', () => {
    const t = createTimeline();
    const gaps: (number | null)[] = [];
    for (let k = 0; k < 40; k++) addInterval(t, [k * 100, k * 100 + 60], (gap) => gaps.push(gap));
    expect(t.i.length).toBe(TAIL);
    expect(unionMs(t)).toBe(40 * 60);
    expect(gaps).toEqual([null, ...Array(40 - TAIL - 1).fill(40)]);
    // A late commit over already-folded time adds only what lies after the fold.
    const before = unionMs(t);
    addInterval(t, [0, t.f + 10]);
    expect(unionMs(t)).toBe(before + 10);
  });
});

describe('timeline: what is one interval, what is a gap', () => {
  /** The gaps the timeline holds, as breaks see them. */
  const gapsOf = (t: ReturnType<typeof createTimeline>) => breakStats(createBreakTally(), t, 0);

  it('adds nothing for an empty or reversed interval', () => {
    const t = createTimeline();
    addInterval(t, [0, 10]);
    addInterval(t, [20, 20]);
    addInterval(t, [35, 30]);
    addInterval(t, [40, 50]);
    expect(unionMs(t)).toBe(20);
    expect(gapsOf(t)).toMatchObject({ count: 1, longestMs: 30 });
  });

  it('merges intervals that touch, in either order: no break of 0 ms', () => {
    const t = createTimeline();
    addInterval(t, [10, 20]);
    addInterval(t, [0, 10]);
    addInterval(t, [20, 30]);
    expect(unionMs(t)).toBe(30);
    expect(gapsOf(t).count).toBe(0);
  });

  it('keeps intervals committed out of order sorted, so the gaps between them are right', () => {
    const t = createTimeline();
    addInterval(t, [500, 600]);
    addInterval(t, [0, 100]);
    addInterval(t, [200, 300]);
    expect(gapsOf(t)).toMatchObject({ count: 2, longestMs: 200 });
    expect(unionMs(t)).toBe(300);
  });
});
