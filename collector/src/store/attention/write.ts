/**
 * Writing the attention figures of a session (migration 008), shared by both stores: the tables, their
 * column order, and the rows of one session snapshot. The stores call these right after they replaced
 * the session's page rows, in the same transaction.
 *
 * A later snapshot of a session always carries the attention fields of the earlier ones (the plugin
 * seam keeps them in the shared session state), so a snapshot without any has nothing to replace and
 * costs no statement: most sites never run the plugins, and their writes stay as they were.
 */
import { VITAL_NAMES } from '../../../../src/core/attention';
import type { SessionRow } from '../../ingest/rows';

export const ATTENTION_COLUMNS = {
  page_vitals: ['site_id', 'session_id', 'path', 'start_day', 'weight', 'name', 'value'],
  page_scroll: ['site_id', 'session_id', 'path', 'start_day', 'weight', 'depth', 'reached_25_ms', 'reached_50_ms', 'reached_75_ms', 'reached_100_ms'],
  page_sections: ['site_id', 'session_id', 'path', 'start_day', 'weight', 'name', 'engaged_ms', 'first_seen_ms'],
  page_media: ['site_id', 'session_id', 'path', 'start_day', 'weight', 'name', 'watched_ms', 'duration_ms', 'completion', 'ended'],
} as const;

export type AttentionTable = keyof typeof ATTENTION_COLUMNS;
export const ATTENTION_TABLES = Object.keys(ATTENTION_COLUMNS) as AttentionTable[];

export const hasAttention = (s: SessionRow): boolean => s.pages.some((p) => p.attention !== undefined);

/** `DELETE` of one session's rows from `table`, parameters (site_id, session_id). */
export const deleteSql = (table: AttentionTable) => `DELETE FROM ${table} WHERE site_id = ? AND session_id = ?`;

/** `INSERT` of `rows` rows into `table` with `?` placeholders. */
export const insertSql = (table: AttentionTable, rows = 1) => {
  const one = `(${ATTENTION_COLUMNS[table].map(() => '?').join(', ')})`;
  return `INSERT INTO ${table} (${ATTENTION_COLUMNS[table].join(', ')}) VALUES ${Array(rows).fill(one).join(', ')}`;
};

const ms = (v: number | undefined) => (v === undefined ? null : Math.round(v));

/** The rows of one session per table, in ATTENTION_COLUMNS order. */
export function attentionValues(s: SessionRow): Record<AttentionTable, unknown[][]> {
  const out: Record<AttentionTable, unknown[][]> = { page_vitals: [], page_scroll: [], page_sections: [], page_media: [] };
  for (const p of s.pages) {
    const a = p.attention;
    if (!a) continue;
    const key = [s.siteId, s.id, p.path, s.startDay, s.weight];
    for (const name of VITAL_NAMES) {
      const v = a.vitals?.[name];
      // Stored at the precision reports need: whole ms, CLS to 4 decimals (as web-vitals' own rating reads it).
      if (v !== undefined) out.page_vitals.push([...key, name, name === 'CLS' ? Math.round(v * 1e4) / 1e4 : Math.round(v)]);
    }
    if (a.scroll) {
      const r = a.scroll.reachedMs;
      out.page_scroll.push([...key, a.scroll.depth, ms(r['25']), ms(r['50']), ms(r['75']), ms(r['100'])]);
    }
    for (const [name, [engagedMs, firstSeenMs]] of Object.entries(a.sections ?? {})) out.page_sections.push([...key, name, Math.round(engagedMs), Math.round(firstSeenMs)]);
    for (const [name, m] of Object.entries(a.media ?? {})) {
      out.page_media.push([...key, name, Math.round(m.watchedMs), m.durationMs === null ? null : Math.round(m.durationMs), m.completion, m.ended ? 1 : 0]);
    }
  }
  return out;
}
