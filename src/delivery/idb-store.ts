import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { withDeadline } from './deadline';
import type { Queue, QueueStore } from './store';

/**
 * The durable queue: an idb-keyval store in a database of its own (idb-keyval creates the object
 * store only when it creates the database, so it cannot share one), shared by every tab of the
 * origin, surviving reloads and crashes.
 *
 * Where IndexedDB is missing (some embedded webviews), refuses to open (Firefox private windows
 * before v115, sandboxed frames), never answers the open (an upgrade blocked by another tab, some
 * webviews: no event ever fires, so it is timed out after `openTimeoutMs`) or fails a write
 * (QuotaExceededError), the store logs once and carries on in memory for the rest of the page;
 * whatever IndexedDB did keep goes on the next load.
 */
export function idbStore(dbName = 'session-metrics-queue', log?: (message: string) => void, openTimeoutMs = 5000): QueueStore {
  const fallback: Queue = new Map();
  let use: UseStore | undefined = createStore(dbName, 'queue');
  /** IndexedDB answered once: the open worked, and a slow transaction is no reason to give up. */
  let answered: unknown;
  return {
    async update(change, read) {
      if (use) {
        try {
          // One readwrite transaction: read the queue (one value, a Map), apply the pure change, write it
          // back. The queue holds one entry per session and transport, so it stays small.
          // (`use` throws a ReferenceError right away where `indexedDB` does not exist.)
          const done = use('readwrite', (store) =>
            promisifyRequest<Queue | undefined>(store.get(1)).then((queue = new Map()) => {
              const result = change(queue);
              if (!read) store.put(queue, 1);
              return promisifyRequest(store.transaction).then(() => result);
            }),
          );
          const result = await (answered ? done : withDeadline(done, openTimeoutMs));
          answered = 1;
          return result;
        } catch (error) {
          use = undefined;
          log?.('IndexedDB unavailable, queue kept in memory: ' + error);
        }
      }
      return change(fallback);
    },
  };
}
