/**
 * The one place where a SQLite write transaction is built: a group of ingests (each a batch of session
 * and alert rows) written in one transaction, each ingest credited with its own rows. Runs wherever the
 * writing connection lives (the writer thread, store/sqlite-writer.ts). The webhook outbox (migration
 * 012) is written here, inside `writeOne`: an event commits or rolls back with the rows that cause it, and
 * only rows that were stored (a higher seq, a new alert) cause one, so a replay causes none. Relays' requests
 * (SM_RELAYS) go to the same outbox, with their ledger entries, in the same transaction.
 */
import type Database from 'better-sqlite3';
import type { AlertRow, SessionRow } from '../ingest/rows';
import { sqliteAttentionWriter } from './attention/bind';
import * as q from './queries/index';
import type { IngestLimits, IngestResult } from './types';
import type { Webhooks } from '../webhooks/config';
import { eventsOf, outboxValues, type OutboxRow } from '../webhooks/events';
import { OUTBOX_INSERT } from './outbox';
import type { Relays } from '../relays/config';
import { relayRows, relaysFor } from '../relays/events';
import { LEDGER_READ, LEDGER_WRITE } from './relay-ledger';
import { sqliteRollups, type TransactionRollups } from './sqlite-rollups';

export interface Batch {
  sessions: SessionRow[];
  alerts: AlertRow[];
  limits?: IngestLimits | undefined;
}

/**
 * Each ingest's result, or why it was refused (the others of its group are still written). Plain data,
 * so that it crosses from the writer thread intact (a cloned Error loses its `code`).
 */
export type Outcome = { ok: true; result: IngestResult } | { ok: false; error: { message: string; code?: string } };

export const refusal = (e: unknown): Outcome => ({
  ok: false,
  error: { message: e instanceof Error ? e.message : String(e), code: (e as { code?: unknown }).code === undefined ? undefined : String((e as { code?: unknown }).code) },
});

export function batchWriter(db: Database.Database, webhooks: Webhooks = [], relays: Relays = []): (group: Batch[]) => Outcome[] {
  const ph = (n: number) => Array(n).fill('?').join(', ');
  const st = {
    upsert: db.prepare(`INSERT INTO sessions (${q.SESSION_COLUMNS.join(', ')}) VALUES (${ph(q.SESSION_COLUMNS.length)}) ${q.SESSION_UPSERT_TAIL}`),
    upsertRecord: db.prepare(`INSERT INTO session_records (site_id, id, record) VALUES (?, ?, ?) ${q.RECORD_UPSERT_TAIL}`),
    insertAlert: db.prepare(`INSERT INTO alerts (${q.ALERT_COLUMNS.join(', ')}) VALUES (${ph(q.ALERT_COLUMNS.length)}) ON CONFLICT DO NOTHING`),
    storedOn: db.prepare('SELECT 1 FROM sessions WHERE site_id = ? AND id = ? AND start_day = ?').pluck(),
    insertEvent: webhooks.length > 0 || relays.length > 0 ? db.prepare(OUTBOX_INSERT) : undefined,
    readLedger: relays.length > 0 ? db.prepare(LEDGER_READ) : undefined,
    writeLedger: relays.length > 0 ? db.prepare(LEDGER_WRITE) : undefined,
  };
  const events = eventsOf(webhooks);
  const enqueue = (rows: OutboxRow[]) => {
    for (const r of rows) st.insertEvent!.run(...outboxValues(r));
  };
  /**
   * A new session for a site-day that is full. Read inside the write transaction, this transaction's own
   * rows included (site_day and what is pending for it), and the one writer serializes the rest.
   */
  const overQuota = (s: SessionRow, quota: number | undefined, rollups: TransactionRollups) =>
    quota !== undefined && rollups.daySessions(s.startDay, s.siteId) >= quota && st.storedOn.get(s.siteId, s.id, s.startDay) === undefined;

  // A relay's ledger entry is read and written in the transaction of the row it accounts (relays/events.ts).
  const relay = (s: SessionRow) => {
    for (const r of relaysFor(relays, s)) {
      const prev = st.readLedger!.get(r.key, s.siteId, s.id) as { entry: string } | undefined;
      const { entry, rows } = relayRows(r, s, prev && JSON.parse(prev.entry));
      st.writeLedger!.run(r.key, s.siteId, s.id, JSON.stringify(entry));
      enqueue(rows);
    }
  };

  const writeAttention = sqliteAttentionWriter(db);
  const startRollups = sqliteRollups(db);
  const writeOne = ({ sessions, alerts, limits }: Batch, rollups: TransactionRollups): IngestResult => {
    let sessionsChanged = 0;
    let alertsInserted = 0;
    const refused: Array<{ siteId: string; id: string }> = [];
    for (const s of sessions) {
      if (overQuota(s, limits?.sessionsPerSiteDay, rollups)) {
        refused.push({ siteId: s.siteId, id: s.id });
        continue;
      }
      const old = rollups.before(s);
      if (st.upsert.run(...q.sessionValues(s)).changes === 0) continue;
      sessionsChanged++;
      st.upsertRecord.run(s.siteId, s.id, s.record);
      rollups.written(s, old);
      writeAttention(s);
      if (st.insertEvent) enqueue(events.sessionEnded(s));
      if (st.readLedger) relay(s);
    }
    for (const a of alerts) {
      const inserted = st.insertAlert.run(...q.alertValues(a)).changes;
      alertsInserted += inserted;
      if (inserted > 0 && st.insertEvent) enqueue(events.alert(a));
    }
    return refused.length > 0 ? { sessionsChanged, alertsInserted, overQuota: refused } : { sessionsChanged, alertsInserted };
  };

  // BEGIN IMMEDIATE: the write lock first, waiting for it up to busy_timeout. A deferred BEGIN starts
  // as a reader (the quota check reads first), and when another process (SM_WORKERS) commits in between,
  // its first write fails at once with SQLITE_BUSY instead of waiting. Taking the lock first also keeps
  // the quota check and the insert it allows in one serialized step across processes.
  // The rollups' differences are applied last, in the same transaction: a rolled-back one discards them.
  const inTransaction = (group: Batch[]) => {
    const rollups = startRollups();
    const results = group.map((batch) => writeOne(batch, rollups));
    rollups.apply();
    return results;
  };
  const writeGroup = db.transaction(inTransaction).immediate;
  const writeSingle = db.transaction((batch: Batch) => inTransaction([batch])[0]!).immediate;

  return (group) => {
    try {
      return writeGroup(group).map((result) => ({ ok: true, result }));
    } catch {
      // One ingest's rows broke the shared transaction (rolled back whole): commit each on its own so the
      // others are not refused for it.
      return group.map((batch) => {
        try {
          return { ok: true, result: writeSingle(batch) };
        } catch (e) {
          return refusal(e);
        }
      });
    }
  };
}
