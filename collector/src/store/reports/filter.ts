/**
 * The filters every dashboard report shares, as SQL over `sessions` (or a table keyed like it): the day
 * range, the site, and one value of a `meta` dimension (migration 009, session_meta). Plain SQL with `?`
 * placeholders, as store/queries.ts writes it, for both stores.
 */
import type { DayRange } from '../types';

export interface Query {
  sql: string;
  params: unknown[];
}

/** A row as a driver returns it. */
export type Row = Record<string, unknown>;

/** Sums come back as numbers (SQLite) or numeric strings (PostgreSQL's SUM over BIGINT). */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export type Dialect = 'sqlite' | 'postgres';

/** Runs a query on the store's connection. */
export interface Exec {
  dialect: Dialect;
  all(query: Query): Promise<Row[]>;
}

/** ` AND <site> = ?` when a site is asked for. */
export function siteCondition(range: Pick<DayRange, 'siteId'>, column: string): Query {
  return range.siteId === undefined ? { sql: '', params: [] } : { sql: ` AND ${column} = ?`, params: [range.siteId] };
}

/**
 * ` AND EXISTS (...)` keeping only sessions whose `meta` has the asked value for the key; `site` and
 * `session` name the columns of the filtered row that identify its session.
 */
export function metaCondition(range: Pick<DayRange, 'meta'>, site: string, session: string): Query {
  if (!range.meta) return { sql: '', params: [] };
  return {
    sql: ` AND EXISTS (SELECT 1 FROM session_meta m WHERE m.key = ? AND m.value = ? AND m.site_id = ${site} AND m.session_id = ${session})`,
    params: [range.meta.key, range.meta.value],
  };
}

/** The start-day range, site and dimension filter of a table aliased `alias` whose session id column is `idColumn`. */
export function sessionFilter(range: DayRange, alias: string, idColumn = 'id'): Query {
  const site = siteCondition(range, `${alias}.site_id`);
  const meta = metaCondition(range, `${alias}.site_id`, `${alias}.${idColumn}`);
  return {
    sql: `${alias}.start_day >= ? AND ${alias}.start_day <= ?${site.sql}${meta.sql}`,
    params: [range.start, range.end, ...site.params, ...meta.params],
  };
}

/** Epoch ms of the UTC midnight that starts `day` (YYYY-MM-DD). */
export const dayStartMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
/** Epoch ms of the UTC midnight after `day`: ranges of instants are [start, end). */
export const dayEndMs = (day: string) => dayStartMs(day) + 86_400_000;
