import type { Transport } from './transport';
import { fetchTransport } from './fetch';

export type { SendOptions, Transport } from './transport';
export type { WireRecord } from '../core/records';

export interface BeaconTransportOptions {
  /** The receiver's URL. */
  url: string;
  /** Names the transport in logs and in the queue. @defaultValue `'beacon'` */
  name?: string;
  /** @defaultValue `navigator.sendBeacon`, looked up at send time */
  sendBeacon?: (url: string, body: string) => boolean;
  /** Used while the page is alive, and when `sendBeacon` refuses. @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch;
}

/**
 * The default path to an HTTP receiver. While the page is hidden or closing it uses `sendBeacon`,
 * the one request the browser promises to send after the page is gone
 * (the W3C Beacon specification); while the page is alive it uses `fetch`, which can read the
 * receiver's answer (see `fetchTransport`).
 *
 * `sendBeacon` returns false when the user agent will not queue the body (the 64 KiB keepalive quota
 * is used up, or the body is too large); a `fetch` with `keepalive` may still get through, so it
 * falls back to one. It returns true when the body was only *queued*: the delivery layer therefore
 * keeps records sent while unloading in its queue and confirms them with a later fetch.
 */
export const beaconTransport = ({
  name = 'beacon',
  sendBeacon = (url, body) => navigator.sendBeacon(url, body),
  ...options
}: BeaconTransportOptions): Transport => fetchTransport({ name, ...options }, sendBeacon);
