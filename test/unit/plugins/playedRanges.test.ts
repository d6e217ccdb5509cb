import { describe, expect, it } from 'vitest';
import { mediaFigures, union, type Ranges } from '../../../src/plugins/attention/playedRanges';

/** Each part added to the union of the earlier ones, as the plugin folds each sample of `played` in. */
const build = (...parts: Array<[number, number]>): Ranges => parts.reduce<Ranges>((r, part) => union([...r, part]), []);
const coveredSeconds = (r: Ranges) => r.reduce((s, [a, b]) => s + b - a, 0);

describe('played ranges', () => {
  it('counts a part played twice once: halfway, back to a quarter, then to the end covers the whole', () => {
    const r = build([0, 30], [15, 60]);
    expect(r).toEqual([[0, 60]]);
    expect(coveredSeconds(r)).toBe(60);
  });

  it('keeps gaps that were skipped by seeking forward', () => {
    const r = build([0, 10], [40, 50], [20, 25]);
    expect(r).toEqual([[0, 10], [20, 25], [40, 50]]);
    expect(coveredSeconds(r)).toBe(25);
  });

  it('joins touching ranges and a range that bridges several', () => {
    expect(build([0, 10], [10, 20])).toEqual([[0, 20]]);
    expect(build([0, 5], [10, 15], [20, 25], [3, 22])).toEqual([[0, 25]]);
  });

  it('ignores empty and reversed ranges', () => {
    expect(build([5, 5], [9, 2])).toEqual([]);
  });

  it('joins a whole list at once, in any order, without changing the ranges it was given', () => {
    const given: Ranges = [[8, 9], [0, 2], [1, 3], [3, 4], [6, 5]];
    const copy = given.map((r) => [...r]);
    expect(union(given)).toEqual([[0, 4], [8, 9]]);
    expect([...given].sort((a, b) => a[0] - b[0])).toEqual([...copy].sort((a, b) => a[0] - b[0]));
  });

  it('is the same union whatever order the parts came in', () => {
    const parts: Array<[number, number]> = [[0, 3], [7, 9], [2, 8], [12, 13], [11, 12.5]];
    const forward = build(...parts);
    expect(build(...[...parts].reverse())).toEqual(forward);
    expect(forward).toEqual([[0, 9], [11, 13]]);
  });
});

describe('media figures', () => {
  it('reports watched time, duration and completion in ms and 0..1', () => {
    expect(mediaFigures([[[0, 30], [40, 60]], 100, false])).toEqual({ watchedMs: 50_000, durationMs: 100_000, completion: 0.5, ended: false });
  });

  it('says completion 1 when the whole medium was played, and never more', () => {
    expect(mediaFigures([[[0, 4]], 4, true])).toEqual({ watchedMs: 4000, durationMs: 4000, completion: 1, ended: true });
    expect(mediaFigures([[[0, 4.0004]], 4, true]).completion).toBe(1);
  });

  it('has no duration or completion for a live stream or before metadata', () => {
    expect(mediaFigures([[[0, 12]], Infinity, false])).toEqual({ watchedMs: 12_000, durationMs: null, completion: null, ended: false });
    expect(mediaFigures([[], NaN, false])).toEqual({ watchedMs: 0, durationMs: null, completion: null, ended: false });
  });
});
