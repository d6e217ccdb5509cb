/**
 * The ClickHouse schema: the numbered migrations (`NNN_name.clickhouse.sql`) applied in order and
 * recorded in `schema_migrations`. On one server the tables are created as named; with a cluster,
 * each is created `ON CLUSTER` as `<name>_local` with a `Distributed` table of the plain name in front,
 * sharded by a hash of the session id so that every snapshot of a session lands on one shard (the
 * argMax by seq that the reports rely on then never has to look across shards).
 *
 * ClickHouse has no transactions or locks, so every statement is idempotent (IF NOT EXISTS) and
 * several collectors starting at once may all run them; `schema_migrations` may then hold a version
 * twice, which is read as applied.
 */
import { migrations } from '../migrations/index';
import type { ClickHouseHttp } from './http';
import { identifier, literal } from './literal';

export interface ClickHouseLayout {
  database: string;
  /** The cluster of `remote_servers`, or undefined for one server. */
  cluster?: string | undefined;
}

/** The sharding key of each table that holds rows (a table not listed here is not sharded). */
export const SHARDING_KEYS: Record<string, string> = {
  sessions: 'cityHash64(site_id, id)',
  session_seq: 'cityHash64(site_id, id)',
  alerts: 'cityHash64(site_id, session_id)',
  site_day_kept: 'cityHash64(site_id, start_day)',
  site_day_page_kept: 'cityHash64(site_id, start_day)',
};

/** The statements of one migration file, with the layout's names filled in. */
export function statements(sqlText: string, layout: ClickHouseLayout): string[] {
  const db = identifier(layout.database, 'ClickHouse database');
  const onCluster = layout.cluster ? `ON CLUSTER ${identifier(layout.cluster, 'ClickHouse cluster')}` : '';
  const out: string[] = [];
  for (const raw of sqlText.split(/;\s*$/m)) {
    const body = raw.replace(/^\s*--.*$/gm, '').trim();
    if (!body) continue;
    out.push(body.replaceAll('{db}', db).replaceAll('{local}', layout.cluster ? '_local' : '').replaceAll('{on_cluster}', onCluster));
    const table = /^CREATE TABLE IF NOT EXISTS \{db\}\.(\w+)\{local\}/.exec(body)?.[1];
    if (table && layout.cluster) {
      const key = SHARDING_KEYS[table];
      if (!key) throw new Error(`ClickHouse migration: table ${table} has no sharding key in SHARDING_KEYS`);
      out.push(`CREATE TABLE IF NOT EXISTS ${db}.${table} ${onCluster} AS ${db}.${table}_local ENGINE = Distributed(${layout.cluster}, ${db}, ${table}_local, ${key})`);
    }
  }
  return out;
}

export async function migrateClickHouse(http: ClickHouseHttp, layout: ClickHouseLayout): Promise<void> {
  const db = identifier(layout.database, 'ClickHouse database');
  const onCluster = layout.cluster ? ` ON CLUSTER ${identifier(layout.cluster, 'ClickHouse cluster')}` : '';
  await http.exec(`CREATE DATABASE IF NOT EXISTS ${db}${onCluster}`);
  // Recorded on the server the collector talks to; every collector of a cluster talks to the same one
  // or runs the same idempotent statements again.
  await http.exec(`CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (version UInt32, name String, applied_at DateTime) ENGINE = MergeTree ORDER BY version`);
  const applied = new Set((await http.rows<{ version: number }>(`SELECT DISTINCT version FROM ${db}.schema_migrations`)).map((r) => Number(r.version)));
  for (const m of migrations('clickhouse')) {
    if (applied.has(m.version)) continue;
    for (const statement of statements(m.sql, layout)) await http.exec(statement);
    await http.exec(`INSERT INTO ${db}.schema_migrations VALUES (${literal(m.version)}, ${literal(m.name)}, now())`);
  }
}
