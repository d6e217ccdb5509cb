/**
 * The outbox's rules, for every store with one: events are written with the records that cause them and
 * only then (replays, stale seqs and a second final snapshot cause none); two dispatchers on one database
 * never send one event at once; users.inactive once per idle stretch; the deliveries API.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { build } from '../src/app';
import { hashToken } from '../src/access';
import { toAlertRow, toSessionRow } from '../src/ingest/rows';
import { scanInactive } from '../src/webhooks/inactive';
import { alert, session, TOKEN, type TestStore } from './fixtures';
import { advance, dispatcherFor, driveUntilDone, hooksFor, ingestEnded, MINUTE, report, START, tally, useFakeDate, type OpenStore } from './webhook-helpers';
import { startReceiver, type Receiver } from './webhook-receiver';

const DAY = 86_400_000;

export function webhookOutboxContract(name: string, open: OpenStore, openSecond: (t: TestStore) => Promise<TestStore>) {
  describe(`webhooks on ${name}: the outbox`, () => {
    const cleanup: Array<() => Promise<unknown>> = [];
    let receiver: Receiver | undefined;
    afterEach(async () => {
      for (const c of cleanup.splice(0).reverse()) await c();
      await receiver?.close();
      receiver = undefined;
      vi.useRealTimers();
    });
    const opened = async (url: string, extra: Record<string, unknown> = {}) => {
      const hooks = hooksFor(url, extra);
      const t = await open({ webhooks: hooks });
      cleanup.push(() => t.dispose());
      return { t, hooks };
    };

    it('replays of stored records (same or lower seq, the same alert) and a second final snapshot cause no event', async () => {
      useFakeDate();
      receiver = await startReceiver();
      const { t, hooks } = await opened(receiver.url);
      const { records, alerts } = await ingestEnded(t.store, 3);
      const outbox = t.store.outbox!;
      const caused = (await outbox.list({ limit: 100 })).length;
      expect(caused).toBe(6);
      const now = Date.now();
      await t.store.ingest(records.map((r) => toSessionRow(r, now)), alerts.map((a) => toAlertRow(a, now)));
      await t.store.ingest(records.map((r) => toSessionRow({ ...r, seq: 2 }, now)), []);
      await t.store.ingest(records.map((r) => toSessionRow({ ...r, seq: 9, engagedMs: r.engagedMs + 1, durationMs: r.durationMs + 1 }, now)), []);
      // A non-final session, and an alert the filterless endpoint takes: one event more, for the alert only.
      await t.store.ingest([toSessionRow(session({ id: 'open', seq: 1 }), now)], [toAlertRow(alert({ sessionId: 'open', threshold: 'engaged' }), now)]);
      expect((await outbox.list({ limit: 100 })).length).toBe(7);
      const d = dispatcherFor(t.store, hooks);
      await driveUntilDone(d, outbox, MINUTE);
      const f = await tally(outbox, receiver);
      expect([f.caused, f.delivered, f.requests, f.unsigned]).toEqual([7, 7, 7, 0]);
      report({ fault: 'replayed records', store: name, caused: f.caused, delivered: f.delivered, requests: f.requests, replayedIngests: 3 });
    });

    it('an ingest that fails leaves no event: the outbox rolls back with the records', async () => {
      receiver = await startReceiver();
      const { t } = await opened(receiver.url);
      const ended = toSessionRow(session({ id: 'rolled-back', final: true }), Date.now());
      const broken = { ...toAlertRow(alert({ sessionId: 'rolled-back' }), Date.now()), at: null as unknown as number };
      await expect(t.store.ingest([ended], [broken])).rejects.toThrow();
      expect(await t.store.getSession('site-a', 'rolled-back')).toBeNull();
      expect(await t.store.outbox!.list({ limit: 10 })).toEqual([]);
      await t.store.ingest([ended], []);
      expect((await t.store.outbox!.list({ limit: 10 })).map((d) => d.type)).toEqual(['session.ended']);
    });

    it('filters: thresholds, directions, minimum engaged time, page globs', async () => {
      receiver = await startReceiver();
      const { t } = await opened(receiver.url, {
        events: ['alert', 'session.ended'],
        filters: { thresholds: ['engaged'], directions: ['above'], minEngagedSeconds: 60, pages: ['/lesson/**'] },
      });
      const now = Date.now();
      const pages = (path: string) => [{ path, views: 1, engagedMs: 90_000, firstSeenAt: '2026-03-10T10:00:00.000Z', lastSeenAt: '2026-03-10T10:02:00.000Z', band: null }];
      await t.store.ingest(
        [
          toSessionRow(session({ id: 'in', final: true, pages: pages('/lesson/3/video') }), now),
          toSessionRow(session({ id: 'elsewhere', final: true, pages: pages('/pricing') }), now),
          toSessionRow(session({ id: 'short', final: true, engagedMs: 10_000, pages: pages('/lesson/1') }), now),
        ],
        [
          toAlertRow(alert({ sessionId: 'in', threshold: 'engaged', direction: 'above', engagedMs: 300_000 }), now),
          toAlertRow(alert({ sessionId: 'in', threshold: 'engaged', direction: 'below', engagedMs: 300_000 }), now),
          toAlertRow(alert({ sessionId: 'in', threshold: 'casual', direction: 'above', engagedMs: 300_000 }), now),
          toAlertRow(alert({ sessionId: 'short', threshold: 'engaged', direction: 'above', engagedMs: 30_000 }), now),
        ],
      );
      const events = await t.store.outbox!.list({ limit: 10 });
      expect(events.map((e) => e.type).sort()).toEqual(['alert', 'session.ended']);
    });

    it('two dispatchers on one database never send one event at the same time', async () => {
      let inFlight = 0;
      let most = 0;
      receiver = await startReceiver(() => {
        most = Math.max(most, ++inFlight);
        setTimeout(() => inFlight--, 150);
        return { delayMs: 150 };
      });
      const { t, hooks } = await opened(receiver.url);
      const second = await openSecond(t);
      cleanup.push(() => second.store.close());
      await ingestEnded(t.store, 20);
      const a = dispatcherFor(t.store, hooks, { owner: 'a', batch: 5 });
      const b = dispatcherFor(second.store, hooks, { owner: 'b', batch: 5 });
      const claimedBy = { a: 0, b: 0 };
      for (let round = 0; round < 20 && (claimedBy.a + claimedBy.b < 40); round++) {
        const [na, nb] = await Promise.all([a.tick(), b.tick()]);
        claimedBy.a += na;
        claimedBy.b += nb;
      }
      const f = await tally(t.store.outbox!, receiver);
      expect([f.caused, f.delivered, f.requests]).toEqual([40, 40, 40]);
      expect(claimedBy.a).toBeGreaterThan(0);
      expect(claimedBy.b).toBeGreaterThan(0);
      expect(most).toBeGreaterThan(1); // the two did send at once, but never the same event (requests = events)
      report({ fault: 'two dispatchers, one database', store: name, caused: f.caused, delivered: f.delivered, requests: f.requests, claimedByA: claimedBy.a, claimedByB: claimedBy.b });
    });

    it('users.inactive: once per idle stretch, again after the user came back and went idle', async () => {
      useFakeDate(START);
      receiver = await startReceiver();
      const { t, hooks } = await opened(receiver.url, { events: ['users.inactive'], inactiveDays: 7 });
      const at = (daysAgo: number) => new Date(START - daysAgo * DAY).toISOString();
      const user = (id: string, userId: string, daysAgo: number) => toSessionRow(session({ id, userId, startedAt: at(daysAgo), durationMs: 60_000 }), Date.now());
      await t.store.ingest([user('s1', 'u1', 10), user('s2', 'u2', 9), user('s3', 'u3', 3), user('s4', 'u4', 30), toSessionRow(session({ id: 'anon', startedAt: at(10) }), Date.now())], []);
      const outbox = t.store.outbox!;
      expect(await scanInactive(outbox, hooks, Date.now())).toBe(2); // u1, u2 (u4 is beyond the 7-day lookback, anon has no userId)
      advance(DAY);
      expect(await scanInactive(outbox, hooks, Date.now())).toBe(0);
      // u1 comes back today; eight days later u1 and u3 are idle.
      await t.store.ingest([toSessionRow(session({ id: 's5', userId: 'u1', startedAt: new Date(Date.now()).toISOString(), durationMs: 60_000 }), Date.now())], []);
      advance(8 * DAY);
      expect(await scanInactive(outbox, hooks, Date.now())).toBe(2);
      await driveUntilDone(dispatcherFor(t.store, hooks), outbox, MINUTE);
      const users = receiver.received.map((r) => r.event!.data.userId).sort();
      expect(users).toEqual(['u1', 'u1', 'u2', 'u3']);
      expect(receiver.received.every((r) => r.event!.type === 'users.inactive' && r.event!.data.inactiveDays === 7)).toBe(true);
      const f = await tally(outbox, receiver);
      report({ fault: 'users.inactive, 3 scans', store: name, caused: f.caused, delivered: f.delivered, requests: f.requests });
    });

    it('erasure and retention delete the events about a person or a removed day, with their attempt log', async () => {
      useFakeDate(START);
      receiver = await startReceiver(() => ({ status: 500 }));
      const { t, hooks } = await opened(receiver.url, { inactiveDays: 1 });
      const old = new Date(START - 3 * DAY).toISOString();
      const now = Date.now();
      await t.store.ingest(
        [toSessionRow(session({ id: 'ada1', userId: 'ada', final: true, startedAt: old }), now), toSessionRow(session({ id: 'bob1', userId: 'bob', final: true }), now)],
        [toAlertRow(alert({ sessionId: 'ada1' }), now), toAlertRow(alert({ sessionId: 'bob1' }), now)],
      );
      expect(await scanInactive(t.store.outbox!, hooks, now)).toBe(1); // ada, idle for 3 days
      await dispatcherFor(t.store, hooks).tick();
      const about = async () => (await t.store.outbox!.list({ limit: 100 })).map((d) => `${d.type}:${d.sessionId ?? d.userId}`).sort();
      const attempts = async () => (await t.raw({ sql: 'SELECT COUNT(*) AS n FROM webhook_attempts', params: [] }))[0]!.n;
      expect(Number(await attempts())).toBe(5);
      await t.store.erase({ userId: 'ada' });
      expect(await about()).toEqual(['alert:bob1', 'session.ended:bob1']);
      expect(Number(await attempts())).toBe(2);
      advance(40 * DAY);
      await t.store.removeBefore(new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10), Date.now() - 30 * DAY);
      expect(await about()).toEqual([]);
      expect(Number(await attempts())).toBe(0);
    });

    it('GET /api/webhooks/deliveries and POST .../redeliver (admin only), through the app', async () => {
      receiver = await startReceiver(() => ({ status: 500 }));
      const hooks = hooksFor(receiver.url, { events: ['session.ended'] });
      const t = await open({ webhooks: hooks });
      const readToken = 'read-token-0123456789abcdef';
      const app = await build({
        store: t.store, webhooks: hooks, rateLimit: false, static: false, dispatch: { pollMs: 20 },
        tokens: [
          { grant: { name: 'admin', scope: 'admin' }, sha256: Buffer.from(hashToken(TOKEN), 'hex') },
          { grant: { name: 'reader', scope: 'read', sites: ['site-b'] }, sha256: Buffer.from(hashToken(readToken), 'hex') },
        ],
      });
      cleanup.push(() => t.dispose(), () => app.close());
      await app.ready();
      const post = await app.inject({ method: 'POST', url: '/collect', payload: [session({ id: 'api', final: true })] });
      expect(post.statusCode).toBe(200);
      const auth = (token: string) => ({ authorization: `Bearer ${token}` });
      let list: { deliveries: Array<{ id: string; attempts: number; last_error: string | null; status: string }> } = { deliveries: [] };
      for (let i = 0; i < 100 && !(list.deliveries[0]?.attempts >= 1); i++) {
        await new Promise((r) => setTimeout(r, 20));
        list = (await app.inject({ url: '/api/webhooks/deliveries', headers: auth(TOKEN) })).json();
      }
      expect(list.deliveries).toMatchObject([{ status: 'pending', attempts: 1, last_error: 'HTTP 500', type: 'session.ended', site: 'site-a' }]);
      const id = list.deliveries[0]!.id;
      expect((await app.inject({ url: '/api/webhooks/deliveries', headers: auth(readToken) })).json().deliveries).toEqual([]);
      expect((await app.inject({ method: 'POST', url: `/api/webhooks/deliveries/${id}/redeliver`, headers: auth(readToken) })).statusCode).toBe(403);
      expect((await app.inject({ method: 'POST', url: '/api/webhooks/deliveries/msg_none/redeliver', headers: auth(TOKEN) })).statusCode).toBe(404);
      receiver.behave(() => ({}));
      expect((await app.inject({ method: 'POST', url: `/api/webhooks/deliveries/${id}/redeliver`, headers: auth(TOKEN) })).statusCode).toBe(202);
      const get = async () => (await app.inject({ url: `/api/webhooks/deliveries/${id}`, headers: auth(TOKEN) })).json();
      let one = await get();
      // The receiver answers before the dispatcher records the answer: wait for the record.
      for (let i = 0; i < 100 && one.status !== 'delivered'; i++) await new Promise((r) => setTimeout(r, 20)), (one = await get());
      expect([...receiver.delivered()]).toEqual([id]);
      expect(one).toMatchObject({ status: 'delivered', attempts: 2, last_status: 200 });
      expect(one.attempt_log.map((a: { status: number }) => a.status)).toEqual([500, 200]);
      const metrics = (await app.inject({ url: '/metrics' })).body;
      expect(metrics).toContain('sm_webhook_attempts_total{endpoint="site-a/hook",outcome="failed"} 1');
      expect(metrics).toContain('sm_webhook_attempts_total{endpoint="site-a/hook",outcome="delivered"} 1');
    });
  });
}
