/**
 * Stored alerts (threshold crossed `above`, or missed `below` at session end) over a range of UTC days of
 * their `at`: counts per day, threshold and direction, and the latest ones with whose session they are.
 * Alerts are counted as stored (one per session, threshold and direction), not weighted by sampling.
 */
import type { DayRange } from '../types';
import { dayEndMs, dayStartMs, metaCondition, num, siteCondition, type Exec, type Query } from './filter';

export interface AlertCount {
  /** Days since the epoch (UTC) of `at`. */
  dayIndex: number;
  threshold: string;
  direction: string;
  count: number;
}

export interface LatestAlert {
  siteId: string;
  sessionId: string;
  threshold: string;
  direction: string;
  at: number;
  engagedMs: number;
  userId: string | null;
}

function alertFilter(range: DayRange): Query {
  const site = siteCondition(range, 'a.site_id');
  const meta = metaCondition(range, 'a.site_id', 'a.session_id');
  return { sql: `a.at >= ? AND a.at < ?${site.sql}${meta.sql}`, params: [dayStartMs(range.start), dayEndMs(range.end), ...site.params, ...meta.params] };
}

export const alertQueries = {
  counts(range: DayRange): Query {
    const f = alertFilter(range);
    // Integer division of epoch ms by a day is the UTC day in both dialects (BIGINT / BIGINT truncates).
    return {
      sql: `SELECT a.at / 86400000 AS day_index, a.threshold, a.direction, COUNT(*) AS n FROM alerts a WHERE ${f.sql}
        GROUP BY a.at / 86400000, a.threshold, a.direction`,
      params: f.params,
    };
  },
  latest(range: DayRange, limit: number): Query {
    const f = alertFilter(range);
    return {
      sql: `SELECT a.site_id, a.session_id, a.threshold, a.direction, a.at, a.engaged_ms, s.user_id FROM alerts a
        LEFT JOIN sessions s ON s.site_id = a.site_id AND s.id = a.session_id WHERE ${f.sql}
        ORDER BY a.at DESC, a.session_id, a.threshold, a.direction LIMIT ?`,
      params: [...f.params, limit],
    };
  },
};

export function alertReports(exec: Exec) {
  return {
    async alertCounts(range: DayRange): Promise<AlertCount[]> {
      return (await exec.all(alertQueries.counts(range))).map((r) => ({
        dayIndex: Math.floor(num(r.day_index)), threshold: String(r.threshold), direction: String(r.direction), count: num(r.n),
      }));
    },
    async latestAlerts(range: DayRange, limit: number): Promise<LatestAlert[]> {
      return (await exec.all(alertQueries.latest(range, limit))).map((r) => ({
        siteId: String(r.site_id), sessionId: String(r.session_id), threshold: String(r.threshold), direction: String(r.direction),
        at: num(r.at), engagedMs: num(r.engaged_ms), userId: r.user_id === null || r.user_id === undefined ? null : String(r.user_id),
      }));
    },
  };
}
