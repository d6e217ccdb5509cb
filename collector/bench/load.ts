/**
 * Bulk-loads N sessions straight into a store's tables, generated inside the database (a recursive CTE
 * in SQLite, generate_series in PostgreSQL) in one statement: a year of traffic, USERS users, durations
 * up to an hour, engaged time 60 % of it. Deterministic from the row number, so runs compare.
 * The per-row rollup triggers are switched off for the load and the rollups (user_month, and site_day and
 * site_day_band of migration 004) are rebuilt in one statement each after it, as an import would do. Raw records (session_records) are not generated: no
 * report reads them.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

export const YEAR_START = Date.UTC(2025, 0, 1);
export const USERS = 20_000;

const REBUILD_USER_MONTH = `DELETE FROM user_month;
  INSERT INTO user_month (month, user_key, site_id, n, w, d, e)
    SELECT substr(start_day, 1, 7), user_key, site_id, COUNT(*), SUM(weight), SUM(duration_ms), SUM(engaged_ms) FROM sessions GROUP BY 1, 2, 3;`;

/** The backfill of migration 004 (store/migrations/004_site_day_rollup.*.sql), the same in both dialects. */
const REBUILD_SITE_DAY = `DELETE FROM site_day;
  DELETE FROM site_day_band;
  INSERT INTO site_day (start_day, site_id, n, w, d, e, short_w, b0, b1, b2, b3, b4, b5, b6, bw, braw, tw, h0, h1, h2, h3)
    SELECT start_day, site_id,
      COUNT(*),
      SUM(weight),
      SUM(duration_ms),
      SUM(engaged_ms),
      SUM(CASE WHEN engaged_ms < 30000 THEN weight ELSE 0 END),
      SUM(CASE WHEN duration_ms >= 0 AND duration_ms < 30000 THEN weight ELSE 0 END),
      SUM(CASE WHEN duration_ms >= 30000 AND duration_ms < 120000 THEN weight ELSE 0 END),
      SUM(CASE WHEN duration_ms >= 120000 AND duration_ms < 300000 THEN weight ELSE 0 END),
      SUM(CASE WHEN duration_ms >= 300000 AND duration_ms < 900000 THEN weight ELSE 0 END),
      SUM(CASE WHEN duration_ms >= 900000 AND duration_ms < 1800000 THEN weight ELSE 0 END),
      SUM(CASE WHEN duration_ms >= 1800000 AND duration_ms < 3600000 THEN weight ELSE 0 END),
      SUM(CASE WHEN duration_ms >= 3600000 THEN weight ELSE 0 END),
      SUM(break_count * weight),
      SUM(break_count),
      SUM(break_total_ms * weight),
      SUM(break_lt30s * weight),
      SUM(break_30s_2m * weight),
      SUM(break_2m_10m * weight),
      SUM(break_ge10m * weight)
    FROM sessions GROUP BY start_day, site_id;
  
  INSERT INTO site_day_band (start_day, site_id, no_band, band, n, w, min_e)
    SELECT start_day, site_id, CASE WHEN band IS NULL THEN 1 ELSE 0 END, COALESCE(band, ''), COUNT(*), SUM(weight), MIN(engaged_ms)
    FROM sessions GROUP BY start_day, site_id, CASE WHEN band IS NULL THEN 1 ELSE 0 END, COALESCE(band, '');`;

export function loadSqlite(file: string, n: number) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'sessions'").all() as { name: string; sql: string }[];
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  db.exec(`
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${n}),
    g AS (SELECT i, ${YEAR_START} + (i % 365) * 86400000 + (i * 104729) % 86400000 AS t, (i * 31337) % 3600000 AS d FROM c)
    INSERT INTO sessions (site_id, id, seq, user_id, anonymous_id, user_key, started_at, start_day, last_active_at, duration_ms, engaged_ms,
      break_count, break_total_ms, break_longest_ms, break_lt30s, break_30s_2m, break_2m_10m, break_ge10m, band, weight, final, current_page, received_at)
    SELECT 'bench', 's' || i, 1, 'user-' || ((i * 7919) % ${USERS}), 'anon-' || i, 'user-' || ((i * 7919) % ${USERS}), t,
      strftime('%Y-%m-%d', t / 1000, 'unixepoch'), t + d, d, (d * 6) / 10, 1, d - (d * 6) / 10, d - (d * 6) / 10, 0, 0, 1, 0,
      CASE WHEN (d * 6) / 10 >= 300000 THEN 'engaged' WHEN (d * 6) / 10 >= 30000 THEN 'casual' END, 1, 1, '/lesson/' || (i % 50), t + d
    FROM g;`);
  db.exec(REBUILD_USER_MONTH);
  db.exec(REBUILD_SITE_DAY);
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
        break_count, break_total_ms, break_longest_ms, break_lt30s, break_30s_2m, break_2m_10m, break_ge10m, band, weight, final, current_page, received_at)
      SELECT 'bench', 's' || i, 1, 'user-' || ((i * 7919) % ${USERS}), 'anon-' || i, 'user-' || ((i * 7919) % ${USERS}), t,
        to_char(to_timestamp(t / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), t + d, d, (d * 6) / 10, 1, d - (d * 6) / 10, d - (d * 6) / 10, 0, 0, 1, 0,
        CASE WHEN (d * 6) / 10 >= 300000 THEN 'engaged' WHEN (d * 6) / 10 >= 30000 THEN 'casual' END, 1, 1, '/lesson/' || (i % 50), t + d
      FROM (SELECT i::bigint AS i, ${YEAR_START}::bigint + (i % 365) * 86400000::bigint + (i::bigint * 104729) % 86400000 AS t, (i::bigint * 31337) % 3600000 AS d
            FROM generate_series(1, ${n}) AS i) g`);
    // Index-only scans need the visibility map, which VACUUM fills in; ANALYZE gives the planner the row counts.
    await client.query(REBUILD_USER_MONTH);
    await client.query(REBUILD_SITE_DAY);
    await client.query('ALTER TABLE sessions ENABLE TRIGGER USER');
    await client.query('VACUUM ANALYZE sessions');
    await client.query('VACUUM ANALYZE user_month');
    await client.query('VACUUM ANALYZE site_day');
    await client.query('VACUUM ANALYZE site_day_band');
  } finally {
    await client.end();
  }
}
