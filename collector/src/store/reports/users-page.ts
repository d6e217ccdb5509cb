/**
 * POST /api/session-duration as a table a person pages through: per user the same figures as the whole
 * answer, searched, ordered and cut on the server (LIMIT/OFFSET), with the count of all matching users and
 * how many of them are identified. Text order is byte order in both stores (`COLLATE "C"` in PostgreSQL),
 * the order the whole answer is sorted in (reports/compute.ts).
 */
import { WEIGHT_SCALE } from '../buckets';
import type { DayRange } from '../types';
import { num, sessionFilter, type Dialect, type Exec, type Query } from './filter';
import { likeClause, likePattern, userRollupQueries, usersRolledUp } from './users-rollup';

export type UserOrderKey = 'average_duration' | 'sessions' | 'user_id';

export interface UserPageQuery {
  search?: string | undefined;
  order: { by: UserOrderKey; direction: 'asc' | 'desc' };
  limit: number;
  offset: number;
}

export interface UserPageRow {
  userKey: string;
  identified: boolean;
  n: number;
  weighted: number;
  durationMs: number;
  engagedMs: number;
}

function matching(range: DayRange, search: string | undefined, dialect: Dialect): Query {
  const f = sessionFilter(range, 's');
  if (!search) return f;
  return { sql: `${f.sql} AND ${likeClause('s.user_key', dialect)}`, params: [...f.params, likePattern(search)] };
}

export const userPageQueries = {
  page(range: DayRange, query: UserPageQuery, dialect: Dialect): Query {
    const m = matching(range, query.search, dialect);
    const text = dialect === 'postgres' ? 's.user_key COLLATE "C"' : 's.user_key';
    const dir = query.order.direction === 'desc' ? 'DESC' : 'ASC';
    const by = { average_duration: 'SUM(s.duration_ms) * 1.0 / COUNT(*)', sessions: 'SUM(s.weight)', user_id: text }[query.order.by];
    const tie = query.order.by === 'user_id' ? '' : `, ${text} ASC`;
    return {
      sql: `SELECT s.user_key, MAX(CASE WHEN s.user_id IS NULL THEN 0 ELSE 1 END) AS identified, COUNT(*) AS n, SUM(s.weight) AS w,
          SUM(s.duration_ms) AS d, SUM(s.engaged_ms) AS e
        FROM sessions s WHERE ${m.sql} GROUP BY s.user_key ORDER BY ${by} ${dir}${tie} LIMIT ? OFFSET ?`,
      params: [...m.params, query.limit, query.offset],
    };
  },
  total(range: DayRange, search: string | undefined, dialect: Dialect): Query {
    const m = matching(range, search, dialect);
    return {
      sql: `SELECT COUNT(*) AS total, SUM(identified) AS identified FROM
        (SELECT MAX(CASE WHEN s.user_id IS NULL THEN 0 ELSE 1 END) AS identified FROM sessions s WHERE ${m.sql} GROUP BY s.user_key) u`,
      params: m.params,
    };
  },
};

/** How many users match a search, and how many of them are identified. */
export interface UserTotals {
  total: number;
  identified: number;
}

/** One page of the per-user table with the totals of every matching user. */
export interface UserTable extends UserTotals {
  rows: UserPageRow[];
}

export type UserRowsQuery = Omit<UserPageQuery, 'limit' | 'offset'> & { limit?: number; offset?: number };

/** Every matching row in order, read a page at a time so an export never holds the whole answer (any store's `page`). */
export async function* pagedRows(page: (range: DayRange, query: UserPageQuery) => Promise<UserPageRow[]>, range: DayRange, query: UserRowsQuery, chunk = 2000) {
  const end = query.limit === undefined ? Infinity : (query.offset ?? 0) + query.limit;
  for (let offset = query.offset ?? 0; offset < end; offset += chunk) {
    const rows = await page(range, { ...query, offset, limit: Math.min(chunk, end - offset) });
    yield* rows;
    if (rows.length < chunk) return;
  }
}

/**
 * Unfiltered ranges are read from the user_month rollup (users-rollup.ts, whose weights are in millionths);
 * a range filtered by `meta` groups its sessions (above).
 */
export function userPageReports(exec: Exec) {
  const pageRow = (scale: number) => (r: Record<string, unknown>): UserPageRow => ({
    userKey: String(r.user_key), identified: num(r.identified) === 1, n: num(r.n), weighted: num(r.w) / scale, durationMs: num(r.d), engagedMs: num(r.e),
  });
  const page = async (range: DayRange, query: UserPageQuery): Promise<UserPageRow[]> => {
    const q = range.meta ? userPageQueries.page(range, query, exec.dialect) : userRollupQueries.page(range, query, exec.dialect);
    return (await exec.all(q)).map(pageRow(range.meta ? 1 : WEIGHT_SCALE));
  };
  /**
   * A searched (or several sites') page from the rollups counts its matching users in the same statement, which
   * sums the range once instead of twice; only an empty page (an offset past the end) asks for the count apart.
   */
  async function countedTable(range: DayRange, query: UserPageQuery): Promise<UserTable> {
    const q = userRollupQueries.total(range, query.search, exec.dialect);
    const [found, anonymous] = await Promise.all([exec.all(userRollupQueries.page(range, query, exec.dialect, true)), exec.all(q.anonymous)]);
    const count = found.length > 0 ? num(found[0]!.matching) : num((await exec.all(q.users))[0]?.users);
    return { rows: found.map(pageRow(WEIGHT_SCALE)), total: count, identified: count - num(anonymous[0]?.anonymous) };
  }
  async function total(range: DayRange, search?: string): Promise<UserTotals> {
    if (!range.meta) {
      const q = userRollupQueries.total(range, search, exec.dialect);
      const [users, anonymous] = await Promise.all([exec.all(q.users), exec.all(q.anonymous)]);
      const count = num(users[0]?.users);
      return { total: count, identified: count - num(anonymous[0]?.anonymous) };
    }
    const r = (await exec.all(userPageQueries.total(range, search, exec.dialect)))[0];
    return { total: num(r?.total), identified: num(r?.identified) };
  }
  return {
    perUserPage: page,
    perUserTotal: total,
    async perUserTable(range: DayRange, query: UserPageQuery): Promise<UserTable> {
      if (!range.meta && !usersRolledUp(range, query.search)) return countedTable(range, query);
      const [rows, totals] = await Promise.all([page(range, query), total(range, query.search)]);
      return { rows, ...totals };
    },
    perUserRows: (range: DayRange, query: UserRowsQuery, chunk?: number) => pagedRows(page, range, query, chunk),
  };
}
