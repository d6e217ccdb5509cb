/**
 * What the dispatcher sends an outbox row to: a webhook endpoint (SM_WEBHOOKS, signed) or a relay
 * (SM_RELAYS, relays/request.ts). Each turns the stored payload into one HTTP request at the attempt,
 * so that a signature carries the attempt's time and a relay's secret is never stored with its rows.
 */
import type { WebhookEndpoint } from './config';
import { webhookHeaders } from './sign';

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface Target {
  /** What the log calls its attempts: `webhook` or `relay`. */
  kind: 'webhook' | 'relay';
  /** `site/name`: the outbox rows' endpoint. */
  key: string;
  /** One attempt's bound. */
  timeoutMs: number;
  /** A row still failing this long after it was created (or redelivered) goes to `dead`. */
  deadAfterMs: number;
  request(id: string, payload: string, now: number): OutgoingRequest;
}

export const webhookTarget = (w: WebhookEndpoint): Target => ({
  kind: 'webhook',
  key: w.key,
  timeoutMs: w.timeoutMs,
  deadAfterMs: w.deadAfterMs,
  request: (id, payload, now) => ({ url: w.url, headers: webhookHeaders(w.secret, id, now, payload), body: payload }),
});
