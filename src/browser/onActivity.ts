/**
 * Activity signals (SEMANTICS.md, "Time and signals"). Listeners are passive (they never delay
 * scrolling) and capturing on the document, so that events stopped by the page, and `scroll` of any
 * element (it does not bubble), still count. The handler must cost almost nothing: `pointermove`
 * and `scroll` fire at frame rate.
 */
const EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'scroll', 'touchstart', 'focusin'];

export function onActivity(listener: () => void, target: EventTarget = document): () => void {
  const options = { capture: true, passive: true };
  EVENTS.forEach((type) => target.addEventListener(type, listener, options));
  return () => EVENTS.forEach((type) => target.removeEventListener(type, listener, options));
}
