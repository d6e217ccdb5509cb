/**
 * The PostgreSQL store (DATABASE_URL), through `pg`. Same tables and report SQL as SQLite
 * (store/queries/, renumbered to $n). An ingest resolves after the COMMIT that holds it, which with
 * PostgreSQL's default `synchronous_commit = on` means the WAL is flushed: acknowledged is durable.
 */
import pg from 'pg';
import type { AlertRow, SessionRow } from '../ingest/rows';
import { erasurePlan, oldAlerts, oldWebhookEvents, retentionDayPlan, retentionDays, runPlan } from './erasure';
import { exportReads, toExport } from './person-export';
import { attentionReads } from './attention/read';
import { migrations } from './migrations/index';
import { postgresBatchWriter } from './postgres-batch';
import * as q from './queries/index';
import { withReports, type DashboardReports } from './reports/index';
import { groupCommit, type PendingIngest } from './group-commit';
import type { IngestResult, Store } from './types';
import { outboxOf } from './outbox';
import type { Webhooks } from '../webhooks/config';
import type { Relays } from '../relays/config';

type Pending = PendingIngest;

export interface PostgresStoreOptions {
  url: string;
  /** Schema for every table (created by migrate); tests use one per run. @defaultValue 'public' */
  schema?: string;
  /** @defaultValue 10 */
  poolSize?: number;
  /** Endpoints whose events are written to the outbox with the records that cause them (SM_WEBHOOKS). @defaultValue [] */
  webhooks?: Webhooks;
  /** Relays whose requests are written to the same outbox, with their ledger entries (SM_RELAYS). @defaultValue [] */
  relays?: Relays;
}

/** `?` placeholders to PostgreSQL's `$1, $2, ...`. The shared SQL uses `?` for nothing else. */
export function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

export async function openPostgresStore({ url, schema = 'public', poolSize = 10, webhooks = [], relays = [] }: PostgresStoreOptions): Promise<Store> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/i.test(schema)) throw new Error(`schema '${schema}' must be a plain SQL identifier`);
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: `-c search_path="${schema}"` });
  // An idle client losing its connection emits here; without a listener it would crash the process.
  pool.on('error', () => {});
  // NOTIFY channel of this schema's writes (store/watch.ts): collectors on other schemas never hear it.
  const channel = `session_metrics_${schema}`.slice(0, 63);

  const all = async (query: q.Query) => (await pool.query(numbered(query.sql), query.params)).rows as Record<string, unknown>[];
  const one = async (query: q.Query) => (await all(query))[0];
  const on = (client: pg.PoolClient) => ({
    all: async (query: q.Query) => (await client.query(numbered(query.sql), query.params)).rows as Record<string, unknown>[],
    run: async (query: q.Query) => (await client.query(numbered(query.sql), query.params)).rowCount ?? 0,
  });

  const writeGroup = postgresBatchWriter(webhooks, relays);

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

  /** writeGroup, and a NOTIFY to other collectors' live views, delivered when (and only if) the transaction commits. */
  async function writeAndNotify(client: pg.PoolClient, group: Pending[]) {
    const r = await writeGroup(client, group);
    if (r.some((x) => x.sessionsChanged > 0)) await client.query('SELECT pg_notify($1, $2)', [channel, '']);
    return r;
  }

  // Group commit, as in the SQLite store: every COMMIT waits for a WAL flush (an fsync, ~13 ms on the
  // benchmark machine), so batches that arrive while one transaction commits are written together in
  // the next. Each request still resolves only after the COMMIT that holds its rows.
  const writes = groupCommit((group) => transaction((client) => writeAndNotify(client, group)));
  let closed = false;

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
    ingest(sessions, alerts, limits) {
      if (closed) return Promise.reject(new Error('store is closed'));
      return writes.submit(sessions, alerts, limits);
    },
    async perUser(range) {
      return (await all(q.perUser(range, 'postgres'))).map(q.map.perUser);
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
    outbox: outboxOf('postgres', {
      all: async (sql, params) => (await pool.query(numbered(sql), params)).rows as Record<string, unknown>[],
      run: async (sql, params) => (await pool.query(numbered(sql), params)).rowCount ?? 0,
      inTransaction: (statements) =>
        transaction(async (client) => {
          const changed: number[] = [];
          for (const st of statements) changed.push((await client.query(numbered(st.sql), st.params)).rowCount ?? 0);
          return changed;
        }),
    }),
    async counts() {
      return q.map.counts(await one(q.counts));
    },
    async getSession(siteId, id) {
      return q.map.session(await one(q.getSession(siteId, id)));
    },
    watch(onChange) {
      let client: pg.Client | undefined;
      let stopped = false;
      const listen = async () => {
        const c = new pg.Client({ connectionString: url });
        c.on('error', () => {});
        c.on('notification', (n) => n.channel === channel && onChange());
        c.on('end', () => {
          // The connection dropped: listen again, and catch up on what may have been missed meanwhile.
          if (!stopped) setTimeout(() => void listen().then(onChange, () => {}), 1000).unref();
        });
        await c.connect();
        if (stopped) return void c.end();
        await c.query(`LISTEN "${channel}"`);
        client = c;
      };
      void listen().catch(() => {});
      return () => {
        stopped = true;
        void client?.end().catch(() => {});
      };
    },
    async checkWritable() {
      await pool.query('INSERT INTO health_check (id, checked_at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET checked_at = EXCLUDED.checked_at', [Date.now()]);
    },
    async erase(person) {
      return transaction((client) => {
        const c = on(client);
        return runPlan(erasurePlan(person), c.all, c.run);
      });
    },
    async exportPerson(person, at) {
      return transaction(async (client) => {
        // One snapshot for every table read.
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const read: Record<string, Record<string, unknown>[]> = {};
        for (const [k, query] of Object.entries(exportReads(person))) read[k] = await on(client).all(query);
        return toExport(person, at, read);
      });
    },
    async removeBefore(beforeDay, cutoffMs) {
      const total = { days: [] as string[], sessions: 0, records: 0, pages: 0, alerts: 0, attention: 0, meta: 0 };
      for (const r of await all(retentionDays(beforeDay))) {
        const day = String(r.start_day);
        const removed = await transaction((client) => {
          const c = on(client);
          return runPlan(retentionDayPlan(day), c.all, c.run);
        });
        total.days.push(day);
        for (const k of ['sessions', 'records', 'pages', 'alerts', 'attention', 'meta'] as const) total[k] += removed[k];
      }
      total.alerts += (await pool.query(numbered(oldAlerts(cutoffMs).sql), oldAlerts(cutoffMs).params)).rowCount ?? 0;
      for (const w of oldWebhookEvents(cutoffMs)) await pool.query(numbered(w.sql), w.params);
      return total;
    },
    async close() {
      // Idempotent, like the SQLite store's: a second close (tests, a failed start) is not an error.
      if (closed) return;
      closed = true;
      await writes.settled();
      await pool.end();
    },
  };
  return withReports(store, { dialect: 'postgres', all });
}
