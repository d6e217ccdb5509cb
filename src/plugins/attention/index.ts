/**
 * `session-metrics/attention`: per page, scroll depth (scroll.ts), engaged time per marked section
 * (sections.ts) and media played (media.ts), written to the page record as `scroll`, `sections` and
 * `media` (docs/attention.md). The rules are pure and tested apart: scrollDepth.ts, sectionCredit.ts,
 * playedRanges.ts.
 *
 * Figures belong to the page name: a later view of the same page in this document continues them.
 * Section time is the page's engaged time while in view, read from the tracker's own counter, so a
 * hidden page or an idle reader past the buffer credits none.
 */
import type { PageMedium } from '../../core/attention';
import { definePlugin, type HostedPlugin, type PluginPage, type TrackerPlugin } from '../../plugin/index';
import { watchMedia, type MediumTally } from './media';
import { mediaFigures } from './playedRanges';
import { watchScroll } from './scroll';
import { createScroll, reachDepth, type ScrollFigures } from './scrollDepth';
import { sectionEntered, sectionFigures, sectionLeft, sectionsClosed, type SectionTallies } from './sectionCredit';
import { watchSections } from './sections';

/** At most this many media per page: with 50 sections and scroll they fit the seam's 4 KiB per plugin and page. */
export const MAX_MEDIA = 8;

interface PageFigures {
  _scroll: ScrollFigures;
  _sections: SectionTallies;
  _media: Map<string, MediumTally>;
}

/** The attention plugin, hosted: for `createTracker({ plugins })` and `tracker.use`. */
export const attentionPlugin = (): HostedPlugin => definePlugin(attentionDefinition());

/** The attention plugin before hosting: what its script-tag file hands to the main file with the seam. */
export function attentionDefinition(): TrackerPlugin {
  return {
    name: 'attention',
    setup(context) {
      const w = context.window;
      const pages = new Map<string, PageFigures>();
      let page: PluginPage | null = null;
      let figures: PageFigures | null = null;
      const sinceStart = () => context.now() - page!.startedAt;

      const write = () => {
        if (!page || !figures) return;
        const media: Record<string, PageMedium> = {};
        figures._media.forEach((m, name) => m._ranges.length && (media[name] = mediaFigures(m._ranges, m._duration, m._ended)));
        if (figures._scroll.depth) context.setPageField('scroll', figures._scroll, page.name);
        if (figures._sections.size) context.setPageField('sections', sectionFigures(figures._sections, context.engagedMs()), page.name);
        if (Object.keys(media).length) context.setPageField('media', media, page.name);
      };

      const scroll = watchScroll(w, (depth) => figures && reachDepth(figures._scroll, depth, sinceStart()));
      const sections = watchSections(
        w,
        (name) => !!figures && sectionEntered(figures._sections, name, context.engagedMs(), sinceStart()),
        (name) => figures && sectionLeft(figures._sections, name, context.engagedMs()),
      );
      const stopMedia = watchMedia(w, (name) => {
        const media = figures?._media;
        if (!media || (!media.has(name) && media.size >= MAX_MEDIA)) return;
        if (!media.has(name)) media.set(name, { _ranges: [], _duration: NaN, _ended: false });
        return media.get(name);
      });

      const offs = [
        context.on('pagestart', (next) => {
          page = next;
          if (!pages.has(next.name)) pages.set(next.name, { _scroll: createScroll(), _sections: new Map(), _media: new Map() });
          figures = pages.get(next.name)!;
          sections._restart();
          scroll._measure();
        }),
        context.on('pageend', () => {
          scroll._measure();
          if (figures) sectionsClosed(figures._sections, context.engagedMs());
          write();
          figures = null;
        }),
        context.on('beforerecord', () => {
          sections._scan();
          scroll._measure();
          write();
        }),
      ];
      return () => {
        offs.map((off) => off());
        scroll._stop();
        sections._stop();
        stopMedia();
      };
    },
  };
}
