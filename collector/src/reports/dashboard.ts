/**
 * From the dashboard reports' raw rows (store/reports/) to the API's numbers, with the conventions of
 * reports/compute.ts: seconds rounded to 0.1, counts weighted by 1 / sampleRate and rounded, averages plain
 * means over stored rows, shares in 0..1 to three decimals. Pure, tested directly and through both stores.
 */
import type { AlertCount, LatestAlert } from '../store/reports/alerts';
import type { DimensionKey, DimensionValue } from '../store/reports/dimensions';
import type { PageDay, PageUser } from '../store/reports/page';
import type { SiteCount } from '../store/reports/sites';
import type { UserPageRow } from '../store/reports/users-page';
import { seconds } from './compute';

const count = (weighted: number) => Math.round(weighted);
const mean = (totalMs: number, n: number) => (n === 0 ? 0 : seconds(totalMs / n));
export const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const DAY_MS = 86_400_000;
const dayOfIndex = (i: number) => new Date(i * DAY_MS).toISOString().slice(0, 10);

export function sites(rows: SiteCount[]) {
  return { sites: rows.map((r) => ({ site_id: r.siteId, sessions: count(r.weighted) })).sort((a, b) => b.sessions - a.sessions || byText(a.site_id, b.site_id)) };
}

export function alerts(days: string[], counts: AlertCount[], latest: LatestAlert[]) {
  const perDay = new Map(days.map((d) => [d, { date: d, above: 0, below: 0, alerts: 0 }]));
  const perThreshold = new Map<string, { threshold: string; direction: string; alerts: number }>();
  let total = 0;
  for (const c of counts) {
    const day = perDay.get(dayOfIndex(c.dayIndex));
    if (day) {
      day.alerts += c.count;
      if (c.direction === 'above') day.above += c.count;
      else day.below += c.count;
    }
    const key = `${c.threshold}\u0000${c.direction}`;
    const t = perThreshold.get(key) ?? { threshold: c.threshold, direction: c.direction, alerts: 0 };
    t.alerts += c.count;
    perThreshold.set(key, t);
    total += c.count;
  }
  return {
    alerts: total,
    days: [...perDay.values()],
    thresholds: [...perThreshold.values()].sort((a, b) => b.alerts - a.alerts || byText(a.threshold, b.threshold) || byText(a.direction, b.direction)),
    latest: latest.map((a) => ({
      at: new Date(a.at).toISOString(), site_id: a.siteId, session_id: a.sessionId, threshold: a.threshold, direction: a.direction,
      engaged_seconds: seconds(a.engagedMs), user_id: a.userId,
    })),
  };
}

export function dimensionKeys(rows: DimensionKey[]) {
  return { keys: rows.map((r) => ({ key: r.key, sessions: count(r.weighted) })).sort((a, b) => b.sessions - a.sessions || byText(a.key, b.key)) };
}

export function dimensionValues(key: string, rows: DimensionValue[], totalWeighted: number) {
  const withValue = rows.reduce((sum, r) => sum + r.weighted, 0);
  return {
    key,
    values: rows.map((r) => ({
      value: r.value,
      sessions: count(r.weighted),
      users: r.users,
      share: share(r.weighted, totalWeighted),
      total_engaged: seconds(r.engagedMsWeighted),
      average_engaged: mean(r.engagedMs, r.n),
    })),
    // Sessions of the range without this key (or whose value is past the limit), so shares add up.
    other_sessions: count(Math.max(0, totalWeighted - withValue)),
  };
}

export function page(path: string, days: string[], rows: PageDay[], users: { users: PageUser[]; total: number }) {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const sum = (f: (r: PageDay) => number) => rows.reduce((s, r) => s + f(r), 0);
  const weighted = sum((r) => r.weighted);
  return {
    path,
    views: count(sum((r) => r.viewsWeighted)),
    sessions: count(weighted),
    total_engaged: seconds(sum((r) => r.engagedMsWeighted)),
    average_engaged: mean(sum((r) => r.engagedMs), sum((r) => r.n)),
    entry_share: share(sum((r) => r.entryWeighted), weighted),
    exit_share: share(sum((r) => r.exitWeighted), weighted),
    days: days.map((date) => {
      const r = byDay.get(date);
      return { date, views: count(r?.viewsWeighted ?? 0), sessions: count(r?.weighted ?? 0), total_engaged: seconds(r?.engagedMsWeighted ?? 0) };
    }),
    user_count: users.total,
    users: users.users.map((u) => ({ user_id: u.userKey, identified: u.identified, sessions: count(u.weighted), total_engaged: seconds(u.engagedMsWeighted) })),
  };
}

export function userPage(rows: UserPageRow[], totals: { total: number; identified: number }, limit: number, offset: number) {
  return {
    results: rows.map(userResult),
    total: totals.total,
    identified_users: totals.identified,
    anonymous_users: totals.total - totals.identified,
    limit,
    offset,
  };
}

export const userResult = (r: UserPageRow) => ({
  user_id: r.userKey,
  average_duration: mean(r.durationMs, r.n),
  sessions: count(r.weighted),
  average_engaged: mean(r.engagedMs, r.n),
  identified: r.identified,
});
