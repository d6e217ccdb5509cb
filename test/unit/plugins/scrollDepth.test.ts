import { describe, expect, it } from 'vitest';
import { createScroll, reachDepth, viewportDepth } from '../../../src/plugins/attention/scrollDepth';

describe('viewport depth', () => {
  it('is the share of the document from its top to the bottom of the viewport', () => {
    expect(viewportDepth(0, 800, 4000)).toBe(0.2);
    expect(viewportDepth(1200, 800, 4000)).toBe(0.5);
  });

  it('is 1 for a document no taller than the viewport, and within a pixel of the end', () => {
    expect(viewportDepth(0, 800, 600)).toBe(1);
    expect(viewportDepth(3199.4, 800, 4000)).toBe(1);
    expect(viewportDepth(3190, 800, 4000)).toBe(0.9975);
  });

  it('treats an overscroll bounce above the top as the top', () => {
    expect(viewportDepth(-40, 800, 4000)).toBe(0.2);
  });
});

describe('scroll depth of a page view', () => {
  it('keeps the largest depth and the first time each mark was reached', () => {
    const s = createScroll();
    reachDepth(s, 0.2, 0);
    expect(s).toEqual({ depth: 0.2, reachedMs: {} });
    reachDepth(s, 0.55, 4_000);
    reachDepth(s, 0.3, 6_000);
    expect(s).toEqual({ depth: 0.55, reachedMs: { 25: 4_000, 50: 4_000 } });
    reachDepth(s, 0.6, 9_000);
    expect(s).toEqual({ depth: 0.6, reachedMs: { 25: 4_000, 50: 4_000 } });
    reachDepth(s, 1, 20_000);
    expect(s).toEqual({ depth: 1, reachedMs: { 25: 4_000, 50: 4_000, 75: 20_000, 100: 20_000 } });
  });

  it('reaches a mark exactly at its share', () => {
    const s = createScroll();
    reachDepth(s, 0.75, 1234);
    expect(s.reachedMs).toEqual({ 25: 1234, 50: 1234, 75: 1234 });
  });
});
