/**
 * What a transport is: the one type the core, the delivery layer and the transports share. It lives in
 * the core, the lowest layer, so that nothing points up to `src/transports` for it.
 */
import type { WireRecord } from './records';

/** How a send happens. */
export interface SendOptions {
  /**
   * The page is being hidden or closed. Only `sendBeacon` and `fetch(..., { keepalive: true })`
   * reliably outlive the page now, and nothing after this call is guaranteed to run.
   */
  readonly unloading: boolean;
}

/**
 * Moves one request body of records to a receiver.
 *
 * Return (or resolve) `undefined`/`true` when the records were delivered. Return `false`, throw or
 * reject when they were not: the delivery layer keeps them and retries later. Throw a
 * `DeliveryError` (session-metrics, src/transports/transport.ts) to say more (drop without retry, or when to retry): the delivery layer reads
 * its `retryable` and `retryAfterMs`, from any error that has them (the built-in fetch and beacon
 * transports throw plain Errors with both, to keep the class out of the script tag).
 */
export interface Transport {
  /** Names the transport in debug logs and in the queue (each transport has its own position). */
  readonly name: string;
  send(records: readonly WireRecord[], options: SendOptions): void | boolean | Promise<void | boolean>;
}
