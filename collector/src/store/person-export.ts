/**
 * What is stored about one person, as `GET /api/users/:userId/export` and
 * `GET /api/anonymous/:anonymousId/export` answer it: the reads (written once for both stores, `?`
 * placeholders) and the document built from what they return.
 */
import type { Query } from './queries/index';
import { matches, SESSION_TABLES, type Person, type Row } from './erasure';

const str = (v: unknown) => String(v);

/** Everything stored about a person, read in one snapshot. */
export function exportReads(person: Person): Record<string, Query> {
  const m = matches(person, 's.');
  const join = (table: string, idColumn: string, order: string) => ({
    sql: `SELECT t.* FROM ${table} t JOIN sessions s ON s.site_id = t.site_id AND s.id = t.${idColumn} WHERE ${m.sql} ORDER BY ${order}`,
    params: m.params,
  });
  const key = 'userId' in person ? person.userId : person.anonymousId;
  return {
    sessions: { sql: `SELECT * FROM sessions s WHERE ${m.sql} ORDER BY s.started_at, s.site_id, s.id`, params: m.params },
    records: join('session_records', 'id', 't.site_id, t.id'),
    pages: join('session_pages', 'session_id', 't.site_id, t.session_id, t.path'),
    alerts: join('alerts', 'session_id', 't.site_id, t.session_id, t.at'),
    ...Object.fromEntries(SESSION_TABLES.attention.map((table) => [table, join(table, 'session_id', 't.site_id, t.session_id, t.path')])),
    meta: join(SESSION_TABLES.meta, 'session_id', 't.site_id, t.session_id, t.key'),
    user_month: { sql: 'SELECT * FROM user_month WHERE user_key = ? AND sessions > 0 ORDER BY month, site_id', params: [key] },
    user_year: { sql: 'SELECT * FROM user_year WHERE user_key = ? AND sessions > 0 ORDER BY year, site_id', params: [key] },
    site_user: 'userId' in person
      ? { sql: 'SELECT * FROM site_user WHERE user_id = ? AND sessions > 0 ORDER BY site_id', params: [key] }
      : { sql: 'SELECT * FROM site_user WHERE 1 = 0', params: [] },
  };
}

/** Columns that PostgreSQL returns as strings (BIGINT, NUMERIC) and that are numbers. */
const NUMERIC = /^(seq|started_at|last_active_at|duration_ms|engaged_ms|break_.*|weight|weight_micro|final|received_at|views|first_seen_at|last_seen_at|at|sessions)$/;

const normalize = (row: Row): Row =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && NUMERIC.test(k) ? Number(v) : v]));

export interface PersonExport {
  person: { user_id: string } | { anonymous_id: string };
  exported_at: string;
  /** Stored session rows, each with the raw record as received (`record`). */
  sessions: Row[];
  pages: Row[];
  alerts: Row[];
  /** Page-attention rows (migration 008) by table: page_vitals, page_scroll, page_sections, page_media. */
  attention: Record<string, Row[]>;
  /** The sessions' `meta` dimensions (session_meta rows). */
  meta: Row[];
  /** The person's rows of the per-user rollups. */
  rollups: { user_month: Row[]; user_year: Row[]; site_user: Row[] };
}

export function toExport(person: Person, at: number, read: Record<string, Row[]>): PersonExport {
  const records = new Map(read.records!.map((r) => [`${str(r.site_id)}\u0000${str(r.id)}`, JSON.parse(str(r.record)) as unknown]));
  return {
    person: 'userId' in person ? { user_id: person.userId } : { anonymous_id: person.anonymousId },
    exported_at: new Date(at).toISOString(),
    sessions: read.sessions!.map((r) => ({ ...normalize(r), record: records.get(`${str(r.site_id)}\u0000${str(r.id)}`) ?? null })),
    pages: read.pages!.map(normalize),
    alerts: read.alerts!.map(normalize),
    attention: Object.fromEntries(SESSION_TABLES.attention.map((table) => [table, read[table]!.map(normalize)])),
    meta: read.meta!.map(normalize),
    rollups: { user_month: read.user_month!.map(normalize), user_year: read.user_year!.map(normalize), site_user: read.site_user!.map(normalize) },
  };
}
