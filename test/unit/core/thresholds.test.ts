// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { bandOf, untilNext, type Threshold } from '../../../src/core/thresholds';

const casual: Threshold = { name: 'casual', ms: 30_000, below: false };
const engaged: Threshold = { name: 'engaged', ms: 300_000, below: true };
const th = [casual, engaged];

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
