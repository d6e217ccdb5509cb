/**
 * Bulk-loads N sessions straight into a store's tables, generated inside the database (a recursive CTE
 * in SQLite, generate_series in PostgreSQL) in one statement: a year of traffic, USERS users, durations
 * up to an hour, engaged time 60 % of it. Deterministic from the row number, so runs compare.
 * The per-row rollup triggers (on sessions, session_pages and session_records) are switched off for the load and the rollups (user_month of migration 002,
 * site_day, site_day_band and site_user, as migration 006 rebuilt them, and those of 011) are rebuilt after it
 * by the migrations' own backfill statements, as an import would do. Each session also gets PAGES_PER_SESSION
 * page rows and its raw record (about 0.8 kB of JSON, as the SDK sends it), so that the pages report and the
 * database size are those of real traffic.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { migrations } from '../src/store/migrations/index';

export const YEAR_START = Date.UTC(2025, 0, 1);
export const USERS = 20_000;
export const PAGES_PER_SESSION = 3;
/** Page paths: 50 lessons, 7 courses and 20 quizzes, one of each per session. */
const PAGE_KINDS = [['lesson', 50], ['course', 7], ['quiz', 20]] as const;

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
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('sessions', 'session_pages', 'session_records')").all() as { name: string; sql: string }[];
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
  db.exec(`
    INSERT INTO session_pages (site_id, session_id, path, start_day, views, engaged_ms, first_seen_at, last_seen_at, band, weight, weight_micro, views_weighted, engaged_ms_weighted)
    SELECT s.site_id, s.id, '/' || k.kind || '/' || (CAST(substr(s.id, 2) AS INTEGER) % k.paths), s.start_day, 1 + k.n, s.engaged_ms / ${PAGES_PER_SESSION},
      s.started_at, s.last_active_at, NULL, s.weight, s.weight_micro, (1 + k.n) * s.weight_micro / 1000000, (s.engaged_ms / ${PAGES_PER_SESSION}) * s.weight_micro / 1000000
    FROM sessions s CROSS JOIN (${PAGE_KINDS.map(([kind, paths], n) => `SELECT '${kind}' AS kind, ${paths} AS paths, ${n} AS n`).join(' UNION ALL ')}) k;`);
  db.exec(`
    INSERT INTO session_records (site_id, id, record)
    SELECT site_id, id, json_object('v', 1, 'type', 'session', 'siteId', site_id, 'id', id, 'seq', seq, 'userId', user_id, 'anonymousId', anonymous_id,
      'startedAt', strftime('%Y-%m-%dT%H:%M:%fZ', started_at / 1000.0, 'unixepoch'), 'lastActiveAt', strftime('%Y-%m-%dT%H:%M:%fZ', last_active_at / 1000.0, 'unixepoch'),
      'durationMs', duration_ms, 'engagedMs', engaged_ms,
      'breaks', json_object('count', break_count, 'totalMs', break_total_ms, 'longestMs', break_longest_ms,
        'histogram', json_object('<30s', break_lt30s, '30s-2m', break_30s_2m, '2m-10m', break_2m_10m, '>=10m', break_ge10m)),
      'pages', (SELECT json_group_array(json_object('path', p.path, 'views', p.views, 'engagedMs', p.engaged_ms,
          'firstSeenAt', strftime('%Y-%m-%dT%H:%M:%fZ', p.first_seen_at / 1000.0, 'unixepoch'), 'lastSeenAt', strftime('%Y-%m-%dT%H:%M:%fZ', p.last_seen_at / 1000.0, 'unixepoch'), 'band', p.band))
        FROM session_pages p WHERE p.site_id = sessions.site_id AND p.session_id = sessions.id),
      'band', band, 'sampleRate', 1.0 / weight, 'final', json(CASE WHEN final = 1 THEN 'true' ELSE 'false' END))
    FROM sessions;`);
  for (const sql of backfills('sqlite')) db.exec(sql);
  for (const t of triggers) db.exec(t.sql);
  db.exec('ANALYZE');
  db.close();
}

const LOADED = ['sessions', 'session_pages', 'session_records'];

export async function loadPostgres(url: string, schema: string, n: number) {
  const client = new pg.Client({ connectionString: url, options: `-c search_path="${schema}"` });
  await client.connect();
  try {
    // The page and record triggers too: left on, 3,000,000 page rows each upserted a site_day_page row one at a time.
    for (const t of LOADED) await client.query(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
    await client.query(`
      INSERT INTO sessions (site_id, id, seq, user_id, anonymous_id, user_key, started_at, start_day, last_active_at, duration_ms, engaged_ms,
        break_count, break_total_ms, break_longest_ms, break_lt30s, break_30s_2m, break_2m_10m, break_ge10m, band, weight, weight_micro, break_total_ms_weighted, final, current_page, received_at)
      SELECT 'bench', 's' || i, 1, 'user-' || ((i * 7919) % ${USERS}), 'anon-' || i, 'user-' || ((i * 7919) % ${USERS}), t,
        to_char(to_timestamp(t / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), t + d, d, (d * 6) / 10, 1, d - (d * 6) / 10, d - (d * 6) / 10, 0, 0, 1, 0,
        CASE WHEN (d * 6) / 10 >= 300000 THEN 'engaged' WHEN (d * 6) / 10 >= 30000 THEN 'casual' END, 1, 1000000, d - (d * 6) / 10, 1, '/lesson/' || (i % 50), t + d
      FROM (SELECT i::bigint AS i, ${YEAR_START}::bigint + (i % 365) * 86400000::bigint + (i::bigint * 104729) % 86400000 AS t, (i::bigint * 31337) % 3600000 AS d
            FROM generate_series(1, ${n}) AS i) g`);
    await client.query(`
      INSERT INTO session_pages (site_id, session_id, path, start_day, views, engaged_ms, first_seen_at, last_seen_at, band, weight, weight_micro, views_weighted, engaged_ms_weighted)
      SELECT s.site_id, s.id, '/' || k.kind || '/' || (substr(s.id, 2)::bigint % k.paths), s.start_day, 1 + k.n, s.engaged_ms / ${PAGES_PER_SESSION},
        s.started_at, s.last_active_at, NULL, s.weight, s.weight_micro, (1 + k.n) * s.weight_micro / 1000000, (s.engaged_ms / ${PAGES_PER_SESSION}) * s.weight_micro / 1000000
      FROM sessions s CROSS JOIN (VALUES ${PAGE_KINDS.map(([kind, paths], n) => `('${kind}', ${paths}, ${n})`).join(', ')}) AS k(kind, paths, n)`);
    const iso = (col: string) => `to_char(to_timestamp(${col} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    await client.query(`
      INSERT INTO session_records (site_id, id, record)
      SELECT s.site_id, s.id, json_build_object('v', 1, 'type', 'session', 'siteId', s.site_id, 'id', s.id, 'seq', s.seq, 'userId', s.user_id, 'anonymousId', s.anonymous_id,
        'startedAt', ${iso('s.started_at')}, 'lastActiveAt', ${iso('s.last_active_at')}, 'durationMs', s.duration_ms, 'engagedMs', s.engaged_ms,
        'breaks', json_build_object('count', s.break_count, 'totalMs', s.break_total_ms, 'longestMs', s.break_longest_ms,
          'histogram', json_build_object('<30s', s.break_lt30s, '30s-2m', s.break_30s_2m, '2m-10m', s.break_2m_10m, '>=10m', s.break_ge10m)),
        'pages', (SELECT json_agg(json_build_object('path', p.path, 'views', p.views, 'engagedMs', p.engaged_ms,
            'firstSeenAt', ${iso('p.first_seen_at')}, 'lastSeenAt', ${iso('p.last_seen_at')}, 'band', p.band))
          FROM session_pages p WHERE p.site_id = s.site_id AND p.session_id = s.id),
        'band', s.band, 'sampleRate', 1.0 / s.weight, 'final', s.final = 1)::text
      FROM sessions s`);
    // Index-only scans need the visibility map, which VACUUM fills in; ANALYZE gives the planner the row counts.
    for (const sql of backfills('postgres')) await client.query(sql);
    for (const t of LOADED) await client.query(`ALTER TABLE ${t} ENABLE TRIGGER USER`);
    await client.query('VACUUM ANALYZE sessions');
    await client.query('VACUUM ANALYZE user_month');
    await client.query('VACUUM ANALYZE user_year');
    await client.query('VACUUM ANALYZE site_day');
    await client.query('VACUUM ANALYZE site_day_band');
    await client.query('VACUUM ANALYZE site_user');
    await client.query('VACUUM ANALYZE session_pages');
    await client.query('VACUUM ANALYZE session_records');
  } finally {
    await client.end();
  }
}
