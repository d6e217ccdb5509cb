/**
 * The report queries, written once for both stores: plain SQL with `?` placeholders that SQLite
 * takes as is and PostgreSQL gets renumbered to `$n` (store/postgres.ts). Sums come back as numbers
 * (SQLite) or numeric strings (PostgreSQL's SUM over BIGINT), so every mapper goes through `num`.
 * Sorting of text happens in JS (reports/), not in SQL: PostgreSQL's collation would order user ids
 * differently from SQLite's byte order.
 */
import type { AlertRow, SessionRow } from '../ingest/rows';
import { DURATION_BOUNDS_MS } from '../reports/compute';
import type { DayRange } from './types';

export interface Query {
  sql: string;
  params: unknown[];
}

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

function where(range: DayRange, table = 'sessions'): Query {
  const params: unknown[] = [range.start, range.end];
  let sql = `${table}.start_day >= ? AND ${table}.start_day <= ?`;
  if (range.siteId !== undefined) {
    sql += ` AND ${table}.site_id = ?`;
    params.push(range.siteId);
  }
  return { sql, params };
}

const AGG = 'COUNT(*) AS n, SUM(weight) AS w, SUM(duration_ms) AS d, SUM(engaged_ms) AS e';

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monthEnd = (d: string) => day(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0));

/**
 * Splits an inclusive day range into the whole months inside it (read from the user_month rollup)
 * and the partial months at its edges (read from sessions by start_day). Pure; tested directly.
 */
export function splitMonths(start: string, end: string): { months: [string, string] | null; edges: Array<[string, string]> } {
  const firstFull = start.endsWith('-01') ? start : day(Date.parse(monthEnd(start)) + DAY_MS);
  const lastFull = end === monthEnd(end) ? end : day(Date.parse(`${end.slice(0, 8)}01`) - DAY_MS);
  if (firstFull > lastFull) return { months: null, edges: [[start, end]] };
  const edges: Array<[string, string]> = [];
  if (start < firstFull) edges.push([start, day(Date.parse(firstFull) - DAY_MS)]);
  if (end > lastFull) edges.push([day(Date.parse(lastFull) + DAY_MS), end]);
  return { months: [firstFull.slice(0, 7), lastFull.slice(0, 7)], edges };
}

/**
 * A range read as whole months from user_month plus the partial months at its edges from sessions:
 * `monthSql` and `edgeSql` are the two SELECTs (each ending in its WHERE, to which the bounds and the
 * optional site filter are added), joined by UNION ALL.
 */
function monthsAndEdges(range: DayRange, monthSql: string, edgeSql: string): Query {
  const { months, edges } = splitMonths(range.start, range.end);
  const site = range.siteId === undefined ? '' : ' AND site_id = ?';
  const siteParam = range.siteId === undefined ? [] : [range.siteId];
  const parts: string[] = [];
  const params: unknown[] = [];
  if (months) {
    parts.push(`${monthSql} month >= ? AND month <= ?${site}`);
    params.push(...months, ...siteParam);
  }
  for (const [a, b] of edges) {
    parts.push(`${edgeSql} start_day >= ? AND start_day <= ?${site}`);
    params.push(a, b, ...siteParam);
  }
  return { sql: parts.join(' UNION ALL '), params };
}

export function perUser(range: DayRange): Query {
  const u = monthsAndEdges(
    range,
    'SELECT user_key, n, w, d, e FROM user_month WHERE',
    'SELECT user_key, 1 AS n, weight AS w, duration_ms AS d, engaged_ms AS e FROM sessions WHERE',
  );
  return {
    sql: `SELECT user_key, SUM(n) AS n, SUM(w) AS w, SUM(d) AS d, SUM(e) AS e FROM (${u.sql}) x GROUP BY user_key HAVING SUM(n) > 0`,
    params: u.params,
  };
}

/**
 * Summary totals from the per-site daily rollup (migration 004, site_day): one row per site and day.
 * Rows emptied by replacements (n = 0) are skipped, so their float residue of w never shows.
 */
export function summary(range: DayRange): Query {
  const w = where(range, 'site_day');
  return {
    sql: `SELECT SUM(n) AS n, SUM(w) AS w, SUM(d) AS d, SUM(e) AS e, SUM(short_w) AS short_w FROM site_day WHERE ${w.sql} AND n > 0`,
    params: w.params,
  };
}

/**
 * Distinct users of a range, from the user_month rollup for whole months and sessions for the edges
 * (COUNT(DISTINCT) over a year of sessions took 2 s in PostgreSQL over 1M sessions).
 */
export function distinctUsers(range: DayRange): Query {
  const u = monthsAndEdges(range, 'SELECT user_key FROM user_month WHERE n > 0 AND', 'SELECT user_key FROM sessions WHERE');
  // GROUP BY rather than COUNT(DISTINCT): PostgreSQL hashes the former, sorts the latter.
  return { sql: `SELECT COUNT(*) AS users FROM (SELECT user_key FROM (${u.sql}) y GROUP BY user_key) x`, params: u.params };
}

export function daily(range: DayRange): Query {
  const w = where(range, 'site_day');
  return {
    sql: `SELECT start_day, SUM(n) AS n, SUM(w) AS w, SUM(d) AS d, SUM(e) AS e FROM site_day WHERE ${w.sql} AND n > 0 GROUP BY start_day`,
    params: w.params,
  };
}

/**
 * site_day holds the weighted counts of the report's own buckets (reports/compute.ts DURATION_BUCKETS) as
 * b0..b6; other bounds are answered from sessions.
 */
export function durationBuckets(range: DayRange, bounds: readonly number[]): Query {
  if (bounds.length === DURATION_BOUNDS_MS.length && bounds.every((b, i) => b === DURATION_BOUNDS_MS[i])) {
    const w = where(range, 'site_day');
    const cols = [0, ...bounds].map((_, i) => `SUM(b${i}) AS b${i}`);
    return { sql: `SELECT ${cols.join(', ')} FROM site_day WHERE ${w.sql} AND n > 0`, params: w.params };
  }
  return sessionDurationBuckets(range, bounds);
}

function sessionDurationBuckets(range: DayRange, bounds: readonly number[]): Query {
  const w = where(range);
  const edges = [0, ...bounds];
  const cols = edges.map((lo, i) => {
    const hi = edges[i + 1];
    const cond = hi === undefined ? `duration_ms >= ${lo}` : `duration_ms >= ${lo} AND duration_ms < ${hi}`;
    return `SUM(CASE WHEN ${cond} THEN weight ELSE 0 END) AS b${i}`;
  });
  return { sql: `SELECT ${cols.join(', ')} FROM sessions WHERE ${w.sql}`, params: w.params };
}

export function breaks(range: DayRange): Query {
  const w = where(range, 'site_day');
  return {
    sql: `SELECT SUM(n) AS n, SUM(w) AS w, SUM(bw) AS bw, SUM(braw) AS braw, SUM(tw) AS tw, SUM(h0) AS h0, SUM(h1) AS h1,
      SUM(h2) AS h2, SUM(h3) AS h3 FROM site_day WHERE ${w.sql} AND n > 0`,
    params: w.params,
  };
}

/** Per band from site_day_band; `no_band = 1` is the NULL band (below every threshold). */
export function bands(range: DayRange): Query {
  const w = where(range, 'site_day_band');
  return {
    sql: `SELECT CASE WHEN no_band = 1 THEN NULL ELSE band END AS band, SUM(w) AS w, MIN(min_e) AS min_e
      FROM site_day_band WHERE ${w.sql} AND n > 0 GROUP BY no_band, band`,
    params: w.params,
  };
}

/**
 * The same figures read straight from sessions, as the reports computed them before the rollup: kept
 * for tests that pin rollup == direct computation.
 */
export const direct = {
  summary(range: DayRange): Query {
    const w = where(range);
    return {
      sql: `SELECT ${AGG}, SUM(CASE WHEN engaged_ms < 30000 THEN weight ELSE 0 END) AS short_w FROM sessions WHERE ${w.sql}`,
      params: w.params,
    };
  },
  daily(range: DayRange): Query {
    const w = where(range);
    return { sql: `SELECT start_day, ${AGG} FROM sessions WHERE ${w.sql} GROUP BY start_day`, params: w.params };
  },
  durationBuckets: sessionDurationBuckets,
  breaks(range: DayRange): Query {
    const w = where(range);
    return {
      sql: `SELECT COUNT(*) AS n, SUM(weight) AS w, SUM(break_count * weight) AS bw, SUM(break_count) AS braw,
        SUM(break_total_ms * weight) AS tw, SUM(break_lt30s * weight) AS h0, SUM(break_30s_2m * weight) AS h1,
        SUM(break_2m_10m * weight) AS h2, SUM(break_ge10m * weight) AS h3 FROM sessions WHERE ${w.sql}`,
      params: w.params,
    };
  },
  bands(range: DayRange): Query {
    const w = where(range);
    return { sql: `SELECT band, SUM(weight) AS w, MIN(engaged_ms) AS min_e FROM sessions WHERE ${w.sql} GROUP BY band`, params: w.params };
  },
  inactiveUsers(cutoff: number, limit: number, siteId?: string): Query {
    const site = siteFilter(siteId);
    return {
      sql: `SELECT user_id, MAX(last_active_at) AS last, SUM(weight) AS w FROM sessions
        WHERE user_id IS NOT NULL${site.sql} GROUP BY user_id HAVING MAX(last_active_at) <= ? ORDER BY last, user_id LIMIT ?`,
      params: [...site.params, cutoff, limit],
    };
  },
};

export function pages(range: DayRange, limit: number): Query {
  const w = where(range, 'session_pages');
  return {
    sql: `SELECT path, SUM(views * weight) AS vw, SUM(weight) AS w, SUM(engaged_ms * weight) AS ew, COUNT(*) AS n, SUM(engaged_ms) AS e
      FROM session_pages WHERE ${w.sql} GROUP BY path ORDER BY ew DESC, path LIMIT ?`,
    params: [...w.params, limit],
  };
}

/**
 * Identified users whose latest activity is at or before `cutoff`, from the per (site, user) rollup
 * (migration 005, site_user): one row per site and user instead of every session. Without a site filter a
 * user's latest activity is the latest over all their sites, hence the GROUP BY. Emptied rows (n = 0) are skipped.
 */
export function inactiveUsers(cutoff: number, limit: number, siteId?: string): Query {
  const site = siteFilter(siteId);
  return {
    sql: `SELECT user_id, MAX(last_active_at) AS last, SUM(w) AS w FROM site_user
      WHERE n > 0${site.sql} GROUP BY user_id HAVING MAX(last_active_at) <= ? ORDER BY last, user_id LIMIT ?`,
    params: [...site.params, cutoff, limit],
  };
}

/** ` AND site_id = ?` with its parameter when a site is asked for, nothing otherwise. */
function siteFilter(siteId?: string): Query {
  return siteId === undefined ? { sql: '', params: [] } : { sql: ' AND site_id = ?', params: [siteId] };
}

export function activeSessions(since: number, limit: number): Query {
  return {
    sql: `SELECT site_id, id, user_key, user_id, started_at, last_active_at, engaged_ms, duration_ms, current_page FROM sessions
      WHERE final = 0 AND last_active_at >= ? ORDER BY last_active_at DESC LIMIT ?`,
    params: [since, limit],
  };
}

export const counts: Query = {
  sql: `SELECT (SELECT COUNT(*) FROM sessions) AS s, (SELECT COUNT(*) FROM alerts) AS a, (SELECT COUNT(*) FROM session_pages) AS p`,
  params: [],
};

export const getSession = (siteId: string, id: string): Query => ({
  sql: 'SELECT s.seq, r.record FROM sessions s JOIN session_records r ON r.site_id = s.site_id AND r.id = s.id WHERE s.site_id = ? AND s.id = ?',
  params: [siteId, id],
});

type Row = Record<string, unknown>;

/** Row mappers shared by both stores. */
export const map = {
  perUser: (r: Row) => ({ userKey: String(r.user_key), n: num(r.n), weighted: num(r.w), durationMs: num(r.d), engagedMs: num(r.e) }),
  summary: (r: Row | undefined, users: Row | undefined) => ({
    n: num(r?.n), weighted: num(r?.w), durationMs: num(r?.d), engagedMs: num(r?.e), users: num(users?.users), shortWeighted: num(r?.short_w),
  }),
  daily: (r: Row) => ({ day: String(r.start_day), n: num(r.n), weighted: num(r.w), durationMs: num(r.d), engagedMs: num(r.e) }),
  durationBuckets: (r: Row | undefined, size: number) => Array.from({ length: size }, (_, i) => num(r?.[`b${i}`])),
  breaks: (r: Row | undefined) => ({
    n: num(r?.n), weighted: num(r?.w), breaksWeighted: num(r?.bw), breaksRaw: num(r?.braw), totalMsWeighted: num(r?.tw),
    histogram: { lt30s: num(r?.h0), s30m2: num(r?.h1), m2m10: num(r?.h2), ge10m: num(r?.h3) },
  }),
  bands: (r: Row) => ({ band: r.band === null ? null : String(r.band), weighted: num(r.w), minEngagedMs: num(r.min_e) }),
  pages: (r: Row) => ({
    path: String(r.path), viewsWeighted: num(r.vw), sessionsWeighted: num(r.w), engagedMsWeighted: num(r.ew), n: num(r.n), engagedMs: num(r.e),
  }),
  inactive: (r: Row) => ({ userId: String(r.user_id), lastActiveAt: num(r.last), weighted: num(r.w) }),
  active: (r: Row) => ({
    siteId: String(r.site_id), id: String(r.id), userKey: String(r.user_key), userId: r.user_id === null ? null : String(r.user_id), startedAt: num(r.started_at), lastActiveAt: num(r.last_active_at),
    engagedMs: num(r.engaged_ms), durationMs: num(r.duration_ms), currentPage: r.current_page === null ? null : String(r.current_page),
  }),
  counts: (r: Row | undefined) => ({ sessions: num(r?.s), alerts: num(r?.a), pages: num(r?.p) }),
  session: (r: Row | undefined) => (r ? { seq: num(r.seq), record: String(r.record) } : null),
};

/** Column order of the session insert, shared by both stores. */
export const SESSION_COLUMNS = [
  'site_id', 'id', 'seq', 'user_id', 'anonymous_id', 'user_key', 'started_at', 'start_day', 'last_active_at', 'duration_ms',
  'engaged_ms', 'break_count', 'break_total_ms', 'break_longest_ms', 'break_lt30s', 'break_30s_2m', 'break_2m_10m', 'break_ge10m',
  'band', 'weight', 'final', 'current_page', 'received_at',
] as const;

export const sessionValues = (s: SessionRow): unknown[] => [
  s.siteId, s.id, s.seq, s.userId, s.anonymousId, s.userKey, s.startedAt, s.startDay, s.lastActiveAt, s.durationMs,
  s.engagedMs, s.breakCount, s.breakTotalMs, s.breakLongestMs, s.breakLt30s, s.break30s2m, s.break2m10m, s.breakGe10m,
  s.band, s.weight, s.final ? 1 : 0, s.currentPage, s.receivedAt,
];

/** `ON CONFLICT` update that only a higher seq wins: replays and out-of-order arrivals change nothing. */
export const SESSION_UPSERT_TAIL = `ON CONFLICT (site_id, id) DO UPDATE SET ${SESSION_COLUMNS.filter((c) => c !== 'site_id' && c !== 'id')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')} WHERE sessions.seq < excluded.seq`;

/** Written after a session row changed: the raw record of the winning snapshot. */
export const RECORD_UPSERT_TAIL = 'ON CONFLICT (site_id, id) DO UPDATE SET record = excluded.record';

export const PAGE_COLUMNS = ['site_id', 'session_id', 'path', 'start_day', 'views', 'engaged_ms', 'first_seen_at', 'last_seen_at', 'band', 'weight'] as const;

export const pageValues = (s: SessionRow) =>
  s.pages.map((p) => [s.siteId, s.id, p.path, s.startDay, p.views, p.engagedMs, p.firstSeenAt, p.lastSeenAt, p.band, s.weight]);

export const ALERT_COLUMNS = ['site_id', 'session_id', 'threshold', 'direction', 'at', 'engaged_ms', 'received_at'] as const;

export const alertValues = (a: AlertRow): unknown[] => [a.siteId, a.sessionId, a.threshold, a.direction, a.at, a.engagedMs, a.receivedAt];
