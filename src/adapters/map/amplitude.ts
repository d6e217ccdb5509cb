/**
 * Amplitude: one final event per session (and per page) with a deterministic `insert_id`, Amplitude's
 * de-duplication key (7 days), and `session_id` the ms of the session's `startedAt`, Amplitude's own
 * session grouping, so that the event lands in the session it measures.
 *
 * Limits: the SDK refuses an event with more than 1,000 properties or a null value (both kept out
 * here); Amplitude cuts strings at 1,024 characters, which the adapter does first and says so.
 */
import type { Report } from '../ledger';
import { uuidFrom } from '../key';
import { nameOf, reportProps, withinLimits, type MapContext, type Props } from './properties';

export const AMPLITUDE_LIMITS = { count: 1000, name: 1024, value: 1024 };

export interface AmplitudeEvent {
  event_type: string;
  event_properties: Props;
  insert_id: string;
  /** Ms of the session's `startedAt`. */
  session_id: number;
  /** Ms of the record's `lastActiveAt`. */
  time: number;
}

export const toAmplitudeEvent = (report: Report, c: MapContext): AmplitudeEvent => ({
  event_type: nameOf(report, c).slice(0, AMPLITUDE_LIMITS.name),
  event_properties: withinLimits(reportProps(report, c.prefix), AMPLITUDE_LIMITS, c.say),
  insert_id: uuidFrom(report.key),
  session_id: Date.parse(report.record.startedAt),
  time: Date.parse(report.record.lastActiveAt),
});

/** A `POST /2/httpapi` body for a server-side relay: `device_id` the anonymous id, `user_id` when identified. */
export const toAmplitudeHttp = (reports: readonly Report[], c: MapContext, apiKey: string) => ({
  api_key: apiKey,
  events: reports.map((r) => ({
    ...toAmplitudeEvent(r, c),
    device_id: r.record.anonymousId,
    ...(r.record.userId && { user_id: r.record.userId }),
  })),
});
