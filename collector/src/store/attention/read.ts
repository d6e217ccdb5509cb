/**
 * The attention reports' queries (migration 008), written once for both stores like store/queries.ts:
 * `?` placeholders, numbers read back through `num` (PostgreSQL returns SUMs over BIGINT as strings).
 * They return raw weighted sums; reports/attention.ts turns them into percentiles, shares and seconds.
 */
import type { Query } from '../queries/index';
import { num, siteFilter } from '../queries/index';
import { metaCondition } from '../reports/filter';
import type { DayRange } from '../types';

/** One page (the `path` of page records) over a date range, a site and one value of a `meta` dimension. */
export interface PageRange extends DayRange {
  path: string;
}

/** Weighted count of page views that measured `name` at `value`: the distribution a percentile is read from. */
export interface VitalValue {
  name: string;
  value: number;
  weighted: number;
  n: number;
}

export interface ScrollAggregate {
  /** Page views with a scroll measurement: stored rows, and weighted. */
  n: number;
  weighted: number;
  /** Sum of the depths (0..1) over stored rows. */
  depthSum: number;
  /** Per mark 25/50/75/100: weighted views that reached it, stored rows that did, and the sum of their ms to reach it. */
  marks: Array<{ mark: number; weighted: number; n: number; msSum: number }>;
}

export interface SectionAggregate {
  name: string;
  /** Page views that saw the section: stored rows, weighted. */
  n: number;
  weighted: number;
  engagedMsWeighted: number;
  engagedMs: number;
  firstSeenMs: number;
}

export interface MediaAggregate {
  name: string;
  /** Page views that played some of it. */
  n: number;
  weighted: number;
  watchedMsWeighted: number;
  watchedMs: number;
  /** Plays with a known duration, and the sum of those durations. */
  withDuration: number;
  durationMs: number;
  /** Plays with a completion share, and the sum of those shares. */
  withCompletion: number;
  completion: number;
  endedWeighted: number;
}

export interface AttentionReads {
  vitals(range: PageRange): Promise<VitalValue[]>;
  scroll(range: PageRange): Promise<ScrollAggregate>;
  sections(range: PageRange): Promise<SectionAggregate[]>;
  media(range: PageRange): Promise<MediaAggregate[]>;
}

export const MARKS = [25, 50, 75, 100] as const;

/** The page, range, site and dimension of `table`'s rows (qualified: the dimension's subquery has its own site_id). */
function where(r: PageRange, table: string): Query {
  const site = siteFilter(r.siteId, `${table}.site_id`);
  const meta = metaCondition(r, `${table}.site_id`, `${table}.session_id`);
  return {
    sql: `${table}.path = ? AND ${table}.start_day >= ? AND ${table}.start_day <= ?${site.sql}${meta.sql}`,
    params: [r.path, r.start, r.end, ...site.params, ...meta.params],
  };
}

export const attentionQueries = {
  vitals(r: PageRange): Query {
    const w = where(r, 'page_vitals');
    return { sql: `SELECT name, value, SUM(weight) AS w, COUNT(*) AS n FROM page_vitals WHERE ${w.sql} GROUP BY name, value`, params: w.params };
  },
  scroll(r: PageRange): Query {
    const w = where(r, 'page_scroll');
    const marks = MARKS.map((m) => `SUM(CASE WHEN reached_${m}_ms IS NULL THEN 0 ELSE weight END) AS w${m}, COUNT(reached_${m}_ms) AS n${m}, SUM(reached_${m}_ms) AS t${m}`);
    return { sql: `SELECT COUNT(*) AS n, SUM(weight) AS w, SUM(depth) AS depth, ${marks.join(', ')} FROM page_scroll WHERE ${w.sql}`, params: w.params };
  },
  sections(r: PageRange): Query {
    const w = where(r, 'page_sections');
    return {
      sql: `SELECT name, COUNT(*) AS n, SUM(weight) AS w, SUM(engaged_ms * weight) AS ew, SUM(engaged_ms) AS e, SUM(first_seen_ms) AS f
        FROM page_sections WHERE ${w.sql} GROUP BY name`,
      params: w.params,
    };
  },
  media(r: PageRange): Query {
    const w = where(r, 'page_media');
    return {
      sql: `SELECT name, COUNT(*) AS n, SUM(weight) AS w, SUM(watched_ms * weight) AS ww, SUM(watched_ms) AS wm, COUNT(duration_ms) AS nd,
        SUM(duration_ms) AS d, COUNT(completion) AS nc, SUM(completion) AS c, SUM(CASE WHEN ended = 1 THEN weight ELSE 0 END) AS ew
        FROM page_media WHERE ${w.sql} AND watched_ms > 0 GROUP BY name`,
      params: w.params,
    };
  },
};

type Row = Record<string, unknown>;

export const attentionMappers = {
  vitals: (r: Row): VitalValue => ({ name: String(r.name), value: num(r.value), weighted: num(r.w), n: num(r.n) }),
  scroll: (r: Row | undefined): ScrollAggregate => ({
    n: num(r?.n),
    weighted: num(r?.w),
    depthSum: num(r?.depth),
    marks: MARKS.map((mark) => ({ mark, weighted: num(r?.[`w${mark}`]), n: num(r?.[`n${mark}`]), msSum: num(r?.[`t${mark}`]) })),
  }),
  sections: (r: Row): SectionAggregate => ({
    name: String(r.name), n: num(r.n), weighted: num(r.w), engagedMsWeighted: num(r.ew), engagedMs: num(r.e), firstSeenMs: num(r.f),
  }),
  media: (r: Row): MediaAggregate => ({
    name: String(r.name), n: num(r.n), weighted: num(r.w), watchedMsWeighted: num(r.ww), watchedMs: num(r.wm),
    withDuration: num(r.nd), durationMs: num(r.d), withCompletion: num(r.nc), completion: num(r.c), endedWeighted: num(r.ew),
  }),
};

/** The reads of one store, given how it runs a query. */
export function attentionReads(all: (query: Query) => Promise<Row[]> | Row[]): AttentionReads {
  return {
    vitals: async (r) => (await all(attentionQueries.vitals(r))).map(attentionMappers.vitals),
    scroll: async (r) => attentionMappers.scroll((await all(attentionQueries.scroll(r)))[0]),
    sections: async (r) => (await all(attentionQueries.sections(r))).map(attentionMappers.sections),
    media: async (r) => (await all(attentionQueries.media(r))).map(attentionMappers.media),
  };
}
