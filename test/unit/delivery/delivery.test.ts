import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDelivery, memoryStore } from '../../../src/delivery';
import { memoryTransport } from '../../../src/transports/memory';
import { customTransport } from '../../../src/transports/custom';
import { DeliveryError } from '../../../src/transports/transport';
import type { SessionRecord } from '../../../src/core/records';
import { alert, session } from './records';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Lets queued promise chains and zero-delay timers run. */
const settle = async (ms = 0) => {
  await vi.advanceTimersByTimeAsync(ms);
};

describe('createDelivery', () => {
  it('sends enqueued records through every transport once the store has them', async () => {
    const a = memoryTransport('a');
    const b = memoryTransport('b');
    const delivery = createDelivery({ siteId: 'site', transports: [a, b], store: memoryStore(), locks: null });
    delivery.enqueue([session({ seq: 1 }), alert()]);
    await settle();
    expect(a.records).toEqual([session({ seq: 1 }), alert()]);
    expect(b.records).toEqual([session({ seq: 1 }), alert()]);
    delivery.stop();
  });

  it('keeps only the newest snapshot of a session, and never lets an older one replace a final one', async () => {
    const sink = memoryTransport();
    const store = memoryStore();
    const delivery = createDelivery({ siteId: 'site', transports: [sink], store, locks: null });
    // Offline: nothing is sent, so the queue shows what it kept.
    Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
    try {
      delivery.enqueue([session({ seq: 1 })]);
      delivery.enqueue([session({ seq: 3, final: true })]);
      delivery.enqueue([session({ seq: 2 })]);
      delivery.enqueue([session({ seq: 9 })]);
      await settle();
      expect(sink.records).toEqual([]);
      const stored = await store.list('site\nmemory\n');
      expect(stored.map((e) => (e.r as SessionRecord).seq)).toEqual([3]);
    } finally {
      Object.defineProperty(navigator, 'onLine', { value: true, configurable: true });
    }
    window.dispatchEvent(new Event('online'));
    await settle();
    expect(sink.records).toEqual([session({ seq: 3, final: true })]);
    delivery.stop();
  });

  it('retries a failing transport with backoff while another transport delivers at once', async () => {
    const good = memoryTransport('good');
    let calls = 0;
    const flaky = customTransport(() => {
      calls++;
      if (calls < 3) throw new DeliveryError('receiver down');
    }, 'flaky');
    const delivery = createDelivery({
      siteId: 'site',
      transports: [flaky, good],
      store: memoryStore(),
      locks: null,
      random: () => 0.5,
      retryBaseMs: 1000,
    });
    delivery.enqueue([session()]);
    await settle();
    expect(good.records).toHaveLength(1);
    expect(calls).toBe(1);
    // Full jitter: a draw of 0.5 waits half of 1 s, then half of 2 s.
    await settle(499);
    expect(calls).toBe(1);
    await settle(1);
    expect(calls).toBe(2);
    await settle(999);
    expect(calls).toBe(2);
    await settle(1);
    expect(calls).toBe(3);
    await settle(60_000);
    expect(calls).toBe(3);
    expect(good.records).toHaveLength(1);
    delivery.stop();
  });

  it('sends synchronously on unload and keeps those records for a later confirmation', async () => {
    const sent: number[] = [];
    const beacon = customTransport((records, { unloading }) => {
      if (unloading) sent.push(...records.map((r) => (r as SessionRecord).seq));
      return !unloading ? false : true; // the receiver cannot be confirmed while alive
    }, 'beacon');
    const store = memoryStore();
    const delivery = createDelivery({ siteId: 'site', transports: [beacon], store, locks: null });
    delivery.enqueue([session({ seq: 4 })]);
    void delivery.flush({ unloading: true });
    expect(sent).toEqual([4]); // in the same task
    void delivery.flush({ unloading: true });
    expect(sent).toEqual([4]); // not again for the same record
    await settle();
    expect((await store.list('site\nbeacon\n')).map((e) => (e.r as SessionRecord).seq)).toEqual([4]);
    delivery.stop();
  });
});
