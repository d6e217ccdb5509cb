/**
 * Matomo: one final event per session (and per page) whose numeric value is the engaged time in
 * seconds. Matomo's Events report shows, per category, action and name, the number of events and
 * their total, average, minimum and maximum value: the session's engaged time exactly once.
 *
 * Event category, action and name are cut to 255 characters (the adapter's bound; Matomo stores
 * longer ones, but reports show them poorly).
 */
import type { Report } from '../ledger';
import { uuidFrom } from '../key';
import { eventName, nameOf, type MapContext } from './properties';

export const MATOMO_MAX = 255;

export interface MatomoContext extends MapContext {
  /** The event category. */
  category: string;
}

/** `['trackEvent', category, action, name, value]`: action the event name, name the band (or the page), value in seconds. */
export type MatomoCommand = ['trackEvent', string, string, string, number];

export function toMatomoCommand(report: Report, c: MatomoContext): MatomoCommand {
  const cut = (text: string) => eventName(text, MATOMO_MAX, c.say);
  const name = report.page ? report.page.path : (report.record.band ?? 'none');
  return ['trackEvent', cut(c.category), cut(nameOf(report, c)), cut(name), report.valueMs / 1000];
}

/**
 * Tracking HTTP API parameters (`matomo.php`) for a server-side relay, which adds `idsite`, `url`
 * and, for `cdt` older than a few hours, `token_auth`. `_id` (16 hex digits) is derived from the
 * anonymous id; `cdt` is the record's `lastActiveAt` in seconds.
 */
export function toMatomoParams(report: Report, c: MatomoContext): Record<string, string> {
  const [, e_c, e_a, e_n, e_v] = toMatomoCommand(report, c);
  return {
    rec: '1',
    e_c,
    e_a,
    e_n,
    e_v: String(e_v),
    _id: uuidFrom(report.record.anonymousId).replace(/-/g, '').slice(0, 16),
    cdt: String(Math.floor(Date.parse(report.record.lastActiveAt) / 1000)),
    ...(report.record.userId && { uid: report.record.userId }),
  };
}
