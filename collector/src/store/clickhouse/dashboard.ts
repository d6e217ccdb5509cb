/**
 * The dashboard's reports (store/reports/) on the ClickHouse store, returning the same shapes. The
 * other stores join sessions to session_pages and session_meta; here a session's latest snapshot
 * carries its pages and its `meta` as arrays, so each report reads one row per session (reads.ts
 * latestOf) and unfolds the arrays it needs with ARRAY JOIN or indexOf.
 */
import type { AlertCount, LatestAlert } from '../reports/alerts';
import type { DimensionKey, DimensionValue } from '../reports/dimensions';
import { dayEndMs, dayStartMs, num } from '../reports/filter';
import type { DashboardReports } from '../reports/index';
import type { ActiveRow, CourseRow, FirstSession } from '../reports/learning';
import type { PageDay, PageUser } from '../reports/page';
import type { SiteCount } from '../reports/sites';
import { pagedRows, type UserPageQuery, type UserPageRow } from '../reports/users-page';
import type { DayRange } from '../types';
import { sql } from './literal';
import { inRange, latestOf, siteCondition } from './reads';

type Row = Record<string, unknown>;
type All = (statement: string) => Promise<Row[]>;

const limitOf = (n: number) => Math.max(0, Math.floor(n));
const orNull = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Alerts of the range (by `at`), each once (the first received), of sessions whose latest snapshot matches the range's site and `meta` value. */
function alertsIn(range: DayRange): string {
  const at = sql`at >= ${dayStartMs(range.start)} AND at < ${dayEndMs(range.end)}`;
  const site = range.siteId === undefined ? '' : ` AND ${siteCondition(range.siteId)}`;
  const meta = range.meta ? ` AND (site_id, session_id) IN (SELECT site_id, id FROM (${latestOf({ siteId: range.siteId, meta: range.meta }, [])}))` : '';
  return `SELECT site_id, session_id, threshold, direction, argMax(at, keep) AS a_at, argMax(engaged_ms, keep) AS a_engaged_ms FROM alerts
    WHERE ${at}${site}${meta} GROUP BY site_id, session_id, threshold, direction`;
}

/** One page's entries of the latest snapshots in range: `i` is the page's index in the page arrays. */
function pageRows(range: DayRange, path: string, columns: string[]): string {
  const inner = inRange(range, ['weight', 'page_paths', ...columns], sql` AND has(page_paths, ${path})`);
  return `SELECT *, indexOf(l_page_paths, ${sql`${path}`}) AS i FROM (${inner}) WHERE i > 0`;
}

function userMatch(search: string | undefined): string {
  // ASCII case-insensitive, as SQLite's LIKE and the PostgreSQL store's lower() LIKE.
  return search ? sql` AND positionCaseInsensitive(l_user_key, ${search}) > 0` : '';
}

/**
 * Per user in range (and matching the search): whether identified and, unless `countOnly` (the totals,
 * which read two columns instead of five), sessions, weight, duration and engaged sums.
 */
function userGroups(range: DayRange, search: string | undefined, countOnly = false): string {
  const sums = countOnly ? '' : ', count() AS n, sum(l_weight) AS w, sum(l_duration_ms) AS d, sum(l_engaged_ms) AS e';
  const columns = countOnly ? ['user_key', 'identified'] : ['user_key', 'identified', 'weight', 'duration_ms', 'engaged_ms'];
  return `SELECT l_user_key AS user_key, max(l_identified) AS identified${sums}
    FROM (${inRange(range, columns)}) WHERE 1${userMatch(search)} GROUP BY l_user_key`;
}

/** The ORDER BY of a page of userGroups. */
function userOrder(order: UserPageQuery['order']): string {
  const by = { average_duration: 'd / n', sessions: 'w', user_id: 'user_key' }[order.by];
  return `${by} ${order.direction === 'desc' ? 'DESC' : 'ASC'}${order.by === 'user_id' ? '' : ', user_key ASC'}`;
}

/** The same order as userOrder, over userGroups' rows as tuples (x.1 user_key … x.6 e), for arraySort. */
function userSort(order: UserPageQuery['order'], array: string): string {
  if (order.by === 'user_id') return `${order.direction === 'desc' ? 'arrayReverseSort' : 'arraySort'}(x -> x.1, ${array})`;
  const key = order.by === 'sessions' ? 'x.4' : '(x.5 / x.3)';
  return `arraySort(x -> (${order.direction === 'desc' ? `-${key}` : key}, x.1), ${array})`;
}

const userRow = (r: unknown[]): UserPageRow => ({ userKey: String(r[0]), identified: num(r[1]) === 1, n: num(r[2]), weighted: num(r[3]), durationMs: num(r[4]), engagedMs: num(r[5]) });

export function clickHouseDashboardReports(all: All): DashboardReports {
  const page = async (range: DayRange, query: UserPageQuery): Promise<UserPageRow[]> => {
    const rows = await all(`SELECT user_key, identified, n, w, d, e FROM (${userGroups(range, query.search)})
      ORDER BY ${userOrder(query.order)} LIMIT ${limitOf(query.offset)}, ${limitOf(query.limit)}`);
    return rows.map((r) => userRow([r.user_key, r.identified, r.n, r.w, r.d, r.e]));
  };

  return {
    async alertCounts(range): Promise<AlertCount[]> {
      const rows = await all(`SELECT intDiv(a_at, 86400000) AS day_index, threshold, direction, count() AS n FROM (${alertsIn(range)}) GROUP BY day_index, threshold, direction`);
      return rows.map((r) => ({ dayIndex: num(r.day_index), threshold: String(r.threshold), direction: String(r.direction), count: num(r.n) }));
    },
    async latestAlerts(range, limit): Promise<LatestAlert[]> {
      const rows = await all(`SELECT * FROM (${alertsIn(range)}) ORDER BY a_at DESC, session_id, threshold, direction LIMIT ${limitOf(limit)}`);
      if (rows.length === 0) return [];
      const keys = rows.map((r) => sql`(${String(r.site_id)}, ${String(r.session_id)})`).join(', ');
      const users = new Map(
        (await all(`SELECT site_id, id, l_user_id FROM (${latestOf({ alsoAny: ` AND (site_id, id) IN (${keys})` }, ['user_id'])})`)).map((u) => [`${u.site_id}\u0000${u.id}`, orNull(u.l_user_id)]),
      );
      return rows.map((r) => ({
        siteId: String(r.site_id), sessionId: String(r.session_id), threshold: String(r.threshold), direction: String(r.direction),
        at: num(r.a_at), engagedMs: num(r.a_engaged_ms), userId: users.get(`${r.site_id}\u0000${r.session_id}`) ?? null,
      }));
    },
    async dimensionKeys(range): Promise<DimensionKey[]> {
      const rows = await all(`SELECT key, sum(l_weight) AS w FROM (${inRange(range, ['weight', 'meta_keys'])}) ARRAY JOIN l_meta_keys AS key GROUP BY key`);
      return rows.map((r) => ({ key: String(r.key), weighted: num(r.w) }));
    },
    async dimensionValues(range, key, limit): Promise<DimensionValue[]> {
      const rows = await all(`SELECT value, count() AS n, sum(l_weight) AS w, uniqExact(l_user_key) AS users, sum(l_engaged_ms) AS e, sum(l_engaged_ms * l_weight) AS ew
        FROM (${inRange(range, ['weight', 'user_key', 'engaged_ms', 'meta_keys', 'meta_values'], sql` AND has(meta_keys, ${key})`)})
        ARRAY JOIN l_meta_keys AS k, l_meta_values AS value WHERE k = ${sql`${key}`} GROUP BY value ORDER BY w DESC, value LIMIT ${limitOf(limit)}`);
      return rows.map((r) => ({ value: String(r.value), n: num(r.n), weighted: num(r.w), users: num(r.users), engagedMs: num(r.e), engagedMsWeighted: num(r.ew) }));
    },
    async pagePaths(range): Promise<string[]> {
      return (await all(`SELECT DISTINCT path FROM (${inRange(range, ['page_paths'])}) ARRAY JOIN l_page_paths AS path`)).map((r) => String(r.path));
    },
    async courseRows(range, paths): Promise<CourseRow[]> {
      if (paths.length === 0) return [];
      const rows = await all(`SELECT path, l_user_key AS user_key, count() AS n, sum(l_weight) AS w, sum(page_e) AS e
        FROM (${inRange(range, ['weight', 'user_key', 'page_paths', 'page_engaged_ms'], sql` AND hasAny(page_paths, ${paths})`)})
        ARRAY JOIN l_page_paths AS path, l_page_engaged_ms AS page_e WHERE has(${sql`${paths}`}, path) GROUP BY path, l_user_key`);
      return rows.map((r) => ({ path: String(r.path), userKey: String(r.user_key), n: num(r.n), weighted: num(r.w), engagedMs: num(r.e) }));
    },
    async firstSessions(range): Promise<FirstSession[]> {
      // Every identified session in the site and dimension (not only the range): a user's first session is over all time.
      const scope = latestOf({ siteId: range.siteId, meta: range.meta, alsoAny: ' AND user_id IS NOT NULL', alsoLatest: ' AND l_user_id IS NOT NULL' }, [
        'user_id', 'started_at', 'engaged_ms', 'band',
      ]);
      const rows = await all(`SELECT u, first_at,
          if(argMaxIf(isNull(l_band), l_engaged_ms, l_started_at = first_at) = 1, NULL, argMaxIf(assumeNotNull(l_band), l_engaged_ms, l_started_at = first_at)) AS band,
          maxIf(l_engaged_ms, l_started_at = first_at) AS first_e, minIf(l_started_at, l_started_at > first_at) AS next_at, countIf(l_started_at > first_at) AS later
        FROM (SELECT assumeNotNull(l_user_id) AS u, l_started_at, l_engaged_ms, l_band FROM (${scope}))
        ALL INNER JOIN (SELECT assumeNotNull(l_user_id) AS u, min(l_started_at) AS first_at FROM (${scope}) GROUP BY u) USING u
        GROUP BY u, first_at HAVING first_at >= ${dayStartMs(range.start)} AND first_at < ${dayEndMs(range.end)}`);
      return rows.map((r) => ({ userId: String(r.u), firstAt: num(r.first_at), band: orNull(r.band), firstEngagedMs: num(r.first_e), nextAt: num(r.later) > 0 ? num(r.next_at) : null }));
    },
    async activeRows(range): Promise<ActiveRow[]> {
      const rows = await all(`SELECT toString(l_start_day) AS day, l_user_key AS user_key, max(l_identified) AS identified
        FROM (${inRange(range, ['user_key', 'identified'])}) GROUP BY l_start_day, l_user_key`);
      return rows.map((r) => ({ day: String(r.day), userKey: String(r.user_key), identified: num(r.identified) === 1 }));
    },
    async pageDays(range, path): Promise<PageDay[]> {
      // Entry: no page of the session was first seen before this one; exit: none was last seen after it.
      const rows = await all(`SELECT toString(l_start_day) AS day, count() AS n, sum(l_weight) AS w, sum(l_page_views[i] * l_weight) AS vw,
          sum(l_page_engaged_ms[i] * l_weight) AS ew, sum(l_page_engaged_ms[i]) AS e,
          sumIf(l_weight, l_page_first_seen_at[i] = arrayReduce('min', l_page_first_seen_at)) AS entry_w,
          sumIf(l_weight, l_page_last_seen_at[i] = arrayReduce('max', l_page_last_seen_at)) AS exit_w
        FROM (${pageRows(range, path, ['page_views', 'page_engaged_ms', 'page_first_seen_at', 'page_last_seen_at'])}) GROUP BY l_start_day`);
      return rows.map((r) => ({
        day: String(r.day), n: num(r.n), weighted: num(r.w), viewsWeighted: num(r.vw), engagedMsWeighted: num(r.ew), engagedMs: num(r.e),
        entryWeighted: num(r.entry_w), exitWeighted: num(r.exit_w),
      }));
    },
    async pageUsers(range, path, limit): Promise<{ users: PageUser[]; total: number }> {
      const from = `FROM (${pageRows(range, path, ['user_key', 'identified', 'page_engaged_ms'])})`;
      const [rows, count] = await Promise.all([
        all(`SELECT l_user_key AS user_key, max(l_identified) AS identified, sum(l_weight) AS w, sum(l_page_engaged_ms[i] * l_weight) AS ew
          ${from} GROUP BY l_user_key ORDER BY ew DESC, user_key LIMIT ${limitOf(limit)}`),
        all(`SELECT uniqExact(l_user_key) AS users ${from}`),
      ]);
      return {
        users: rows.map((r) => ({ userKey: String(r.user_key), identified: num(r.identified) === 1, weighted: num(r.w), engagedMsWeighted: num(r.ew) })),
        total: num(count[0]?.users),
      };
    },
    async sites(): Promise<SiteCount[]> {
      return (await all(`SELECT site_id, sum(l_weight) AS w FROM (${latestOf({}, ['weight'])}) GROUP BY site_id`)).map((r) => ({ siteId: String(r.site_id), weighted: num(r.w) }));
    },
    perUserPage: page,
    async perUserTotal(range, search) {
      const r = (await all(`SELECT count() AS total, sum(identified) AS identified FROM (${userGroups(range, search, true)})`))[0];
      return { total: num(r?.total), identified: num(r?.identified) };
    },
    // One statement for the page and the totals: the per-user groups of a year of 10,000,000 sessions
    // take seconds to build, and a page with its totals built them twice.
    async perUserTable(range, query) {
      const offset = limitOf(query.offset);
      // Names of their own: an alias equal to a column would stand for the sum inside groupArray.
      const r = (await all(`SELECT count() AS users, sum(identified) AS identified_users,
          arraySlice(${userSort(query.order, 'groupArray((user_key, identified, n, w, d, e))')}, ${offset + 1}, ${limitOf(query.limit)}) AS page
        FROM (${userGroups(range, query.search)})`))[0];
      return { rows: ((r?.page ?? []) as unknown[][]).map(userRow), total: num(r?.users), identified: num(r?.identified_users) };
    },
    perUserRows: (range, query, chunk) => pagedRows(page, range, query, chunk),
  };
}
