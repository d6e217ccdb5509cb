/**
 * The paged per-user table (users-page.ts) read from the per-user rollups instead of grouping every
 * session of the range: per user the sums of the range's signed blocks (queries/spans.ts: years from
 * user_year, months from user_month, days from sessions), exactly as the whole answer (queries/read.ts
 * perUser), searched, ordered and cut in SQL. Whether a user is identified is not in the rollup: a user is identified when one of their
 * sessions in the range has a user_id, and since user_key is the user_id when there is one (ingest/rows.ts),
 * that is a session with user_id = user_key, found through the index on (user_id, started_at) for the rows
 * of the page only, and once per matching user for the totals. A range filtered by `meta` has no rollup and
 * stays with users-page.ts's grouping of sessions.
 */
import { distinctUsers } from '../queries/read';
import { siteFilter } from '../queries/query';
import { perUserSums } from '../queries/spans';
import type { DayRange } from '../types';
import { dayEndMs, dayStartMs, type Dialect, type Query } from './filter';
import type { UserPageQuery } from './users-page';

/** `%term%` for LIKE, with LIKE's own characters taken literally. */
export const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * `column` contains the search term (bound as likePattern), ASCII case-insensitive in both stores: SQLite's
 * LIKE folds ASCII only, and PostgreSQL's is told the same by lower().
 */
export const likeClause = (column: string, dialect: Dialect) =>
  dialect === 'postgres' ? `lower(${column}) LIKE lower(?) ESCAPE '\\'` : `${column} LIKE ? ESCAPE '\\'`;

/**
 * The range's per-user sums (n, w in millionths, d, e) of the users whose key contains `search`; with
 * `keysOnly`, only the users' keys (what the totals count), without summing the other columns.
 */
const userSums = (range: DayRange, search: string | undefined, dialect: Dialect, keysOnly = false): Query =>
  perUserSums(range, dialect, { keysOnly, search: search ? { sql: likeClause('user_key', dialect), params: [likePattern(search)] } : undefined, names: ['n', 'w', 'd', 'e'] });

/** 1 when a session of the range (and site) has user_id = `<alias>.user_key`, else 0. */
function identified(range: DayRange, alias: string): Query {
  const site = siteFilter(range.siteId, 'i.site_id');
  return {
    sql: `CASE WHEN EXISTS (SELECT 1 FROM sessions i WHERE i.user_id = ${alias}.user_key AND i.started_at >= ? AND i.started_at < ?${site.sql}) THEN 1 ELSE 0 END`,
    params: [dayStartMs(range.start), dayEndMs(range.end), ...site.params],
  };
}

/** Whether the count of matching users is read from the day_users rollups (unsearched, all sites or one) rather than from the per-user sums. */
export const usersRolledUp = (range: DayRange, search: string | undefined) =>
  !search && (range.siteId === undefined || typeof range.siteId === 'string' || range.siteId.length === 1);

export const userRollupQueries = {
  /** With `counted`, each row also carries `matching`: how many users match (counted before the cut, so none when the page is empty). */
  page(range: DayRange, query: UserPageQuery, dialect: Dialect, counted = false): Query {
    const sums = userSums(range, query.search, dialect);
    const matching = counted ? ', COUNT(*) OVER () AS matching' : '';
    const text = dialect === 'postgres' ? 'user_key COLLATE "C"' : 'user_key';
    const dir = query.order.direction === 'desc' ? 'DESC' : 'ASC';
    const by = { average_duration: 'd * 1.0 / n', sessions: 'w', user_id: text }[query.order.by];
    const order = `ORDER BY ${by} ${dir}${query.order.by === 'user_id' ? '' : `, ${text} ASC`}`;
    const id = identified(range, 'p');
    // w is in millionths (weight_micro); the store turns it into sessions. The page is sorted again after `identified` is added.
    return {
      sql: `SELECT user_key, ${id.sql} AS identified, n, w, d, e${counted ? ', matching' : ''}
        FROM (SELECT user_key, n, w, d, e${matching} FROM (${sums.sql}) u ${order} LIMIT ? OFFSET ?) p ${order}`,
      params: [...id.params, ...sums.params, query.limit, query.offset],
    };
  },
  /**
   * The matching users (unsearched, over all sites or one: distinct users from the day_users rollups, as summary counts them) and
   * those of them whose every session of the range is anonymous: the keys of the range's anonymous sessions
   * (migration 016's partial index) that no identified session of the range has.
   */
  total(range: DayRange, search: string | undefined, dialect: Dialect): { users: Query; anonymous: Query } {
    const keys = userSums(range, search, dialect, true);
    const users = !usersRolledUp(range, search) ? { sql: `SELECT COUNT(*) AS users FROM (${keys.sql}) u`, params: keys.params } : distinctUsers(range);
    const site = siteFilter(range.siteId, 'a.site_id');
    const like = search ? ` AND ${likeClause('a.user_key', dialect)}` : '';
    const id = identified(range, 'k');
    return {
      users,
      anonymous: {
        sql: `SELECT COUNT(*) AS anonymous FROM (SELECT DISTINCT a.user_key FROM sessions a
          WHERE a.user_id IS NULL AND a.start_day >= ? AND a.start_day <= ?${site.sql}${like}) k WHERE ${id.sql} = 0`,
        params: [range.start, range.end, ...site.params, ...(search ? [likePattern(search)] : []), ...id.params],
      },
    };
  },
};
