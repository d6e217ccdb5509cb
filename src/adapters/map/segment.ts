/**
 * Segment: one final `track` per session (and per page) with a deterministic `messageId`, Segment's
 * de-duplication key (analytics.js `track(…, { messageId })`; the HTTP API's `messageId`), so that
 * copies from several tabs, a reload or a retry are one event in Segment and every destination.
 *
 * Limits: Segment takes at most 32 KB per event. The adapter's own properties are a few hundred
 * bytes; it cuts string values (the host's `meta`, a long page name) to 1,000 characters, its own
 * bound, so that an event stays far inside that.
 */
import type { Report } from '../ledger';
import { uuidFrom } from '../key';
import { nameOf, reportProps, withinLimits, type MapContext, type Props } from './properties';

export const SEGMENT_LIMITS = { count: Infinity, name: 1000, value: 1000 };

export interface SegmentTrack {
  event: string;
  properties: Props;
  messageId: string;
  /** ISO 8601: the record's `lastActiveAt`. */
  timestamp: string;
}

export const toSegmentTrack = (report: Report, c: MapContext): SegmentTrack => ({
  event: nameOf(report, c),
  properties: withinLimits(reportProps(report, c.prefix), SEGMENT_LIMITS, c.say),
  messageId: uuidFrom(report.key),
  timestamp: report.record.lastActiveAt,
});

/** A `POST /v1/batch` body for a server-side relay: `userId` when identified, always the anonymous id. */
export const toSegmentBatch = (reports: readonly Report[], c: MapContext) => ({
  batch: reports.map((r) => ({
    type: 'track' as const,
    ...toSegmentTrack(r, c),
    anonymousId: r.record.anonymousId,
    ...(r.record.userId && { userId: r.record.userId }),
  })),
});
