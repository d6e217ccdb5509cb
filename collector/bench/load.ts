/**
 * Bulk-loads N sessions straight into a store's tables, generated inside the database (a recursive CTE
 * in SQLite, generate_series in PostgreSQL) in one statement: a year of traffic, USERS users, durations
 * up to an hour, engaged time 60 % of it. Deterministic from the row number, so runs compare.
 * The per-row rollup triggers are switched off for the load and the rollups (user_month of migration 002,
 * site_day, site_day_band and site_user, as migration 006 rebuilt them) are rebuilt after it by the migrations' own backfill
 * statements, as an import would do. Raw records (session_records) are not generated: no report reads them.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { migrations } from '../src/store/migrations/index';

export const YEAR_START = Date.UTC(2025, 0, 1);
export const USERS = 20_000;

/**
 * The backfills of the migrations (store/migrations/*.sql): every statement there that starts a line with
 * `INSERT INTO <table>` (trigger bodies are indented), the latest per table, each preceded by emptying its table. The loader runs
 * them as they ship rather than a copy of its own, so a rollup added by a migration is rebuilt here too.
 */
export function backfills(dialect: 'sqlite' | 'postgres'): string[] {
  // A later migration that rebuilds a table (006 rebuilt every rollup) replaces the earlier backfill.
  const byTable = new Map<string, string>();
  for (const m of migrations(dialect)) {
    for (const [statement, table] of m.sql.matchAll(/^INSERT INTO (\w+)[\s\S]*?;$/gm)) byTable.set(table!, statement);
  }
  return [...[...byTable.keys()].map((t) => `DELETE FROM ${t}`), ...byTable.values()];
}

export function loadSqlite(file: string, n: number) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'sessions'").all() as { name: string; sql: string }[];
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  db.exec(`
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${n}),
    g AS (SELECT i, ${YEAR_START} + (i % 365) * 86400000 + (i * 104729) % 86400000 AS t, (i * 31337) % 3600000 AS d FROM c)
    INSERT INTO sessions (site_id, id, seq, user_id, anonymous_id, user_key, started_at, start_day, last_active_at, duration_ms, engaged_ms,
      break_count, break_total_ms, break_longest_ms, break_lt30s, break_30s_2m, break_2m_10m, break_ge10m, band, weight, weight_micro, break_total_ms_weighted, final, current_page, received_at)
    SELECT 'bench', 's' || i, 1, 'user-' || ((i * 7919) % ${USERS}), 'anon-' || i, 'user-' || ((i * 7919) % ${USERS}), t,
      strftime('%Y-%m-%d', t / 1000, 'unixepoch'), t + d, d, (d * 6) / 10, 1, d - (d * 6) / 10, d - (d * 6) / 10, 0, 0, 1, 0,
      CASE WHEN (d * 6) / 10 >= 300000 THEN 'engaged' WHEN (d * 6) / 10 >= 30000 THEN 'casual' END, 1, 1000000, d - (d * 6) / 10, 1, '/lesson/' || (i % 50), t + d
    FROM g;`);
  for (const sql of backfills('sqlite')) db.exec(sql);
  for (const t of triggers) db.exec(t.sql);
  db.exec('ANALYZE');
  db.close();
}

export async function loadPostgres(url: string, schema: string, n: number) {
  const client = new pg.Client({ connectionString: url, options: `-c search_path="${schema}"` });
  await client.connect();
  try {
    await client.query('ALTER TABLE sessions DISABLE TRIGGER USER');
    await client.query(`
      INSERT INTO sessions (site_id, id, seq, user_id, anonymous_id, user_key, started_at, start_day, last_active_at, duration_ms, engaged_ms,
        break_count, break_total_ms, break_longest_ms, break_lt30s, break_30s_2m, break_2m_10m, break_ge10m, band, weight, weight_micro, break_total_ms_weighted, final, current_page, received_at)
      SELECT 'bench', 's' || i, 1, 'user-' || ((i * 7919) % ${USERS}), 'anon-' || i, 'user-' || ((i * 7919) % ${USERS}), t,
        to_char(to_timestamp(t / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), t + d, d, (d * 6) / 10, 1, d - (d * 6) / 10, d - (d * 6) / 10, 0, 0, 1, 0,
        CASE WHEN (d * 6) / 10 >= 300000 THEN 'engaged' WHEN (d * 6) / 10 >= 30000 THEN 'casual' END, 1, 1000000, d - (d * 6) / 10, 1, '/lesson/' || (i % 50), t + d
      FROM (SELECT i::bigint AS i, ${YEAR_START}::bigint + (i % 365) * 86400000::bigint + (i::bigint * 104729) % 86400000 AS t, (i::bigint * 31337) % 3600000 AS d
            FROM generate_series(1, ${n}) AS i) g`);
    // Index-only scans need the visibility map, which VACUUM fills in; ANALYZE gives the planner the row counts.
    for (const sql of backfills('postgres')) await client.query(sql);
    await client.query('ALTER TABLE sessions ENABLE TRIGGER USER');
    await client.query('VACUUM ANALYZE sessions');
    await client.query('VACUUM ANALYZE user_month');
    await client.query('VACUUM ANALYZE site_day');
    await client.query('VACUUM ANALYZE site_day_band');
    await client.query('VACUUM ANALYZE site_user');
  } finally {
    await client.end();
  }
}
