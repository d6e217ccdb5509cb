/**
 * The webhook outbox's reads and writes outside the ingest transaction (migration 012): the dispatcher's
 * claim and finish, the deliveries API, the inactive-users scan's inserts. One SQL text for both stores
 * (`?` placeholders; PostgreSQL renumbers them), apart from the claim's row locks.
 *
 * Claiming is one UPDATE of due rows whose lease has run out, so two collector processes never hold one
 * row at once: SQLite runs it under its one write lock; PostgreSQL picks the rows FOR UPDATE SKIP LOCKED,
 * and re-checks a row another claimer just committed (its new lease_until excludes it).
 */
import { OUTBOX_COLUMNS, outboxValues, type OutboxRow, type OutboxType as EventType } from '../webhooks/events';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface ClaimedEvent extends OutboxRow {
  attempts: number;
  retryFrom: number;
}

export interface Delivery {
  id: string;
  endpoint: string;
  siteId: string;
  sessionId: string | null;
  userId: string | null;
  type: EventType;
  status: DeliveryStatus;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

export interface Attempt {
  at: number;
  owner: string;
  durationMs: number;
  status: number | null;
  error: string | null;
}

export interface AttemptOutcome {
  at: number;
  durationMs: number;
  /** The answer's HTTP status, or null when none came (refused, timed out). */
  httpStatus: number | null;
  error: string | null;
  /** What the row becomes; `nextAttemptAt` matters only for pending. */
  status: DeliveryStatus;
  nextAttemptAt: number;
}

export interface Outbox {
  /** Inserts events not already held (by id); resolves to the number inserted. */
  enqueue(rows: OutboxRow[]): Promise<number>;
  /** Leases up to `limit` due events to `owner` until `now + leaseMs`. */
  claim(now: number, leaseMs: number, owner: string, limit: number): Promise<ClaimedEvent[]>;
  /** Records an attempt and its outcome; false when `owner` no longer holds the lease (nothing changed). */
  finish(id: string, owner: string, outcome: AttemptOutcome): Promise<boolean>;
  list(filter: { status?: DeliveryStatus | undefined; siteIds?: readonly string[] | undefined; limit: number }): Promise<Delivery[]>;
  get(id: string): Promise<(Delivery & { payload: string; attemptLog: Attempt[] }) | null>;
  /** Makes an event due now again, with the same id; 'leased' while a dispatcher is sending it. */
  redeliver(id: string, now: number): Promise<'queued' | 'unknown' | 'leased'>;
  /** Identified users of a site whose last activity is in (after, upTo]. */
  idleUsers(siteId: string, after: number, upTo: number, limit: number): Promise<Array<{ userId: string; lastActiveAt: number }>>;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

export interface OutboxExec {
  all(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  run(sql: string, params: unknown[]): Promise<number>;
  /**
   * Runs the statements in order in one transaction; resolves to each one's changed-row count. A list, not
   * a callback, so that SQLite runs it synchronously (nothing else on the connection can come in between).
   */
  inTransaction(statements: Statement[]): Promise<number[]>;
}

export const OUTBOX_INSERT = `INSERT INTO webhook_outbox (${OUTBOX_COLUMNS.join(', ')}) VALUES (${OUTBOX_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`;

const DELIVERY_COLUMNS = 'id, endpoint, site_id, session_id, user_id, type, status, attempts, created_at, next_attempt_at, last_attempt_at, last_status, last_error, delivered_at';
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

const toDelivery = (r: Record<string, unknown>): Delivery => ({
  id: String(r.id),
  endpoint: String(r.endpoint),
  siteId: String(r.site_id),
  sessionId: r.session_id === null ? null : String(r.session_id),
  userId: r.user_id === null ? null : String(r.user_id),
  type: String(r.type) as EventType,
  status: String(r.status) as DeliveryStatus,
  attempts: Number(r.attempts),
  createdAt: Number(r.created_at),
  nextAttemptAt: r.status === 'pending' ? num(r.next_attempt_at) : null,
  lastAttemptAt: num(r.last_attempt_at),
  lastStatus: num(r.last_status),
  lastError: r.last_error === null || r.last_error === undefined ? null : String(r.last_error),
  deliveredAt: num(r.delivered_at),
});

export function outboxOf(dialect: 'sqlite' | 'postgres', exec: OutboxExec): Outbox {
  const lock = dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  return {
    async enqueue(rows) {
      if (rows.length === 0) return 0;
      const changed = await exec.inTransaction(rows.map((r) => ({ sql: OUTBOX_INSERT, params: outboxValues(r) })));
      return changed.reduce((a, b) => a + b, 0);
    },
    async claim(now, leaseMs, owner, limit) {
      // A read first: most polls find nothing due, and need no write lock (SQLite's is shared with the writer thread).
      const due = await exec.all(`SELECT 1 AS x FROM webhook_outbox WHERE status = 'pending' AND next_attempt_at <= ? AND lease_until <= ? LIMIT 1`, [now, now]);
      if (due.length === 0) return [];
      const rows = await exec.all(
        `UPDATE webhook_outbox SET lease_until = ?, lease_owner = ? WHERE id IN (
          SELECT id FROM webhook_outbox WHERE status = 'pending' AND next_attempt_at <= ? AND lease_until <= ? ORDER BY next_attempt_at LIMIT ?${lock})
        RETURNING id, endpoint, site_id, session_id, user_id, type, payload, created_at, attempts, retry_from`,
        [now + leaseMs, owner, now, now, limit],
      );
      return rows.map((r) => ({
        id: String(r.id), endpoint: String(r.endpoint), siteId: String(r.site_id), sessionId: r.session_id === null ? null : String(r.session_id),
        userId: r.user_id === null ? null : String(r.user_id), type: String(r.type) as EventType, payload: String(r.payload),
        createdAt: Number(r.created_at), attempts: Number(r.attempts), retryFrom: Number(r.retry_from),
      }));
    },
    async finish(id, owner, o) {
      const [changed] = await exec.inTransaction([
        {
          sql: `UPDATE webhook_outbox SET status = ?, attempts = attempts + 1, next_attempt_at = ?, lease_until = 0, lease_owner = NULL,
            last_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ? WHERE id = ? AND lease_owner = ?`,
          params: [o.status, o.nextAttemptAt, o.at, o.httpStatus, o.error, o.status === 'delivered' ? o.at : null, id, owner],
        },
        { sql: 'INSERT INTO webhook_attempts (event_id, at, owner, duration_ms, status, error) VALUES (?, ?, ?, ?, ?, ?)', params: [id, o.at, owner, o.durationMs, o.httpStatus, o.error] },
      ]);
      return changed! > 0;
    },
    async list({ status, siteIds, limit }) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (status) where.push('status = ?'), params.push(status);
      if (siteIds) where.push(`site_id IN (${siteIds.map(() => '?').join(', ') || 'NULL'})`), params.push(...siteIds);
      const rows = await exec.all(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_outbox${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT ?`,
        [...params, limit],
      );
      return rows.map(toDelivery);
    },
    async get(id) {
      const [row] = await exec.all(`SELECT ${DELIVERY_COLUMNS}, payload FROM webhook_outbox WHERE id = ?`, [id]);
      if (!row) return null;
      const attempts = await exec.all('SELECT at, owner, duration_ms, status, error FROM webhook_attempts WHERE event_id = ? ORDER BY at', [id]);
      return {
        ...toDelivery(row),
        payload: String(row.payload),
        attemptLog: attempts.map((a) => ({ at: Number(a.at), owner: String(a.owner), durationMs: Number(a.duration_ms), status: num(a.status), error: a.error === null ? null : String(a.error) })),
      };
    },
    async redeliver(id, now) {
      const changed = await exec.run(
        `UPDATE webhook_outbox SET status = 'pending', next_attempt_at = ?, retry_from = ?, delivered_at = NULL WHERE id = ? AND lease_until <= ?`,
        [now, now, id, now],
      );
      if (changed > 0) return 'queued';
      return (await exec.all('SELECT 1 AS x FROM webhook_outbox WHERE id = ?', [id])).length > 0 ? 'leased' : 'unknown';
    },
    async idleUsers(siteId, after, upTo, limit) {
      const rows = await exec.all(
        `SELECT user_id, last_active_at FROM site_user WHERE site_id = ? AND sessions > 0 AND last_active_at > ? AND last_active_at <= ?
          ORDER BY last_active_at, user_id LIMIT ?`,
        [siteId, after, upTo, limit],
      );
      return rows.map((r) => ({ userId: String(r.user_id), lastActiveAt: Number(r.last_active_at) }));
    },
  };
}
