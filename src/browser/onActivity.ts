/**
 * Activity signals (SEMANTICS.md, "Time and signals"). Listeners are passive (they never delay
 * scrolling) and capturing on the document, so that events stopped by the page, and `scroll` of any
 * element (it does not bubble), still count. The handler must cost almost nothing: `pointermove`
 * and `scroll` fire at frame rate.
 */
import { listen } from './listen';

export const onActivity = (listener: () => void, target: EventTarget = document): (() => void) =>
  listen(target, 'pointerdown pointermove keydown wheel scroll touchstart focusin', listener, { capture: true, passive: true });
