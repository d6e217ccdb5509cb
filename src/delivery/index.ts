import type { WireRecord } from '../core/records';
import { MAX_BODY_BYTES } from '../core/records';
import { beaconTransport } from '../transports/beacon';
import type { SendOptions, Transport } from '../transports/transport';
import { backoffDelay } from './backoff';
import { withLock } from './lock';
import { idbStore } from './idb-store';
import { entriesOf, mergeEntries, recordKey, settleEntries, type QueuedEntry } from './queue';
import { splitBodies } from './split';
import type { Queue, QueueStore } from './store';
import type { Delivery } from './types';

export type { Delivery } from './types';
export type { Queue, QueueStore } from './store';
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
  /** Debug output (the tracker passes one in `debugMode`). Each distinct message is logged once. @defaultValue none */
  log?: (message: string) => void;
  /** Where queued records wait. @defaultValue `idbStore()`: IndexedDB, falling back to memory */
  store?: QueueStore;
  /** Most records kept per transport; above it the oldest are dropped. @defaultValue `500` */
  maxQueued?: number;
  /** Upper bound of the first retry delay; it doubles with every failure (full jitter). @defaultValue `1000` */
  retryBaseMs?: number;
  /** Upper bound of any retry delay. @defaultValue `60000` */
  retryMaxMs?: number;
  /** @defaultValue `Math.random` */
  random?: () => number;
  /** Largest request body in bytes. @defaultValue `MAX_BODY_BYTES` (60 KiB) */
  maxBodyBytes?: number;
  /** Web Locks that keep tabs from sending the same queued records at once; `null` for none. @defaultValue `navigator.locks` */
  locks?: LockManager | null;
}

/** One transport and its place in the queue. */
interface Lane {
  _t: Transport;
  /** Key prefix of its queue entries. */
  _p: string;
  /** Failures in a row. */
  _n: number;
  _timer?: ReturnType<typeof setTimeout>;
  /** The flush running now. */
  _busy?: Promise<void>;
  /** Records arrived after the running flush read the queue. */
  _dirty?: boolean;
}

/**
 * Moves records from the tracker to the receivers without losing them (SEMANTICS.md, "When records
 * leave the page"). At-least-once: every record is stored before it is sent and removed only once a
 * transport confirmed it; the receiver keeping the highest `seq` per session makes it exactly-once.
 *
 * - `enqueue` updates an in-page mirror at once and writes the store in the background.
 * - `flush({ unloading: true })` sends from the mirror in the same task (a beacon must leave from the
 *   `visibilitychange` handler itself), one body of the newest records per transport, and removes
 *   nothing: a beacon's `true` only means "queued".
 *   Those records stay stored until a later normal flush confirms them, in this page if it lives on,
 *   else on the site's next load. So a record is sent at most once per hide plus once per normal try.
 * - Every other flush takes the site's Web Lock, reads the shared store, sends it in bodies under
 *   60 KiB, and removes what each transport confirmed. A failure backs off exponentially with full
 *   jitter; while `navigator.onLine` is false nothing is tried until the `online` event.
 */
export function createDelivery(options: DeliveryOptions): Delivery {
  const {
    siteId,
    endpoint,
    transports = [],
    clock = Date.now,
    log,
    maxQueued = 500,
    retryBaseMs = 1000,
    retryMaxMs = 60_000,
    random,
    maxBodyBytes = MAX_BODY_BYTES,
    locks,
  } = options || ({} as DeliveryOptions);
  const said = new Set<string>();
  const say = (message: string) => {
    if (!said.has(message)) {
      said.add(message);
      try {
        log?.(message);
      } catch {}
    }
  };
  const store = options?.store || idbStore(undefined, say);
  const lanes: Lane[] = [];
  for (const t of endpoint ? [beaconTransport({ url: endpoint }), ...transports] : transports) {
    let p = `${siteId}\n${t?.name}\n`;
    // Two transports of one name would share one queue position, and one would lose records.
    if (lanes.some((l) => l._p == p)) {
      say(`delivery: two transports are named ${t.name}`);
      p = `${siteId}\n${t.name}#${lanes.length}\n`;
    }
    if (typeof t?.send == 'function') lanes.push({ _t: t, _p: p, _n: 0 });
    else say('delivery: ignored a transport without send()');
  }
  if (!lanes.length) say('delivery: no endpoint or transport: records are kept, not sent');
  const cap = maxQueued * lanes.length;

  /** This page's queued entries: what can be sent synchronously on unload. */
  const mirror: Queue = new Map();
  /** Mirror entries already sent while unloading, so the next hide does not send them again. */
  const beaconed = new WeakSet<QueuedEntry>();
  /** Store writes in order: a flush waits for them, so records are stored before they are sent. */
  let writes: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const offline = () => globalThis.navigator?.onLine === false;

  const later = (lane: Lane, delay = 0) => {
    if (!stopped && lane._timer === undefined)
      lane._timer = setTimeout(() => {
        lane._timer = undefined;
        run(lane);
      }, delay);
  };

  const fail = (lane: Lane, error: any) => {
    say(`delivery: ${lane._t.name} failed: ${error?.message || error}`);
    later(lane, Math.max(backoffDelay(++lane._n, retryBaseMs, retryMaxMs, random), error?.retryAfterMs || 0));
  };

  /** One normal flush of one transport; at most one runs per transport at a time. */
  const run = (lane: Lane): Promise<void> =>
    (lane._busy ||= (async () => {
      if (offline()) return; // the `online` listener resumes
      lane._dirty = false;
      await writes;
      await withLock(
        `session-metrics:${siteId}:${lane._t.name}`,
        async () => {
          const queued = await store.update((queue) => entriesOf(queue, lane._p));
          for (const body of splitBodies(queued, (e) => e.r, maxBodyBytes)) {
            try {
              if ((await lane._t.send(body.map((e) => e.r), { unloading: false })) === false) throw 'refused';
            } catch (error: any) {
              // A DeliveryError with retryable false: the receiver will never take these; drop them.
              if (error?.retryable !== false) return fail(lane, error);
              say(`delivery: ${error.message}`);
            }
            await store.update((queue) => settleEntries(queue, body));
            settleEntries(mirror, body);
          }
          lane._n = 0;
          if (lane._dirty) later(lane);
        },
        locks,
      );
    })()
      .catch((error) => fail(lane, error))
      .finally(() => (lane._busy = undefined)));

  const onOnline = () => lanes.forEach((lane) => later(lane));
  globalThis.addEventListener?.('online', onOnline);
  // Whatever earlier pages of the site left in the store goes now.
  onOnline();

  return {
    enqueue(records) {
      try {
        const now = clock();
        const entries: QueuedEntry[] = [];
        for (const r of records)
          if (r?.v === 1 && (r.type == 'session' ? typeof r.id == 'string' && typeof r.seq == 'number' : r.type == 'alert'))
            for (const lane of lanes) entries.push({ k: lane._p + recordKey(r), r, t: now });
          else say(`delivery: dropped, not a v1 record: ${JSON.stringify(r)}`);
        const report = (evicted: QueuedEntry[]) => evicted.forEach((e) => say(`delivery: queue full, dropped ${e.k}`));
        report(mergeEntries(mirror, entries, cap));
        writes = writes.then(() => store.update((queue) => mergeEntries(queue, entries, cap))).then(report, say);
        for (const lane of lanes) {
          lane._dirty = true;
          if (!lane._busy) later(lane);
        }
      } catch (error) {
        say(`delivery: ${error}`);
      }
    },

    flush(options: SendOptions) {
      const sends: unknown[] = [];
      try {
        for (const lane of lanes) {
          if (options?.unloading) {
            if (offline()) break;
            // One body, newest records first: beacons and keepalive fetches share a 64 KiB budget
            // (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch, "inflightKeepaliveBytes"),
            // so a second body would be refused. What does not fit stays stored for a later flush.
            const [body] = splitBodies(entriesOf(mirror, lane._p).filter((e) => !beaconed.has(e)).reverse(), (e) => e.r, maxBodyBytes);
            if (body) {
              const unmark = () => body.forEach((e) => beaconed.delete(e));
              body.forEach((e) => beaconed.add(e));
              // Synchronous on purpose: nothing after this task is sure to run.
              sends.push(
                new Promise((resolve) => resolve(lane._t.send(body.map((e) => e.r), options))).then((ok) => ok === false && unmark(), unmark),
              );
            }
          } else {
            clearTimeout(lane._timer);
            lane._timer = undefined;
            // A flush already running may have read the queue before the latest records came.
            sends.push(lane._busy ? lane._busy.then(() => run(lane)) : run(lane));
          }
        }
      } catch (error) {
        say(`delivery: ${error}`);
      }
      return Promise.all(sends).then(() => {});
    },

    stop() {
      stopped = true;
      lanes.forEach((lane) => clearTimeout(lane._timer));
      globalThis.removeEventListener?.('online', onOnline);
    },
  };
}
