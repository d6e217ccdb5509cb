import { MAX_BODY_BYTES } from '../core/records';
import { beaconTransport } from '../transports/beacon';
import type { Transport } from '../transports/transport';
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
  /**
   * Web Locks that keep tabs from sending the same queued records at once; `null` for none.
   * @defaultValue `navigator.locks`; none where there is no `navigator` (server rendering, some workers)
   */
  locks?: LockManager | null;
}

/** One transport and its place in the queue. Mangled names (`_`): the lanes are internal. */
interface Lane {
  /** Key prefix of its queue entries. */
  _p: string;
  /** Sends soon, unless a retry is already planned. */
  _kick(): void;
  /** Sends what is queued for this transport (see `Delivery.flush`). */
  _flush(unloading: boolean): Promise<unknown> | undefined;
  _stop(): void;
}

/**
 * Moves records from the tracker to the receivers without losing them (docs/semantics.md, "When records
 * leave the page"). At-least-once: every record is stored before it is sent and removed only once a
 * transport confirmed it; the receiver keeping the highest `seq` per session makes it exactly-once.
 *
 * - `enqueue` updates an in-page mirror at once and writes the store in the background. Store updates
 *   apply in the order they are made (IndexedDB runs readwrite transactions on one store in the order
 *   they were created: the IndexedDB specification, "Transaction scheduling"), so a flush that reads
 *   the store after an `enqueue` sees its records.
 * - `flush({ unloading: true })` sends from the mirror in the same task (a beacon must leave from the
 *   `visibilitychange` handler itself), one body of the newest records per transport, and removes
 *   nothing: a beacon's `true` only means "queued".
 *   Those records stay stored until a later normal flush confirms them: the next enqueue, `online`,
 *   flush() or the site's next load, not one right after the hide (it would send them a second time
 *   while the page goes away). So a record is sent at most once per hide plus once per normal try.
 * - Every other flush takes the site's Web Lock, reads the shared store, sends it in bodies under
 *   60 KiB, and removes what each transport confirmed. A transport's flushes run one after another.
 *   A failure backs off exponentially with full jitter; while `navigator.onLine` is false nothing is
 *   tried until the `online` event.
 *
 * Debug messages go through `say`, which logs each distinct message once: a transport failing the
 * same way for an hour, or a receiver refusing every body with one status, is reported once.
 */
export function createDelivery({
  siteId,
  endpoint,
  transports = [],
  log,
  store,
  maxQueued = 500,
  retryBaseMs = 1000,
  retryMaxMs = 60_000,
  random,
  maxBodyBytes = MAX_BODY_BYTES,
  // Server rendering and some workers have no `navigator` (nor `addEventListener`): there, no locks
  // and always online.
  locks = globalThis.navigator?.locks,
}: DeliveryOptions): Delivery {
  const said = new Set<string>();
  const say = (message: unknown) => {
    const m = '' + message;
    if (log && !said.has(m)) {
      said.add(m);
      log(m);
    }
  };
  const queue = store || idbStore(undefined, say);
  /**
   * This page's queued entries not yet sent: what can be sent synchronously on unload. An entry sent
   * on unload leaves it (it stays stored), so the next hide does not send it again; a refused one returns.
   */
  const mirror: Queue = new Map();
  let stopped: unknown;
  const offline = () => globalThis.navigator?.onLine === false;

  const lanes = (endpoint ? [beaconTransport({ url: endpoint }), ...transports] : transports)
    .filter((t) => typeof t.send == 'function' || say('ignored a transport without send()'))
    .map((t, i, all): Lane => {
      const { name } = t;
      // Two transports of one name would share one queue position, and one would lose records.
      const twin = all.findIndex((u) => u.name == name) < i;
      if (twin) say('two transports are named ' + name);
      const prefix = `${siteId}\n${name}${twin ? '#' + i : ''}\n`;
      /** Failures in a row. */
      let failures = 0;
      let timer: ReturnType<typeof setTimeout> | 0 | undefined;
      let flushes: Promise<unknown> = Promise.resolve();

      const later = (delay: number) => {
        // Above 2^31 - 1 ms (24.8 days, a long Retry-After) setTimeout fires at once: wait that long instead.
        if (!stopped && !timer) timer = setTimeout(run, Math.min(delay, 2 ** 31 - 1));
      };
      /** Sends one body; `false` from the transport means not delivered, like a throw. */
      const send = (body: QueuedEntry[], unloading: boolean) =>
        new Promise((ok) => ok(t.send(body.map((e) => e[1]), { unloading }))).then((sent) => {
          if (sent === false) throw 'refused';
        });

      /** One normal flush, after the ones already asked for: a flush never overlaps the one before it. */
      const run = () => {
        clearTimeout(timer);
        timer = 0;
        return (flushes = flushes.then<unknown>(() =>
          // Offline, nothing is tried: the `online` listener resumes.
          offline() ||
          withLock(
            `session-metrics:${siteId}:${name}`,
            async () => {
              for (const body of splitBodies(await queue.update((q) => entriesOf(q, prefix), true), (e) => e[1], maxBodyBytes)) {
                // Any other failure leaves the loop (and the lock) for the retry below.
                await send(body, false).catch((error) => {
                  // A DeliveryError with retryable false: the receiver will never take these; drop them.
                  if (error?.retryable !== false) throw error;
                  say(`${name} dropped records: ${error.message}`);
                });
                await queue.update((q) => settleEntries(q, body));
                settleEntries(mirror, body);
              }
              failures = 0;
            },
            locks,
          ).catch((error) => {
            say(`${name} failed: ${error?.message || error}`);
            later(Math.max(backoffDelay(++failures, retryBaseMs, retryMaxMs, random), error?.retryAfterMs || 0));
          }),
        ));
      };

      return {
        _p: prefix,
        // Records that come during a flush get a flush of their own after it; a planned retry stays as planned.
        _kick: () => later(0),
        _flush(unloading) {
          if (!unloading) return run();
          if (offline()) return;
          // The flush the enqueue just before asked for would send these records a second time while the
          // page hides (a second request, IndexedDB reads and writes: half of a hide's main-thread time,
          // test/bench/hide.mjs). They stay stored; the next enqueue, `online`, flush() or page load
          // confirms them. A planned retry (after a failure) stays as planned.
          if (!failures) clearTimeout(timer), (timer = 0);
          // One body, newest records first: beacons and keepalive fetches share a 64 KiB budget
          // (the Fetch standard, "HTTP-network-or-cache fetch", inflightKeepaliveBytes),
          // so a second body would be refused. What does not fit stays stored for a later flush.
          const [body] = splitBodies(entriesOf(mirror, prefix).reverse(), (e) => e[1], maxBodyBytes);
          if (body) {
            settleEntries(mirror, body);
            // Synchronous on purpose: nothing after this task is sure to run.
            return send(body, true).catch(() => mergeEntries(mirror, body, cap));
          }
        },
        _stop: () => clearTimeout(timer),
      };
    });
  if (!lanes.length) say('no endpoint or transport: records kept, not sent');
  const cap = maxQueued * lanes.length;

  const onOnline = () => lanes.forEach((lane) => lane._kick());
  globalThis.addEventListener?.('online', onOnline);
  // Whatever earlier pages of the site left in the store goes now.
  onOnline();

  return {
    enqueue(records) {
      try {
        const entries: QueuedEntry[] = [];
        for (const r of records)
          if (r?.v === 1) for (const lane of lanes) entries.push([lane._p + recordKey(r), r]);
          else say('dropped, not a v1 record: ' + JSON.stringify(r));
        mergeEntries(mirror, entries, cap);
        queue.update((q) => mergeEntries(q, entries, cap)).then((evicted) => evicted.forEach((k) => say('queue full, dropped ' + k)), say);
        onOnline();
      } catch (error) {
        say(error);
      }
    },

    // Async so that nothing throws to the caller; it runs at once up to its first `await`, so an unload
    // send still leaves in this task.
    async flush({ unloading }) {
      try {
        await Promise.all(lanes.map((lane) => lane._flush(unloading)));
      } catch (error) {
        say(error);
      }
    },

    stop() {
      stopped = 1;
      lanes.forEach((lane) => lane._stop());
      globalThis.removeEventListener?.('online', onOnline);
    },
  };
}
