/**
 * The rolled-up reports (summary, daily, durations, breaks, bands, pages, per user) when a `meta` dimension
 * filters them. The rollups (user_month, site_day, site_day_band) hold no dimensions, so a filtered report is
 * read from sessions, the way test/direct-queries.ts reads the unfiltered ones: the same integer weights
 * (weight_micro, migration 006) summed with TOTAL, under the column names store/queries/map.ts maps, so the
 * figures are the rollups' to the unit and reports/compute.ts turns them into the same answers.
 */
import { BREAK_BUCKETS } from '../buckets';
import * as map from '../queries/map';
import type { BreakAggregate, DayAggregate, DayRange, PageAggregate, SummaryAggregate, UserAggregate } from '../types';
import { num, sessionFilter, type Exec, type Query } from './filter';

const AGG = 'COUNT(*) AS sessions, TOTAL(s.weight_micro) AS weight_micro, TOTAL(s.duration_ms) AS duration_ms, TOTAL(s.engaged_ms) AS engaged_ms';

export const filteredQueries = {
  summary(range: DayRange): Query {
    const f = sessionFilter(range, 's');
    return {
      sql: `SELECT ${AGG}, TOTAL(CASE WHEN s.engaged_ms < 30000 THEN s.weight_micro ELSE 0 END) AS short_weight_micro,
        (SELECT COUNT(*) FROM (SELECT s2.user_key FROM sessions s2 WHERE ${sessionFilter(range, 's2').sql} GROUP BY s2.user_key) u) AS users
        FROM sessions s WHERE ${f.sql}`,
      params: [...sessionFilter(range, 's2').params, ...f.params],
    };
  },
  daily(range: DayRange): Query {
    const f = sessionFilter(range, 's');
    return { sql: `SELECT s.start_day, ${AGG} FROM sessions s WHERE ${f.sql} GROUP BY s.start_day`, params: f.params };
  },
  durationBuckets(range: DayRange, bounds: readonly number[]): Query {
    const f = sessionFilter(range, 's');
    const edges = [0, ...bounds];
    const cols = edges.map((lo, i) => {
      const hi = edges[i + 1];
      const cond = hi === undefined ? `s.duration_ms >= ${Number(lo)}` : `s.duration_ms >= ${Number(lo)} AND s.duration_ms < ${Number(hi)}`;
      return `TOTAL(CASE WHEN ${cond} THEN s.weight_micro ELSE 0 END) AS bucket_${i}`;
    });
    return { sql: `SELECT ${cols.join(', ')} FROM sessions s WHERE ${f.sql}`, params: f.params };
  },
  breaks(range: DayRange): Query {
    const f = sessionFilter(range, 's');
    return {
      sql: `SELECT COUNT(*) AS sessions, TOTAL(s.weight_micro) AS weight_micro, TOTAL(s.break_count * s.weight_micro) AS breaks_weight_micro,
        TOTAL(s.break_count) AS breaks, TOTAL(s.break_total_ms_weighted) AS break_total_ms_weighted,
        ${BREAK_BUCKETS.map((b) => `TOTAL(s.${b.column} * s.weight_micro) AS ${b.column}_weight_micro`).join(', ')} FROM sessions s WHERE ${f.sql}`,
      params: f.params,
    };
  },
  bands(range: DayRange): Query {
    const f = sessionFilter(range, 's');
    return { sql: `SELECT s.band, TOTAL(s.weight_micro) AS weight_micro, MIN(s.engaged_ms) AS min_engaged_ms FROM sessions s WHERE ${f.sql} GROUP BY s.band`, params: f.params };
  },
  pages(range: DayRange, limit: number): Query {
    const f = sessionFilter(range, 'p', 'session_id');
    return {
      // The page rows' own integer columns (migration 011), which the unfiltered report's rollup adds up.
      sql: `SELECT p.path, TOTAL(p.views_weighted) AS views_weighted, TOTAL(p.weight_micro) AS weight_micro, TOTAL(p.engaged_ms_weighted) AS engaged_ms_weighted,
        COUNT(*) AS sessions, TOTAL(p.engaged_ms) AS engaged_ms FROM session_pages p WHERE ${f.sql} GROUP BY p.path ORDER BY engaged_ms_weighted DESC, p.path LIMIT ?`,
      params: [...f.params, limit],
    };
  },
  perUser(range: DayRange): Query {
    const f = sessionFilter(range, 's');
    return { sql: `SELECT s.user_key, ${AGG} FROM sessions s WHERE ${f.sql} GROUP BY s.user_key`, params: f.params };
  },
};

/** The filtered forms of the Store's rolled-up reports, over one connection. */
export function filteredReports(exec: Exec) {
  const one = async (query: Query) => (await exec.all(query))[0];
  return {
    async summary(range: DayRange): Promise<SummaryAggregate> {
      const r = await one(filteredQueries.summary(range));
      return map.summary(r, { users: num(r?.users) });
    },
    async daily(range: DayRange): Promise<DayAggregate[]> {
      return (await exec.all(filteredQueries.daily(range))).map(map.daily);
    },
    async durationBuckets(range: DayRange, bounds: readonly number[]): Promise<number[]> {
      return map.durationBuckets(await one(filteredQueries.durationBuckets(range, bounds)), bounds.length + 1);
    },
    async breaks(range: DayRange): Promise<BreakAggregate> {
      return map.breaks(await one(filteredQueries.breaks(range)));
    },
    async bands(range: DayRange) {
      return (await exec.all(filteredQueries.bands(range))).map(map.bands);
    },
    async pages(range: DayRange, limit: number): Promise<PageAggregate[]> {
      return (await exec.all(filteredQueries.pages(range, limit))).map(map.pages);
    },
    async perUser(range: DayRange): Promise<UserAggregate[]> {
      return (await exec.all(filteredQueries.perUser(range))).map(map.perUser);
    },
  };
}
