import type { WireRecord } from '../core/records';
import type { SendOptions, Transport } from '../core/transport';
import type { QueueStore } from './store';

/**
 * What the tracker hands records to. The tracker never talks to a transport directly:
 * the delivery layer stores every record before sending it and removes it only after success.
 */
export interface Delivery {
  /**
   * Accepts records for every configured transport. A snapshot of a session replaces a queued one with a
   * lower `seq` (or the same `seq`, when it is `final` and the queued one is not). Never throws.
   */
  enqueue(records: readonly WireRecord[]): void;
  /** Tries to send everything queued now; resolves when each transport has tried once. Never rejects. */
  flush(options: SendOptions): Promise<void>;
  /** Removes every listener and timer the delivery layer added. Queued records stay stored. */
  stop(): void;
}

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
