/**
 * The properties a report carries, before a vendor's own naming and limits, and the one trimming
 * rule every vendor mapping applies. Pure: shared by the browser adapters and a server-side relay.
 */
import type { Report } from '../ledger';

/** The end of every trimming message. */
const LIMITS = " to fit the vendor's limits";

export type Props = Record<string, string | number | boolean | null>;

/** A vendor's documented limits on one event's properties. */
export interface Limits {
  /** Properties per event. */
  count: number;
  /** Characters in a property name. */
  name: number;
  /** Characters in a string value. */
  value: number;
}

/** What a vendor mapping takes from the adapter's options (defaults filled in). */
export interface MapContext {
  /** Prefix of every property name. */
  prefix: string;
  /** The session event's name. */
  sessionEvent: string;
  /** The page event's name. */
  pageEvent: string;
  /** Reports what was trimmed to fit the vendor's limits; never throws. */
  say: (message: string) => void;
}

/** The event name for a report: the page event's for a page, else the session event's. */
export const nameOf = (report: Report, c: MapContext): string => (report.page ? c.pageEvent : c.sessionEvent);

/**
 * A report as flat properties, most important first (a vendor limit drops from the end): engaged
 * time, then what describes the session (or page), then the host's `meta` under the same prefix
 * (never replacing one of these). `omit` leaves out names a vendor should not get (GA4: the session
 * id, a dimension of one value per session). Null `meta` values are left out.
 */
export function reportProps({ record: r, page, valueMs }: Report, prefix: string, omit: readonly string[] = []): Props {
  const own: Props = {
    engaged_ms: valueMs,
    ...(page
      ? { page: page.path, views: page.views }
      : { duration_ms: r.durationMs, breaks: r.breaks.count, break_ms: r.breaks.totalMs, pages: r.pages.length }),
    band: (page || r).band ?? 'none',
    session_id: r.id,
  };
  const props: Props = {};
  for (const k in own) if (!omit.includes(k)) props[prefix + k] = own[k]!;
  // A null meta value says nothing, and some vendors (Amplitude) refuse the whole event for one.
  for (const k in r.meta) if (r.meta[k] != null && !(prefix + k in props)) props[prefix + k] = r.meta[k]!;
  return props;
}

/**
 * `props` within `limits`: names and string values cut to length; a property past the count, or
 * whose cut name another one already has, is dropped. Each change reported.
 */
export function withinLimits(props: Props, { count, name, value }: Limits, say: (message: string) => void): Props {
  const out: Props = {};
  let n = 0;
  for (const k in props) {
    const v = props[k]!;
    const key = k.slice(0, name);
    const cut = typeof v == 'string' ? v.slice(0, value) : v;
    const dropped = n >= count || key in out;
    if (!dropped) (out[key] = cut), n++;
    if (dropped || key != k || cut !== v) say(k + (dropped ? ' dropped' : ' cut') + LIMITS);
  }
  return out;
}

/** `name` cut to `max` characters, reported. */
export const eventName = (name: string, max: number, say: (message: string) => void): string => {
  if (name.length > max) say(name + ' cut' + LIMITS);
  return name.slice(0, max);
};
