/**
 * Scroll depth of one page, as data: the largest share of the document's height that has been inside
 * the viewport (0..1), and when 25, 50, 75 and 100 % were first reached (ms after the page view began).
 * Pure: the plugin (index.ts) reads the geometry and the clock.
 */
import type { PageScroll } from '../../core/attention';

export const createScroll = (): PageScroll => ({ depth: 0, reachedMs: {} });

/**
 * The share of the document's height from its top to the viewport's bottom edge. A document no taller
 * than the viewport is seen whole (1); so is one scrolled to within a pixel of its end, because
 * browsers round scroll offsets (a zoomed page stops a fraction of a pixel short of the bottom).
 */
export function viewportDepth(scrollTop: number, viewportHeight: number, documentHeight: number): number {
  // A negative offset is an overscroll bounce above the top.
  const bottom = Math.max(0, scrollTop) + viewportHeight;
  return bottom < documentHeight - 1 ? Math.round((bottom / documentHeight) * 1e4) / 1e4 : 1;
}

/** Records a depth seen `sinceStartMs` after the page view began: the deepest stays, each mark keeps its first time. */
export function reachDepth(s: PageScroll, depth: number, sinceStartMs: number): void {
  if (depth > s.depth) {
    s.depth = depth;
    // The marks are exact binary fractions, so `depth * 100` reaches them exactly.
    for (let mark = 25; mark <= depth * 100; mark += 25) (s.reachedMs as Record<number, number>)[mark] ??= sinceStartMs;
  }
}
