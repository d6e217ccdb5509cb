/**
 * One page's figures over a range: per day its views, sessions and dwell time, how often it was the
 * session's first page (entry) or last (exit), and the users who spent the most time on it.
 */
import type { DayRange } from '../types';
import { num, sessionFilter, type Exec, type Query } from './filter';

export interface PageDay {
  day: string;
  n: number;
  weighted: number;
  viewsWeighted: number;
  engagedMsWeighted: number;
  engagedMs: number;
  entryWeighted: number;
  exitWeighted: number;
}

export interface PageUser {
  userKey: string;
  identified: boolean;
  weighted: number;
  engagedMsWeighted: number;
}

export const pageQueries = {
  days(range: DayRange, path: string): Query {
    const f = sessionFilter(range, 'p', 'session_id');
    // Entry: no page of the session was first seen before this one; exit: none was last seen after it.
    // Each NOT EXISTS is a seek on session_pages' primary key (site_id, session_id, path).
    return {
      sql: `SELECT p.start_day, COUNT(*) AS n, SUM(p.weight) AS w, SUM(p.views * p.weight) AS vw, SUM(p.engaged_ms * p.weight) AS ew,
          SUM(p.engaged_ms) AS e,
          SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM session_pages o WHERE o.site_id = p.site_id AND o.session_id = p.session_id AND o.first_seen_at < p.first_seen_at)
            THEN p.weight ELSE 0 END) AS entry_w,
          SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM session_pages o WHERE o.site_id = p.site_id AND o.session_id = p.session_id AND o.last_seen_at > p.last_seen_at)
            THEN p.weight ELSE 0 END) AS exit_w
        FROM session_pages p WHERE p.path = ? AND ${f.sql} GROUP BY p.start_day`,
      params: [path, ...f.params],
    };
  },
  users(range: DayRange, path: string, limit: number): Query {
    const f = sessionFilter(range, 'p', 'session_id');
    return {
      sql: `SELECT s.user_key, MAX(CASE WHEN s.user_id IS NULL THEN 0 ELSE 1 END) AS identified, SUM(p.weight) AS w, SUM(p.engaged_ms * p.weight) AS ew
        FROM session_pages p JOIN sessions s ON s.site_id = p.site_id AND s.id = p.session_id
        WHERE p.path = ? AND ${f.sql} GROUP BY s.user_key ORDER BY ew DESC, s.user_key LIMIT ?`,
      params: [path, ...f.params, limit],
    };
  },
  userCount(range: DayRange, path: string): Query {
    const f = sessionFilter(range, 'p', 'session_id');
    return {
      sql: `SELECT COUNT(*) AS users FROM (SELECT s.user_key FROM session_pages p JOIN sessions s ON s.site_id = p.site_id AND s.id = p.session_id
        WHERE p.path = ? AND ${f.sql} GROUP BY s.user_key) u`,
      params: [path, ...f.params],
    };
  },
};

export function pageReports(exec: Exec) {
  return {
    async pageDays(range: DayRange, path: string): Promise<PageDay[]> {
      return (await exec.all(pageQueries.days(range, path))).map((r) => ({
        day: String(r.start_day), n: num(r.n), weighted: num(r.w), viewsWeighted: num(r.vw), engagedMsWeighted: num(r.ew), engagedMs: num(r.e),
        entryWeighted: num(r.entry_w), exitWeighted: num(r.exit_w),
      }));
    },
    async pageUsers(range: DayRange, path: string, limit: number): Promise<{ users: PageUser[]; total: number }> {
      const [rows, count] = await Promise.all([exec.all(pageQueries.users(range, path, limit)), exec.all(pageQueries.userCount(range, path))]);
      return {
        users: rows.map((r) => ({ userKey: String(r.user_key), identified: num(r.identified) === 1, weighted: num(r.w), engagedMsWeighted: num(r.ew) })),
        total: num(count[0]?.users),
      };
    },
  };
}
