/**
 * The dashboard's reports on any store: `withReports(base, exec)` adds them to a store's own methods, and
 * sends the rolled-up reports to their filtered forms (store/reports/filtered.ts) when a `meta` dimension
 * filters the range. Each store passes its own query runner; the SQL is the same for both.
 */
import type { ActiveSession, Store } from '../types';
import { alertReports } from './alerts';
import { dimensionReports } from './dimensions';
import type { Exec } from './filter';
import { filteredReports } from './filtered';
import { learningReports } from './learning';
import { pageReports } from './page';
import { siteReports } from './sites';
import { userPageReports } from './users-page';

export function dashboardReports(exec: Exec) {
  return { ...alertReports(exec), ...dimensionReports(exec), ...learningReports(exec), ...pageReports(exec), ...siteReports(exec), ...userPageReports(exec) };
}

/** The live view's sessions with their `meta` (session_meta), so that it can be filtered by a dimension like every report. */
async function withMeta(exec: Exec, sessions: ActiveSession[]): Promise<ActiveSession[]> {
  if (sessions.length === 0) return sessions;
  const rows = await exec.all({
    sql: `SELECT site_id, session_id, key, value FROM session_meta WHERE ${sessions.map(() => '(site_id = ? AND session_id = ?)').join(' OR ')}`,
    params: sessions.flatMap((s) => [s.siteId, s.id]),
  });
  const bySession = new Map(sessions.map((s) => [`${s.siteId}\u0000${s.id}`, { ...s, meta: {} as Record<string, string> }]));
  for (const r of rows) {
    const s = bySession.get(`${r.site_id}\u0000${r.session_id}`);
    if (s) s.meta[String(r.key)] = String(r.value);
  }
  return [...bySession.values()];
}

export type DashboardReports = ReturnType<typeof dashboardReports>;

export function withReports(base: Omit<Store, keyof DashboardReports>, exec: Exec): Store {
  const filtered = filteredReports(exec);
  return {
    ...base,
    ...dashboardReports(exec),
    activeSessions: async (since, limit, until) => withMeta(exec, await base.activeSessions(since, limit, until)),
    perUser: (range) => (range.meta ? filtered.perUser(range) : base.perUser(range)),
    summary: (range) => (range.meta ? filtered.summary(range) : base.summary(range)),
    daily: (range) => (range.meta ? filtered.daily(range) : base.daily(range)),
    durationBuckets: (range, bounds) => (range.meta ? filtered.durationBuckets(range, bounds) : base.durationBuckets(range, bounds)),
    breaks: (range) => (range.meta ? filtered.breaks(range) : base.breaks(range)),
    bands: (range) => (range.meta ? filtered.bands(range) : base.bands(range)),
    pages: (range, limit) => (range.meta ? filtered.pages(range, limit) : base.pages(range, limit)),
  };
}
