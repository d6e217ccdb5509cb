/**
 * `session-metrics/attention`: per page, scroll depth, engaged time per marked section and media
 * played, written to the page record as `scroll`, `sections` and `media` (docs/attention.md). The rules
 * are pure and tested apart: scrollDepth.ts, sectionCredit.ts, playedRanges.ts; this file turns DOM
 * events and IntersectionObserver entries into calls on them.
 *
 * Figures belong to the page name: a later view of the same page in this document continues them.
 * Section time is the page's engaged time while in view, read from the tracker's own counter, so a
 * hidden page or an idle reader past the buffer credits none.
 */
import type { PageScroll } from '../../core/attention';
import { listen } from '../../browser/listen';
import { definePlugin, type HostedPlugin, type TrackerPlugin } from '../../plugin/index';
import { mediaFigures, union, type Played, type Ranges } from './playedRanges';
import { createScroll, reachDepth, viewportDepth } from './scrollDepth';
import { createInView, credit, inView, see, type Sections } from './sectionCredit';

/** At most this many media per page: with 50 sections and scroll they fit the seam's 4 KiB per plugin and page. */
export const MAX_MEDIA = 8;

/** One page name's figures. */
type Figures = [scroll: PageScroll, sections: Sections, media: Map<string, Played>];

/**
 * IntersectionObserver reports an element whenever its visible share crosses a threshold: every 2 %
 * finds the rule's boundary (half of the element, or half of the viewport for a tall one, at a share
 * that depends on its height) to within 2 % of the element's height.
 */
const THRESHOLDS = Array.from({ length: 51 }, (_, i) => i / 50);

/**
 * Where figures change: `scroll` (at most once per frame) and `load` (before it the document's height
 * is that of the part parsed so far) for depth; for media, samples of what played: `timeupdate` every
 * 15 to 250 ms while playing, and where playback stops or jumps. Media events do not bubble, but a
 * capturing listener on the window sees them, for elements added later too.
 */
const EVENTS = 'scroll load timeupdate pause seeking ended';

/** `data-sm-media`, else the path of the source (a stream without one is "stream"), cut to 80 characters. */
function mediumName(el: HTMLMediaElement): string {
  let name = el.dataset.smMedia;
  if (!name)
    try {
      name = new URL(el.currentSrc).pathname;
    } catch {}
  return name?.slice(0, 80) || 'stream';
}

/**
 * Folds what `el` played into its medium's union. `played` is the element's own account ("the ranges
 * of the media resource that the user agent has so far rendered", HTML): exact at the start, across
 * seeks and to the end, where sampling the playhead loses the moments before the first sample and after
 * the last. It is emptied when the source changes, hence the medium's own union, which also joins
 * elements that share a name.
 */
function play(media: Map<string, Played>, el: HTMLMediaElement, type: string): void {
  const name = mediumName(el);
  const before = media.get(name);
  if (!before && media.size >= MAX_MEDIA) return;
  const ranges: Ranges = before ? [...before[0]] : [];
  for (let i = 0, p = el.played; i < p.length; i++) ranges.push([p.start(i), p.end(i)]);
  const played = union(ranges);
  if (played.length) media.set(name, [played, el.duration, !!before?.[2] || type == 'ended']);
}

/** The attention plugin, hosted: for `createTracker({ plugins })` and `tracker.use`. */
export const attentionPlugin = (): HostedPlugin => definePlugin(attentionDefinition());

/** The attention plugin before hosting: what its script-tag file hands to the main file with the seam. */
export function attentionDefinition(): TrackerPlugin {
  return {
    name: 'attention',
    setup(c) {
      const w = c.window;
      const d = w.document;
      const pages = new Map<string, Figures>();
      const view = createInView();
      // The current page's: set at each page start, which the host emits right after setup.
      let f: Figures;
      let startedAt: number;
      const sinceStart = () => c.now() - startedAt;
      // Once loaded: before that the height is that of the part parsed so far, and a half-parsed page would look fully seen.
      const measure = () =>
        d.readyState == 'complete' && reachDepth(f[0], viewportDepth(w.scrollY, w.innerHeight, d.documentElement.scrollHeight), sinceStart());
      const io = new (w as unknown as typeof globalThis).IntersectionObserver(
        (entries) => {
          credit(f[1], view, c.engagedMs());
          for (const e of entries) {
            // Names are cut to 32 characters so that 50 sections fit the seam's 4 KiB per plugin and page.
            const name = (e.target as HTMLElement).dataset.smSection?.slice(0, 32);
            const visible = inView(e.intersectionRect.height, e.boundingClientRect.height, e.rootBounds?.height ?? w.innerHeight);
            see(f[1], view, e.target, name!, !!name && visible, sinceStart());
          }
        },
        { threshold: THRESHOLDS },
      );
      // Observing an element already observed does nothing: elements rendered since the last scan are added.
      const scan = () => d.querySelectorAll('[data-sm-section]').forEach((el) => io.observe(el));
      const write = () => {
        credit(f[1], view, c.engagedMs());
        measure();
        const [scroll, sections, media] = f;
        if (scroll.depth) c.setPageField('scroll', scroll);
        if (sections.size) c.setPageField('sections', Object.fromEntries(sections));
        if (media.size) c.setPageField('media', Object.fromEntries([...media].map(([name, played]) => [name, mediaFigures(played)])));
      };
      const stop = listen(w, EVENTS, (e: Event) => {
        const el = e.target as HTMLMediaElement;
        // Only media elements have `played`. The viewport's scroll and the window's load are the
        // document's (its target); an element's own scroll, which the capturing listener sees too, moves no depth.
        if (el.played) play(f[2], el, e.type);
        else if (el == (d as unknown)) measure();
      });

      c.on('pagestart', (page) => {
        if (!pages.has(page.name)) pages.set(page.name, [createScroll(), new Map(), new Map()]);
        f = pages.get(page.name)!;
        startedAt = page.startedAt;
        // Forget what was in view and observe every marked element anew: the observer then reports each.
        view._in.clear();
        credit(f[1], view, c.engagedMs());
        io.disconnect();
        scan();
        measure();
      });
      // The host writes to the page that ends, and then to the new one.
      c.on('pageend', write);
      c.on('beforerecord', () => {
        scan();
        write();
      });
      return () => {
        stop();
        io.disconnect();
      };
    },
  };
}
