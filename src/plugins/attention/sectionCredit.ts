/**
 * Engaged time per section of one page view, as data. A section (every element marked
 * `data-sm-section="name"`, several elements may share a name) is in view while at least one of its
 * elements is; while it is, it is credited the page's engaged time, read from the tracker's own counter
 * (`PluginContext.engagedMs()`), so a hidden page or a reader idle past the buffer credits nothing: the
 * engaged-time rules of SEMANTICS.md apply unchanged. Pure: sections.ts turns IntersectionObserver
 * entries into calls here.
 */
import type { PageSection } from '../../core/attention';

/** At most this many sections per page: further names are not tracked (the record stays small). */
export const MAX_SECTIONS = 50;

interface Tally {
  /** Engaged ms credited so far, excluding the current stretch in view. */
  _ms: number;
  /** ms after the page view began when the section first came into view. */
  _first: number;
  /** Elements of this name in view now. */
  _in: number;
  /** The page's engaged counter when the current stretch in view began. */
  _from: number;
}

export type SectionTallies = Map<string, Tally>;


/**
 * The visibility rule: at least half of the element is inside the viewport, or, for a section taller
 * than the viewport can show half of, at least half of the viewport is covered by it.
 */
export const inView = (visibleHeight: number, elementHeight: number, viewportHeight: number): boolean =>
  elementHeight > 0 && visibleHeight > 0 && visibleHeight >= Math.min(elementHeight, viewportHeight) / 2;

/** One element of `name` came into view. Returns false when the page already has MAX_SECTIONS others. */
export function sectionEntered(t: SectionTallies, name: string, engagedMs: number, sinceStartMs: number): boolean {
  let s = t.get(name);
  if (!s) {
    if (t.size >= MAX_SECTIONS) return false;
    t.set(name, (s = { _ms: 0, _first: Math.max(0, Math.round(sinceStartMs)), _in: 0, _from: 0 }));
  }
  if (s._in++ == 0) s._from = engagedMs;
  return true;
}

/** One element of `name` left the view. */
export function sectionLeft(t: SectionTallies, name: string, engagedMs: number): void {
  const s = t.get(name);
  if (s && s._in > 0 && --s._in == 0) s._ms += Math.max(0, engagedMs - s._from);
}

/** The figures as of the page's engaged counter `engagedMs`, as the record carries them: `[engagedMs, firstSeenMs]`. */
export function sectionFigures(t: SectionTallies, engagedMs: number): Record<string, PageSection> {
  const out: Record<string, PageSection> = {};
  t.forEach((s, name) => {
    out[name] = [Math.round(s._ms + (s._in > 0 ? Math.max(0, engagedMs - s._from) : 0)), s._first];
  });
  return out;
}

/** The page view ended: every stretch in view ends with it (the next view starts its own). */
export function sectionsClosed(t: SectionTallies, engagedMs: number): void {
  t.forEach((s) => {
    if (s._in > 0) (s._ms += Math.max(0, engagedMs - s._from)), (s._in = 0);
  });
}
