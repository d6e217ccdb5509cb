import { MAX_BODY_BYTES } from '../core/records';
import type { Transport } from '../core/transport';
import { backoffDelay } from './backoff';
import { withDeadline } from './deadline';
import { withLock } from './lock';
import { entriesOf, mergeEntries, settleEntries, type QueuedEntry } from './queue';
import { splitBodies } from './split';
import type { Queue, QueueStore } from './store';
import type { DeliveryOptions } from './types';

/**
 * What the lanes of one delivery share: its options, and (mangled names, `_`: they are internal) its
 * store, its mirror and its debug output.
 */
export interface LaneContext extends DeliveryOptions {
  /** The shared store (IndexedDB, every tab of the site). */
  _queue: QueueStore;
  /** This page's queued entries not yet sent: what an unloading flush can send synchronously. */
  _mirror: Queue;
  /** Debug output, each distinct message once. */
  _say(message: unknown): void;
  /** Most entries the mirror keeps (all lanes together); set once the lanes are built. */
  _cap?: number;
}

/** One transport and its place in the queue. Mangled names (`_`): the lanes are internal. */
export interface Lane {
  /** Key prefix of its queue entries. */
  _p: string;
  /** Sends soon, unless a retry is already planned. */
  _kick(): void;
  /**
   * Sends what is queued for this transport (see `Delivery.flush`). Unloading, it sends one body of the
   * mirror's newest entries in this task (nothing after it is sure to run) and removes nothing from the
   * store: they stay stored until the next enqueue, `online`, flush() or page load confirms them. It
   * cancels the flush the enqueue just before asked for, which would send them a second time while the
   * page hides (half of a hide's main-thread time, test/bench/hide.mjs); a planned retry stays as planned.
   * One body: beacons and keepalive fetches share a 64 KiB budget (the Fetch standard,
   * "HTTP-network-or-cache fetch", inflightKeepaliveBytes), so a second would be refused.
   */
  _flush(unloading: boolean): Promise<unknown> | undefined;
  _stop(): void;
}

/**
 * `navigator.onLine` is false: nothing is tried until the `online` event. Server rendering and some
 * workers have no `navigator`: there, always online.
 */
const offline = () => globalThis.navigator?.onLine === false;

/** Most ms a transport may take to answer one body before it counts as failed. */
export const SEND_DEADLINE_MS = 30_000;

/**
 * The lane of transport `t`, whose entries are keyed under `prefix`: it sends the transport's stored
 * records in bodies under the size limit, removes what the transport confirmed and retries the rest
 * with backoff (see `createDelivery`).
 */
export function createLane(t: Transport, prefix: string, c: LaneContext): Lane {
  const { siteId, retryBaseMs = 1000, retryMaxMs = 60_000, random, maxBodyBytes = MAX_BODY_BYTES, _queue: queue, _mirror: mirror, _say: say } = c;
  const { locks = globalThis.navigator?.locks } = c; // none without `navigator` (server rendering, some workers)
  const { name } = t;
  let failures = 0; // in a row
  let timer: ReturnType<typeof setTimeout> | 0 | undefined;
  let flushes: Promise<unknown> = Promise.resolve();
  let stopped: unknown;
  /**
   * Sends one body; `false` from the transport means not delivered, like a throw, and so does no answer
   * within `SEND_DEADLINE_MS` (a fetch the server never answers): a stalled send neither blocks the lane
   * nor keeps `flush()` from resolving. A late answer changes nothing: the body is sent again, and the
   * receiver keeps one record per seq.
   */
  const send = (body: QueuedEntry[], unloading: boolean) =>
    withDeadline(new Promise((ok) => ok(t.send(body.map((e) => e[1]), { unloading }))), SEND_DEADLINE_MS).then((sent) => {
      if (sent === false) throw 'refused';
    });
  const later = (delay: number) => {
    // Above 2^31 - 1 ms (24.8 days, a long Retry-After) setTimeout fires at once: wait that long instead.
    if (!stopped && !timer) timer = setTimeout(run, Math.min(delay, 2 ** 31 - 1));
  };
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
      if (!failures) clearTimeout(timer), (timer = 0);
      const [body] = splitBodies(entriesOf(mirror, prefix).reverse(), (e) => e[1], maxBodyBytes);
      if (body) {
        settleEntries(mirror, body);
        return send(body, true).catch(() => mergeEntries(mirror, body, c._cap!));
      }
    },
    _stop() {
      stopped = 1;
      clearTimeout(timer);
    },
  };
}

