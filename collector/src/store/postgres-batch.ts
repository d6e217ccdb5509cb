/**
 * The one place where a PostgreSQL write transaction's statements are built: a group of ingests written
 * as one, each credited with its own rows (the SQLite twin is store/sqlite-batch.ts). The webhook outbox
 * (migration 012) is written in `write`: an event commits or rolls back with the rows that cause it, and
 * only rows that were stored (a higher seq, a new alert) cause one, so a replay causes none. Relays' requests
 * (SM_RELAYS) go to the same outbox, with their ledger entries (store/relay-ledger.ts), in the same transaction.
 *
 * Each table gets one statement per group whatever its size: the rows travel as one array per column
 * and `unnest` turns them back into rows, so the statement's text never changes and is prepared once
 * per connection (a VALUES list of the group's rows had a new text, so a new parse and plan, and up to
 * 65535 parameters per statement).
 */
import type pg from 'pg';
import type { AlertRow, SessionRow } from '../ingest/rows';
import { writePostgresAttention } from './attention/bind';
import { strictestQuota } from './group-commit';
import { overQuota } from './postgres-quota';
import * as q from './queries/index';
import type { IngestLimits, IngestResult } from './types';
import type { Webhooks } from '../webhooks/config';
import { eventsOf, OUTBOX_COLUMNS, outboxValues } from '../webhooks/events';
import type { Relays } from '../relays/config';
import { postgresRelayRows } from './relay-ledger';

export interface Batch {
  sessions: SessionRow[];
  alerts: AlertRow[];
  limits?: IngestLimits | undefined;
}

const sessionKey = (s: { siteId: string; id: string }) => `${s.siteId}\u0000${s.id}`;
const alertKey = (a: { siteId: string; sessionId: string; threshold: string; direction: string }) => `${a.siteId}\u0000${a.sessionId}\u0000${a.threshold}\u0000${a.direction}`;

/** Rows (arrays of values, in `columns` order) as one array per column. */
const byColumn = (rows: unknown[][], width: number) => Array.from({ length: width }, (_, c) => rows.map((r) => r[c]));

/**
 * `INSERT INTO table (columns) SELECT * FROM unnest($1::type[], ...)`, the types read from the catalog
 * (so a column added by a migration needs nothing here), then `tail`.
 */
function unnestInsert(table: string, columns: readonly string[], types: Map<string, string>, tail: string): string {
  const arrays = columns.map((c, i) => {
    const type = types.get(c);
    if (!type) throw new Error(`column ${table}.${c} is not in the database: run migrate() first`);
    return `$${i + 1}::${type}[]`;
  });
  return `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')}) ${tail}`;
}

async function columnTypes(client: pg.PoolClient, table: string): Promise<Map<string, string>> {
  const r = await client.query(
    'SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped',
    [table],
  );
  return new Map((r.rows as Array<{ attname: string; type: string }>).map((x) => [x.attname, x.type]));
}

export function postgresBatchWriter(webhooks: Webhooks = [], relays: Relays = []) {
  const events = eventsOf(webhooks);
  let statements: Promise<{ sessions: string; records: string; pages: string; alerts: string; outbox: string }> | undefined;
  const prepare = async (client: pg.PoolClient) => ({
    sessions: unnestInsert('sessions', q.SESSION_COLUMNS, await columnTypes(client, 'sessions'), `${q.SESSION_UPSERT_TAIL} RETURNING site_id, id`),
    records: unnestInsert('session_records', ['site_id', 'id', 'record'], await columnTypes(client, 'session_records'), q.RECORD_UPSERT_TAIL),
    pages: unnestInsert('session_pages', q.PAGE_COLUMNS, await columnTypes(client, 'session_pages'), q.PAGE_UPSERT_TAIL),
    alerts: unnestInsert('alerts', q.ALERT_COLUMNS, await columnTypes(client, 'alerts'), 'ON CONFLICT DO NOTHING RETURNING site_id, session_id, threshold, direction'),
    outbox: unnestInsert('webhook_outbox', OUTBOX_COLUMNS, await columnTypes(client, 'webhook_outbox'), 'ON CONFLICT (id) DO NOTHING'),
  });

  /**
   * Writes sessions (each key at most once) and alerts (each key at most once); returns the keys of the
   * session rows that were inserted or replaced and of the alerts that were inserted.
   */
  async function write(client: pg.PoolClient, sessions: SessionRow[], alerts: AlertRow[], quota: number | undefined) {
    const st = await (statements ??= prepare(client).catch((e) => {
      statements = undefined;
      throw e;
    }));
    const changedKeys = new Set<string>();
    const insertedAlerts = new Set<string>();
    // The same key order in every transaction, so concurrent writers lock rows in one order.
    const ordered = [...sessions].sort((a, b) => (sessionKey(a) < sessionKey(b) ? -1 : 1));
    const refused = quota === undefined || ordered.length === 0 ? new Set<string>() : await overQuota(client, ordered, quota, sessionKey);
    const sorted = refused.size > 0 ? ordered.filter((s) => !refused.has(sessionKey(s))) : ordered;
    if (sorted.length > 0) {
      const changed = await client.query({ name: 'sm_sessions', text: st.sessions, values: byColumn(sorted.map(q.sessionValues), q.SESSION_COLUMNS.length) });
      for (const r of changed.rows as Array<{ site_id: string; id: string }>) changedKeys.add(sessionKey({ siteId: r.site_id, id: r.id }));
    }
    const won = sorted.filter((s) => changedKeys.has(sessionKey(s)));
    if (won.length > 0) {
      await client.query({ name: 'sm_records', text: st.records, values: [won.map((s) => s.siteId), won.map((s) => s.id), won.map((s) => s.record)] });
      // A snapshot's pages replace the stored ones: the paths it no longer lists go, the others are updated in
      // place (one UPDATE, so the pages rollup's statement trigger of 015 applies one difference per page row).
      // Each session's paths as one JSON array (`?` tests membership). The rows are found by one index lookup
      // per session (LATERAL) and deleted by row id; the sessions upsert above holds these sessions' row locks,
      // so no other writer moves their page rows. Unnamed, so planned for its arrays each time: the generic
      // plan of a named statement cost 20 ms per group of 50 (it scanned), the custom one under 2 ms.
      await client.query({
        text: `DELETE FROM session_pages WHERE ctid = ANY (ARRAY(
          SELECT p.ctid FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS k(site_id, id, paths)
          CROSS JOIN LATERAL (SELECT ctid, path FROM session_pages s WHERE s.site_id = k.site_id AND s.session_id = k.id) p
          WHERE NOT k.paths ? p.path))`,
        values: [won.map((s) => s.siteId), won.map((s) => s.id), won.map((s) => JSON.stringify(s.pages.map((p) => p.path)))],
      });
      const pages = won.flatMap(q.pageValues);
      if (pages.length > 0) await client.query({ name: 'sm_pages', text: st.pages, values: byColumn(pages, q.PAGE_COLUMNS.length) });
      await writePostgresAttention(client, won);
    }
    if (alerts.length > 0) {
      const r = await client.query({ name: 'sm_alerts', text: st.alerts, values: byColumn(alerts.map(q.alertValues), q.ALERT_COLUMNS.length) });
      for (const a of r.rows as Array<{ site_id: string; session_id: string; threshold: string; direction: string }>) {
        insertedAlerts.add(alertKey({ siteId: a.site_id, sessionId: a.session_id, threshold: a.threshold, direction: a.direction }));
      }
    }
    if (webhooks.length > 0 || relays.length > 0) {
      const rows = [
        ...won.flatMap(events.sessionEnded),
        ...alerts.filter((a) => insertedAlerts.has(alertKey(a))).flatMap(events.alert),
        ...(await postgresRelayRows(client, relays, won)),
      ];
      if (rows.length > 0) await client.query({ name: 'sm_outbox', text: st.outbox, values: byColumn(rows.map(outboxValues), OUTBOX_COLUMNS.length) });
    }
    return { changedKeys, insertedAlerts, refused };
  }

  /**
   * Writes several ingests as one: per session key the highest seq of the group, per alert key the first.
   * Each ingest is then credited with the rows of its own that ended up stored.
   */
  return async function writeGroup(client: pg.PoolClient, group: Batch[]): Promise<IngestResult[]> {
    const best = new Map<string, SessionRow>();
    const firstAlert = new Map<string, AlertRow>();
    for (const p of group) {
      for (const s of p.sessions) {
        const prev = best.get(sessionKey(s));
        if (!prev || s.seq > prev.seq) best.set(sessionKey(s), s);
      }
      for (const a of p.alerts) if (!firstAlert.has(alertKey(a))) firstAlert.set(alertKey(a), a);
    }
    const { changedKeys, insertedAlerts, refused } = await write(client, [...best.values()], [...firstAlert.values()], strictestQuota(group));
    return group.map((p) => {
      const result: IngestResult = {
        sessionsChanged: p.sessions.filter((s) => changedKeys.has(sessionKey(s)) && best.get(sessionKey(s)) === s).length,
        alertsInserted: p.alerts.filter((a) => insertedAlerts.has(alertKey(a)) && firstAlert.get(alertKey(a)) === a).length,
      };
      const over = p.sessions.filter((s) => refused.has(sessionKey(s)));
      return over.length > 0 ? { ...result, overQuota: over.map((s) => ({ siteId: s.siteId, id: s.id })) } : result;
    });
  };
}
