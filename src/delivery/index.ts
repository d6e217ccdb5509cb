import type { WireRecord } from '../core/records';
import { MAX_BODY_BYTES } from '../core/records';
import { beaconTransport } from '../transports/beacon';
import type { SendOptions, Transport } from '../transports/transport';
import { backoffDelay } from './backoff';
import { withLock } from './lock';
import { idbStore } from './idb-store';
import { mergeEntries, recordKey, type QueuedEntry } from './queue';
import { splitBodies } from './split';
import { settle, type QueueStore } from './store';
import type { Delivery } from './types';

export type { Delivery } from './types';
export type { QueueStore } from './store';
export type { QueuedEntry } from './queue';
export { memoryStore } from './store';
export { idbStore } from './idb-store';

export interface DeliveryOptions {
  /** Site the records belong to; scopes the queue and the cross-tab lock. */
  siteId: string;
  /** The receiver's URL: records go there by `fetch`, and by `sendBeacon` when the page is hidden. */
  endpoint?: string;
  /** More (or other) transports; each has its own queue position. @defaultValue `[]` */
  transports?: Transport[];
  /** @defaultValue `Date.now` */
  clock?: () => number;
  /** Debug output (the tracker passes `console.warn` in `debugMode`). Each message is logged once. @defaultValue none */
  log?: (message: string) => void;
  /** Where queued records wait. @defaultValue IndexedDB (`idbStore()`), falling back to memory */
  store?: QueueStore;
  /** Most records kept per transport; above it the oldest are dropped. @defaultValue `500` */
  maxQueued?: number;
  /** First retry delay bound, doubled on every failure (full jitter). @defaultValue `1000` */
  retryBaseMs?: number;
  /** Longest retry delay. @defaultValue `60000` */
  retryMaxMs?: number;
  /** @defaultValue `Math.random` */
  random?: () => number;
  /** Largest request body. @defaultValue `MAX_BODY_BYTES` (60 KiB) */
  maxBodyBytes?: number;
  /** Web Locks used so that tabs never send the same queued records at once; `null` for none. @defaultValue `navigator.locks` */
  locks?: LockManager | null;
}

/** Per transport: its retry state. */
interface Lane {
  /** Transport. */
  _t: Transport;
  /** Key prefix of its queue entries. */
  _p: string;
  _attempt: number;
  _timer?: ReturnType<typeof setTimeout>;
  _busy?: Promise<void>;
  /** Records arrived since the running flush listed the queue. */
  _dirty?: boolean;
}

/**
 * Moves records from the tracker to the receivers without losing them (SEMANTICS.md, "When records
 * leave the page"). At-least-once: every record is stored before it is sent and removed only after a
 * transport confirmed it; the receiver keeping the highest `seq` per session makes that exactly-once.
 *
 * - `enqueue` updates an in-memory mirror at once and writes the store in the background.
 * - `flush({ unloading: true })` sends the mirror synchronously (a beacon must leave in the same task
 *   as the `visibilitychange` handler) and removes nothing: a beacon's `true` only means "queued".
 *   Those records stay stored and are confirmed by the next fetch flush: in this page if it lives on,
 *   else on the next load of the site. Duplicates are bounded by one per hide.
 * - Every other flush takes the site's Web Lock, reads the shared store, sends it in bodies under
 *   60 KiB, and removes what each transport confirmed. Failures back off exponentially with full
 *   jitter; while `navigator.onLine` is false nothing is tried until `online`.
 */
export function createDelivery(options: DeliveryOptions): Delivery {
  const {
    siteId,
    endpoint,
    clock = Date.now,
    log = () => {},
    maxQueued = 500,
    retryBaseMs = 1000,
    retryMaxMs = 60_000,
    random,
    maxBodyBytes = MAX_BODY_BYTES,
    locks,
  } = options ?? ({} as DeliveryOptions);
  const said = new Set<string>();
  const say = (message: string) => {
    if (!said.has(message)) {
      said.add(message);
      try {
        log(message);
      } catch {}
    }
  };
  const store = options?.store ?? idbStore(undefined, say);
  if (typeof siteId !== 'string' || !siteId) say(`delivery: siteId must be a non-empty string, got ${JSON.stringify(siteId)}`);

  const transports = [...(endpoint ? [beaconTransport({ url: endpoint })] : []), ...(options?.transports ?? [])].filter((t) => {
    const ok = t && typeof t.name === 'string' && typeof t.send === 'function';
    if (!ok) say(`delivery: ignored a transport without a string name and a send() method`);
    return ok;
  });
  if (!transports.length) say('delivery: no endpoint and no transports: records are stored but not sent');
  const lanes: Lane[] = transports.map((t) => ({ _t: t, _p: `${siteId}\n${t.name}\n`, _attempt: 0 }));
  const cap = maxQueued * Math.max(1, lanes.length);

  /** This page's own queued entries, for sending synchronously on unload. */
  const mirror = new Map<string, QueuedEntry>();
  /** Mirror entries already sent while unloading: not sent again on the next hide, but still stored. */
  const beaconed = new WeakSet<QueuedEntry>();
  /** Store writes in order; a flush waits for them, so that records are stored before they are sent. */
  let writes: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const offline = () => globalThis.navigator?.onLine === false;

  const kick = (lane: Lane, delay = 0) => {
    if (stopped || lane._timer !== undefined) return;
    lane._timer = setTimeout(() => {
      lane._timer = undefined;
      void run(lane);
    }, delay);
  };

  const fail = (lane: Lane, error: unknown) => {
    const e = error as { retryable?: boolean; retryAfterMs?: number; message?: string } | undefined;
    lane._attempt++;
    say(`delivery: ${lane._t.name} failed (${e?.message ?? String(error)}); retrying`);
    kick(lane, Math.max(backoffDelay(lane._attempt, retryBaseMs, retryMaxMs, random), e?.retryAfterMs ?? 0));
  };

  /** One normal flush of one transport; at most one runs per transport at a time. */
  const run = (lane: Lane): Promise<void> =>
    (lane._busy ||= (async () => {
      if (offline()) return; // resumed by the `online` listener
      lane._dirty = false;
      await writes;
      await withLock(
        `session-metrics:${siteId}:${lane._t.name}`,
        async () => {
          const queued = (await store.list(lane._p)).sort((a, b) => a.t - b.t);
          for (const body of splitBodies(queued, (e) => e.r, maxBodyBytes)) {
            try {
              if ((await lane._t.send(body.map((e) => e.r), { unloading: false })) === false) throw new Error('send returned false');
            } catch (error) {
              if ((error as { retryable?: boolean })?.retryable !== false) return fail(lane, error);
              say(String((error as Error).message ?? error));
            }
            await store.remove(body);
            settle(mirror, body);
          }
          lane._attempt = 0;
          if (lane._dirty) kick(lane);
        },
        locks,
      );
    })()
      .catch((error) => fail(lane, error))
      .finally(() => (lane._busy = undefined)));

  /** Synchronous: sends this page's unsent entries by beacon (or whatever the transport does when unloading). */
  const sendUnloading = (lane: Lane, sendOptions: SendOptions): Promise<unknown>[] => {
    const pending = [...mirror.values()].filter((e) => e.k.startsWith(lane._p) && !beaconed.has(e));
    return splitBodies(pending, (e) => e.r, maxBodyBytes).map((body) => {
      const unmark = () => body.forEach((e) => beaconed.delete(e));
      body.forEach((e) => beaconed.add(e));
      try {
        return Promise.resolve(lane._t.send(body.map((e) => e.r), sendOptions)).then((ok) => ok === false && unmark(), unmark);
      } catch {
        unmark();
        return Promise.resolve();
      }
    });
  };

  const onOnline = () => lanes.forEach((lane) => kick(lane));
  globalThis.addEventListener?.('online', onOnline);
  // Whatever earlier pages of the site left in the store goes now.
  lanes.forEach((lane) => kick(lane));

  return {
    enqueue(records: readonly WireRecord[]) {
      try {
        const now = clock();
        const entries: QueuedEntry[] = [];
        for (const r of records) {
          if (!r || r.v !== 1 || (r.type === 'session' ? typeof r.id !== 'string' || typeof r.seq !== 'number' : r.type !== 'alert')) {
            say(`delivery: dropped a value that is not a version-1 session or alert record: ${JSON.stringify(r)?.slice(0, 80)}`);
            continue;
          }
          for (const lane of lanes) entries.push({ k: lane._p + recordKey(r), r, t: now });
        }
        if (!entries.length) return;
        for (const e of mergeEntries(mirror, entries, cap)) say(`delivery: queue full (${cap}); dropped the oldest record of ${e.k}`);
        writes = writes
          .then(() => store.put(entries, cap))
          .then(
            (evicted) => evicted.forEach((e) => say(`delivery: queue full (${cap}); dropped the oldest record of ${e.k}`)),
            (error) => say(`delivery: could not store records (${String(error)})`),
          );
        for (const lane of lanes) {
          lane._dirty = true;
          if (!lane._busy) kick(lane);
        }
      } catch (error) {
        say(`delivery: enqueue failed (${String(error)})`);
      }
    },

    flush(sendOptions: SendOptions): Promise<void> {
      try {
        if (sendOptions?.unloading) {
          if (offline()) return Promise.resolve();
          return Promise.all(lanes.flatMap((lane) => sendUnloading(lane, sendOptions))).then(() => {});
        }
        return Promise.all(
          lanes.map((lane) => {
            clearTimeout(lane._timer);
            lane._timer = undefined;
            // A flush already running may have listed the queue before the latest records arrived.
            return lane._busy ? lane._busy.then(() => run(lane)) : run(lane);
          }),
        ).then(() => {});
      } catch (error) {
        say(`delivery: flush failed (${String(error)})`);
        return Promise.resolve();
      }
    },

    stop() {
      stopped = true;
      for (const lane of lanes) clearTimeout(lane._timer);
      globalThis.removeEventListener?.('online', onOnline);
    },
  };
}
