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
