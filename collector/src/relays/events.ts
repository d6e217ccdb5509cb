/**
 * Which outbox rows a stored session row causes for a relay: the browser adapters' own exactly-once
 * ledger (src/adapters/ledger.ts `account`) and vendor mappings (src/adapters/map/*), run inside the
 * store's write transaction against the relay's ledger entry for the session (migration 013), so that
 * the entry and the events commit or roll back together. Pure: the SQLite writer thread and the
 * PostgreSQL batch writer call it with the entry they read.
 *
 * Each vendor's request limits are applied here, so that every stored payload is one valid request:
 * GA4 Measurement Protocol at most 25 events (the mapping splits); Segment at most 32 KB per message
 * and 500 KB per batch; PostHog and OTLP one request per stored row.
 */
import { account, type LedgerEntry, type Report } from '../../../src/adapters/ledger';
import { toGa4MeasurementProtocol } from '../../../src/adapters/map/ga4';
import { toOtlpLogs } from '../../../src/adapters/map/otlp';
import { toPosthogBatch } from '../../../src/adapters/map/posthog';
import type { MapContext } from '../../../src/adapters/map/properties';
import { toSegmentBatch } from '../../../src/adapters/map/segment';
import type { SessionRecord } from '../../../src/core/records';
import type { SessionRow } from '../ingest/rows';
import { eventId, type OutboxRow } from '../webhooks/events';
import type { Relay, Relays } from './config';

/** Segment's documented limits: 32 KB per message, 500 KB per batch request (bytes of UTF-8). */
export const SEGMENT_MESSAGE_BYTES = 32 * 1024;
export const SEGMENT_BATCH_BYTES = 500 * 1024;

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

/** A Segment message within 32 KB: the host's `meta` properties (last) dropped from the end until it fits. */
function fitSegmentMessage<T extends { properties: Record<string, unknown> }>(m: T): T {
  const keys = Object.keys(m.properties);
  const out = { ...m, properties: { ...m.properties } };
  while (bytes(out) > SEGMENT_MESSAGE_BYTES && keys.length > 0) delete out.properties[keys.pop()!];
  return out;
}

/** Messages grouped into `{ batch }` bodies of at most 500 KB. */
function segmentBodies(messages: object[]): object[] {
  const bodies: object[][] = [];
  let size = SEGMENT_BATCH_BYTES;
  for (const m of messages) {
    const b = bytes(m) + 1;
    if (size + b > SEGMENT_BATCH_BYTES - 64) bodies.push([]), (size = 0);
    bodies[bodies.length - 1]!.push(m), (size += b);
  }
  return bodies.map((batch) => ({ batch }));
}

/** The stored bodies (without the relay's secret, which the dispatcher adds) for `reports`. */
export function relayBodies(relay: Relay, reports: Report[], at: number): object[] {
  if (reports.length === 0) return [];
  const c: MapContext = { prefix: relay.prefix, sessionEvent: relay.sessionEvent, pageEvent: relay.pageEvent, say: () => {} };
  switch (relay.vendor) {
    case 'ga4':
      return toGa4MeasurementProtocol(reports, c);
    case 'segment':
      return segmentBodies(toSegmentBatch(reports, c).batch.map(fitSegmentMessage));
    case 'posthog': {
      const { api_key: _key, ...body } = toPosthogBatch(reports, c, '');
      return [body];
    }
    case 'otlp':
      return [toOtlpLogs(reports, { serviceName: relay.serviceName, now: at })];
  }
}

/** Whether `row` can cause anything for `relay` (and so whether its ledger entry must be read). */
export const relayConcerns = (relay: Relay, row: SessionRow) => relay.site === row.siteId && (row.final || relay.forward === 'deltas');

/**
 * The relay's reports for a session row just stored (a higher seq than before), given its ledger entry
 * for the session: the entry to store and the outbox rows, each one request with an id derived from the
 * reports' keys (so the same reports are one row however often they are written).
 */
export function relayRows(relay: Relay, row: SessionRow, entry: LedgerEntry | undefined): { entry: LedgerEntry; rows: OutboxRow[] } {
  const record = JSON.parse(row.record) as SessionRecord;
  const id = record.siteId + '\n' + record.id;
  const ledger = entry ? { [id]: entry } : {};
  const reports = account(ledger, [record], { forward: relay.forward, pages: relay.pages });
  const type = `relay.${relay.vendor}` as const;
  const rows = relayBodies(relay, reports, row.receivedAt).map((body, i): OutboxRow => ({
    id: eventId(relay.key, type, [...reports.map((r) => r.key), i]),
    endpoint: relay.key,
    siteId: row.siteId,
    sessionId: row.id,
    userId: row.userId,
    type,
    payload: JSON.stringify(body),
    createdAt: row.receivedAt,
  }));
  return { entry: ledger[id]!, rows };
}

/** The relays of `relays` that `row` concerns. */
export const relaysFor = (relays: Relays, row: SessionRow) => relays.filter((r) => relayConcerns(r, row));
