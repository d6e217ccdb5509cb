/**
 * Plausible: it neither de-duplicates nor sums properties, so the adapter sends one final event per
 * session (and per page) with bucketed properties: Plausible counts events and visitors per property
 * value (a goal broken down by `sm_engaged`), which is what a bucket is for. Non-interactive, so that
 * it does not change the bounce rate.
 *
 * Limits (Plausible's custom properties docs): at most 30 properties per event, names at most 300
 * and values at most 2,000 characters; values are strings.
 */
import type { Report } from '../ledger';
import { nameOf, reportProps, withinLimits, type MapContext, type Props } from './properties';

export const PLAUSIBLE_LIMITS = { count: 30, name: 300, value: 2000 };

/** Upper bounds (seconds, exclusive) and names of the engaged-time buckets; the last is open. */
export const ENGAGED_BUCKETS: readonly [number, string][] = [
  [10, '0-10s'],
  [30, '10-30s'],
  [60, '30s-1m'],
  [120, '1-2m'],
  [300, '2-5m'],
  [600, '5-10m'],
  [1800, '10-30m'],
  [3600, '30-60m'],
  [Infinity, '60m+'],
];

/** The bucket `ms` of engaged time falls in. */
export const engagedBucket = (ms: number): string => ENGAGED_BUCKETS.find(([s]) => ms < s * 1000)![1];

export interface PlausibleEvent {
  name: string;
  props: Record<string, string>;
}

/**
 * The event for one report. Numbers become buckets (engaged time) or stay as text (counts of pages
 * and breaks, small integers); the exact milliseconds and the session id are left out (a value per
 * session is not a breakdown).
 */
export function toPlausibleEvent(report: Report, c: MapContext): PlausibleEvent {
  const { [c.prefix + 'engaged_ms']: ms, ...rest } = reportProps(report, c.prefix, ['session_id', 'duration_ms', 'break_ms']);
  const props: Props = { [c.prefix + 'engaged']: engagedBucket(ms as number), ...rest };
  for (const k in props) props[k] = String(props[k]);
  return { name: nameOf(report, c), props: withinLimits(props, PLAUSIBLE_LIMITS, c.say) as Record<string, string> };
}

/** A `POST /api/event` body for a server-side relay; `domain` and `url` are the relay's to give. */
export const toPlausibleApiEvent = (report: Report, c: MapContext, domain: string, url: string) => {
  const { name, props } = toPlausibleEvent(report, c);
  return { name, domain, url, props, interactive: false };
};
