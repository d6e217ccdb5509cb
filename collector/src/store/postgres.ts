/**
 * The PostgreSQL store (DATABASE_URL), through `pg`. Same tables and report SQL as SQLite
 * (store/queries/, renumbered to $n). An ingest resolves after the COMMIT that holds it, which with
 * PostgreSQL's default `synchronous_commit = on` means the WAL is flushed: acknowledged is durable.
 */
import pg from 'pg';
import type { AlertRow, SessionRow } from '../ingest/rows';
import { attentionReads } from './attention/read';
import { migrations } from './migrations/index';
import { postgresBatchWriter } from './postgres-batch';
import * as q from './queries/index';
import { withReports, type DashboardReports } from './reports/index';
import type { IngestResult, Store } from './types';

interface Pending {
  sessions: SessionRow[];
  alerts: AlertRow[];
  resolve: (r: IngestResult) => void;
  reject: (e: unknown) => void;
}

export interface PostgresStoreOptions {
  url: string;
  /** Schema for every table (created by migrate); tests use one per run. @defaultValue 'public' */
  schema?: string;
  /** @defaultValue 10 */
  poolSize?: number;
}

/** `?` placeholders to PostgreSQL's `$1, $2, ...`. The shared SQL uses `?` for nothing else. */
export function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

export async function openPostgresStore({ url, schema = 'public', poolSize = 10 }: PostgresStoreOptions): Promise<Store> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/i.test(schema)) throw new Error(`schema '${schema}' must be a plain SQL identifier`);
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: `-c search_path="${schema}"` });
  // An idle client losing its connection emits here; without a listener it would crash the process.
  pool.on('error', () => {});

  const all = async (query: q.Query) => (await pool.query(numbered(query.sql), query.params)).rows as Record<string, unknown>[];
  const one = async (query: q.Query) => (await all(query))[0];

  const writeGroup = postgresBatchWriter();

  /** Runs `work` in one transaction, retrying when PostgreSQL asks for it. */
  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        // 40P01 deadlock, 40001 serialization failure: PostgreSQL asks for a retry.
        const code = (e as { code?: string }).code;
        if ((code === '40P01' || code === '40001') && attempt < 5) continue;
        throw e;
      } finally {
        client.release();
      }
    }
  }

  // Group commit, as in the SQLite store: every COMMIT waits for a WAL flush (an fsync, ~13 ms on the
  // benchmark machine), so batches that arrive while one transaction commits are written together in
  // the next. Each request still resolves only after the COMMIT that holds its rows.
  let queue: Pending[] = [];
  let draining = false;
  let closed = false;
  async function drain() {
    if (draining) return;
    draining = true;
    try {
      while (queue.length > 0) {
        const group = queue;
        queue = [];
        try {
          const results = await transaction((client) => writeGroup(client, group));
          group.forEach((p, i) => p.resolve(results[i]!));
        } catch {
          // One batch broke the shared transaction: commit each on its own so the others are not refused for it.
          for (const p of group) await transaction((client) => writeGroup(client, [p])).then((r) => p.resolve(r[0]!), p.reject);
        }
      }
    } finally {
      draining = false;
    }
  }

  const store: Omit<Store, keyof DashboardReports> = {
    kind: 'postgres',
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // Several collectors may start at once against one database: one migrates, the others wait.
        await client.query("SELECT pg_advisory_xact_lock(hashtext('session-metrics migrations'))");
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
        const applied = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((r: { version: number }) => r.version));
        for (const m of migrations('postgres')) {
          if (applied.has(m.version)) continue;
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        }
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    ingest(sessions, alerts) {
      if (closed) return Promise.reject(new Error('store is closed'));
      return new Promise<IngestResult>((resolve, reject) => {
        queue.push({ sessions, alerts, resolve, reject });
        void drain();
      });
    },
    async perUser(range) {
      return (await all(q.perUser(range))).map(q.map.perUser);
    },
    async summary(range) {
      const [totals, users] = await Promise.all([one(q.summary(range)), one(q.distinctUsers(range))]);
      return q.map.summary(totals, users);
    },
    async daily(range) {
      return (await all(q.daily(range))).map(q.map.daily);
    },
    async durationBuckets(range, bounds) {
      return q.map.durationBuckets(await one(q.durationBuckets(range, bounds)), bounds.length + 1);
    },
    async breaks(range) {
      return q.map.breaks(await one(q.breaks(range)));
    },
    async bands(range) {
      return (await all(q.bands(range))).map(q.map.bands);
    },
    async pages(range, limit) {
      return (await all(q.pages(range, limit))).map(q.map.pages);
    },
    async inactiveUsers(cutoff, limit, siteId) {
      return (await all(q.inactiveUsers(cutoff, limit, siteId))).map(q.map.inactive);
    },
    async activeSessions(since, limit, until) {
      return (await all(q.activeSessions(since, limit, until))).map(q.map.active);
    },
    attention: attentionReads(all),
    async counts() {
      return q.map.counts(await one(q.counts));
    },
    async getSession(siteId, id) {
      return q.map.session(await one(q.getSession(siteId, id)));
    },
    async close() {
      closed = true;
      while (draining || queue.length > 0) await new Promise((r) => setTimeout(r, 5));
      await pool.end();
    },
  };
  return withReports(store, { dialect: 'postgres', all });
}
