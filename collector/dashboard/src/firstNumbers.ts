/**
 * `sm:first-numbers`: a User Timing mark the first time the headline figures are on screen, read by the
 * benchmark (collector/bench/first-numbers.ts) and visible in DevTools' Performance panel; and what waits
 * for that paint (useAfterPaint: the rest of the overview mounts in the frame after the headline's).
 */
import { useEffect, useState } from 'react';

export const FIRST_NUMBERS = 'sm:first-numbers';
let marked = false;

export function markFirstNumbers(): void {
  if (marked || typeof performance === 'undefined') return;
  marked = true;
  // After the browser has painted the render that shows them, not when React computed it.
  requestAnimationFrame(() => setTimeout(() => performance.mark(FIRST_NUMBERS), 0));
}

/** `when`, once the frame that rendered it true has been painted; true from then on. */
export function useAfterPaint(when: boolean): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (!when || painted) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setPainted(true), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [when, painted]);
  return painted;
}
