import type { WireRecord } from '../core/records';
import type { SendOptions } from '../transports/transport';

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
