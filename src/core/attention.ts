/**
 * The optional page-record fields written by the attention plugins (issue 13; docs/attention.md).
 * Part of the wire contract next to records.ts: the collector's schemas (collector/src/ingest/
 * attention-schemas.ts) check exactly these shapes. Times are ms, shares 0..1.
 */

/** web-vitals names, in the order reports list them. */
export const VITAL_NAMES = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const;
export type VitalName = (typeof VITAL_NAMES)[number];

/** `session-metrics/vitals`: the value web-vitals reported last for the page; ms, CLS unitless. */
export type PageVitals = Partial<Record<VitalName, number>>;

/** `session-metrics/attention`, scroll depth of the page. */
export interface PageScroll {
  /** Largest share of the document's height that has been inside the viewport, 0..1. */
  depth: number;
  /** `"25" | "50" | "75" | "100"` -> ms after the page view began when that share was first reached. */
  reachedMs: Partial<Record<'25' | '50' | '75' | '100', number>>;
}

/**
 * `session-metrics/attention`, per `data-sm-section` name (at most 50 per page, names cut to 32
 * characters): `[engagedMs, firstSeenMs]`, the engaged ms while the section was in view and the ms after
 * the page view began when it first came into view. A pair, not an object: fifty sections must fit the
 * plugin seam's 4 KiB per plugin and page together with scroll and media.
 */
export type PageSection = [engagedMs: number, firstSeenMs: number];

/** `session-metrics/attention`, per medium (at most 8 per page), named by `data-sm-media` or the path of `currentSrc` (cut to 80 characters). */
export interface PageMedium {
  /** ms of media time played at least once: the union of the played ranges. */
  watchedMs: number;
  /** The medium's length in ms; null while unknown or for a live stream. */
  durationMs: number | null;
  /** `watchedMs / durationMs`, 0..1; null when the duration is unknown. */
  completion: number | null;
  /** It played to its end at least once. */
  ended: boolean;
}

export interface PageAttentionFields {
  vitals?: PageVitals;
  scroll?: PageScroll;
  sections?: Record<string, PageSection>;
  media?: Record<string, PageMedium>;
}
