import { beaconTransport } from '../transports/beacon';
import type { Transport } from '../core/transport';
import { idbStore } from './idb-store';
import { createLane, type LaneContext } from './lane';
import { mergeEntries, recordKey, type QueuedEntry } from './queue';
import type { Queue, QueueStore } from './store';
import type { Delivery, DeliveryOptions } from './types';

export type { Delivery, DeliveryOptions } from './types';
export type { Queue, QueueStore } from './store';
export type { QueuedEntry } from './queue';
export { memoryStore } from './store';
export { idbStore } from './idb-store';

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
export function createDelivery(options: DeliveryOptions): Delivery {
  const { endpoint, transports = [], log, store, maxQueued = 500 } = options;
  const said = new Set<string>();
  const say = (message: unknown) => {
    const m = '' + message;
    if (log && !said.has(m)) said.add(m), log(m);
  };
  const queue = store || idbStore(undefined, say);
  /**
   * This page's queued entries not yet sent: what can be sent synchronously on unload. An entry sent
   * on unload leaves it (it stays stored), so the next hide does not send it again; a refused one returns.
   */
  const mirror: Queue = new Map();
  const context: LaneContext = { ...options, _queue: queue, _mirror: mirror, _say: say };
  // The tracker's options let through only transports with `send` (core/options.ts).
  const lanes = (endpoint ? [beaconTransport({ url: endpoint }), ...transports] : transports).map((t, i, all) => {
    // Two transports of one name would share one queue position, and one would lose records.
    const twin = all.findIndex((u) => u.name == t.name) < i;
    if (twin) say('two transports are named ' + t.name);
    return createLane(t, `${options.siteId}\n${t.name}${twin ? '#' + i : ''}\n`, context);
  });
  if (!lanes.length) say('no endpoint or transport: records kept, not sent');
  const cap = (context._cap = maxQueued * lanes.length);
  const onOnline = () => lanes.forEach((lane) => lane._kick());
  // Server rendering and some workers have no `addEventListener`.
  globalThis.addEventListener?.('online', onOnline);
  // Whatever earlier pages of the site left in the store goes now.
  onOnline();

  return {
    enqueue(records) {
      try {
        const entries: QueuedEntry[] = [];
        // Records come from the tracker only (core/snapshot.ts): version 1, whole.
        for (const r of records) for (const lane of lanes) entries.push([lane._p + recordKey(r), r]);
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
      lanes.forEach((lane) => lane._stop());
      globalThis.removeEventListener?.('online', onOnline);
    },
  };
}
