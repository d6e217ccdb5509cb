/**
 * The host's own dimensions (a session record's `meta`, migration 009 session_meta): which keys were sent in
 * a range, and per value of one key the sessions (weighted), distinct users and engaged time.
 */
import type { DayRange } from '../types';
import { num, sessionFilter, type Exec, type Query } from './filter';

export interface DimensionKey {
  key: string;
  weighted: number;
}

export interface DimensionValue {
  value: string;
  n: number;
  weighted: number;
  users: number;
  engagedMs: number;
  engagedMsWeighted: number;
}

export const dimensionQueries = {
  keys(range: DayRange): Query {
    const f = sessionFilter(range, 's');
    return {
      sql: `SELECT k.key, SUM(s.weight) AS w FROM session_meta k JOIN sessions s ON s.site_id = k.site_id AND s.id = k.session_id
        WHERE ${f.sql} GROUP BY k.key`,
      params: f.params,
    };
  },
  values(range: DayRange, key: string, limit: number): Query {
    const f = sessionFilter(range, 's');
    return {
      sql: `SELECT k.value, COUNT(*) AS n, SUM(s.weight) AS w, COUNT(DISTINCT s.user_key) AS users, SUM(s.engaged_ms) AS e,
        SUM(s.engaged_ms * s.weight) AS ew
        FROM session_meta k JOIN sessions s ON s.site_id = k.site_id AND s.id = k.session_id
        WHERE k.key = ? AND ${f.sql} GROUP BY k.value ORDER BY w DESC, k.value LIMIT ?`,
      params: [key, ...f.params, limit],
    };
  },
};

export function dimensionReports(exec: Exec) {
  return {
    async dimensionKeys(range: DayRange): Promise<DimensionKey[]> {
      return (await exec.all(dimensionQueries.keys(range))).map((r) => ({ key: String(r.key), weighted: num(r.w) }));
    },
    async dimensionValues(range: DayRange, key: string, limit: number): Promise<DimensionValue[]> {
      return (await exec.all(dimensionQueries.values(range, key, limit))).map((r) => ({
        value: String(r.value), n: num(r.n), weighted: num(r.w), users: num(r.users), engagedMs: num(r.e), engagedMsWeighted: num(r.ew),
      }));
    },
  };
}
