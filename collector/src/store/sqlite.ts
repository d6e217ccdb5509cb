/**
 * The embedded default store: one SQLite file under the data directory, through better-sqlite3.
 *
 * Durability: WAL with `synchronous = FULL`, so a commit returns only after the WAL is fsynced
 * (SQLite's documentation of `PRAGMA synchronous`: NORMAL in WAL mode may lose the last
 * transactions on power loss, which would break "nothing acknowledged is lost").
 *
 * Throughput: better-sqlite3 is synchronous, and an fsync per request would cap ingest at the disk's
 * fsync rate. Requests that arrive in the same event-loop turn are therefore committed together in
 * one transaction (group commit); each request's promise resolves only after that commit.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AlertRow, SessionRow } from '../ingest/rows';
import { sqliteAttentionWriter } from './attention/bind';
import { attentionReads } from './attention/read';
import { migrations } from './migrations/index';
import * as q from './queries/index';
import { withReports, type DashboardReports } from './reports/index';
import type { DayRange, IngestResult, Store } from './types';

export interface SqliteStoreOptions {
  /** Database file; created with its directory when missing. */
  file: string;
  /** Defer to the next turn to batch commits; replaceable in tests. */
  schedule?: (fn: () => void) => void;
}

interface Pending {
  sessions: SessionRow[];
  alerts: AlertRow[];
  resolve: (r: IngestResult) => void;
  reject: (e: unknown) => void;
}

export function openSqliteStore({ file, schedule = setImmediate }: SqliteStoreOptions): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');

  let statements: ReturnType<typeof prepare> | undefined;
  function prepare() {
    const ph = (n: number) => Array(n).fill('?').join(', ');
    return {
      upsert: db.prepare(`INSERT INTO sessions (${q.SESSION_COLUMNS.join(', ')}) VALUES (${ph(q.SESSION_COLUMNS.length)}) ${q.SESSION_UPSERT_TAIL}`),
      upsertRecord: db.prepare(`INSERT INTO session_records (site_id, id, record) VALUES (?, ?, ?) ${q.RECORD_UPSERT_TAIL}`),
      deletePages: db.prepare('DELETE FROM session_pages WHERE site_id = ? AND session_id = ?'),
      insertPage: db.prepare(`INSERT INTO session_pages (${q.PAGE_COLUMNS.join(', ')}) VALUES (${ph(q.PAGE_COLUMNS.length)})`),
      insertAlert: db.prepare(`INSERT INTO alerts (${q.ALERT_COLUMNS.join(', ')}) VALUES (${ph(q.ALERT_COLUMNS.length)}) ON CONFLICT DO NOTHING`),
    };
  }

  const writeAttention = sqliteAttentionWriter(db);
  const writeOne = (sessions: SessionRow[], alerts: AlertRow[]): IngestResult => {
    const st = (statements ??= prepare());
    let sessionsChanged = 0;
    let alertsInserted = 0;
    for (const s of sessions) {
      if (st.upsert.run(...q.sessionValues(s)).changes === 0) continue;
      sessionsChanged++;
      st.upsertRecord.run(s.siteId, s.id, s.record);
      st.deletePages.run(s.siteId, s.id);
      for (const values of q.pageValues(s)) st.insertPage.run(...values);
      writeAttention(s);
    }
    for (const a of alerts) alertsInserted += st.insertAlert.run(...q.alertValues(a)).changes;
    return { sessionsChanged, alertsInserted };
  };

  const writeGroup = db.transaction((group: Pending[]) => group.map((p) => writeOne(p.sessions, p.alerts)));
  const writeSingle = db.transaction(writeOne);

  let pending: Pending[] = [];
  let scheduled = false;
  let closed = false;

  const flush = () => {
    scheduled = false;
    const group = pending;
    pending = [];
    if (group.length === 0) return;
    let results: IngestResult[];
    try {
      results = writeGroup(group);
    } catch {
      // One request's rows broke the shared transaction (rolled back whole): commit each on its own so
      // the others are not refused for it.
      for (const p of group) {
        try {
          p.resolve(writeSingle(p.sessions, p.alerts));
        } catch (e) {
          p.reject(e);
        }
      }
      return;
    }
    group.forEach((p, i) => p.resolve(results[i]!));
  };

  const all = (query: q.Query) => db.prepare(query.sql).all(...query.params) as Record<string, unknown>[];
  const one = (query: q.Query) => db.prepare(query.sql).get(...query.params) as Record<string, unknown> | undefined;

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
    ingest(sessions, alerts) {
      if (closed) return Promise.reject(new Error('store is closed'));
      return new Promise((resolve, reject) => {
        pending.push({ sessions, alerts, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          schedule(flush);
        }
      });
    },
    async perUser(range: DayRange) {
      return all(q.perUser(range)).map(q.map.perUser);
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
    async counts() {
      return q.map.counts(one(q.counts));
    },
    async getSession(siteId, id) {
      return q.map.session(one(q.getSession(siteId, id)));
    },
    async close() {
      if (closed) return;
      flush();
      closed = true;
      db.close();
    },
  };
  return withReports(store, { dialect: 'sqlite', all: async (query) => all(query) });
}

/** The raw handle, for the benchmark's bulk loader. */
export type SqliteDatabase = Database.Database;
