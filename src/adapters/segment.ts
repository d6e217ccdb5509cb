/**
 * `session-metrics/adapters/segment`: one final `sm_session` track per session into Segment through
 * analytics.js (`@segment/analytics-next`), with a `messageId` derived from site, session and kind:
 * Segment de-duplicates by it, so tabs, reloads and retries are one event.
 */
import { adapterTransport, vendorGlobal, type AdapterOptions } from './base';
import { toSegmentTrack } from './map/segment';
import type { Transport } from '../transports/transport';

export type { AdapterOptions } from './base';

/** What the adapter uses of analytics.js. */
export interface SegmentLike {
  track(event: string, properties: object, options: { messageId: string; timestamp: Date }): unknown;
}

export interface SegmentAdapterOptions extends AdapterOptions {
  /** @defaultValue `window.analytics`, looked up at send time (records wait in the queue until it is there) */
  analytics?: SegmentLike;
}

export const segmentAdapter = (options: SegmentAdapterOptions = {}): Transport =>
  adapterTransport('segment', options, 'final', (reports, c) => {
    const analytics = vendorGlobal('analytics', options.analytics);
    for (const report of reports) {
      const { event, properties, messageId, timestamp } = toSegmentTrack(report, c);
      analytics.track(event, properties, { messageId, timestamp: new Date(timestamp) });
    }
  });
