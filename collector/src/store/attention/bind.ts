/**
 * The attention writes (write.ts) bound to each store's driver: prepared statements for SQLite, one
 * multi-row statement per table for PostgreSQL. Both run inside the store's own ingest transaction.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { SessionRow } from '../../ingest/rows';
import { ATTENTION_TABLES, attentionValues, deleteSql, hasAttention, insertSql } from './write';

/** A writer for the SQLite store; statements are prepared on first use (the tables exist after migrate). */
export function sqliteAttentionWriter(db: Database.Database): (s: SessionRow) => void {
  let st: { del: Database.Statement[]; ins: Database.Statement[] } | undefined;
  return (s) => {
    if (!hasAttention(s)) return;
    st ??= { del: ATTENTION_TABLES.map((t) => db.prepare(deleteSql(t))), ins: ATTENTION_TABLES.map((t) => db.prepare(insertSql(t))) };
    const values = attentionValues(s);
    ATTENTION_TABLES.forEach((table, i) => {
      st!.del[i]!.run(s.siteId, s.id);
      for (const row of values[table]) st!.ins[i]!.run(...row);
    });
  };
}

/** `?` to `$n`, as store/postgres.ts does for the shared report SQL. */
const numbered = (sql: string) => {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
};

/** Rows per statement, under PostgreSQL's 65535 bind parameters. */
const CHUNK = 1000;

/** Replaces the attention rows of `sessions` (the snapshots that won) in the PostgreSQL store. */
export async function writePostgresAttention(client: pg.PoolClient, sessions: SessionRow[]): Promise<void> {
  const changed = sessions.filter(hasAttention);
  if (changed.length === 0) return;
  const values = changed.map(attentionValues);
  for (const table of ATTENTION_TABLES) {
    await client.query(`DELETE FROM ${table} t USING unnest($1::text[], $2::text[]) AS k(site_id, id) WHERE t.site_id = k.site_id AND t.session_id = k.id`, [
      changed.map((s) => s.siteId),
      changed.map((s) => s.id),
    ]);
    const rows = values.flatMap((v) => v[table]);
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      await client.query(numbered(insertSql(table, part.length)), part.flat());
    }
  }
}
