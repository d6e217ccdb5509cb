/**
 * The relay ledger's statements (migration 013), one SQL text for both stores (`?` placeholders;
 * PostgreSQL renumbers them): read a relay's entry for a session, and store the entry that the same
 * transaction's outbox rows followed from (relays/events.ts).
 */
import type pg from 'pg';
import type { LedgerEntry } from '../../../src/adapters/ledger';
import type { SessionRow } from '../ingest/rows';
import type { Relays } from '../relays/config';
import { relayRows, relaysFor } from '../relays/events';
import type { OutboxRow } from '../webhooks/events';

export const LEDGER_READ = 'SELECT entry FROM relay_ledger WHERE relay = ? AND site_id = ? AND session_id = ?';
export const LEDGER_WRITE =
  'INSERT INTO relay_ledger (relay, site_id, session_id, entry) VALUES (?, ?, ?, ?) ON CONFLICT (relay, site_id, session_id) DO UPDATE SET entry = excluded.entry';

/**
 * PostgreSQL: the relays' outbox rows for the session rows `won` (stored by this transaction), with their
 * ledger entries read (locked) and written back in one statement each. Rows of one session are serialized
 * by its sessions row, which this transaction's upsert holds until it commits: a concurrent writer of the
 * same session reads the entry this one wrote.
 */
export async function postgresRelayRows(client: pg.PoolClient, relays: Relays, won: readonly SessionRow[]): Promise<OutboxRow[]> {
  const pairs = won.flatMap((s) => relaysFor(relays, s).map((r) => [r, s] as const));
  if (pairs.length === 0) return [];
  const keys = [pairs.map(([r]) => r.key), pairs.map(([, s]) => s.siteId), pairs.map(([, s]) => s.id)];
  const read = await client.query({
    name: 'sm_relay_ledger_read',
    text: `SELECT l.relay, l.site_id, l.session_id, l.entry FROM relay_ledger l
      JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(relay, site_id, session_id) USING (relay, site_id, session_id) FOR UPDATE OF l`,
    values: keys,
  });
  const held = new Map((read.rows as Array<{ relay: string; site_id: string; session_id: string; entry: string }>).map((r) => [`${r.relay}\n${r.site_id}\n${r.session_id}`, JSON.parse(r.entry) as LedgerEntry]));
  const entries: string[] = [];
  const rows = pairs.flatMap(([r, s]) => {
    const out = relayRows(r, s, held.get(`${r.key}\n${s.siteId}\n${s.id}`));
    entries.push(JSON.stringify(out.entry));
    return out.rows;
  });
  await client.query({
    name: 'sm_relay_ledger_write',
    text: `INSERT INTO relay_ledger (relay, site_id, session_id, entry) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
      ON CONFLICT (relay, site_id, session_id) DO UPDATE SET entry = excluded.entry`,
    values: [...keys, entries],
  });
  return rows;
}
