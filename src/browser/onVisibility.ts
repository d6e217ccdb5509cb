/**
 * Visible or hidden, including the back/forward cache.
 *
 * `visibilitychange` to hidden is the last moment browsers reliably run code, on desktop and mobile
 * (https://developer.chrome.com/docs/web-platform/page-lifecycle-api); `pagehide` covers browsers
 * that skip it when navigating away (older Safari, https://bugs.webkit.org/show_bug.cgi?id=151234).
 * `unload` is never used: it keeps pages out of the bfcache. A `pageshow` with `persisted` is a
 * restore from the bfcache, where the page resumes without loading again.
 */
export function onVisibility(listener: (visible: boolean) => void, doc: Document = document, win: Window = window): () => void {
  const change = () => listener(doc.visibilityState == 'visible');
  const hide = () => listener(false);
  const show = (e: PageTransitionEvent) => e.persisted && change();
  doc.addEventListener('visibilitychange', change, true);
  win.addEventListener('pagehide', hide, true);
  win.addEventListener('pageshow', show, true);
  return () => {
    doc.removeEventListener('visibilitychange', change, true);
    win.removeEventListener('pagehide', hide, true);
    win.removeEventListener('pageshow', show, true);
  };
}
