/**
 * Engaged time per section, as data. A section (every element marked `data-sm-section="name"`; several
 * elements may share a name) is in view while at least one of its elements is; while it is, it is
 * credited the page's engaged time, read from the tracker's own counter (`PluginContext.engagedMs()`),
 * so a hidden page or a reader idle past the buffer credits nothing: the engaged-time rules of
 * docs/semantics.md apply unchanged. Pure: the plugin (index.ts) turns IntersectionObserver entries
 * into calls here.
 */
import type { PageSection } from '../../core/attention';

/** At most this many sections per page: further names are not tracked (the record stays small). */
export const MAX_SECTIONS = 50;

/** One page's sections, as the record carries them: name -> `[engagedMs, firstSeenMs]`. */
export type Sections = Map<string, PageSection>;

/** What is in view in this tab now: element -> its section name; and the engaged counter when credit was last given. */
export interface InView {
  _in: Map<unknown, string>;
  _at: number;
}

export const createInView = (): InView => ({ _in: new Map(), _at: 0 });

/**
 * The visibility rule: at least half of the element is inside the viewport, or, for a section taller
 * than the viewport can show half of, at least half of the viewport is covered by it.
 */
export const inView = (visibleHeight: number, elementHeight: number, viewportHeight: number): boolean =>
  elementHeight > 0 && visibleHeight > 0 && visibleHeight >= Math.min(elementHeight, viewportHeight) / 2;

/**
 * Credits each section in view (once, however many of its elements are) the engaged ms since the last
 * call, `engagedMs` being the page view's engaged counter now. A counter that went back belongs to the
 * next page view, whose stretches in view start with it: nothing is credited.
 */
export function credit(sections: Sections, v: InView, engagedMs: number): void {
  if (engagedMs > v._at) new Set(v._in.values()).forEach((name) => (sections.get(name)![0] += engagedMs - v._at));
  v._at = engagedMs;
}

/** The element `key` of section `name` is in view (`visible`) or not, `sinceStartMs` after the page view began. Call `credit` first. */
export function see(sections: Sections, v: InView, key: unknown, name: string, visible: boolean, sinceStartMs: number): void {
  if (visible && (sections.has(name) || sections.size < MAX_SECTIONS)) {
    if (!sections.has(name)) sections.set(name, [0, sinceStartMs]);
    v._in.set(key, name);
  } else v._in.delete(key);
}
