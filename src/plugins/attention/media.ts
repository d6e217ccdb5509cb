/**
 * Media played, from the elements' own events: every `<video>` and `<audio>` of the document, including
 * ones added later, through capture listeners on the document (media events do not bubble, but they
 * are captured). Between two samples of the playhead (`timeupdate`, `pause`, `ended`) with no seek in
 * between, the media played that range; a seek ends the range where the element's own `played` list
 * says playback reached before it (`seeking` already reports the new position).
 */
import { addRange, type Ranges } from './playedRanges';

export interface MediumTally {
  _ranges: Ranges;
  _duration: number;
  _ended: boolean;
}

/** Where this medium's figures go, or undefined to leave it untracked (the page has enough media). */
export type MediumOf = (name: string) => MediumTally | undefined;

const EVENTS = ['play', 'playing', 'seeking', 'seeked', 'timeupdate', 'pause', 'ended'];

/** `data-sm-media`, else the path of the source (a stream without one is "stream"), cut to 80 characters. */
export function mediumName(el: HTMLMediaElement): string {
  const named = el.dataset.smMedia;
  if (named) return named.slice(0, 80);
  try {
    return new URL(el.currentSrc).pathname.slice(0, 80) || 'stream';
  } catch {
    return 'stream';
  }
}

export function watchMedia(w: Window, mediumOf: MediumOf): () => void {
  /** Per element: the playhead at the last sample, null after a seek until playback samples again. */
  const last = new WeakMap<HTMLMediaElement, number | null>();
  const handle = (event: Event) => {
    const el = event.target;
    if (!(el instanceof w.HTMLMediaElement)) return;
    const m = mediumOf(mediumName(el));
    if (!m) return;
    const at = el.currentTime;
    const from = last.get(el) ?? null;
    const type = event.type;
    m._duration = el.duration;
    if (type == 'seeking') {
      if (from !== null) for (let i = 0; i < el.played.length; i++) if (el.played.start(i) <= from && from <= el.played.end(i)) m._ranges = addRange(m._ranges, from, el.played.end(i));
      return void last.set(el, null);
    }
    // `play`, `playing` and `seeked` only start a range; the samples end one.
    if ((type == 'timeupdate' || type == 'pause' || type == 'ended') && from !== null && at > from && !el.seeking) m._ranges = addRange(m._ranges, from, at);
    if (type == 'ended') m._ended = true;
    last.set(el, at);
  };
  EVENTS.map((type) => w.document.addEventListener(type, handle, { capture: true, passive: true }));
  return () => EVENTS.map((type) => w.document.removeEventListener(type, handle, { capture: true }));
}
