/**
 * PostHog: one final event per session (and per page) with a deterministic `uuid`, PostHog's key for
 * one event (posthog-js `capture(…, { uuid })`; `/batch` events' `uuid`), so that copies sent by
 * several tabs, a reload or a retry are one event. The session id goes in `sm_session_id`: PostHog's
 * own `$session_id` (its replay and session analytics) is never overwritten.
 *
 * Limits: posthog-js cuts string properties to 65,535 characters (`properties_string_max_length`);
 * the adapter keeps event names within 200 characters.
 */
import type { Report } from '../ledger';
import { uuidFrom } from '../key';
import { eventName, nameOf, reportProps, withinLimits, type Props, type MapContext } from './properties';

export const POSTHOG_LIMITS = { count: Infinity, name: 200, value: 65535 };

export interface PosthogEvent {
  event: string;
  properties: Props;
  uuid: string;
  /** ISO 8601: the record's `lastActiveAt`, when the engaged time ended. */
  timestamp: string;
}

export const toPosthogEvent = (report: Report, c: MapContext): PosthogEvent => ({
  event: eventName(nameOf(report, c), POSTHOG_LIMITS.name, c.say),
  properties: withinLimits(reportProps(report, c.prefix), POSTHOG_LIMITS, c.say),
  uuid: uuidFrom(report.key),
  timestamp: report.record.lastActiveAt,
});

/** A `/batch` body for a server-side relay: `distinct_id` is the user id when identified, else the anonymous id. */
export const toPosthogBatch = (reports: readonly Report[], c: MapContext, apiKey: string) => ({
  api_key: apiKey,
  batch: reports.map((r) => {
    const e = toPosthogEvent(r, c);
    return { ...e, properties: { ...e.properties, distinct_id: r.record.userId ?? r.record.anonymousId } };
  }),
});
