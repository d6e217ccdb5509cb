/**
 * The rolled-up reports computed straight from sessions, as the reports did before the rollups, and
 * each rollup table recomputed from sessions: the tests pin rollup == recomputation with them, and the
 * benchmark times the reports without rollups. Not used by the collector.
 */
import { DURATION_BUCKETS } from '../src/store/buckets';
import { durationBucketsFromSessions, rangeFilter, siteFilter, type Query } from '../src/store/queries/index';
import type { DayRange } from '../src/store/types';

const TOTALS = 'COUNT(*) AS sessions, TOTAL(weight_micro) AS weight_micro, TOTAL(duration_ms) AS duration_ms, TOTAL(engaged_ms) AS engaged_ms';

export const direct = {
  /** Per user, grouped from every session of the range (what the signed blocks of store/queries/spans.ts must add up to). */
  perUser(range: DayRange): Query {
    const w = rangeFilter(range);
    return { sql: `SELECT user_key, ${TOTALS} FROM sessions WHERE ${w.sql} GROUP BY user_key`, params: w.params };
  },
  summary(range: DayRange): Query {
    const w = rangeFilter(range);
    return {
      sql: `SELECT ${TOTALS}, TOTAL(CASE WHEN engaged_ms < 30000 THEN weight_micro ELSE 0 END) AS short_weight_micro FROM sessions WHERE ${w.sql}`,
      params: w.params,
    };
  },
  daily(range: DayRange): Query {
    const w = rangeFilter(range);
    return { sql: `SELECT start_day, ${TOTALS} FROM sessions WHERE ${w.sql} GROUP BY start_day`, params: w.params };
  },
  durationBuckets: durationBucketsFromSessions,
  breaks(range: DayRange): Query {
    const w = rangeFilter(range);
    return {
      sql: `SELECT COUNT(*) AS sessions, TOTAL(weight_micro) AS weight_micro, TOTAL(break_count * weight_micro) AS breaks_weight_micro, TOTAL(break_count) AS breaks,
        TOTAL(break_total_ms_weighted) AS break_total_ms_weighted, TOTAL(break_lt30s * weight_micro) AS break_lt30s_weight_micro,
        TOTAL(break_30s_2m * weight_micro) AS break_30s_2m_weight_micro, TOTAL(break_2m_10m * weight_micro) AS break_2m_10m_weight_micro,
        TOTAL(break_ge10m * weight_micro) AS break_ge10m_weight_micro FROM sessions WHERE ${w.sql}`,
      params: w.params,
    };
  },
  bands(range: DayRange): Query {
    const w = rangeFilter(range);
    return { sql: `SELECT band, TOTAL(weight_micro) AS weight_micro, MIN(engaged_ms) AS min_engaged_ms FROM sessions WHERE ${w.sql} GROUP BY band`, params: w.params };
  },
  /** Users (userId, else anonymousId) with a session that started in the range. */
  distinctUsers(range: DayRange): Query {
    const w = rangeFilter(range);
    return { sql: `SELECT COUNT(*) AS users FROM (SELECT user_key FROM sessions WHERE ${w.sql} GROUP BY user_key) x`, params: w.params };
  },
  pages(range: DayRange, limit: number): Query {
    const w = rangeFilter(range, 'session_pages');
    return {
      sql: `SELECT path, SUM(views_weighted) AS views_weighted, SUM(weight_micro) AS weight_micro, SUM(engaged_ms_weighted) AS engaged_ms_weighted,
        COUNT(*) AS sessions, SUM(engaged_ms) AS engaged_ms FROM session_pages WHERE ${w.sql} GROUP BY path ORDER BY engaged_ms_weighted DESC, path LIMIT ?`,
      params: [...w.params, limit],
    };
  },
  inactiveUsers(cutoff: number, limit: number, siteId?: string): Query {
    const site = siteFilter(siteId);
    return {
      sql: `SELECT user_id, MAX(last_active_at) AS last_active_at, TOTAL(weight_micro) AS weight_micro FROM sessions
        WHERE user_id IS NOT NULL${site.sql} GROUP BY user_id HAVING MAX(last_active_at) <= ? ORDER BY last_active_at, user_id LIMIT ?`,
      params: [...site.params, cutoff, limit],
    };
  },
};

const durationCase = (lo: number, hi: number | null) =>
  `SUM(CASE WHEN duration_ms >= ${lo}${hi === null ? '' : ` AND duration_ms < ${hi}`} THEN weight_micro ELSE 0 END)`;

/**
 * Each rollup table as it must be: its rows recomputed from sessions, and the rows read from the table
 * (an emptied row must be empty: one with sessions 0 and any weight or time left shows as a difference), both ordered by key and with every value as text, so that they compare
 * exactly whichever store answered.
 */
export const rollupTables: Array<{ table: string; stored: Query; recomputed: Query }> = [
  {
    table: 'user_year',
    stored: { sql: 'SELECT year, user_key, site_id, sessions, weight_micro, duration_ms, engaged_ms FROM user_year WHERE sessions <> 0 OR weight_micro <> 0', params: [] },
    recomputed: {
      sql: `SELECT substr(start_day, 1, 4) AS year, user_key, site_id, COUNT(*) AS sessions, SUM(weight_micro) AS weight_micro, SUM(duration_ms) AS duration_ms,
        SUM(engaged_ms) AS engaged_ms FROM sessions GROUP BY substr(start_day, 1, 4), user_key, site_id`,
      params: [],
    },
  },
  {
    table: 'user_month',
    stored: { sql: 'SELECT month, user_key, site_id, sessions, weight_micro, duration_ms, engaged_ms FROM user_month WHERE sessions <> 0 OR weight_micro <> 0', params: [] },
    recomputed: {
      sql: `SELECT substr(start_day, 1, 7) AS month, user_key, site_id, COUNT(*) AS sessions, SUM(weight_micro) AS weight_micro, SUM(duration_ms) AS duration_ms,
        SUM(engaged_ms) AS engaged_ms FROM sessions GROUP BY substr(start_day, 1, 7), user_key, site_id`,
      params: [],
    },
  },
  {
    table: 'site_day',
    stored: {
      sql: `SELECT start_day, site_id, sessions, weight_micro, duration_ms, engaged_ms, short_weight_micro, ${DURATION_BUCKETS.map((b) => `${b.column}_weight_micro`).join(', ')},
        breaks, breaks_weight_micro, break_total_ms_weighted, break_lt30s_weight_micro, break_30s_2m_weight_micro, break_2m_10m_weight_micro, break_ge10m_weight_micro
        FROM site_day WHERE sessions <> 0 OR weight_micro <> 0 OR duration_ms <> 0 OR breaks <> 0`,
      params: [],
    },
    recomputed: {
      sql: `SELECT start_day, site_id, COUNT(*) AS sessions, SUM(weight_micro) AS weight_micro, SUM(duration_ms) AS duration_ms, SUM(engaged_ms) AS engaged_ms,
        SUM(CASE WHEN engaged_ms < 30000 THEN weight_micro ELSE 0 END) AS short_weight_micro,
        ${DURATION_BUCKETS.map((b) => `${durationCase(b.min * 1000, b.max === null ? null : b.max * 1000)} AS ${b.column}_weight_micro`).join(', ')},
        SUM(break_count) AS breaks, SUM(break_count * weight_micro) AS breaks_weight_micro, SUM(break_total_ms_weighted) AS break_total_ms_weighted,
        SUM(break_lt30s * weight_micro) AS break_lt30s_weight_micro, SUM(break_30s_2m * weight_micro) AS break_30s_2m_weight_micro,
        SUM(break_2m_10m * weight_micro) AS break_2m_10m_weight_micro, SUM(break_ge10m * weight_micro) AS break_ge10m_weight_micro
        FROM sessions GROUP BY start_day, site_id`,
      params: [],
    },
  },
  {
    table: 'site_day_band',
    stored: { sql: 'SELECT start_day, site_id, no_band, band, sessions, weight_micro, min_engaged_ms FROM site_day_band WHERE sessions <> 0 OR weight_micro <> 0', params: [] },
    recomputed: {
      sql: `SELECT start_day, site_id, CASE WHEN band IS NULL THEN 1 ELSE 0 END AS no_band, COALESCE(band, '') AS band, COUNT(*) AS sessions,
        SUM(weight_micro) AS weight_micro, MIN(engaged_ms) AS min_engaged_ms FROM sessions GROUP BY start_day, site_id, CASE WHEN band IS NULL THEN 1 ELSE 0 END, COALESCE(band, '')`,
      params: [],
    },
  },
  {
    table: 'site_user',
    stored: { sql: 'SELECT site_id, user_id, sessions, weight_micro, last_active_at FROM site_user WHERE sessions <> 0 OR weight_micro <> 0', params: [] },
    recomputed: {
      sql: `SELECT site_id, user_id, COUNT(*) AS sessions, SUM(weight_micro) AS weight_micro, MAX(last_active_at) AS last_active_at
        FROM sessions WHERE user_id IS NOT NULL GROUP BY site_id, user_id`,
      params: [],
    },
  },
  {
    table: 'user_day',
    stored: { sql: 'SELECT user_key, site_id, start_day, sessions FROM user_day', params: [] },
    recomputed: { sql: 'SELECT user_key, site_id, start_day, COUNT(*) AS sessions FROM sessions GROUP BY user_key, site_id, start_day', params: [] },
  },
  {
    // Each user's active days with the one before (LAG), counted per (day, previous day); '' for none.
    table: 'day_users',
    stored: { sql: 'SELECT start_day, prev_day, users FROM day_users WHERE users <> 0', params: [] },
    recomputed: {
      sql: `SELECT start_day, prev_day, COUNT(*) AS users FROM (SELECT start_day, COALESCE(LAG(start_day) OVER (PARTITION BY user_key ORDER BY start_day), '') AS prev_day
        FROM (SELECT DISTINCT user_key, start_day FROM sessions) d) x GROUP BY start_day, prev_day`,
      params: [],
    },
  },
  {
    table: 'site_day_users',
    stored: { sql: 'SELECT site_id, start_day, prev_day, users FROM site_day_users WHERE users <> 0', params: [] },
    recomputed: {
      sql: `SELECT site_id, start_day, prev_day, COUNT(*) AS users FROM (SELECT site_id, start_day,
        COALESCE(LAG(start_day) OVER (PARTITION BY site_id, user_key ORDER BY start_day), '') AS prev_day
        FROM (SELECT DISTINCT site_id, user_key, start_day FROM sessions) d) x GROUP BY site_id, start_day, prev_day`,
      params: [],
    },
  },
  {
    table: 'site_day_page',
    stored: {
      sql: `SELECT start_day, site_id, path, sessions, weight_micro, views_weighted, engaged_ms, engaged_ms_weighted FROM site_day_page
        WHERE sessions <> 0 OR weight_micro <> 0 OR views_weighted <> 0 OR engaged_ms <> 0 OR engaged_ms_weighted <> 0`,
      params: [],
    },
    recomputed: {
      sql: `SELECT start_day, site_id, path, COUNT(*) AS sessions, SUM(weight_micro) AS weight_micro, SUM(views_weighted) AS views_weighted,
        SUM(engaged_ms) AS engaged_ms, SUM(engaged_ms_weighted) AS engaged_ms_weighted FROM session_pages GROUP BY start_day, site_id, path`,
      params: [],
    },
  },
];

/** Rows as sorted lines of text: integers compare exactly, whatever type the driver gave them. */
export const asLines = (rows: Record<string, unknown>[]) => rows.map((r) => Object.values(r).map((v) => (v === null ? 'NULL' : String(v))).join('|')).sort();
