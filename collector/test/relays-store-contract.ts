/**
 * Relays' store rules, for every store with an outbox: a failed ingest leaves neither a ledger entry nor a
 * request; two collectors writing one session's snapshots at once relay each engaged ms once; erasure
 * deletes a person's ledger entries and requests; relays alone start the dispatcher, and their
 * deliveries are listed and redelivered by the deliveries API (same body, same keys).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../src/access';
import { build } from '../src/app';
import { toAlertRow, toSessionRow } from '../src/ingest/rows';
import { parseRelays } from '../src/relays/config';
import { createDispatcher } from '../src/webhooks/dispatcher';
import { alert, session, TOKEN, type TestStore } from './fixtures';
import type { OpenRelayStore } from './relays-contract';
import { startVendor } from './relay-receiver';
import { driveUntilDone, MINUTE, useFakeDate } from './webhook-helpers';

const figures = (f: Record<string, unknown>) => console.log(`relay figures ${JSON.stringify(f)}`);

export function relaysStoreContract(name: string, open: OpenRelayStore, openSecond: (t: TestStore) => Promise<TestStore>) {
  describe(`relays on ${name}: the store`, () => {
    const cleanup: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      for (const c of cleanup.splice(0).reverse()) await c();
      vi.useRealTimers();
    });
    const setUp = async (vendor: 'ga4' | 'posthog', behave?: Parameters<typeof startVendor>[1]) => {
      const v = await startVendor('/r', behave);
      const secret = vendor === 'ga4' ? { measurementId: 'G-TEST1234', apiSecret: 's3cret' } : { apiKey: 'phc_k' };
      const relays = parseRelays(JSON.stringify({ 'site-a': [{ name: vendor, vendor, url: v.url, ...secret }] }), null);
      const t = await open({ relays });
      cleanup.push(() => v.close(), () => t.dispose());
      return { v, t, relays };
    };
    const ledger = (t: TestStore) => t.raw({ sql: 'SELECT session_id FROM relay_ledger ORDER BY session_id', params: [] });

    it('an ingest that fails leaves no ledger entry and no request: they roll back with the records', async () => {
      const { t } = await setUp('ga4');
      const row = toSessionRow(session({ id: 'rb', seq: 2, engagedMs: 30_000 }), Date.now());
      const broken = { ...toAlertRow(alert({ sessionId: 'rb' }), Date.now()), at: null as unknown as number };
      await expect(t.store.ingest([row], [broken])).rejects.toThrow();
      expect([await ledger(t), await t.store.outbox!.list({ limit: 10 })]).toEqual([[], []]);
      await t.store.ingest([row], []);
      expect((await ledger(t)).map((r) => r.session_id)).toEqual(['rb']);
      expect((await t.store.outbox!.list({ limit: 10 })).map((d) => d.type)).toEqual(['relay.ga4']);
    });

    it('two collectors writing one session at once: the deltas still sum to the final engaged time', async () => {
      useFakeDate();
      const { v, t, relays } = await setUp('ga4');
      const second = await openSecond(t);
      cleanup.push(() => second.store.close());
      const snap = (seq: number) => toSessionRow(session({ id: 'race', seq, engagedMs: seq * 1_000, durationMs: 200_000, final: seq === 60 }), Date.now());
      // Seqs 1..60 split between the collectors, each sending its own in order, both at once.
      const from = (store: TestStore, odd: boolean) => (async () => {
        for (let seq = odd ? 1 : 2; seq <= 60; seq += 2) await store.store.ingest([snap(seq)], []);
      })();
      await Promise.all([from(t, true), from(second, false)]);
      await driveUntilDone(createDispatcher({ outbox: t.store.outbox!, webhooks: [], relays, batch: 100 }), t.store.outbox!, MINUTE);
      const deltas = v.requests.flatMap((r) => r.body.events.map((e: { params: { sm_engaged_ms: number } }) => e.params.sm_engaged_ms));
      expect(deltas.reduce((a: number, b: number) => a + b, 0)).toBe(60_000);
      expect(deltas.every((d: number) => d > 0)).toBe(true);
      figures({ vendor: 'ga4', store: name, fault: 'two collectors, one session', snapshots: 60, requests: v.requests.length, engagedSum: deltas.reduce((a: number, b: number) => a + b, 0), finalEngaged: 60_000 });
    });

    it("erasure deletes a person's ledger entries and relay requests", async () => {
      const { t } = await setUp('posthog');
      await t.store.ingest([toSessionRow(session({ id: 'ada1', userId: 'ada', final: true }), Date.now()), toSessionRow(session({ id: 'bob1', userId: 'bob', final: true }), Date.now())], []);
      expect((await ledger(t)).map((r) => r.session_id)).toEqual(['ada1', 'bob1']);
      await t.store.erase({ userId: 'ada' });
      expect((await ledger(t)).map((r) => r.session_id)).toEqual(['bob1']);
      expect((await t.store.outbox!.list({ limit: 10 })).map((d) => d.sessionId)).toEqual(['bob1']);
    });

    it('relays alone start the dispatcher; the deliveries API lists and redelivers them with the same body', async () => {
      let failing = true;
      const { v, t, relays } = await setUp('posthog', () => ({ status: failing ? 500 : 200 }));
      const app = await build({
        store: t.store, relays, rateLimit: false, static: false, dispatch: { pollMs: 20 },
        tokens: [{ grant: { name: 'admin', scope: 'admin' }, sha256: Buffer.from(hashToken(TOKEN), 'hex') }],
      });
      cleanup.push(() => app.close());
      await app.ready();
      expect((await app.inject({ method: 'POST', url: '/collect', payload: [session({ id: 'api', final: true })] })).statusCode).toBe(200);
      const auth = { authorization: `Bearer ${TOKEN}` };
      let list = { deliveries: [] as Array<{ id: string; attempts: number; status: string }> };
      for (let i = 0; i < 100 && !(list.deliveries[0]?.attempts >= 1); i++) {
        await new Promise((r) => setTimeout(r, 20));
        list = (await app.inject({ url: '/api/webhooks/deliveries', headers: auth })).json();
      }
      expect(list.deliveries).toMatchObject([{ endpoint: 'site-a/posthog', type: 'relay.posthog', status: 'pending', attempts: 1, last_error: 'HTTP 500' }]);
      const id = list.deliveries[0]!.id;
      failing = false;
      expect((await app.inject({ method: 'POST', url: `/api/webhooks/deliveries/${id}/redeliver`, headers: auth })).statusCode).toBe(202);
      let one = (await app.inject({ url: `/api/webhooks/deliveries/${id}`, headers: auth })).json();
      for (let i = 0; i < 100 && one.status !== 'delivered'; i++) await new Promise((r) => setTimeout(r, 20)), (one = (await app.inject({ url: `/api/webhooks/deliveries/${id}`, headers: auth })).json());
      expect(one).toMatchObject({ status: 'delivered', attempts: 2, last_status: 200 });
      expect(one.payload).not.toContain('phc_k');
      expect(v.requests.map((r) => r.answered)).toEqual([500, 200]);
      expect(v.requests[1]!.body).toEqual(v.requests[0]!.body);
      expect(v.requests[0]!.body.batch[0].uuid).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
}
