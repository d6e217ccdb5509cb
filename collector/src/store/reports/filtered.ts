/**
 * The rolled-up reports (summary, daily, durations, breaks, bands, pages, per user) when a `meta` dimension
 * filters them. The rollups (user_month, site_day, site_day_band) hold no dimensions, so a filtered report is
 * read from sessions, the way store/queries.ts `direct` reads the unfiltered ones; the figures are the same
 * aggregates, so reports/compute.ts turns them into the same answers.
 */
import type { BreakAggregate, DayAggregate, DayRange, PageAggregate, SummaryAggregate, UserAggregate } from '../types';
import { num, sessionFilter, type Exec, type Query } from './filter';

const AGG = 'COUNT(*) AS n, SUM(s.weight) AS w, SUM(s.duration_ms) AS d, SUM(s.engaged_ms) AS e';

export const filteredQueries = {
  summary(range: DayRange): Query {
    const f = sessionFilter(range, 's');
    return {
      sql: `SELECT ${AGG}, SUM(CASE WHEN s.engaged_ms < 30000 THEN s.weight ELSE 0 END) AS short_w,
        (SELECT COUNT(*) FROM (SELECT s2.user_key FROM sessions s2 WHERE ${sessionFilter(range, 's2').sql} GROUP BY s2.user_key) u) AS users
        FROM sessions s WHERE ${f.sql}`,
      params: [...sessionFilter(range, 's2').params, ...f.params],
    };
  },
  daily(range: DayRange): Query {
    const f = sessionFilter(range, 's');
    return { sql: `SELECT s.start_day AS day, ${AGG} FROM sessions s WHERE ${f.sql} GROUP BY s.start_day`, params: f.params };
  },
  durationBuckets(range: DayRange, bounds: readonly number[]): Query {
    const f = sessionFilter(range, 's');
    const edges = [0, ...bounds];
    const cols = edges.map((lo, i) => {
      const hi = edges[i + 1];
      const cond = hi === undefined ? `s.duration_ms >= ${Number(lo)}` : `s.duration_ms >= ${Number(lo)} AND s.duration_ms < ${Number(hi)}`;
      return `SUM(CASE WHEN ${cond} THEN s.weight ELSE 0 END) AS bucket_${i}`;
    });
    return { sql: `SELECT ${cols.join(', ')} FROM sessions s WHERE ${f.sql}`, params: f.params };
  },
  breaks(range: DayRange): Query {
    const f = sessionFilter(range, 's');
    return {
      sql: `SELECT COUNT(*) AS n, SUM(s.weight) AS w, SUM(s.break_count * s.weight) AS breaks_w, SUM(s.break_count) AS breaks_raw,
        SUM(s.break_total_ms * s.weight) AS total_w, SUM(s.break_lt30s * s.weight) AS lt30s, SUM(s.break_30s_2m * s.weight) AS s30m2,
        SUM(s.break_2m_10m * s.weight) AS m2m10, SUM(s.break_ge10m * s.weight) AS ge10m FROM sessions s WHERE ${f.sql}`,
      params: f.params,
    };
  },
  bands(range: DayRange): Query {
    const f = sessionFilter(range, 's');
    return { sql: `SELECT s.band, SUM(s.weight) AS w, MIN(s.engaged_ms) AS min_e FROM sessions s WHERE ${f.sql} GROUP BY s.band`, params: f.params };
  },
  pages(range: DayRange, limit: number): Query {
    const f = sessionFilter(range, 'p', 'session_id');
    return {
      sql: `SELECT p.path, SUM(p.views * p.weight) AS vw, SUM(p.weight) AS w, SUM(p.engaged_ms * p.weight) AS ew, COUNT(*) AS n, SUM(p.engaged_ms) AS e
        FROM session_pages p WHERE ${f.sql} GROUP BY p.path ORDER BY ew DESC, p.path LIMIT ?`,
      params: [...f.params, limit],
    };
  },
  perUser(range: DayRange): Query {
    const f = sessionFilter(range, 's');
    return { sql: `SELECT s.user_key, ${AGG} FROM sessions s WHERE ${f.sql} GROUP BY s.user_key`, params: f.params };
  },
};

const aggregate = (r: Record<string, unknown> | undefined) => ({ n: num(r?.n), weighted: num(r?.w), durationMs: num(r?.d), engagedMs: num(r?.e) });

/** The filtered forms of the Store's rolled-up reports, over one connection. */
export function filteredReports(exec: Exec) {
  const one = async (query: Query) => (await exec.all(query))[0];
  return {
    async summary(range: DayRange): Promise<SummaryAggregate> {
      const r = await one(filteredQueries.summary(range));
      return { ...aggregate(r), users: num(r?.users), shortWeighted: num(r?.short_w) };
    },
    async daily(range: DayRange): Promise<DayAggregate[]> {
      return (await exec.all(filteredQueries.daily(range))).map((r) => ({ day: String(r.day), ...aggregate(r) }));
    },
    async durationBuckets(range: DayRange, bounds: readonly number[]): Promise<number[]> {
      const r = await one(filteredQueries.durationBuckets(range, bounds));
      return Array.from({ length: bounds.length + 1 }, (_, i) => num(r?.[`bucket_${i}`]));
    },
    async breaks(range: DayRange): Promise<BreakAggregate> {
      const r = await one(filteredQueries.breaks(range));
      return {
        n: num(r?.n), weighted: num(r?.w), breaksWeighted: num(r?.breaks_w), breaksRaw: num(r?.breaks_raw), totalMsWeighted: num(r?.total_w),
        histogram: { lt30s: num(r?.lt30s), s30m2: num(r?.s30m2), m2m10: num(r?.m2m10), ge10m: num(r?.ge10m) },
      };
    },
    async bands(range: DayRange) {
      return (await exec.all(filteredQueries.bands(range))).map((r) => ({ band: r.band === null ? null : String(r.band), weighted: num(r.w), minEngagedMs: num(r.min_e) }));
    },
    async pages(range: DayRange, limit: number): Promise<PageAggregate[]> {
      return (await exec.all(filteredQueries.pages(range, limit))).map((r) => ({
        path: String(r.path), viewsWeighted: num(r.vw), sessionsWeighted: num(r.w), engagedMsWeighted: num(r.ew), n: num(r.n), engagedMs: num(r.e),
      }));
    },
    async perUser(range: DayRange): Promise<UserAggregate[]> {
      return (await exec.all(filteredQueries.perUser(range))).map((r) => ({ userKey: String(r.user_key), ...aggregate(r) }));
    },
  };
}
