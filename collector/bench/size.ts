/** The on-disk size of a loaded store, in bytes: the SQLite file (WAL checkpointed into it) or a PostgreSQL schema's relations with their indexes and TOAST. */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import pg from 'pg';

export function sqliteBytes(file: string): number {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return statSync(file).size;
}

export async function postgresBytes(url: string, schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query(
      `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'm')`,
      [schema],
    );
    return Number(r.rows[0].bytes);
  } finally {
    await client.end();
  }
}
