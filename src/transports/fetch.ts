import type { WireRecord } from '../core/records';
import type { SendOptions, Transport } from './transport';
import { parseRetryAfter } from './retry-after';

export type { SendOptions, Transport } from './transport';
export type { WireRecord } from '../core/records';

export interface FetchTransportOptions {
  /** The receiver's URL, e.g. `https://collector.example.com/collect`. */
  url: string;
  /** Names the transport in logs and in the queue. @defaultValue `'fetch'` */
  name?: string;
  /** @defaultValue `globalThis.fetch`, looked up at send time */
  fetch?: typeof fetch;
}

/**
 * POSTs each body with `fetch` and reads the answer: 2xx is delivered; 408, 429 and 5xx are retried
 * (after `Retry-After` when the receiver sends one; cross-origin receivers must list it in
 * `Access-Control-Expose-Headers`); any other status is a body the receiver will never accept, so it
 * is dropped (an Error with `retryable: false`, as a {@link DeliveryError} says it). A network error is retried.
 * The error message names only the status: the delivery layer logs each distinct message once, so a
 * dropped status is reported once, not once per batch.
 *
 * The body is a string, which the browser labels `text/plain;charset=UTF-8`
 * (the Fetch standard, "extract a body"): a CORS-safelisted type, so a
 * cross-origin POST needs no preflight, which costs a round trip and may not survive an unload.
 */
export const fetchTransport = (
  { url, name = 'fetch', fetch: fetchFn }: FetchTransportOptions,
  /** Internal, from `beaconTransport`: while unloading, try this first and fall back to a keepalive fetch. */
  sendBeacon?: (url: string, body: string) => boolean,
): Transport => ({
  name,
  send(records: readonly WireRecord[], { unloading }: SendOptions) {
    // A string body goes as text/plain: a CORS-safelisted type, so no preflight is needed.
    const body = JSON.stringify(records);
    if (unloading && sendBeacon)
      try {
        if (sendBeacon(url, body)) return true;
      } catch {
        // Some webviews lack sendBeacon or throw on it; fetch is the way left.
      }
    return (fetchFn || fetch)(url, {
      method: 'POST',
      body,
      // No cookies: records identify nobody unless the host calls identify().
      credentials: 'omit',
      // keepalive lets the request outlive the page (the Fetch standard, a request's keepalive flag).
      keepalive: unloading,
    }).then((res) => {
      if (res.ok) return true;
      const { status } = res;
      // What a DeliveryError carries, without the class (it would cost the script tag 60 bytes).
      throw Object.assign(new Error('HTTP ' + status), {
        retryable: status == 408 || status == 429 || status > 499,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), Date.now()),
      });
    });
  },
});
