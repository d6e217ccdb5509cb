/**
 * Webhook delivery against receivers that fail on purpose, for every store with an outbox: 500s,
 * timeouts, a slow receiver, a receiver down for an hour of fake time, Retry-After, the dead letter and
 * its redelivery. In each, every event caused arrives at least once with a valid signature (checked by
 * the `standardwebhooks` package), and every request of one event carries the same webhook-id and body.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Dispatcher } from '../src/webhooks/dispatcher';
import type { TestStore } from './fixtures';
import { advance, dispatcherFor, driveUntilDone, hooksFor, ingestEnded, MINUTE, report, tally, useFakeDate, type OpenStore } from './webhook-helpers';
import { startReceiver, type Receiver } from './webhook-receiver';

/** Every request of one id carried the same body (so the same event), and all were signed right. */
function expectSameEventPerId(receiver: Receiver) {
  const bodies = new Map<string, string>();
  for (const r of receiver.received) {
    expect(r.verified, `signature of ${r.id}`).toBe(true);
    expect(bodies.get(r.id) ?? r.body).toBe(r.body);
    bodies.set(r.id, r.body);
  }
}

export function webhookFaultsContract(name: string, open: OpenStore) {
  describe(`webhooks on ${name}: faulty receivers`, () => {
    let t: TestStore | undefined;
    let receiver: Receiver | undefined;
    let dispatcher: Dispatcher | undefined;
    afterEach(async () => {
      await dispatcher?.stop();
      await t?.dispose();
      await receiver?.close();
      vi.useRealTimers();
      t = receiver = dispatcher = undefined;
    });

    it('500s: retried with backoff until a 2xx, each event delivered once it succeeds', async () => {
      useFakeDate();
      receiver = await startReceiver((attempt) => ({ status: attempt <= 3 ? 500 : 200 }));
      const hooks = hooksFor(receiver.url);
      t = await open({ webhooks: hooks });
      await ingestEnded(t.store, 4);
      dispatcher = dispatcherFor(t.store, hooks);
      const took = await driveUntilDone(dispatcher, t.store.outbox!, MINUTE);
      const f = await tally(t.store.outbox!, receiver);
      expect(f.caused).toBe(8);
      expect(f.delivered).toBe(8);
      expect(f.all.every((d) => d.status === 'delivered' && d.attempts === 4 && d.lastStatus === 200)).toBe(true);
      const one = await t.store.outbox!.get(f.all[0]!.id);
      expect(one!.attemptLog.map((a) => a.status)).toEqual([500, 500, 500, 200]);
      expect(one!.attemptLog.map((a) => a.error)).toEqual(['HTTP 500', 'HTTP 500', 'HTTP 500', null]);
      expectSameEventPerId(receiver);
      report({ fault: '500 x3', store: name, caused: f.caused, delivered: f.delivered, requests: f.requests, fakeMsToDeliver: took });
    });

    it('timeouts: an attempt without an answer is abandoned at the timeout and tried again', async () => {
      useFakeDate();
      receiver = await startReceiver((attempt) => (attempt === 1 ? { hang: true } : {}));
      const hooks = hooksFor(receiver.url, { timeoutSeconds: 0.3 });
      t = await open({ webhooks: hooks });
      await ingestEnded(t.store, 3);
      dispatcher = dispatcherFor(t.store, hooks);
      await driveUntilDone(dispatcher, t.store.outbox!, MINUTE);
      const f = await tally(t.store.outbox!, receiver);
      expect([f.caused, f.delivered]).toEqual([6, 6]);
      const one = await t.store.outbox!.get(f.all[0]!.id);
      expect(one!.attemptLog.map((a) => a.error)).toEqual(['no answer within 300 ms', null]);
      expectSameEventPerId(receiver);
      report({ fault: 'timeout (no answer)', store: name, caused: f.caused, delivered: f.delivered, requests: f.requests });
    });

    it('a slow receiver: answered after the timeout is a duplicate with the same webhook-id; within it, once', async () => {
      useFakeDate();
      // Events of session e0 and its alert answer after 600 ms (timeout 300 ms) the first time; the rest in 100 ms.
      receiver = await startReceiver((attempt) => ({ delayMs: attempt === 1 ? 600 : 100 }));
      const hooks = hooksFor(receiver.url, { timeoutSeconds: 0.3 });
      t = await open({ webhooks: hooks });
      await ingestEnded(t.store, 2);
      dispatcher = dispatcherFor(t.store, hooks);
      await driveUntilDone(dispatcher, t.store.outbox!, MINUTE);
      await new Promise((r) => setTimeout(r, 400)); // the late answers land
      const f = await tally(t.store.outbox!, receiver);
      expect([f.caused, f.delivered]).toEqual([4, 4]);
      const perId = new Map<string, number>();
      for (const r of receiver.received) perId.set(r.id, (perId.get(r.id) ?? 0) + 1);
      expect([...perId.values()]).toEqual([2, 2, 2, 2]);
      expectSameEventPerId(receiver);

      // Slow but within the timeout: one request per event.
      receiver.received.length = 0;
      await t.dispose();
      const patient = hooksFor(receiver.url, { timeoutSeconds: 2 });
      receiver.behave(() => ({ delayMs: 500 }));
      t = await open({ webhooks: patient });
      await ingestEnded(t.store, 2, 'p');
      dispatcher = dispatcherFor(t.store, patient);
      await driveUntilDone(dispatcher, t.store.outbox!, MINUTE);
      expect(receiver.received.length).toBe(4);
      report({ fault: 'slow (600 ms, timeout 300 ms)', store: name, caused: f.caused, delivered: f.delivered, requests: f.requests, duplicates: f.requests - f.caused });
    });

    it('a receiver down for an hour of fake time: attempts back off, and all arrive once it is back', async () => {
      useFakeDate();
      receiver = await startReceiver();
      const hooks = hooksFor(receiver.url);
      t = await open({ webhooks: hooks });
      await receiver.down();
      await ingestEnded(t.store, 5);
      dispatcher = dispatcherFor(t.store, hooks);
      for (let m = 0; m < 60; m++) {
        await dispatcher.tick();
        advance(MINUTE);
      }
      const during = await t.store.outbox!.list({ limit: 100 });
      expect(during.every((d) => d.status === 'pending' && d.lastError === 'ECONNREFUSED')).toBe(true);
      const attempts = during.map((d) => d.attempts);
      // 5 s doubling: 5, 10, 20, ... 2560 s add up to about an hour: 9 to 11 attempts, not one a minute.
      expect(Math.min(...attempts)).toBeGreaterThanOrEqual(8);
      expect(Math.max(...attempts)).toBeLessThanOrEqual(12);
      await receiver.up();
      const after = await driveUntilDone(dispatcher, t.store.outbox!, MINUTE);
      // The next attempt of each is at most the cap (one hour) away.
      expect(after).toBeLessThanOrEqual(60 * MINUTE);
      const f = await tally(t.store.outbox!, receiver);
      expect([f.caused, f.delivered, f.requests]).toEqual([10, 10, 10]);
      expectSameEventPerId(receiver);
      report({ fault: 'down 1 h (fake time)', store: name, caused: f.caused, delivered: f.delivered, requests: f.requests, attemptsDuringOutage: attempts.reduce((a, b) => a + b, 0), fakeMinutesAfterBack: after / MINUTE });
    });

    it('honours Retry-After: not sooner, and on time', async () => {
      useFakeDate();
      receiver = await startReceiver((attempt) => (attempt === 1 ? { status: 503, retryAfter: '120' } : {}));
      const hooks = hooksFor(receiver.url, { events: ['session.ended'] });
      t = await open({ webhooks: hooks });
      await ingestEnded(t.store, 1);
      dispatcher = dispatcherFor(t.store, hooks);
      expect(await dispatcher.tick()).toBe(1);
      const [d] = await t.store.outbox!.list({ limit: 10 });
      expect(d!.nextAttemptAt! - d!.lastAttemptAt!).toBe(120_000);
      advance(119_000);
      expect(await dispatcher.tick()).toBe(0);
      advance(1_000);
      expect(await dispatcher.tick()).toBe(1);
      const f = await tally(t.store.outbox!, receiver);
      expect([f.caused, f.delivered, f.requests]).toEqual([1, 1, 2]);
      report({ fault: 'Retry-After 120 s', store: name, caused: f.caused, delivered: f.delivered, requests: f.requests });
    });

    it('a shutdown does not wait out a hanging receiver: the attempt is cut short and the event is due at once', async () => {
      receiver = await startReceiver(() => ({ hang: true }));
      const hooks = hooksFor(receiver.url, { timeoutSeconds: 60, events: ['session.ended'] });
      t = await open({ webhooks: hooks });
      await ingestEnded(t.store, 1);
      const d = dispatcherFor(t.store, hooks, { pollMs: 10 });
      d.start();
      for (let i = 0; i < 200 && receiver.received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const started = Date.now();
      await d.stop(200);
      expect(Date.now() - started).toBeLessThan(2_000);
      const [e] = await t.store.outbox!.list({ limit: 1 });
      expect(e).toMatchObject({ status: 'pending', attempts: 1, lastError: 'the collector stopped during the attempt' });
      expect(e!.nextAttemptAt).toBe(e!.lastAttemptAt);
    });

    it('dead-letters after deadAfterHours; a redelivery is sent with the same webhook-id', async () => {
      useFakeDate();
      receiver = await startReceiver(() => ({ status: 500 }));
      const hooks = hooksFor(receiver.url, { deadAfterHours: 0.5, events: ['alert'] });
      t = await open({ webhooks: hooks });
      await ingestEnded(t.store, 2);
      dispatcher = dispatcherFor(t.store, hooks);
      const outbox = t.store.outbox!;
      const took = await driveUntilDone(dispatcher, outbox, MINUTE);
      expect(took).toBeGreaterThanOrEqual(30 * MINUTE);
      const dead = await outbox.list({ status: 'dead', limit: 10 });
      expect(dead.length).toBe(2);
      expect(await dispatcher.tick()).toBe(0);
      const before = receiver.received.length;
      receiver.behave(() => ({}));
      expect(await outbox.redeliver(dead[0]!.id, Date.now())).toBe('queued');
      expect(await outbox.redeliver('msg_nothing', Date.now())).toBe('unknown');
      expect(await dispatcher.tick()).toBe(1);
      const last = receiver.received.at(-1)!;
      expect(last.id).toBe(dead[0]!.id);
      expect(last.verified).toBe(true);
      expect((await outbox.get(dead[0]!.id))!.status).toBe('delivered');
      expectSameEventPerId(receiver);
      report({ fault: 'always 500, dead after 30 min, then redelivered', store: name, caused: 2, delivered: receiver.delivered().size, requests: receiver.received.length, deadLettered: dead.length, requestsBeforeDead: before });
    });
  });
}
