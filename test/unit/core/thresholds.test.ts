// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { bandOf, crossed, missed, untilNext, type Threshold } from '../../../src/core/thresholds';

const casual: Threshold = { name: 'casual', ms: 30_000, below: false };
const engaged: Threshold = { name: 'engaged', ms: 300_000, below: true };
const th = [casual, engaged];
const names = (list: Threshold[]) => list.map((t) => t.name);

describe('thresholds', () => {
  it('bands by the largest threshold reached, null below all', () => {
    expect(bandOf(th, 29_999)).toBeNull();
    expect(bandOf(th, 30_000)).toBe('casual');
    expect(bandOf(th, 299_999)).toBe('casual');
    expect(bandOf(th, 300_000)).toBe('engaged');
    // Order of the list does not matter; of two equal thresholds the first names the band.
    expect(bandOf([engaged, casual], 400_000)).toBe('engaged');
    expect(bandOf([casual, { ...casual, name: 'twin' }], 30_000)).toBe('casual');
    expect(bandOf([], 1e9)).toBeNull();
  });

  it('crosses each threshold once, at its value, smallest first', () => {
    expect(names(crossed([engaged, casual], 400_000, []))).toEqual(['casual', 'engaged']);
    expect(names(crossed(th, 400_000, ['casual']))).toEqual(['engaged']);
    expect(names(crossed(th, 30_000, []))).toEqual(['casual']);
    expect(crossed(th, 29_999, [])).toEqual([]);
  });

  it('finds the below thresholds a session ended without reaching', () => {
    expect(names(missed(th, 100_000))).toEqual(['engaged']);
    expect(missed(th, 300_000)).toEqual([]);
    // casual is not marked below: missing it alerts nothing.
    expect(names(missed(th, 0))).toEqual(['engaged']);
  });

  it('says how much engaged time the next threshold not yet fired needs', () => {
    expect(untilNext(th, 10_000, [])).toBe(20_000);
    expect(untilNext([engaged, casual], 10_000, [])).toBe(20_000);
    expect(untilNext(th, 40_000, ['casual'])).toBe(260_000);
    // A threshold reached but not fired (the tick that fires it is due) is not "next".
    expect(untilNext(th, 30_000, [])).toBe(270_000);
    expect(untilNext(th, 10_000, ['casual'])).toBe(290_000);
    expect(untilNext(th, 40_000, ['casual', 'engaged'])).toBe(Infinity);
  });
});
