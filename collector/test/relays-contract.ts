/**
 * Relays (SM_RELAYS), for every store with an outbox: the requests each vendor gets, checked against the
 * vendor's documented rules (relay-vendors.ts) and for OTLP against `@opentelemetry/otlp-transformer`'s
 * own encoding; a 500-then-200 vendor (delivered once, the same key); replays (nothing sent); GA4's
 * deltas summing to the final record's engaged time and never past it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionRecord } from '../../src/core/records';
import { referenceLogs } from '../../test/e2e/adapters/otlp-reference';
import { toSessionRow } from '../src/ingest/rows';
import { parseRelays, type Relays } from '../src/relays/config';
import { createDispatcher } from '../src/webhooks/dispatcher';
import { session, type TestStore } from './fixtures';
import { driveUntilDone, MINUTE, useFakeDate } from './webhook-helpers';
import { startVendor, type Vendor, type VendorBehave } from './relay-receiver';
import { ga4Problems, posthogProblems, segmentProblems } from './relay-vendors';

export type OpenRelayStore = (opts: { relays?: Relays }) => Promise<TestStore>;

const SECRETS = { ga4: 'mp-secret-123', segment: 'seg-write-key', posthog: 'phc_project_key' };
const figures = (f: Record<string, unknown>) => console.log(`relay figures ${JSON.stringify(f)}`);
const pagesOf = (n: number, engagedMs: number) =>
  Array.from({ length: n }, (_, i) => ({ path: `/lesson/${i}`, views: 1, engagedMs: Math.floor(engagedMs / n), firstSeenAt: '2026-03-10T10:00:00.000Z', lastSeenAt: '2026-03-10T10:02:00.000Z', band: null }));

export function relaysContract(name: string, open: OpenRelayStore) {
  describe(`relays on ${name}`, () => {
    const cleanup: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      for (const c of cleanup.splice(0).reverse()) await c();
      vi.useRealTimers();
    });

    /** A store relaying site-a to a local vendor at `path`, and a dispatcher for it. */
    async function relayTo(vendor: 'ga4' | 'segment' | 'posthog' | 'otlp', path: string, extra: Record<string, unknown> = {}, behave?: VendorBehave) {
      const v: Vendor = await startVendor(path, behave);
      const secret = vendor === 'ga4' ? { apiSecret: SECRETS.ga4, measurementId: 'G-TEST1234' } : vendor === 'segment' ? { writeKey: SECRETS.segment } : vendor === 'posthog' ? { apiKey: SECRETS.posthog } : {};
      const relays = parseRelays(JSON.stringify({ 'site-a': [{ name: vendor, vendor, url: v.url, ...secret, ...extra }] }), null);
      const t = await open({ relays });
      cleanup.push(() => v.close(), () => t.dispose());
      const logged: string[] = [];
      const log = { info: (_: unknown, msg: string) => logged.push(msg), warn: (_: unknown, msg: string) => logged.push(msg) };
      const d = createDispatcher({ outbox: t.store.outbox!, webhooks: [], relays, log });
      const drain = () => driveUntilDone(d, t.store.outbox!, MINUTE);
      const ingest = (records: SessionRecord[]) => t.store.ingest(records.map((r) => toSessionRow(r, Date.now())), []);
      return { v, t, relays, drain, ingest, logged };
    }

    it('GA4: deltas from the highest seq relayed sum to the final engaged time, never past it, in valid Measurement Protocol requests', async () => {
      useFakeDate();
      const { v, t, ingest, drain } = await relayTo('ga4', '/mp/collect', { pages: true });
      const at = (seq: number, engagedMs: number, final = false) =>
        session({ id: 'g', anonymousId: 'anon-g', userId: 'u-9', seq, engagedMs, durationMs: 200_000, final, pages: pagesOf(2, engagedMs) });
      // Out of order, repeated, stale, in one ingest and apart; then a record after the final one.
      await ingest([at(1, 10_000)]);
      await ingest([at(3, 40_000), at(2, 25_000)]);
      await ingest([at(3, 40_000), at(2, 25_000)]);
      await ingest([at(5, 90_000, true)]);
      await ingest([at(5, 90_000, true), at(4, 60_000)]);
      await ingest([at(6, 95_000, true)]);
      await drain();
      const events = v.accepted().flatMap((r) => r.body.events as Array<{ name: string; params: Record<string, number | string> }>);
      expect(v.requests.flatMap((r) => ga4Problems(r, 'G-TEST1234', SECRETS.ga4))).toEqual([]);
      expect(v.requests.map((r) => [r.body.client_id, r.body.user_id])).toEqual(Array(v.requests.length).fill(['anon-g', 'u-9']));
      let running = 0;
      for (const e of events.filter((x) => x.name === 'sm_session')) {
        running += e.params.sm_engaged_ms as number;
        expect(running).toBeLessThanOrEqual(90_000);
      }
      expect(running).toBe(90_000);
      const perPage = (path: string) => events.filter((e) => e.params.sm_page === path).reduce((a, e) => a + (e.params.sm_engaged_ms as number), 0);
      expect([perPage('/lesson/0'), perPage('/lesson/1')]).toEqual([45_000, 45_000]);
      // The stored payloads hold no secret: the dispatcher adds it to the query of each attempt.
      const stored = await t.store.outbox!.list({ limit: 100 });
      for (const d of stored) expect((await t.store.outbox!.get(d.id))!.payload).not.toContain(SECRETS.ga4);
      figures({ vendor: 'ga4', store: name, ingests: 6, snapshots: 9, requests: v.requests.length, sessionEvents: events.filter((x) => x.name === 'sm_session').length, engagedSum: running, finalEngaged: 90_000, afterFinal: 95_000 });
    });

    it('GA4: at most 25 events a request, 25 params an event, values within 100 characters', async () => {
      useFakeDate();
      const { v, ingest, drain } = await relayTo('ga4', '/mp/collect', { pages: true, forward: 'final' });
      const meta = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`m${i}`, 'x'.repeat(300)]));
      await ingest([session({ id: 'wide', seq: 2, final: true, engagedMs: 60_000, pages: pagesOf(30, 60_000), meta })]);
      await drain();
      expect(v.requests.flatMap((r) => ga4Problems(r, 'G-TEST1234', SECRETS.ga4))).toEqual([]);
      // Sent concurrently (one claim), so in either order.
      expect(v.requests.map((r) => r.body.events.length).sort((a, b) => b - a)).toEqual([25, 6]);
      figures({ vendor: 'ga4', store: name, reports: 31, requests: v.requests.map((r) => r.body.events.length).sort((a, b) => b - a), maxParams: Math.max(...v.requests.flatMap((r) => r.body.events.map((e: { params: object }) => Object.keys(e.params).length))) });
    });

    it('Segment: one track per session with its messageId, Basic auth, 32 KB a message and 500 KB a batch', async () => {
      useFakeDate();
      const { v, ingest, drain } = await relayTo('segment', '/v1/batch', { pages: true });
      const meta = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`m${i}`, 'y'.repeat(1000)]));
      await ingest([
        session({ id: 'big', seq: 4, final: true, engagedMs: 80_000, pages: pagesOf(40, 80_000), meta }),
        session({ id: 'who', seq: 2, final: true, userId: 'u-1' }),
        session({ id: 'open', seq: 1 }),
      ]);
      await drain();
      expect(v.requests.flatMap((r) => segmentProblems(r, SECRETS.segment))).toEqual([]);
      const messages = v.requests.flatMap((r) => r.body.batch);
      expect(messages.length).toBe(41 + 2);
      expect(new Set(messages.map((m: { messageId: string }) => m.messageId)).size).toBe(43);
      expect(messages.find((m: { userId?: string }) => m.userId === 'u-1')).toMatchObject({ event: 'sm_session', properties: { sm_engaged_ms: 90_000 } });
      figures({ vendor: 'segment', store: name, messages: messages.length, requests: v.requests.length, largestRequestBytes: Math.max(...v.requests.map((r) => r.bytes)), largestMessageBytes: Math.max(...messages.map((m: object) => Buffer.byteLength(JSON.stringify(m)))) });
    });

    it('PostHog: api_key, event, distinct_id and uuid in every /batch request; the key never stored', async () => {
      useFakeDate();
      const { v, t, ingest, drain } = await relayTo('posthog', '/batch/');
      await ingest([session({ id: 'p1', seq: 3, final: true, userId: 'u-7' }), session({ id: 'p2', seq: 1, final: true, anonymousId: 'anon-p2' })]);
      await drain();
      expect(v.requests.flatMap((r) => posthogProblems(r, SECRETS.posthog))).toEqual([]);
      expect(v.requests.flatMap((r) => r.body.batch.map((e: { properties: { distinct_id: string } }) => e.properties.distinct_id)).sort()).toEqual(['anon-p2', 'u-7']);
      for (const d of await t.store.outbox!.list({ limit: 10 })) expect((await t.store.outbox!.get(d.id))!.payload).not.toContain(SECRETS.posthog);
      figures({ vendor: 'posthog', store: name, sessions: 2, requests: v.requests.length });
    });

    it('OTLP: the ExportLogsServiceRequest that @opentelemetry/otlp-transformer writes, with the configured headers', async () => {
      useFakeDate();
      const { v, ingest, drain } = await relayTo('otlp', '/v1/logs', { serviceName: 'learn-site', headers: { Authorization: 'Bearer otel-token' } });
      const r = session({ id: 'o1', seq: 2, final: true, userId: 'u-3', meta: { plan: 'pro', trial: false } });
      const receivedAt = Date.now();
      await ingest([r, session({ id: 'o2', seq: 1 })]);
      await drain();
      expect(v.requests.length).toBe(1);
      expect(v.requests[0]!.headers.authorization).toBe('Bearer otel-token');
      expect(v.requests[0]!.body).toEqual(referenceLogs([r], receivedAt, 'learn-site'));
      figures({ vendor: 'otlp', store: name, requests: v.requests.length, logRecords: v.requests[0]!.body.resourceLogs[0].scopeLogs[0].logRecords.length });
    });

    it('a vendor that answers 500, then 200: delivered once, the same messageId; Retry-After honoured', async () => {
      useFakeDate();
      const { v, t, ingest, drain, logged } = await relayTo('segment', '/v1/batch', {}, (n) => (n === 1 ? { status: 500 } : n === 2 ? { status: 503, retryAfter: '600' } : {}));
      await ingest([session({ id: 'flaky', seq: 2, final: true })]);
      const took = await drain();
      const ids = v.requests.map((r) => r.body.batch[0].messageId);
      expect(v.requests.map((r) => r.answered)).toEqual([500, 503, 200]);
      expect(new Set(ids).size).toBe(1);
      expect(took).toBeGreaterThanOrEqual(600_000);
      const [d] = await t.store.outbox!.list({ limit: 10 });
      expect([d!.status, d!.attempts, d!.type, d!.endpoint]).toEqual(['delivered', 3, 'relay.segment', 'site-a/segment']);
      // The log says relay, not webhook, for each attempt.
      expect(logged.filter((m) => m.startsWith('relay '))).toEqual(['relay attempt failed', 'relay attempt failed', 'relay delivered']);
      figures({ vendor: 'segment', store: name, fault: '500, 503 Retry-After 600, 200', requests: v.requests.length, delivered: v.accepted().length, fakeMsToDelivery: took });
    });

    it('replayed records send nothing: same seq, lower seq, and a final record again', async () => {
      useFakeDate();
      const { v, t, ingest, drain } = await relayTo('posthog', '/batch/');
      const records = [1, 2, 3].map((i) => session({ id: `r${i}`, seq: 4, final: true }));
      await ingest(records);
      await drain();
      const before = [v.requests.length, (await t.store.outbox!.list({ limit: 100 })).length];
      await ingest(records);
      await ingest(records.map((r) => ({ ...r, seq: 3, final: false })));
      await ingest(records.map((r) => ({ ...r, seq: 9, engagedMs: r.engagedMs + 5_000 })));
      await drain();
      expect([v.requests.length, (await t.store.outbox!.list({ limit: 100 })).length]).toEqual(before);
      figures({ vendor: 'posthog', store: name, fault: 'replayed records', caused: before[1], requests: v.requests.length, replayedIngests: 3 });
    });
  });
}
