/**
 * A relay's request for a stored payload, with the secret added at the attempt (never stored in the
 * outbox, never shown by the deliveries API), in the way each vendor documents:
 * - GA4 Measurement Protocol: `measurement_id` and `api_secret` in the query string;
 * - Segment HTTP Tracking API: HTTP Basic authentication, the write key as the user name, no password;
 * - PostHog `/batch`: `api_key` in the JSON body;
 * - OTLP/HTTP: the configured headers (a backend's authorization), `content-type: application/json`.
 */
import type { Target } from '../webhooks/target';
import type { Relay } from './config';

const JSON_HEADERS = { 'content-type': 'application/json', 'user-agent': 'session-metrics-collector' };

function requestOf(r: Relay, payload: string) {
  switch (r.vendor) {
    case 'ga4': {
      const url = new URL(r.url);
      url.searchParams.set('measurement_id', r.measurementId!);
      url.searchParams.set('api_secret', r.secret);
      return { url: url.href, headers: JSON_HEADERS, body: payload };
    }
    case 'segment':
      return { url: r.url, headers: { ...JSON_HEADERS, authorization: `Basic ${Buffer.from(`${r.secret}:`).toString('base64')}` }, body: payload };
    case 'posthog':
      return { url: r.url, headers: JSON_HEADERS, body: JSON.stringify({ api_key: r.secret, ...(JSON.parse(payload) as object) }) };
    case 'otlp':
      return { url: r.url, headers: { ...r.headers, ...JSON_HEADERS }, body: payload };
  }
}

export const relayTarget = (r: Relay): Target => ({
  kind: 'relay',
  key: r.key,
  timeoutMs: r.timeoutMs,
  deadAfterMs: r.deadAfterMs,
  request: (_id, payload) => requestOf(r, payload),
});
