/**
 * Media played: every `<video>` and `<audio>` of the document, including ones added later, through
 * capture listeners on the document (media events do not bubble, but they are captured). What played is
 * the element's own account of it, `played` (HTML, "the ranges of the media resource that the user agent
 * has so far rendered"): exact at the start, across seeks and to the end, where sampling the playhead
 * on `timeupdate` loses the moments before the first sample (`play` fires after playback began) and
 * after the last. `played` is emptied when the source changes, so each sample is folded into the
 * medium's own union (playedRanges.ts), which also joins elements that share a name.
 */
import { addRange, type Ranges } from './playedRanges';

export interface MediumTally {
  _ranges: Ranges;
  _duration: number;
  _ended: boolean;
}

/** Where this medium's figures go, or undefined to leave it untracked (the page has enough media). */
export type MediumOf = (name: string) => MediumTally | undefined;

/** Samples: `timeupdate` runs every 15 to 250 ms while playing; the others mark where playback stops or jumps. */
const EVENTS = ['timeupdate', 'pause', 'seeking', 'ended'];

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
  const handle = (event: Event) => {
    const el = event.target as HTMLMediaElement;
    if (!(el instanceof (w as unknown as typeof globalThis).HTMLMediaElement)) return;
    const m = mediumOf(mediumName(el));
    if (!m) return;
    const played = el.played;
    for (let i = 0; i < played.length; i++) m._ranges = addRange(m._ranges, played.start(i), played.end(i));
    m._duration = el.duration;
    if (event.type == 'ended') m._ended = true;
  };
  EVENTS.map((type) => w.document.addEventListener(type, handle, { capture: true, passive: true }));
  return () => EVENTS.map((type) => w.document.removeEventListener(type, handle, { capture: true }));
}
