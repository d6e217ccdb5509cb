import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/delivery/backoff';

describe('backoffDelay', () => {
  it('draws uniformly below a bound that doubles with each attempt (full jitter)', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1000, 60_000, top))).toEqual([999, 1999, 3999, 7999]);
    expect(backoffDelay(3, 1000, 60_000, () => 0)).toBe(0);
    expect(backoffDelay(3, 1000, 60_000, () => 0.5)).toBe(2000);
  });

  it('never exceeds the cap, even after many failures', () => {
    for (const attempt of [7, 20, 100, 10_000]) expect(backoffDelay(attempt, 1000, 60_000, () => 0.999999)).toBeLessThan(60_000);
    expect(backoffDelay(10_000, 1000, 60_000, () => 0.5)).toBe(30_000);
  });

  it('uses Math.random by default, within bounds', () => {
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(2, 1000, 60_000);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(2000);
    }
  });
});
