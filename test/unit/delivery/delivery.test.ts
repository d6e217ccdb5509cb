import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDelivery, idbStore, memoryStore, type QueueStore } from '../../../src/delivery';
import { entriesOf } from '../../../src/delivery/queue';
import { memoryTransport } from '../../../src/transports/memory';
import { customTransport } from '../../../src/transports/custom';
import { DeliveryError } from '../../../src/transports/transport';
import type { SessionRecord, WireRecord } from '../../../src/core/records';
import { alert, session } from './records';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  setOnline(true);
});

/**
 * Lets timers due within `ms`, promise chains and IndexedDB run. fake-indexeddb completes requests
 * on real macrotasks (setImmediate, which the fake clock leaves alone), so each round yields one.
 */
async function pass(ms = 0) {
  await vi.advanceTimersByTimeAsync(ms);
  for (let i = 0; i < 30; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    await vi.advanceTimersByTimeAsync(0);
  }
}
const setOnline = (onLine: boolean) => Object.defineProperty(navigator, 'onLine', { value: onLine, configurable: true });
const queued = (store: QueueStore, lane: string) => store.update((q) => entriesOf(q, `site\n${lane}\n`).map((e) => e[1]));
const seqs = (records: readonly WireRecord[]) => records.map((r) => (r as SessionRecord).seq);
let dbs = 0;

describe('createDelivery', () => {
  it('sends enqueued records through every transport', async () => {
    const a = memoryTransport('a');
    const b = memoryTransport('b');
    const delivery = createDelivery({ siteId: 'site', transports: [a, b], store: memoryStore(), locks: null });
    delivery.enqueue([session({ seq: 1 }), alert()]);
    await pass();
    expect(a.records).toEqual([session({ seq: 1 }), alert()]);
    expect(b.records).toEqual([session({ seq: 1 }), alert()]);
    delivery.stop();
  });

  it('writes to IndexedDB before it sends, and clears only after success', async () => {
    const store = idbStore(`sm-delivery-${dbs++}`);
    const seenInStore: WireRecord[][] = [];
    const transport = customTransport(async () => {
      seenInStore.push(await queued(store, 'check'));
    }, 'check');
    const delivery = createDelivery({ siteId: 'site', transports: [transport], store, locks: null });
    delivery.enqueue([session({ seq: 2 })]);
    await pass();
    expect(seqs(seenInStore[0]!)).toEqual([2]);
    expect(await queued(store, 'check')).toEqual([]);
    delivery.stop();
  });

  it('keeps only the newest snapshot per session (the highest seq, final or not) while offline; resumes on `online`', async () => {
    const sink = memoryTransport();
    const store = memoryStore();
    setOnline(false);
    const delivery = createDelivery({ siteId: 'site', transports: [sink], store, locks: null });
    for (const r of [session({ seq: 1 }), session({ seq: 3, final: true }), session({ seq: 2 })]) delivery.enqueue([r]);
    await pass(120_000);
    expect(await queued(store, 'memory')).toEqual([session({ seq: 3, final: true })]);
    // A tab that had not seen the session end snapshotted it on: the receiver keeps that higher seq.
    delivery.enqueue([session({ seq: 9 })]);
    await pass(120_000);
    expect(sink.records).toEqual([]);
    expect(await queued(store, 'memory')).toEqual([session({ seq: 9 })]);
    setOnline(true);
    window.dispatchEvent(new Event('online'));
    await pass();
    expect(sink.records).toEqual([session({ seq: 9 })]);
    expect(await queued(store, 'memory')).toEqual([]);
    delivery.stop();
  });

  it('retries a failing transport with exponential backoff while another delivers at once', async () => {
    const good = memoryTransport('good');
    let calls = 0;
    const flaky = customTransport(() => {
      calls++;
      if (calls < 4) throw new DeliveryError('receiver down');
    }, 'flaky');
    const delivery = createDelivery({ siteId: 'site', transports: [flaky, good], store: memoryStore(), locks: null, random: () => 0.5 });
    delivery.enqueue([session()]);
    await pass();
    expect(good.records).toHaveLength(1);
    expect(calls).toBe(1);
    // Full jitter with a draw of 0.5 waits half of 1 s, then of 2 s, then of 4 s.
    for (const [wait, expected] of [[499, 1], [1, 2], [999, 2], [1, 3], [1999, 3], [1, 4]] as const) {
      await pass(wait);
      expect(calls).toBe(expected);
    }
    await pass(600_000);
    expect(calls).toBe(4);
    expect(good.records).toHaveLength(1);
    delivery.stop();
  });

  it('counts a send with no answer in 30 s as failed: flush() resolves, and the records go again later', async () => {
    const log = vi.fn();
    let calls = 0;
    const stalled = customTransport(() => {
      calls++;
      // The first request never gets an answer (a server that accepted the connection and went quiet).
      return calls === 1 ? new Promise<void>(() => {}) : undefined;
    }, 'stalled');
    const store = memoryStore();
    const delivery = createDelivery({ siteId: 'site', transports: [stalled], store, locks: null, random: () => 0.5, log });
    delivery.enqueue([session()]);
    let resolved = false;
    const flushed = delivery.flush({ unloading: false }).then(() => (resolved = true));
    await pass(29_999);
    expect(resolved).toBe(false);
    await pass(1);
    await flushed;
    expect(log.mock.calls.map(([m]) => m)).toContain('stalled failed: no answer in 30000 ms');
    expect(await queued(store, 'stalled')).toHaveLength(1);
    await pass(1_000);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(await queued(store, 'stalled')).toHaveLength(0);
    delivery.stop();
  });

  it('waits at least as long as Retry-After says', async () => {
    let calls = 0;
    const busy = customTransport(() => {
      if (++calls === 1) throw new DeliveryError('429', true, 30_000);
    });
    const delivery = createDelivery({ siteId: 'site', transports: [busy], store: memoryStore(), locks: null, random: () => 0 });
    delivery.enqueue([session()]);
    await pass(29_999);
    expect(calls).toBe(1);
    await pass(1);
    expect(calls).toBe(2);
    delivery.stop();
  });

  it('a Retry-After beyond what setTimeout can hold still waits, not retries at once', async () => {
    let calls = 0;
    const busy = customTransport(() => {
      calls++;
      throw new DeliveryError('503', true, 30 * 86_400_000);
    });
    const delivery = createDelivery({ siteId: 'site', transports: [busy], store: memoryStore(), locks: null, random: () => 0 });
    delivery.enqueue([session()]);
    await pass(60_000);
    expect(calls).toBe(1);
    delivery.stop();
  });

  it('drops what the receiver will never accept, reporting it once, and goes on with the rest', async () => {
    const log = vi.fn();
    const store = memoryStore();
    let calls = 0;
    const strict = customTransport(() => {
      calls++;
      throw new DeliveryError('HTTP 400 from /collect', false);
    }, 'strict');
    const delivery = createDelivery({ siteId: 'site', transports: [strict], store, locks: null, log });
    delivery.enqueue([session()]);
    await pass();
    delivery.enqueue([session({ id: 'two' })]);
    await pass(600_000);
    expect(calls).toBe(2);
    expect(await queued(store, 'strict')).toEqual([]);
    expect(log.mock.calls.filter(([m]) => /HTTP 400/.test(m))).toHaveLength(1);
    delivery.stop();
  });

  it('splits what it sends into bodies under the byte budget', async () => {
    const sink = memoryTransport();
    const delivery = createDelivery({ siteId: 'site', transports: [sink], store: memoryStore(), locks: null, maxBodyBytes: 2_000 });
    delivery.enqueue(Array.from({ length: 20 }, (_, i) => session({ id: `s${i}` })));
    await pass();
    expect(sink.records).toHaveLength(20);
    expect(sink.bodies.length).toBeGreaterThan(1);
    for (const body of sink.bodies) expect(new TextEncoder().encode(JSON.stringify(body)).length).toBeLessThanOrEqual(2_000);
  });

  it('evicts the oldest records above maxQueued, and says so', async () => {
    const log = vi.fn();
    const store = memoryStore();
    setOnline(false);
    const delivery = createDelivery({ siteId: 'site', transports: [memoryTransport()], store, locks: null, maxQueued: 3, log });
    for (let i = 0; i < 5; i++) {
      delivery.enqueue([session({ id: `s${i}` })]);
      await pass(1000);
    }
    expect((await queued(store, 'memory')).map((r) => (r as SessionRecord).id)).toEqual(['s2', 's3', 's4']);
    expect(log.mock.calls.some(([m]) => /queue full/.test(m))).toBe(true);
    delivery.stop();
  });

  it('sends on unload in the same task, never twice for one record, and keeps it stored for confirmation', async () => {
    const sent: number[] = [];
    const beacon = customTransport((records, { unloading }) => {
      if (!unloading) return false; // nothing confirms while alive in this test
      sent.push(...seqs(records));
      return true;
    }, 'beacon');
    const store = memoryStore();
    const delivery = createDelivery({ siteId: 'site', transports: [beacon], store, locks: null });
    delivery.enqueue([session({ seq: 4 })]);
    void delivery.flush({ unloading: true });
    expect(sent).toEqual([4]);
    void delivery.flush({ unloading: true });
    expect(sent).toEqual([4]);
    delivery.enqueue([session({ seq: 5 })]);
    void delivery.flush({ unloading: true });
    expect(sent).toEqual([4, 5]);
    await pass();
    expect(seqs(await queued(store, 'beacon'))).toEqual([5]);
    delivery.stop();
  });

  it('a hide sends each record once: no normal flush right after it; the next enqueue confirms it', async () => {
    const sends: [boolean, number[]][] = [];
    const http = customTransport((records, { unloading }) => void sends.push([unloading, seqs(records)]), 'http');
    const store = memoryStore();
    const delivery = createDelivery({ siteId: 'site', transports: [http], store, locks: null });
    delivery.enqueue([session({ seq: 1 })]);
    await pass();
    expect(sends).toEqual([[false, [1]]]);
    // The page hides: the tracker enqueues its snapshot and flushes for unload in the same task.
    delivery.enqueue([session({ seq: 2 })]);
    void delivery.flush({ unloading: true });
    await pass(60_000);
    expect(sends).toEqual([[false, [1]], [true, [2]]]);
    expect(seqs(await queued(store, 'http'))).toEqual([2]);
    // Visible again, the next snapshot replaces it and one normal flush confirms both.
    delivery.enqueue([session({ seq: 3 })]);
    await pass();
    expect(sends).toEqual([[false, [1]], [true, [2]], [false, [3]]]);
    expect(await queued(store, 'http')).toEqual([]);
    delivery.stop();
  });

  it('a hide keeps a retry that a failure planned: the record is confirmed when the backoff runs out', async () => {
    let up = false;
    const tries: boolean[] = [];
    const http = customTransport((_records, { unloading }) => {
      tries.push(unloading);
      return up || unloading;
    }, 'http');
    const store = memoryStore();
    const delivery = createDelivery({ siteId: 'site', transports: [http], store, locks: null, retryBaseMs: 10_000, retryMaxMs: 10_000, random: () => 1 });
    delivery.enqueue([session({ seq: 1 })]);
    await pass();
    expect(tries).toEqual([false]); // refused: a retry is planned 10 s out
    void delivery.flush({ unloading: true });
    up = true;
    await pass(10_000);
    expect(tries).toEqual([false, true, false]);
    expect(await queued(store, 'http')).toEqual([]);
    delivery.stop();
  });

  it('sends one body of the newest records on unload (the keepalive budget is shared), keeping the rest stored', async () => {
    const bodies: number[][] = [];
    const beacon = customTransport((records, { unloading }) => {
      if (!unloading) return false;
      bodies.push(records.map((r) => Number((r as SessionRecord).id)));
      return true;
    }, 'beacon');
    const store = memoryStore();
    const delivery = createDelivery({ siteId: 'site', transports: [beacon], store, locks: null, maxBodyBytes: 2_000, retryBaseMs: 1e9 });
    for (let i = 0; i < 20; i++) {
      delivery.enqueue([session({ id: String(i) })]);
      await pass(10);
    }
    await delivery.flush({ unloading: true });
    expect(bodies).toHaveLength(1);
    expect(bodies[0]![0]).toBe(19);
    expect(bodies[0]!.length).toBeLessThan(20);
    expect(await queued(store, 'beacon')).toHaveLength(20);
    delivery.stop();
  });

  it('sends a record again on the next hide when the unload send was refused', async () => {
    let accept = false;
    const sent: number[] = [];
    const beacon = customTransport((records, { unloading }) => {
      if (unloading) sent.push(...seqs(records));
      return unloading && accept;
    }, 'beacon');
    const delivery = createDelivery({ siteId: 'site', transports: [beacon], store: memoryStore(), locks: null, retryBaseMs: 1e9 });
    delivery.enqueue([session({ seq: 1 })]);
    await delivery.flush({ unloading: true });
    accept = true;
    await delivery.flush({ unloading: true });
    await delivery.flush({ unloading: true });
    expect(sent).toEqual([1, 1]);
    delivery.stop();
  });

  it('sends what an earlier page left in IndexedDB on the next load', async () => {
    const name = `sm-delivery-${dbs++}`;
    const down = customTransport(() => {
      throw new TypeError('Failed to fetch');
    }, 'http');
    const first = createDelivery({ siteId: 'site', transports: [down], store: idbStore(name), locks: null });
    first.enqueue([session({ seq: 7, final: true }), alert()]);
    await pass(5_000);
    first.stop(); // the tab is gone: crash or close

    const sink = memoryTransport('http');
    const next = createDelivery({ siteId: 'site', transports: [sink], store: idbStore(name), locks: null });
    await pass();
    expect(sink.records).toHaveLength(2);
    expect(sink.records).toEqual(expect.arrayContaining([session({ seq: 7, final: true }), alert()]));
    expect(await queued(idbStore(name), 'http')).toEqual([]);
    next.stop();
  });

  it('works where IndexedDB is missing, from memory', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error: a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const sink = memoryTransport();
      const delivery = createDelivery({ siteId: 'site', transports: [sink], locks: null });
      delivery.enqueue([session()]);
      await pass();
      expect(sink.records).toEqual([session()]);
      delivery.stop();
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('sends from memory when the IndexedDB open never answers, after a few seconds, and says so', async () => {
    const log = vi.fn();
    vi.spyOn(indexedDB, 'open').mockReturnValue({} as IDBOpenDBRequest);
    const sink = memoryTransport();
    const delivery = createDelivery({ siteId: 'site', transports: [sink], locks: null, log });
    delivery.enqueue([session()]);
    await pass(4_999);
    expect(sink.records).toEqual([]);
    await pass(1);
    expect(sink.records).toEqual([session()]);
    expect(log.mock.calls.some(([m]) => /IndexedDB unavailable, queue kept in memory: no answer in 5000 ms/.test(m))).toBe(true);
    delivery.stop();
  });

  it('works where there is no navigator nor window events (server rendering, some workers): no locks, online', async () => {
    vi.stubGlobal('navigator', undefined);
    vi.stubGlobal('addEventListener', undefined);
    vi.stubGlobal('removeEventListener', undefined);
    try {
      const sink = memoryTransport();
      const delivery = createDelivery({ siteId: 'site', transports: [sink], store: memoryStore() });
      delivery.enqueue([session()]);
      await pass();
      expect(sink.records).toEqual([session()]);
      await expect(delivery.flush({ unloading: true })).resolves.toBeUndefined();
      expect(() => delivery.stop()).not.toThrow();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('never throws to the host, and names what it refused', async () => {
    const log = vi.fn();
    const throwing = customTransport(() => {
      throw new Error('boom');
    });
    const delivery = createDelivery({ siteId: 'site', transports: [throwing, { name: 'broken' } as never], store: memoryStore(), locks: null, log });
    expect(() => delivery.enqueue([session()])).not.toThrow();
    expect(() => delivery.enqueue(null as never)).not.toThrow();
    await expect(delivery.flush({ unloading: true })).resolves.toBeUndefined();
    await expect(delivery.flush({ unloading: false })).resolves.toBeUndefined();
    const messages = log.mock.calls.map(([m]) => m).join('\n');
    expect(messages).toMatch(/broken failed: /);
    expect(messages).toMatch(/custom failed: boom/);
    delivery.stop();
  });

  it('does not send while offline on unload; the store keeps it for later', async () => {
    const sendBeacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true);
    const store = memoryStore();
    const delivery = createDelivery({ siteId: 'site', endpoint: '/collect', store, locks: null });
    setOnline(false);
    delivery.enqueue([session()]);
    await delivery.flush({ unloading: true });
    expect(sendBeacon).not.toHaveBeenCalled();
    expect(await queued(store, 'beacon')).toEqual([session()]);
    delivery.stop();
  });

  it('beacons to the endpoint on unload', async () => {
    const sendBeacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true);
    const delivery = createDelivery({ siteId: 'site', endpoint: '/collect', store: memoryStore(), locks: null });
    delivery.enqueue([session({ seq: 3 })]);
    void delivery.flush({ unloading: true });
    expect(sendBeacon).toHaveBeenCalledWith('/collect', JSON.stringify([session({ seq: 3 })]));
    delivery.stop();
  });

  it('keeps two transports of one name apart, and says so', async () => {
    const log = vi.fn();
    const first = memoryTransport('same');
    const second = memoryTransport('same');
    const delivery = createDelivery({ siteId: 'site', transports: [first, second], store: memoryStore(), locks: null, log });
    delivery.enqueue([session()]);
    await pass();
    expect(first.records).toEqual([session()]);
    expect(second.records).toEqual([session()]);
    expect(log.mock.calls.some(([m]) => /two transports are named same/.test(m))).toBe(true);
    delivery.stop();
  });

  it('stop() removes its timers and its online listener', async () => {
    let calls = 0;
    const t = customTransport(() => {
      calls++;
      return false;
    });
    const remove = vi.spyOn(window, 'removeEventListener');
    const delivery = createDelivery({ siteId: 'site', transports: [t], store: memoryStore(), locks: null });
    delivery.enqueue([session()]);
    await pass();
    expect(calls).toBe(1);
    delivery.stop();
    window.dispatchEvent(new Event('online'));
    await pass(600_000);
    expect(calls).toBe(1);
    expect(remove).toHaveBeenCalledWith('online', expect.any(Function));
  });

  it('holds the site lock while it sends, so tabs take turns', async () => {
    const held: string[] = [];
    const locks = {
      request: async (name: string, task: () => Promise<unknown>) => {
        held.push(name);
        return task();
      },
    } as unknown as LockManager;
    const sink = memoryTransport();
    const delivery = createDelivery({ siteId: 'site', transports: [sink], store: memoryStore(), locks });
    delivery.enqueue([session()]);
    await pass();
    expect(held).toEqual(['session-metrics:site:memory']);
    expect(sink.records).toHaveLength(1);
    delivery.stop();
  });
});

describe('createDelivery: its messages, its keys and its edges', () => {
  const messagesOf = (log: ReturnType<typeof vi.fn>) => log.mock.calls.map(([m]) => m as string);

  it('logs each message as it is, once', async () => {
    const log = vi.fn();
    const silent = createDelivery({ siteId: 'site', transports: [], store: memoryStore(), locks: null, log });
    const failing = customTransport(() => {
      throw new Error('boom');
    });
    const delivery = createDelivery({ siteId: 'site', transports: [failing], store: memoryStore(), locks: null, log });
    delivery.enqueue([session()]);
    await delivery.flush({ unloading: false });
    await delivery.flush({ unloading: false });
    expect(messagesOf(log)).toEqual(['no endpoint or transport: records kept, not sent', 'custom failed: boom']);
    silent.stop();
    delivery.stop();
  });

  it('says nothing about transports when the ones it has are fine, with or without an endpoint', async () => {
    vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true);
    const log = vi.fn();
    const a = createDelivery({ siteId: 'site', endpoint: '/collect', store: memoryStore(), locks: null, log });
    const b = createDelivery({ siteId: 'site', transports: [memoryTransport('a'), memoryTransport('b')], store: memoryStore(), locks: null, log });
    await pass();
    expect(messagesOf(log)).toEqual([]);
    a.stop();
    b.stop();
  });

  it('keys each transport’s entries by site and name, a second of one name by its index too', async () => {
    const store = memoryStore();
    const delivery = createDelivery({ siteId: 'site', transports: [memoryTransport('x'), memoryTransport('x'), memoryTransport('x1')], store, locks: null });
    setOnline(false);
    delivery.enqueue([session()]);
    await pass();
    expect((await store.update((q) => [...q.keys()])).sort()).toEqual(['site\nx\nssess-1', 'site\nx#1\nssess-1', 'site\nx1\nssess-1']);
    delivery.stop();
  });

  it('keeps maxQueued records for each transport', async () => {
    const store = memoryStore();
    const delivery = createDelivery({ siteId: 'site', transports: [memoryTransport('a'), memoryTransport('b')], store, locks: null, maxQueued: 2 });
    setOnline(false);
    delivery.enqueue([session({ id: 's1' }), session({ id: 's2' })]);
    await pass();
    expect((await queued(store, 'a')).length + (await queued(store, 'b')).length).toBe(4);
    delivery.stop();
  });

  it('reports what it could not take or send instead of throwing', async () => {
    const log = vi.fn();
    const delivery = createDelivery({ siteId: 'site', transports: [memoryTransport()], store: memoryStore(), locks: null, log });
    delivery.enqueue(null as never);
    expect(messagesOf(log).some((m) => /TypeError/.test(m))).toBe(true);
    // A record that cannot be serialized fails the synchronous unload send itself.
    const meta: Record<string, unknown> = {};
    meta.self = meta;
    const cyclic = { ...session(), meta } as unknown as SessionRecord;
    setOnline(false);
    delivery.enqueue([cyclic]);
    setOnline(true);
    log.mockClear();
    await expect(delivery.flush({ unloading: true })).resolves.toBeUndefined();
    expect(messagesOf(log).some((m) => /circular/i.test(m))).toBe(true);
    delivery.stop();
  });

  it('an unloading flush with nothing queued sends and says nothing', async () => {
    const log = vi.fn();
    const sink = memoryTransport();
    const delivery = createDelivery({ siteId: 'site', transports: [sink], store: memoryStore(), locks: null, log });
    await delivery.flush({ unloading: true });
    expect(sink.bodies).toEqual([]);
    expect(messagesOf(log)).toEqual([]);
    delivery.stop();
  });

  it('names a refusal (`false` from send) in its message', async () => {
    const log = vi.fn();
    const delivery = createDelivery({ siteId: 'site', transports: [customTransport(() => false, 'no')], store: memoryStore(), locks: null, log });
    delivery.enqueue([session()]);
    await pass();
    expect(messagesOf(log)).toContain('no failed: refused');
    delivery.stop();
  });

  it('retries a transport that fails with no reason at all', async () => {
    const log = vi.fn();
    let tries = 0;
    const flaky = customTransport(() => (++tries === 1 ? Promise.reject(undefined) : true), 'flaky');
    const delivery = createDelivery({ siteId: 'site', transports: [flaky], store: memoryStore(), locks: null, log, retryBaseMs: 1000, random: () => 0.5 });
    delivery.enqueue([session()]);
    await pass();
    expect(messagesOf(log)).toEqual(['flaky failed: undefined']);
    await pass(500);
    expect(tries).toBe(2);
    delivery.stop();
  });

  it('plans no retry after stop() for a send that fails after it', async () => {
    let tries = 0;
    let fail!: (e: unknown) => void;
    const slow = customTransport(() => (tries++, new Promise((_, reject) => (fail = reject))), 'slow');
    const delivery = createDelivery({ siteId: 'site', transports: [slow], store: memoryStore(), locks: null });
    delivery.enqueue([session()]);
    await pass();
    expect(tries).toBe(1);
    delivery.stop();
    fail(new Error('too late'));
    await pass(600_000);
    expect(tries).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reads the store for a flush without writing it back', async () => {
    const reads: (boolean | undefined)[] = [];
    const inner = memoryStore();
    const store: QueueStore = { update: (change, read) => (reads.push(read), inner.update(change, read)) };
    const delivery = createDelivery({ siteId: 'site', transports: [memoryTransport()], store, locks: null });
    delivery.enqueue([session()]);
    reads.length = 0;
    await pass();
    // One read of the queue, then the settling write.
    expect(reads).toEqual([true, undefined]);
    delivery.stop();
  });
});
