// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { hashUnit, isSampled } from '../../../src/core/sampling';

describe('sampling', () => {
  it('hashes the session id with 32-bit FNV-1a, scaled to [0, 1)', () => {
    // The FNV-1a reference vectors: "" -> 0x811c9dc5 (the offset basis), "a" -> 0xe40c292c, "abc" -> 0x1a47e90b.
    expect(hashUnit('')).toBe(0x811c9dc5 / 2 ** 32);
    expect(hashUnit('a')).toBe(0xe40c292c / 2 ** 32);
    expect(hashUnit('abc')).toBe(0x1a47e90b / 2 ** 32);
  });

  it('keeps a session exactly when its hash is below the rate, so every tab agrees', () => {
    const h = hashUnit('abc'); // 0.1027
    expect(isSampled('abc', h)).toBe(false);
    expect(isSampled('abc', h + 1e-9)).toBe(true);
    expect(isSampled('abc', 0.1)).toBe(false);
    expect(isSampled('abc', 0.11)).toBe(true);
    expect(isSampled('abc', 1)).toBe(true);
    expect(isSampled('abc', 0)).toBe(false);
  });

  it('keeps about the requested share of sessions', () => {
    let kept = 0;
    for (let i = 0; i < 10_000; i++) if (isSampled(`session-${i}-${i * 7919}`, 0.25)) kept++;
    expect(kept).toBeGreaterThan(2_300);
    expect(kept).toBeLessThan(2_700);
  });
});
