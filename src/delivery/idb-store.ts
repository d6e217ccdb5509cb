import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { mergeEntries, isSettledBy, type QueuedEntry } from './queue';
import { memoryStore, type QueueStore } from './store';

/**
 * The durable queue: an idb-keyval store of its own (its own database, because idb-keyval creates
 * the object store only when the database is first created), shared by every tab of the origin and
 * surviving reloads and crashes.
 *
 * Where IndexedDB is missing (some embedded webviews), refuses to open (Firefox private windows
 * before v115, sandboxed frames) or fails a write (QuotaExceededError), the store logs once and
 * carries on in memory for the rest of the page: records are then kept for as long as the page lives,
 * and whatever IndexedDB did keep is sent on the next load.
 */
export function idbStore(dbName = 'session-metrics-queue', log: (message: string) => void = () => {}): QueueStore {
  const fallback = memoryStore();
  let use: UseStore | undefined = createStore(dbName, 'queue');

  // Each operation runs in one readwrite transaction: read, decide with the pure rules, write.
  // Two tabs therefore never interleave a merge and a removal of the same key.
  const run = async <T>(op: (store: IDBObjectStore) => Promise<T>, orElse: () => Promise<T>): Promise<T> => {
    if (use) {
      try {
        // `use` throws synchronously (ReferenceError) where `indexedDB` does not exist.
        return await use('readwrite', op);
      } catch (error) {
        use = undefined;
        log(`delivery: IndexedDB is unavailable (${String(error)}); queued records are kept in memory for this page`);
      }
    }
    return orElse();
  };

  const readAll = (store: IDBObjectStore) => promisifyRequest(store.getAll() as IDBRequest<QueuedEntry[]>);

  return {
    put: (entries, cap) =>
      run(
        async (store) => {
          const queue = new Map((await readAll(store)).map((e) => [e.k, e]));
          const before = new Map(queue);
          const evicted = mergeEntries(queue, entries, cap);
          for (const e of entries) if (queue.get(e.k) === e && before.get(e.k) !== e) store.put(e, e.k);
          for (const e of evicted) if (before.has(e.k)) store.delete(e.k);
          await promisifyRequest(store.transaction);
          return evicted;
        },
        () => fallback.put(entries, cap),
      ),
    list: (prefix) =>
      run(
        async (store) => (await readAll(store)).filter((e) => e.k.startsWith(prefix)),
        () => fallback.list(prefix),
      ),
    remove: (sent) =>
      run(
        async (store) => {
          const stored = await Promise.all(sent.map((e) => promisifyRequest(store.get(e.k) as IDBRequest<QueuedEntry | undefined>)));
          sent.forEach((e, i) => {
            const s = stored[i];
            if (s && isSettledBy(s, e)) store.delete(e.k);
          });
          await promisifyRequest(store.transaction);
        },
        () => fallback.remove(sent),
      ),
  };
}
