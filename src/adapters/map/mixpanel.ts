/**
 * Mixpanel: one final event per session (and per page) with a deterministic `$insert_id` and a fixed
 * `time` (the record's `lastActiveAt`): Mixpanel counts events with the same name, distinct_id,
 * `time` (to the second) and `$insert_id` once, so copies from tabs, reloads and retries are one.
 *
 * Limits (Mixpanel's events FAQ): at most 255 properties per event, names and string values at most
 * 255 characters; `$insert_id` at most 36 characters of letters, digits and `-` (a UUID is 36).
 */
import type { Report } from '../ledger';
import { uuidFrom } from '../key';
import { eventName, nameOf, reportProps, withinLimits, type MapContext, type Props } from './properties';

export const MIXPANEL_LIMITS = { count: 255 - 2, name: 255, value: 255 };

export interface MixpanelEvent {
  event: string;
  /** The adapter's properties, `$insert_id`, and `time` in seconds (mixpanel-browser's unit). */
  properties: Props & { $insert_id: string; time: number };
}

export const toMixpanelEvent = (report: Report, c: MapContext): MixpanelEvent => ({
  event: eventName(nameOf(report, c), MIXPANEL_LIMITS.name, c.say),
  properties: {
    ...withinLimits(reportProps(report, c.prefix), MIXPANEL_LIMITS, c.say),
    $insert_id: uuidFrom(report.key),
    time: Date.parse(report.record.lastActiveAt) / 1000,
  },
});

/** A `POST /import` body for a server-side relay: `distinct_id` the user id when identified, else the anonymous id. */
export const toMixpanelImport = (reports: readonly Report[], c: MapContext) =>
  reports.map((r) => {
    const e = toMixpanelEvent(r, c);
    return { ...e, properties: { ...e.properties, distinct_id: r.record.userId ?? r.record.anonymousId } };
  });
