/**
 * A query as both stores take it: plain SQL with `?` placeholders, which SQLite takes as is and
 * PostgreSQL gets renumbered to `$n` (store/postgres.ts), and its parameters.
 */
export interface Query {
  sql: string;
  params: unknown[];
}

/** `<table>.start_day` within the range, and the site or sites when asked for. */
export function rangeFilter(range: { start: string; end: string; siteId?: SiteFilter | undefined }, table = 'sessions'): Query {
  const site = siteFilter(range.siteId, `${table}.site_id`);
  return { sql: `${table}.start_day >= ? AND ${table}.start_day <= ?${site.sql}`, params: [range.start, range.end, ...site.params] };
}

/** One site, or the sites a scoped token may read (access.ts). */
export type SiteFilter = string | readonly string[];

/** ` AND site_id = ?` (or `IN (?, ...)` for several) with its parameters when sites are asked for, nothing otherwise. */
export function siteFilter(siteId?: SiteFilter, column = 'site_id'): Query {
  if (siteId === undefined) return { sql: '', params: [] };
  if (typeof siteId === 'string' || siteId.length === 1) return { sql: ` AND ${column} = ?`, params: [typeof siteId === 'string' ? siteId : siteId[0]] };
  return { sql: ` AND ${column} IN (${siteId.map(() => '?').join(', ')})`, params: [...siteId] };
}
