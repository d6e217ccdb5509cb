/**
 * The learning views' raw rows: who saw which of a course's pages (for reach and drop-off), identified users'
 * first session and the next one after it (for returning learners), and who was active on which day (for
 * daily and weekly active users, identified and anonymous apart). reports/learning.ts does the arithmetic.
 */
import type { DayRange } from '../types';
import { dayEndMs, dayStartMs, metaCondition, num, sessionFilter, siteCondition, type Exec, type Query } from './filter';

export interface CourseRow {
  path: string;
  userKey: string;
  n: number;
  weighted: number;
  engagedMs: number;
}

export interface FirstSession {
  userId: string;
  firstAt: number;
  band: string | null;
  firstEngagedMs: number;
  /** Start of the user's next session after the first, or null. */
  nextAt: number | null;
}

export interface ActiveRow {
  day: string;
  userKey: string;
  identified: boolean;
}

/** ` AND <site, dimension>` for a sessions alias, without the day range. */
function sessionScope(range: DayRange, alias: string): Query {
  const site = siteCondition(range, `${alias}.site_id`);
  const meta = metaCondition(range, `${alias}.site_id`, `${alias}.id`);
  return { sql: `${site.sql}${meta.sql}`, params: [...site.params, ...meta.params] };
}

export const learningQueries = {
  paths(range: DayRange): Query {
    const f = sessionFilter(range, 'p', 'session_id');
    return { sql: `SELECT DISTINCT p.path FROM session_pages p WHERE ${f.sql}`, params: f.params };
  },
  course(range: DayRange, paths: readonly string[]): Query {
    const f = sessionFilter(range, 'p', 'session_id');
    return {
      sql: `SELECT p.path, s.user_key, COUNT(*) AS n, SUM(p.weight) AS w, SUM(p.engaged_ms) AS e
        FROM session_pages p JOIN sessions s ON s.site_id = p.site_id AND s.id = p.session_id
        WHERE p.path IN (${paths.map(() => '?').join(', ')}) AND ${f.sql} GROUP BY p.path, s.user_key`,
      params: [...paths, ...f.params],
    };
  },
  firstSessions(range: DayRange): Query {
    const outer = sessionScope(range, 's');
    const first = sessionScope(range, 'f');
    const next = sessionScope(range, 'x');
    // The first session of each identified user (in the site and dimension asked), when it started in the
    // range; its band (the most engaged of sessions starting at the same instant) and the next start after it.
    return {
      sql: `SELECT u.user_id, u.first_at,
          (SELECT f.band FROM sessions f WHERE f.user_id = u.user_id AND f.started_at = u.first_at${first.sql} ORDER BY f.engaged_ms DESC LIMIT 1) AS band,
          (SELECT MAX(f.engaged_ms) FROM sessions f WHERE f.user_id = u.user_id AND f.started_at = u.first_at${first.sql}) AS first_e,
          (SELECT MIN(x.started_at) FROM sessions x WHERE x.user_id = u.user_id AND x.started_at > u.first_at${next.sql}) AS next_at
        FROM (SELECT s.user_id, MIN(s.started_at) AS first_at FROM sessions s WHERE s.user_id IS NOT NULL${outer.sql} GROUP BY s.user_id) u
        WHERE u.first_at >= ? AND u.first_at < ?`,
      params: [...first.params, ...first.params, ...next.params, ...outer.params, dayStartMs(range.start), dayEndMs(range.end)],
    };
  },
  active(range: DayRange): Query {
    const f = sessionFilter(range, 's');
    return {
      sql: `SELECT s.start_day, s.user_key, MAX(CASE WHEN s.user_id IS NULL THEN 0 ELSE 1 END) AS identified
        FROM sessions s WHERE ${f.sql} GROUP BY s.start_day, s.user_key`,
      params: f.params,
    };
  },
};

export function learningReports(exec: Exec) {
  return {
    async pagePaths(range: DayRange): Promise<string[]> {
      return (await exec.all(learningQueries.paths(range))).map((r) => String(r.path));
    },
    async courseRows(range: DayRange, paths: readonly string[]): Promise<CourseRow[]> {
      if (paths.length === 0) return [];
      return (await exec.all(learningQueries.course(range, paths))).map((r) => ({
        path: String(r.path), userKey: String(r.user_key), n: num(r.n), weighted: num(r.w), engagedMs: num(r.e),
      }));
    },
    async firstSessions(range: DayRange): Promise<FirstSession[]> {
      return (await exec.all(learningQueries.firstSessions(range))).map((r) => ({
        userId: String(r.user_id), firstAt: num(r.first_at), band: r.band === null || r.band === undefined ? null : String(r.band),
        firstEngagedMs: num(r.first_e), nextAt: r.next_at === null || r.next_at === undefined ? null : num(r.next_at),
      }));
    },
    async activeRows(range: DayRange): Promise<ActiveRow[]> {
      return (await exec.all(learningQueries.active(range))).map((r) => ({ day: String(r.start_day), userKey: String(r.user_key), identified: num(r.identified) === 1 }));
    },
  };
}
