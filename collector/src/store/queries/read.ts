/**
 * The report queries, written once for both stores. Sorting of text happens in JS (reports/), not in
 * SQL: PostgreSQL's collation would order user ids differently from SQLite's byte order.
 *
 * Rollup columns are exact integers (migration 006); they are summed with TOTAL, which never fails on
 * overflow (SQLite's built-in, a float exact up to 2^53; PostgreSQL's from migration 006, numeric).
 * Rows emptied by replacements (sessions = 0) are skipped.
 */
import { DURATION_BOUNDS_MS, DURATION_BUCKETS } from '../buckets';
import type { DayRange } from '../types';
import { perUserSums } from './spans';
import { rangeFilter, siteFilter, type Query, type SiteFilter } from './query';

/**
 * Per user the sums of the range's sessions, from the signed blocks of spans.ts (years, months, days), in byte
 * order of the key: reports/compute.ts sorts them again (by code unit), which takes 1 ms over rows in order and
 * 15 over PostgreSQL's hash order.
 */
export function perUser(range: DayRange, dialect: 'sqlite' | 'postgres'): Query {
  const sums = perUserSums(range, dialect);
  // This column order is map.ts perUserArray's.
  return { sql: `${sums.sql} ORDER BY user_key${dialect === 'postgres' ? ' COLLATE "C"' : ''}`, params: sums.params };
}

/** Summary totals from the per-site daily rollup (site_day): one row per site and day. */
export function summary(range: DayRange): Query {
  const w = rangeFilter(range, 'site_day');
  return {
    sql: `SELECT SUM(sessions) AS sessions, TOTAL(weight_micro) AS weight_micro, TOTAL(duration_ms) AS duration_ms, TOTAL(engaged_ms) AS engaged_ms,
      TOTAL(short_weight_micro) AS short_weight_micro FROM site_day WHERE ${w.sql} AND sessions > 0`,
    params: w.params,
  };
}

/**
 * Distinct users of a range from the day_users rollups (migration 011): a user counts on the first day of
 * the range they were active, the one whose previous active day is before the range. About 365 x the
 * distinct gaps rows for a year, whatever the number of users (grouping user_month took 138-286 ms over 1M sessions).
 */
export function distinctUsers(range: DayRange): Query {
  if (range.siteId === undefined) {
    return { sql: 'SELECT TOTAL(users) AS users FROM day_users WHERE start_day >= ? AND start_day <= ? AND prev_day < ?', params: [range.start, range.end, range.start] };
  }
  const one = typeof range.siteId === 'string' ? range.siteId : range.siteId.length === 1 ? range.siteId[0] : undefined;
  if (one === undefined) {
    // Several sites (a scoped token's): a user on two of them is one user, which per-site rows cannot tell.
    const w = rangeFilter(range);
    return { sql: `SELECT COUNT(*) AS users FROM (SELECT user_key FROM sessions WHERE ${w.sql} GROUP BY user_key) u`, params: w.params };
  }
  return {
    sql: 'SELECT TOTAL(users) AS users FROM site_day_users WHERE site_id = ? AND start_day >= ? AND start_day <= ? AND prev_day < ?',
    params: [one, range.start, range.end, range.start],
  };
}

export function daily(range: DayRange): Query {
  const w = rangeFilter(range, 'site_day');
  return {
    sql: `SELECT start_day, SUM(sessions) AS sessions, TOTAL(weight_micro) AS weight_micro, TOTAL(duration_ms) AS duration_ms, TOTAL(engaged_ms) AS engaged_ms
      FROM site_day WHERE ${w.sql} AND sessions > 0 GROUP BY start_day`,
    params: w.params,
  };
}

/** site_day holds the weighted counts of DURATION_BUCKETS (store/buckets.ts); other bounds are answered from sessions. */
export function durationBuckets(range: DayRange, bounds: readonly number[]): Query {
  if (bounds.length === DURATION_BOUNDS_MS.length && bounds.every((b, i) => b === DURATION_BOUNDS_MS[i])) {
    const w = rangeFilter(range, 'site_day');
    const cols = DURATION_BUCKETS.map((b, i) => `TOTAL(${b.column}_weight_micro) AS bucket_${i}`);
    return { sql: `SELECT ${cols.join(', ')} FROM site_day WHERE ${w.sql} AND sessions > 0`, params: w.params };
  }
  return durationBucketsFromSessions(range, bounds);
}

/** Weighted counts per bucket of any bounds, read from sessions. */
export function durationBucketsFromSessions(range: DayRange, bounds: readonly number[]): Query {
  const w = rangeFilter(range);
  const edges = [0, ...bounds];
  const cols = edges.map((lo, i) => {
    const hi = edges[i + 1];
    const cond = hi === undefined ? `duration_ms >= ${lo}` : `duration_ms >= ${lo} AND duration_ms < ${hi}`;
    return `TOTAL(CASE WHEN ${cond} THEN weight_micro ELSE 0 END) AS bucket_${i}`;
  });
  return { sql: `SELECT ${cols.join(', ')} FROM sessions WHERE ${w.sql}`, params: w.params };
}

export function breaks(range: DayRange): Query {
  const w = rangeFilter(range, 'site_day');
  return {
    sql: `SELECT SUM(sessions) AS sessions, TOTAL(weight_micro) AS weight_micro, TOTAL(breaks) AS breaks, TOTAL(breaks_weight_micro) AS breaks_weight_micro,
      TOTAL(break_total_ms_weighted) AS break_total_ms_weighted, TOTAL(break_lt30s_weight_micro) AS break_lt30s_weight_micro,
      TOTAL(break_30s_2m_weight_micro) AS break_30s_2m_weight_micro, TOTAL(break_2m_10m_weight_micro) AS break_2m_10m_weight_micro,
      TOTAL(break_ge10m_weight_micro) AS break_ge10m_weight_micro FROM site_day WHERE ${w.sql} AND sessions > 0`,
    params: w.params,
  };
}

/** Per band from site_day_band; `no_band = 1` is the NULL band (below every threshold). */
export function bands(range: DayRange): Query {
  const w = rangeFilter(range, 'site_day_band');
  return {
    sql: `SELECT CASE WHEN no_band = 1 THEN NULL ELSE band END AS band, TOTAL(weight_micro) AS weight_micro, MIN(min_engaged_ms) AS min_engaged_ms
      FROM site_day_band WHERE ${w.sql} AND sessions > 0 GROUP BY no_band, band`,
    params: w.params,
  };
}

/**
 * Dwell time per page from the per (day, site, path) rollup (migration 011, site_day_page) instead of every
 * page row of the range (three million for a year of a million sessions), most engaged first.
 */
export function pages(range: DayRange, limit: number): Query {
  const w = rangeFilter(range, 'site_day_page');
  return {
    sql: `SELECT path, TOTAL(views_weighted) AS views_weighted, TOTAL(weight_micro) AS weight_micro, TOTAL(engaged_ms_weighted) AS engaged_ms_weighted,
      SUM(sessions) AS sessions, TOTAL(engaged_ms) AS engaged_ms
      FROM site_day_page WHERE ${w.sql} AND sessions > 0 GROUP BY path ORDER BY engaged_ms_weighted DESC, path LIMIT ?`,
    params: [...w.params, limit],
  };
}

/**
 * Identified users whose latest activity is at or before `cutoff`, from the per (site, user) rollup
 * (site_user): one row per site and user instead of every session. Without a site filter a user's
 * latest activity is the latest over all their sites, hence the GROUP BY.
 */
export function inactiveUsers(cutoff: number, limit: number, siteId?: SiteFilter): Query {
  const site = siteFilter(siteId);
  return {
    sql: `SELECT user_id, MAX(last_active_at) AS last_active_at, TOTAL(weight_micro) AS weight_micro FROM site_user
      WHERE sessions > 0${site.sql} GROUP BY user_id HAVING MAX(last_active_at) <= ? ORDER BY last_active_at, user_id LIMIT ?`,
    params: [...site.params, cutoff, limit],
  };
}

/** Not-final sessions whose lastActiveAt is in [since, until], newest first. */
export function activeSessions(since: number, limit: number, until = Number.MAX_SAFE_INTEGER): Query {
  return {
    sql: `SELECT site_id, id, user_key, user_id, started_at, last_active_at, engaged_ms, duration_ms, current_page FROM sessions
      WHERE final = 0 AND last_active_at >= ? AND last_active_at <= ? ORDER BY last_active_at DESC LIMIT ?`,
    params: [since, until, limit],
  };
}

export const counts: Query = {
  sql: `SELECT (SELECT COUNT(*) FROM sessions) AS sessions, (SELECT COUNT(*) FROM alerts) AS alerts, (SELECT COUNT(*) FROM session_pages) AS pages`,
  params: [],
};

export const getSession = (siteId: string, id: string): Query => ({
  sql: 'SELECT s.seq, r.record FROM sessions s JOIN session_records r ON r.site_id = s.site_id AND r.id = s.id WHERE s.site_id = ? AND s.id = ?',
  params: [siteId, id],
});
