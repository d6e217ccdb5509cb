/**
 * A query as both stores take it: plain SQL with `?` placeholders, which SQLite takes as is and
 * PostgreSQL gets renumbered to `$n` (store/postgres.ts), and its parameters.
 */
export interface Query {
  sql: string;
  params: unknown[];
}

/** `<table>.start_day` within the range, and the site when one is asked for. */
export function rangeFilter(range: { start: string; end: string; siteId?: string | undefined }, table = 'sessions'): Query {
  const params: unknown[] = [range.start, range.end];
  let sql = `${table}.start_day >= ? AND ${table}.start_day <= ?`;
  if (range.siteId !== undefined) {
    sql += ` AND ${table}.site_id = ?`;
    params.push(range.siteId);
  }
  return { sql, params };
}

/** ` AND site_id = ?` with its parameter when a site is asked for, nothing otherwise. */
export function siteFilter(siteId?: string): Query {
  return siteId === undefined ? { sql: '', params: [] } : { sql: ' AND site_id = ?', params: [siteId] };
}
