/**
 * The embedded default store: one SQLite file under the data directory, through better-sqlite3.
 * Durability and connection settings: store/sqlite-pragmas.ts.
 *
 * Writes go to a writer thread (store/sqlite-writer.ts) with its own connection: better-sqlite3 is
 * synchronous, and a commit's fsync on the event loop held up every request's HTTP parsing (a quarter
 * of the event loop's time at 100 connections, the statements another quarter). Reports read on this
 * thread's connection; WAL lets them run while the writer commits.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { erasurePlan, oldAlerts, oldWebhookEvents, retentionDayPlan, retentionDays, runPlanSync } from './erasure';
import { exportReads, toExport } from './person-export';
import { attentionReads } from './attention/read';
import { migrations } from './migrations/index';
import * as q from './queries/index';
import { pollForChange } from './watch';
import { withReports, type DashboardReports } from './reports/index';
import { configure } from './sqlite-pragmas';
import { writerClient } from './sqlite-writer-client';
import type { DayRange, Store } from './types';
import { outboxOf } from './outbox';
import type { Webhooks } from '../webhooks/config';
import type { Relays } from '../relays/config';

export interface SqliteStoreOptions {
  /** Database file; created with its directory when missing. A file, not ':memory:': the writer thread opens it too. */
  file: string;
  /** Endpoints whose events are written to the outbox with the records that cause them (SM_WEBHOOKS). @defaultValue [] */
  webhooks?: Webhooks;
  /** Relays whose requests are written to the same outbox, with their ledger entries (SM_RELAYS). @defaultValue [] */
  relays?: Relays;
}

export function openSqliteStore({ file, webhooks = [], relays = [] }: SqliteStoreOptions): Store {
  if (file === ':memory:' || file === '') throw new Error('the SQLite store needs a database file: its writer thread and its readers open the same file');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = configure(new Database(file));
  const writer = writerClient(file, webhooks, relays);
  let closed = false;

  const all = (query: q.Query) => db.prepare(query.sql).all(...query.params) as Record<string, unknown>[];
  const one = (query: q.Query) => db.prepare(query.sql).get(...query.params) as Record<string, unknown> | undefined;
  const run = (query: q.Query) => db.prepare(query.sql).run(...query.params).changes;

  const store: Omit<Store, keyof DashboardReports> = {
    kind: 'sqlite',
    async migrate() {
      db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
      for (const m of migrations('sqlite')) {
        if (applied.has(m.version)) continue;
        // BEGIN IMMEDIATE takes the write lock first, so two processes starting at once serialize here.
        db.transaction(() => {
          const again = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version);
          if (again) return;
          db.exec(m.sql);
          db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
        }).immediate();
      }
    },
    ingest(sessions, alerts, limits) {
      if (closed) return Promise.reject(new Error('store is closed'));
      return writer.ingest({ sessions, alerts, limits });
    },
    async perUser(range: DayRange) {
      const query = q.perUser(range, 'sqlite');
      return (db.prepare(query.sql).raw(true).all(...query.params) as unknown[][]).map(q.map.perUserArray);
    },
    async summary(range) {
      return q.map.summary(one(q.summary(range)), one(q.distinctUsers(range)));
    },
    async daily(range) {
      return all(q.daily(range)).map(q.map.daily);
    },
    async durationBuckets(range, bounds) {
      return q.map.durationBuckets(one(q.durationBuckets(range, bounds)), bounds.length + 1);
    },
    async breaks(range) {
      return q.map.breaks(one(q.breaks(range)));
    },
    async bands(range) {
      return all(q.bands(range)).map(q.map.bands);
    },
    async pages(range, limit) {
      return all(q.pages(range, limit)).map(q.map.pages);
    },
    async inactiveUsers(cutoff, limit, siteId) {
      return all(q.inactiveUsers(cutoff, limit, siteId)).map(q.map.inactive);
    },
    async activeSessions(since, limit, until) {
      return all(q.activeSessions(since, limit, until)).map(q.map.active);
    },
    attention: attentionReads(all),
    // On this thread's connection: a few small writes per delivery, beside the writer thread's (busy_timeout).
    outbox: outboxOf('sqlite', {
      all: async (sql, params) => db.prepare(sql).all(...params) as Record<string, unknown>[],
      run: async (sql, params) => db.prepare(sql).run(...params).changes,
      inTransaction: async (statements) => db.transaction(() => statements.map((st) => db.prepare(st.sql).run(...st.params).changes)).immediate(),
    }),
    async counts() {
      return q.map.counts(one(q.counts));
    },
    async getSession(siteId, id) {
      return q.map.session(one(q.getSession(siteId, id)));
    },
    // data_version changes when another connection commits to the file, never for this one's own writes.
    watch: (onChange) => pollForChange(() => (closed ? null : db.pragma('data_version', { simple: true })), 250, onChange),
    async checkWritable() {
      db.prepare('INSERT INTO health_check (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at').run(Date.now());
    },
    async erase(person) {
      // What was received before the erasure is committed first, so that it is erased too: the writer
      // thread answers batches in order, so an empty one comes back after every earlier one committed.
      await writer.ingest({ sessions: [], alerts: [] });
      return db.transaction(() => runPlanSync(erasurePlan(person), all, run)).immediate();
    },
    async exportPerson(person, at) {
      const reads = exportReads(person);
      return toExport(person, at, db.transaction(() => Object.fromEntries(Object.entries(reads).map(([k, query]) => [k, all(query)])))());
    },
    async removeBefore(beforeDay, cutoffMs) {
      await writer.ingest({ sessions: [], alerts: [] });
      const total = { days: [] as string[], sessions: 0, records: 0, pages: 0, alerts: 0, attention: 0, meta: 0 };
      for (const r of all(retentionDays(beforeDay))) {
        const day = String(r.start_day);
        const removed = db.transaction(() => runPlanSync(retentionDayPlan(day), all, run)).immediate();
        total.days.push(day);
        for (const k of ['sessions', 'records', 'pages', 'alerts', 'attention', 'meta'] as const) total[k] += removed[k];
        // One day per transaction, and ingests and reports between them.
        await new Promise((resolve) => setImmediate(resolve));
      }
      total.alerts += run(oldAlerts(cutoffMs));
      for (const w of oldWebhookEvents(cutoffMs)) run(w);
      return total;
    },
    async close() {
      if (closed) return;
      closed = true;
      await writer.close();
      db.close();
    },
  };
  return withReports(store, { dialect: 'sqlite', all: async (query) => all(query) });
}

/** The raw handle, for the benchmark's bulk loader. */
export type SqliteDatabase = Database.Database;
