import { promisifyRequest } from 'idb-keyval';
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
 *
 * Only the open has a deadline. Once IndexedDB has opened, a transaction that takes long (a machine that
 * sleeps during it, a busy disk) is waited for: giving up then would keep the record in memory as well
 * as in the transaction that still commits, and send it twice. An open that answers after its deadline
 * still runs the transaction it was asked for, so a record kept in memory is in IndexedDB too, for the
 * next load, should this page die.
 */
export function idbStore(dbName = 'session-metrics-queue', log?: (message: string) => void, openTimeoutMs = 5000): QueueStore {
  const fallback: Queue = new Map();
  let connect: (() => Promise<IDBDatabase>) | undefined = connection(dbName);
  return {
    async update(change, read) {
      if (connect) {
        try {
          // One readwrite transaction: read the queue (one value, a Map), apply the pure change, write it
          // back. The queue holds one entry per session and transport, so it stays small.
          // (`connect` throws a ReferenceError right away where `indexedDB` does not exist.)
          const db = connect();
          const done = db.then((connection) => {
            const store = connection.transaction('queue', 'readwrite').objectStore('queue');
            return promisifyRequest<Queue | undefined>(store.get(1)).then((queue = new Map()) => {
              const result = change(queue);
              if (!read) store.put(queue, 1);
              return promisifyRequest(store.transaction).then(() => result);
            });
          });
          // Should this wait give up, the transaction still runs when the open answers: nothing is unhandled.
          done.catch(Object);
          await withDeadline(db, openTimeoutMs);
          return await done;
        } catch (error) {
          connect = undefined;
          log?.('IndexedDB unavailable, queue kept in memory: ' + error);
        }
      }
      return change(fallback);
    },
  };
}

/**
 * The open connection to `dbName` (idb-keyval's `createStore` without the transaction): opened at the
 * first use, with its object store `queue`, and opened again after the browser closes it.
 */
function connection(dbName: string): () => Promise<IDBDatabase> {
  let db: Promise<IDBDatabase> | undefined;
  return () => {
    if (!db) {
      const request = indexedDB.open(dbName);
      request.onupgradeneeded = () => request.result.createObjectStore('queue');
      db = promisifyRequest(request);
      db.then(
        (connection) => (connection.onclose = () => (db = undefined)),
        () => (db = undefined),
      );
    }
    return db;
  };
}
