/**
 * GA4: it sums, so the adapter sends deltas, each an event carrying the custom metric
 * `sm_engaged_ms` (register it in GA4 as a custom metric, unit milliseconds). Never
 * `engagement_time_msec`: gtag.js fills that itself and GA4 sums it into its own engagement time.
 *
 * Limits (GA4 "Event collection limits"): event names and parameter names at most 40 characters of
 * letters, digits and `_`, starting with a letter; values at most 100 characters; at most 25
 * parameters per event; at most 500 distinctly named events (app streams; this adapter only ever
 * sends its two names). The Measurement Protocol takes at most 25 events per request.
 */
import type { Report } from '../ledger';
import { eventName, nameOf, reportProps, withinLimits, type Props, type MapContext } from './properties';

export const GA4_LIMITS = { count: 25, name: 40, value: 100 };
/** Events per Measurement Protocol request. */
export const GA4_MP_EVENTS = 25;

export interface Ga4Event {
  name: string;
  params: Props;
}

/** A GA4 name: letters, digits and `_`, starting with a letter (the length is cut where names are counted). */
export const ga4Name = (name: string, say: (message: string) => void): string => {
  const clean = name.replace(/\W/g, '_').replace(/^[^A-Za-z]+/, '') || 'sm';
  if (clean != name) say(`name ${name} sent as ${clean}`);
  return clean;
};

/** The event for one report. The session id is left out: a dimension with one value per session is not one GA4 can report. */
export function toGa4Event(report: Report, c: MapContext): Ga4Event {
  const props = reportProps(report, c.prefix, ['session_id']);
  const named: Props = {};
  for (const k in props) named[ga4Name(k, c.say)] = props[k]!;
  return { name: eventName(ga4Name(nameOf(report, c), c.say), GA4_LIMITS.name, c.say), params: withinLimits(named, GA4_LIMITS, c.say) };
}

/** A Measurement Protocol request body (`POST /mp/collect?measurement_id=…&api_secret=…`). */
export interface Ga4MeasurementRequest {
  client_id: string;
  user_id?: string;
  timestamp_micros: number;
  events: Ga4Event[];
}

/**
 * Measurement Protocol bodies for `reports`, for a server-side relay: one client per anonymous id
 * (the user id too, when the host called identify), at most 25 events each, timed at the newest
 * record's `lastActiveAt`.
 */
export function toGa4MeasurementProtocol(reports: readonly Report[], c: MapContext): Ga4MeasurementRequest[] {
  const requests: Ga4MeasurementRequest[] = [];
  const open = new Map<string, Ga4MeasurementRequest>();
  for (const report of reports) {
    const { anonymousId, userId, lastActiveAt } = report.record;
    const client = anonymousId + '\n' + (userId ?? '');
    let request = open.get(client);
    if (!request || request.events.length == GA4_MP_EVENTS) {
      request = { client_id: anonymousId, ...(userId && { user_id: userId }), timestamp_micros: 0, events: [] };
      open.set(client, request);
      requests.push(request);
    }
    request.timestamp_micros = Math.max(request.timestamp_micros, Date.parse(lastActiveAt) * 1000);
    request.events.push(toGa4Event(report, c));
  }
  return requests;
}
