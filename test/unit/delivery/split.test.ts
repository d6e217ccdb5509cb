import { describe, expect, it } from 'vitest';
import { splitBodies } from '../../../src/delivery/split';
import { MAX_BODY_BYTES } from '../../../src/core/records';
import { session } from './records';

const bytes = (x: unknown) => new TextEncoder().encode(JSON.stringify(x)).length;

describe('splitBodies', () => {
  it('keeps every body under 60 KiB, in order, losing nothing', () => {
    const pages = Array.from({ length: 40 }, (_, i) => ({ path: `/lesson/${i}`, views: 1, engagedMs: 1, firstSeenAt: 'x', lastSeenAt: 'y', band: null }));
    const records = Array.from({ length: 300 }, (_, i) => session({ id: `s${i}`, pages }));
    const bodies = splitBodies(records, (r) => r);
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) expect(bytes(body)).toBeLessThan(MAX_BODY_BYTES);
    expect(bodies.flat()).toEqual(records);
  });

  it('counts UTF-8 bytes, not string length', () => {
    const wide = session({ meta: { note: '日本語'.repeat(400) } }); // 3 bytes per character
    const n = Math.floor(10_000 / bytes(wide)) + 3;
    for (const body of splitBodies(Array(n).fill(wide), (r) => r, 10_000)) expect(bytes(body)).toBeLessThanOrEqual(10_000);
  });

  it('sends a record larger than the budget alone rather than dropping it', () => {
    const big = session({ meta: { blob: 'x'.repeat(2000) } });
    const small = session({ id: 'small' });
    expect(splitBodies([small, big, small], (r) => r, 1000)).toEqual([[small], [big], [small]]);
  });

  it('makes no body of nothing', () => {
    expect(splitBodies([], (r) => r)).toEqual([]);
  });
});

describe('splitBodies at the byte limit', () => {
  // Items of 9 bytes of JSON: k of them make a body of 2 + 9k + (k - 1) = 10k + 1 bytes.
  const items = Array.from({ length: 6 }, (_, i) => `abcdef${i}`);

  it('fills a body while it stays under the limit, then opens the next', () => {
    expect(bytes(items.slice(0, 3))).toBe(31);
    // 31 bytes is not under 31: two a body. Under 32: three.
    expect(splitBodies(items, (s) => s, 31).map((b) => b.length)).toEqual([2, 2, 2]);
    expect(splitBodies(items, (s) => s, 32).map((b) => b.length)).toEqual([3, 3]);
    expect(splitBodies(items, (s) => s, 41).map((b) => b.length)).toEqual([3, 3]);
    expect(splitBodies(items, (s) => s, 42).map((b) => b.length)).toEqual([4, 2]);
  });
});
