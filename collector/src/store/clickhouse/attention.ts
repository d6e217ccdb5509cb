/**
 * The attention figures in the ClickHouse store: written as arrays on the session's own row (so a
 * snapshot replaces them with everything else, and argMax reads the latest), from the same rows the
 * other stores insert into their page_* tables (store/attention/write.ts attentionValues), and read
 * back per page with ARRAY JOIN into the aggregates store/attention/read.ts defines.
 */
import type { SessionRow } from '../../ingest/rows';
import { attentionMappers, MARKS, type AttentionReads, type PageRange } from '../attention/read';
import { attentionValues, hasAttention } from '../attention/write';
import { sql } from './literal';
import { inRange } from './reads';

const orMinus = (v: unknown) => (v === null || v === undefined ? -1 : v);
/** Column `i` of every row (rows in ATTENTION_COLUMNS order; 0..4 are site, session, path, day, weight). */
const col = (rows: unknown[][], i: number, nullAs?: number) => rows.map((r) => (nullAs === undefined ? r[i] : (r[i] ?? nullAs)));

const EMPTY = {
  vital_paths: [], vital_names: [], vital_values: [], scroll_paths: [], scroll_depths: [], scroll_reached_25_ms: [], scroll_reached_50_ms: [],
  scroll_reached_75_ms: [], scroll_reached_100_ms: [], section_paths: [], section_names: [], section_engaged_ms: [], section_first_seen_ms: [],
  media_paths: [], media_names: [], media_watched_ms: [], media_duration_ms: [], media_completion: [], media_ended: [],
};

/** The attention columns of a session row. */
export function attentionColumns(s: SessionRow): Record<string, unknown[]> {
  if (!hasAttention(s)) return EMPTY;
  const v = attentionValues(s);
  return {
    vital_paths: col(v.page_vitals, 2), vital_names: col(v.page_vitals, 5), vital_values: col(v.page_vitals, 6),
    scroll_paths: col(v.page_scroll, 2), scroll_depths: col(v.page_scroll, 5),
    ...Object.fromEntries(MARKS.map((m, i) => [`scroll_reached_${m}_ms`, v.page_scroll.map((r) => orMinus(r[6 + i]))])),
    section_paths: col(v.page_sections, 2), section_names: col(v.page_sections, 5), section_engaged_ms: col(v.page_sections, 6), section_first_seen_ms: col(v.page_sections, 7),
    media_paths: col(v.page_media, 2), media_names: col(v.page_media, 5), media_watched_ms: col(v.page_media, 6),
    media_duration_ms: col(v.page_media, 7, -1), media_completion: col(v.page_media, 8, -1), media_ended: col(v.page_media, 9),
  };
}

/** The latest snapshots in range that hold `pathsColumn` entries for the page, with its figures joined out. */
function joined(r: PageRange, pathsColumn: string, columns: string[], aliases: string[]): string {
  const page = sql`${r.path}`;
  // Site and `meta` value as every report: the session's latest snapshot must carry the value.
  const inner = inRange(r, ['weight', pathsColumn, ...columns], ` AND has(${pathsColumn}, ${page})`);
  const join = [pathsColumn, ...columns].map((c, i) => `l_${c} AS ${['page', ...aliases][i]}`).join(', ');
  return `FROM (${inner}) ARRAY JOIN ${join} WHERE page = ${page}`;
}

export function clickHouseAttentionReads(all: (statement: string) => Promise<Record<string, unknown>[]>): AttentionReads {
  return {
    vitals: async (r) =>
      (await all(`SELECT name, value, sum(l_weight) AS w, count() AS n ${joined(r, 'vital_paths', ['vital_names', 'vital_values'], ['name', 'value'])} GROUP BY name, value`)).map(
        attentionMappers.vitals,
      ),
    async scroll(r) {
      const marks = MARKS.map((m) => `sumIf(l_weight, r${m} >= 0) AS w${m}, countIf(r${m} >= 0) AS n${m}, sumIf(r${m}, r${m} >= 0) AS t${m}`);
      const cols = MARKS.map((m) => `scroll_reached_${m}_ms`);
      const rows = await all(`SELECT count() AS n, sum(l_weight) AS w, sum(page_depth) AS depth, ${marks.join(', ')}
        ${joined(r, 'scroll_paths', ['scroll_depths', ...cols], ['page_depth', ...MARKS.map((m) => `r${m}`)])}`);
      return attentionMappers.scroll(rows[0]);
    },
    sections: async (r) =>
      (
        await all(`SELECT name, count() AS n, sum(l_weight) AS w, sum(engaged * l_weight) AS ew, sum(engaged) AS e, sum(first) AS f
          ${joined(r, 'section_paths', ['section_names', 'section_engaged_ms', 'section_first_seen_ms'], ['name', 'engaged', 'first'])} GROUP BY name`)
      ).map(attentionMappers.sections),
    media: async (r) =>
      (
        await all(`SELECT name, count() AS n, sum(l_weight) AS w, sum(watched * l_weight) AS ww, sum(watched) AS wm, countIf(duration >= 0) AS nd,
          sumIf(duration, duration >= 0) AS d, countIf(completion >= 0) AS nc, sumIf(completion, completion >= 0) AS c, sumIf(l_weight, ended = 1) AS ew
          ${joined(r, 'media_paths', ['media_names', 'media_watched_ms', 'media_duration_ms', 'media_completion', 'media_ended'], ['name', 'watched', 'duration', 'completion', 'ended'])}
          AND watched > 0 GROUP BY name`)
      ).map(attentionMappers.media),
  };
}
