import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import type { QueuedEntry } from './queue';
import { memoryStore, type QueueStore } from './store';

/**
 * The durable queue: an idb-keyval store in a database of its own (idb-keyval creates the object
 * store only when it creates the database, so it cannot share one), shared by every tab of the
 * origin, surviving reloads and crashes.
 *
 * Where IndexedDB is missing (some embedded webviews), refuses to open (Firefox private windows
 * before v115, sandboxed frames) or fails a write (QuotaExceededError), the store logs once and
 * carries on in memory for the rest of the page; whatever IndexedDB did keep goes on the next load.
 */
export function idbStore(dbName = 'session-metrics-queue', log?: (message: string) => void): QueueStore {
  const fallback = memoryStore();
  let use: UseStore | undefined = createStore(dbName, 'queue');
  return {
    async update(change) {
      if (use)
        try {
          // One readwrite transaction: read all, apply the pure change, write back only the difference.
          // (`use` throws a ReferenceError right away where `indexedDB` does not exist.)
          return await use('readwrite', async (store) => {
            const before = new Map((await promisifyRequest<QueuedEntry[]>(store.getAll())).map((e) => [e.k, e]));
            const queue = new Map(before);
            const result = change(queue);
            before.forEach((_, k) => queue.has(k) || store.delete(k));
            queue.forEach((e, k) => before.get(k) == e || store.put(e, k));
            await promisifyRequest(store.transaction);
            return result;
          });
        } catch (error) {
          use = undefined;
          log?.(`IndexedDB unavailable (${error}); queue kept in memory`);
        }
      return fallback.update(change);
    },
  };
}
