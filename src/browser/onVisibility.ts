/**
 * Visible or hidden, including the back/forward cache.
 *
 * `visibilitychange` to hidden is the last moment browsers reliably run code, on desktop and mobile
 * (https://developer.chrome.com/docs/web-platform/page-lifecycle-api); `pagehide` covers browsers
 * that skip it when navigating away (older Safari, https://bugs.webkit.org/show_bug.cgi?id=151234).
 * `unload` is never used: it keeps pages out of the bfcache. A `pageshow` with `persisted` is a
 * restore from the bfcache, where the page resumes without loading again.
 */
import { listen } from './listen';

export function onVisibility(listener: (visible: boolean) => void, doc: Document = document, win: Window = window): () => void {
  const handle = (e: Event) =>
    (e.type != 'pageshow' || (e as PageTransitionEvent).persisted) &&
    listener(e.type != 'pagehide' && doc.visibilityState == 'visible');
  const removes = [listen(doc, 'visibilitychange', handle), listen(win, 'pagehide pageshow', handle)];
  return () => removes.map((remove) => remove());
}
