/**
 * Scroll depth of the document, read on every scroll (browsers dispatch `scroll` at most once per
 * frame) and once the document has loaded: before `load` its height is not final, and a half-parsed
 * page would look fully seen.
 */
import { viewportDepth } from './scrollDepth';

export function watchScroll(w: Window, seen: (depth: number) => void): { _measure(): void; _stop(): void } {
  const d = w.document;
  const measure = () => {
    // Once loaded: before that the height is that of the part parsed so far.
    if (d.readyState == 'complete') seen(viewportDepth(w.scrollY, w.innerHeight, d.documentElement.scrollHeight));
  };
  w.addEventListener('scroll', measure, { passive: true });
  w.addEventListener('load', measure);
  return {
    _measure: measure,
    _stop() {
      w.removeEventListener('scroll', measure);
      w.removeEventListener('load', measure);
    },
  };
}
