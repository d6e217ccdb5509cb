/**
 * `sm:first-numbers`: a User Timing mark the first time the headline figures are on screen, read by the
 * benchmark (collector/bench/first-numbers.ts) and visible in DevTools' Performance panel.
 */
export const FIRST_NUMBERS = 'sm:first-numbers';
let marked = false;

export function markFirstNumbers(): void {
  if (marked || typeof performance === 'undefined') return;
  marked = true;
  // After the browser has painted the render that shows them, not when React computed it.
  requestAnimationFrame(() => setTimeout(() => performance.mark(FIRST_NUMBERS), 0));
}
