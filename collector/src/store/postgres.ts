/**
 * The PostgreSQL store (DATABASE_URL), through `pg`. Same tables and report SQL as SQLite
 * (store/queries/, renumbered to $n). An ingest resolves after the COMMIT that holds it, which with
 * PostgreSQL's default `synchronous_commit = on` means the WAL is flushed: acknowledged is durable.
 */
import pg from 'pg';
import type { AlertRow, SessionRow } from '../ingest/rows';
import { writePostgresAttention } from './attention/bind';
import { attentionReads } from './attention/read';
import { migrations } from './migrations/index';
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

function valuesList(rows: unknown[][], width: number, params: unknown[]): string {
  return rows
    .map((row) => {
      const start = params.length;
      params.push(...row);
      return `(${Array.from({ length: width }, (_, k) => `$${start + k + 1}`).join(', ')})`;
    })
    .join(', ');
}

/** Rows per multi-row statement, under PostgreSQL's 65535 bind parameters. */
const CHUNK = 1000;

const chunks = <T>(items: T[], size = CHUNK) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export async function openPostgresStore({ url, schema = 'public', poolSize = 10 }: PostgresStoreOptions): Promise<Store> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/i.test(schema)) throw new Error(`schema '${schema}' must be a plain SQL identifier`);
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: `-c search_path="${schema}"` });
  // An idle client losing its connection emits here; without a listener it would crash the process.
  pool.on('error', () => {});

  const all = async (query: q.Query) => (await pool.query(numbered(query.sql), query.params)).rows as Record<string, unknown>[];
  const one = async (query: q.Query) => (await all(query))[0];

  const sessionKey = (s: { siteId: string; id: string }) => `${s.siteId}\u0000${s.id}`;
  const alertKey = (a: AlertRow) => `${a.siteId}\u0000${a.sessionId}\u0000${a.threshold}\u0000${a.direction}`;

  /**
   * Writes sessions (each key at most once) and alerts; returns the keys of the session rows that were
   * inserted or replaced and of the alerts that were inserted.
   */
  async function write(client: pg.PoolClient, sessions: SessionRow[], alerts: AlertRow[]) {
    const changedKeys = new Set<string>();
    const insertedAlerts = new Set<string>();
    // The same key order in every transaction, so concurrent writers lock rows in one order.
    const sorted = [...sessions].sort((a, b) => (sessionKey(a) < sessionKey(b) ? -1 : 1));
    for (const part of chunks(sorted)) {
      const params: unknown[] = [];
      const values = valuesList(part.map(q.sessionValues), q.SESSION_COLUMNS.length, params);
      const changed = await client.query(`INSERT INTO sessions (${q.SESSION_COLUMNS.join(', ')}) VALUES ${values} ${q.SESSION_UPSERT_TAIL} RETURNING site_id, id`, params);
      if (!changed.rowCount) continue;
      for (const r of changed.rows as Array<{ site_id: string; id: string }>) changedKeys.add(sessionKey({ siteId: r.site_id, id: r.id }));
      const won = part.filter((s) => changedKeys.has(sessionKey(s)));
      const rp: unknown[] = [];
      await client.query(`INSERT INTO session_records (site_id, id, record) VALUES ${valuesList(won.map((s) => [s.siteId, s.id, s.record]), 3, rp)} ${q.RECORD_UPSERT_TAIL}`, rp);
      await client.query('DELETE FROM session_pages p USING unnest($1::text[], $2::text[]) AS k(site_id, id) WHERE p.site_id = k.site_id AND p.session_id = k.id', [
        won.map((s) => s.siteId),
        won.map((s) => s.id),
      ]);
      for (const pagePart of chunks(won.flatMap(q.pageValues))) {
        const pp: unknown[] = [];
        await client.query(`INSERT INTO session_pages (${q.PAGE_COLUMNS.join(', ')}) VALUES ${valuesList(pagePart, q.PAGE_COLUMNS.length, pp)}`, pp);
      }
      await writePostgresAttention(client, won);
    }
    for (const part of chunks(alerts)) {
      const params: unknown[] = [];
      const values = valuesList(part.map(q.alertValues), q.ALERT_COLUMNS.length, params);
      const r = await client.query(`INSERT INTO alerts (${q.ALERT_COLUMNS.join(', ')}) VALUES ${values} ON CONFLICT DO NOTHING RETURNING site_id, session_id, threshold, direction`, params);
      for (const a of r.rows as Array<{ site_id: string; session_id: string; threshold: string; direction: string }>) {
        insertedAlerts.add(`${a.site_id}\u0000${a.session_id}\u0000${a.threshold}\u0000${a.direction}`);
      }
    }
    return { changedKeys, insertedAlerts };
  }

  /**
   * Writes several ingests as one: per session key the highest seq of the group, per alert key the first.
   * Each ingest is then credited with the rows of its own that ended up stored.
   */
  async function writeGroup(client: pg.PoolClient, group: Pending[]): Promise<IngestResult[]> {
    const best = new Map<string, SessionRow>();
    const firstAlert = new Map<string, AlertRow>();
    for (const p of group) {
      for (const s of p.sessions) {
        const prev = best.get(sessionKey(s));
        if (!prev || s.seq > prev.seq) best.set(sessionKey(s), s);
      }
      for (const a of p.alerts) if (!firstAlert.has(alertKey(a))) firstAlert.set(alertKey(a), a);
    }
    const { changedKeys, insertedAlerts } = await write(client, [...best.values()], [...firstAlert.values()]);
    return group.map((p) => ({
      sessionsChanged: p.sessions.filter((s) => changedKeys.has(sessionKey(s)) && best.get(sessionKey(s)) === s).length,
      alertsInserted: p.alerts.filter((a) => insertedAlerts.has(alertKey(a)) && firstAlert.get(alertKey(a)) === a).length,
    }));
  }

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
