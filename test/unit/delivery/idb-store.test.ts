import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { idbStore } from '../../../src/delivery/idb-store';
import { entriesOf, mergeEntries, recordKey, settleEntries, type QueuedEntry } from '../../../src/delivery/queue';
import type { SessionRecord } from '../../../src/core/records';
import { session } from './records';

let n = 0;
const freshName = () => `sm-test-${Date.now()}-${n++}`;
const entry = (r: SessionRecord): QueuedEntry => ['site\nt\n' + recordKey(r), r];
const list = (store: ReturnType<typeof idbStore>) => store.update((q) => entriesOf(q, 'site\nt\n').map((e) => e[1] as SessionRecord));

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('idbStore', () => {
  it('keeps entries across store instances, as across page loads', async () => {
    const name = freshName();
    await idbStore(name).update((q) => mergeEntries(q, [entry(session({ id: 'a', seq: 2 })), entry(session({ id: 'b' }))], 10));
    const nextLoad = idbStore(name);
    expect((await list(nextLoad)).map((r) => r.id).sort()).toEqual(['a', 'b']);
    await nextLoad.update((q) => settleEntries(q, [entry(session({ id: 'a', seq: 2 }))]));
    expect((await list(idbStore(name))).map((r) => r.id)).toEqual(['b']);
  });

  it('applies the merge rule inside one transaction, so two tabs cannot undo each other', async () => {
    const name = freshName();
    const tabA = idbStore(name);
    const tabB = idbStore(name);
    await Promise.all([
      tabA.update((q) => mergeEntries(q, [entry(session({ seq: 5, final: true }))], 10)),
      tabB.update((q) => mergeEntries(q, [entry(session({ seq: 4 }))], 10)),
      tabB.update((q) => mergeEntries(q, [entry(session({ id: 'other' }))], 10)),
    ]);
    const stored = await list(tabA);
    expect(stored.find((r) => r.id === 'sess-1')).toMatchObject({ seq: 5, final: true });
    expect(stored).toHaveLength(2);
  });

  it('falls back to memory, and says so once, where indexedDB does not exist', async () => {
    const log = vi.fn();
    const saved = globalThis.indexedDB;
    // @ts-expect-error: a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const store = idbStore(freshName(), log);
      await store.update((q) => mergeEntries(q, [entry(session())], 10));
      expect((await list(store)).map((r) => r.seq)).toEqual([1]);
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0]![0]).toMatch(/IndexedDB unavailable/);
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('falls back to memory when a write fails for quota', async () => {
    const log = vi.fn();
    const store = idbStore(freshName(), log);
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    await store.update((q) => mergeEntries(q, [entry(session({ seq: 3 }))], 10));
    expect((await list(store)).map((r) => r.seq)).toEqual([3]);
    expect(log.mock.calls[0]![0]).toMatch(/QuotaExceededError/);
  });

  it('writes nothing back for a change that only reads', async () => {
    const store = idbStore(freshName());
    await store.update((q) => mergeEntries(q, [entry(session({ seq: 3 }))], 10));
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    expect((await store.update((q) => entriesOf(q, 'site\nt\n'), true)).length).toBe(1);
    expect(put).not.toHaveBeenCalled();
    put.mockRestore();
  });

  it('falls back to memory when the open never answers, after a few seconds, and says so', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const log = vi.fn();
    // A request whose events never fire, as when an upgrade is blocked by another tab.
    vi.spyOn(indexedDB, 'open').mockReturnValue({} as IDBOpenDBRequest);
    const store = idbStore(freshName(), log, 3000);
    let stored: unknown;
    void store.update((q) => mergeEntries(q, [entry(session({ seq: 3 }))], 10)).then(() => (stored = true));
    await vi.advanceTimersByTimeAsync(2999);
    expect(stored).toBeUndefined();
    expect(log).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(stored).toBe(true);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toMatch(/IndexedDB unavailable, queue kept in memory: no answer in 3000 ms/);
    // The rest of the page goes on in memory at once, without waiting again.
    expect((await list(store)).map((r) => r.seq)).toEqual([3]);
  });

  it('waits for a slow transaction once the open has answered, instead of keeping the record twice', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const log = vi.fn();
    const store = idbStore(freshName(), log, 3000);
    // The open answers at once (fake-indexeddb); the read of the queue then never does, as on a machine
    // that sleeps in the middle of the transaction.
    const stalled = vi.spyOn(IDBObjectStore.prototype, 'get').mockReturnValue({} as IDBRequest);
    let settled = false;
    void store.update((q) => mergeEntries(q, [entry(session({ seq: 3 }))], 10)).finally(() => (settled = true));
    for (let i = 0; i < 30 && !stalled.mock.calls.length; i++) await new Promise((r) => setImmediate(r));
    expect(stalled).toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    // Still waiting for IndexedDB: no fallback to memory, which would hold the record a second time.
    expect(settled).toBe(false);
    expect(log).not.toHaveBeenCalled();
  });

});

describe('idbStore: its database, and the fallback without a log', () => {
  it('keeps the queue in the database session-metrics-queue, object store queue, by default', async () => {
    await idbStore().update((q) => mergeEntries(q, [entry(session({ seq: 9 }))], 10));
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const open = indexedDB.open('session-metrics-queue');
      open.onsuccess = () => ok(open.result);
      open.onerror = () => fail(open.error);
    });
    const stored = await new Promise<Map<string, SessionRecord>>((ok) => {
      const get = db.transaction('queue').objectStore('queue').get(1);
      get.onsuccess = () => ok(get.result);
    });
    db.close();
    expect([...stored.values()].map((r) => r.seq)).toEqual([9]);
  });

  it('falls back to memory where indexedDB does not exist, with no log to tell', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error: a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const store = idbStore(freshName());
      await store.update((q) => mergeEntries(q, [entry(session({ seq: 4 }))], 10));
      expect((await list(store)).map((r) => r.seq)).toEqual([4]);
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('leaves no timer behind once the open has answered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const store = idbStore(freshName());
    const done = store.update((q) => mergeEntries(q, [entry(session())], 10));
    for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
    await done;
    expect(vi.getTimerCount()).toBe(0);
  });
});
