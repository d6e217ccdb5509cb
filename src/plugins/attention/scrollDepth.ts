/**
 * Scroll depth of one page view, as data: the largest share of the document's height that has been
 * inside the viewport (0..1), and when 25, 50, 75 and 100 % were first reached (ms after the page view
 * began). Pure: scroll.ts reads the geometry and the clock.
 */

export const DEPTH_MARKS = [25, 50, 75, 100] as const;

export interface ScrollFigures {
  /** Largest share of the document's height seen, 0..1, rounded to 4 decimals. */
  depth: number;
  /** Mark (percent, as a string key) -> ms after the page view began when it was first reached. */
  reachedMs: Record<string, number>;
}

export const createScroll = (): ScrollFigures => ({ depth: 0, reachedMs: {} });

/**
 * The share of the document's height from its top to the viewport's bottom edge. A document no taller
 * than the viewport is seen whole (1); so is one scrolled to within a pixel of its end, because
 * browsers round scroll offsets (a zoomed page stops a fraction of a pixel short of the bottom).
 */
export function viewportDepth(scrollTop: number, viewportHeight: number, documentHeight: number): number {
  const bottom = Math.max(0, scrollTop) + viewportHeight;
  if (bottom >= documentHeight - 1) return 1;
  return Math.round((bottom / documentHeight) * 1e4) / 1e4;
}

/** Records a depth seen at `sinceStartMs`; returns whether the figures changed. */
export function reachDepth(s: ScrollFigures, depth: number, sinceStartMs: number): boolean {
  if (!(depth > s.depth)) return false;
  s.depth = depth;
  for (const mark of DEPTH_MARKS) if (depth * 100 >= mark && !(mark in s.reachedMs)) s.reachedMs[mark] = Math.max(0, Math.round(sinceStartMs));
  return true;
}
