import type { WireRecord } from '../core/records';
import type { SendOptions, Transport } from './transport';
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
 * (https://w3c.github.io/beacon/); while the page is alive it uses `fetch`, which can read the
 * receiver's answer (see `fetchTransport`).
 *
 * `sendBeacon` returns false when the user agent will not queue the body (the 64 KiB keepalive quota
 * is used up, or the body is too large); a `fetch` with `keepalive` may still get through, so it
 * falls back to one. It returns true when the body was only *queued*: the delivery layer therefore
 * keeps records sent while unloading in its queue and confirms them with a later fetch.
 */
export const beaconTransport = ({ url, name = 'beacon', sendBeacon, fetch }: BeaconTransportOptions): Transport => {
  const viaFetch = fetchTransport({ url, name, fetch });
  return {
    name,
    send(records: readonly WireRecord[], options: SendOptions) {
      if (options.unloading)
        try {
          // A string body goes as text/plain: a CORS-safelisted type, so no preflight is needed.
          const body = JSON.stringify(records);
          if (sendBeacon ? sendBeacon(url, body) : navigator.sendBeacon(url, body)) return true;
        } catch {
          // Some webviews lack sendBeacon or throw on it; fetch is the way left.
        }
      return viaFetch.send(records, options);
    },
  };
};
