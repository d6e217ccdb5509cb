/**
 * Each vendor's documented request rules, written here from the vendors' own references and not from the
 * mapping code (src/adapters/map/*), so that a relay request GA4, Segment or PostHog would refuse or
 * silently drop fails the tests. Each checker returns the problems it found (none: an empty list).
 */
import type { VendorRequest } from './relay-receiver';

/** GA4 "Measurement Protocol reference" and "Reserved names" (web streams, gtag.js). */
const GA4_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const GA4_RESERVED = ['ad_activeview', 'ad_click', 'ad_exposure', 'ad_query', 'ad_reward', 'adunit_exposure', 'app_background', 'app_clear_data', 'app_exception', 'app_install', 'app_remove', 'app_store_refund', 'app_update', 'app_upgrade', 'error', 'first_open', 'first_visit', 'in_app_purchase', 'notification_open', 'os_update', 'screen_view', 'session_start', 'user_engagement'];

export function ga4Problems(r: VendorRequest, measurementId: string, apiSecret: string): string[] {
  const p: string[] = [];
  const b = r.body;
  if (r.url.searchParams.get('measurement_id') !== measurementId) p.push('measurement_id missing from the query');
  if (r.url.searchParams.get('api_secret') !== apiSecret) p.push('api_secret missing from the query');
  if (r.bytes > 130 * 1024) p.push(`body of ${r.bytes} bytes, above 130 KB`);
  if (typeof b.client_id !== 'string' || b.client_id.length === 0) p.push('client_id is required');
  if (b.user_id !== undefined && (typeof b.user_id !== 'string' || b.user_id.length > 256)) p.push('user_id must be a string of at most 256 characters');
  if (b.timestamp_micros !== undefined && !Number.isInteger(b.timestamp_micros)) p.push('timestamp_micros must be an integer');
  if (!Array.isArray(b.events) || b.events.length < 1 || b.events.length > 25) p.push(`events: 1 to 25 per request, got ${b.events?.length}`);
  for (const e of b.events ?? []) {
    if (!GA4_NAME.test(e.name) || GA4_RESERVED.includes(e.name) || /^(_|firebase_|ga_|google_)/.test(e.name)) p.push(`event name ${e.name} breaks the naming rules`);
    const params = Object.entries(e.params ?? {});
    if (params.length > 25) p.push(`event ${e.name} has ${params.length} params, above 25`);
    for (const [k, v] of params) {
      if (!GA4_NAME.test(k) || /^(firebase_|ga_|google_)/.test(k)) p.push(`param name ${k} breaks the naming rules`);
      if (typeof v === 'string' ? v.length > 100 : typeof v !== 'number' && typeof v !== 'boolean') p.push(`param ${k}: a string of at most 100 characters or a number, got ${JSON.stringify(v)}`);
    }
  }
  return p;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /T.*Z$/.test(v);

/** Segment "HTTP Tracking API": batch of track calls, Basic auth with the write key, 32 KB per call, 500 KB per batch. */
export function segmentProblems(r: VendorRequest, writeKey: string): string[] {
  const p: string[] = [];
  if (r.headers.authorization !== `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`) p.push('Authorization is not Basic <write key>:');
  if (r.bytes > 500 * 1024) p.push(`batch of ${r.bytes} bytes, above 500 KB`);
  if (!Array.isArray(r.body.batch) || r.body.batch.length === 0) p.push('batch must be a non-empty array');
  for (const m of r.body.batch ?? []) {
    const size = Buffer.byteLength(JSON.stringify(m));
    if (size > 32 * 1024) p.push(`message of ${size} bytes, above 32 KB`);
    if (m.type !== 'track' || typeof m.event !== 'string' || !m.event) p.push('a track needs type "track" and an event name');
    if (typeof m.userId !== 'string' && typeof m.anonymousId !== 'string') p.push('userId or anonymousId is required');
    if (typeof m.messageId !== 'string' || !m.messageId) p.push('messageId (the de-duplication key) missing');
    if (m.timestamp !== undefined && !iso(m.timestamp)) p.push(`timestamp ${m.timestamp} is not ISO 8601`);
    if (typeof m.properties !== 'object' || m.properties === null) p.push('properties must be an object');
  }
  return p;
}

/** PostHog "Capture API", batch events: `api_key`, and per event `event`, `distinct_id`, a UUID `uuid`, an ISO `timestamp`; 20 MB per request. */
export function posthogProblems(r: VendorRequest, apiKey: string): string[] {
  const p: string[] = [];
  if (r.body.api_key !== apiKey) p.push('api_key missing from the body');
  if (r.bytes > 20 * 1024 * 1024) p.push('body above 20 MB');
  if (!Array.isArray(r.body.batch) || r.body.batch.length === 0) p.push('batch must be a non-empty array');
  for (const e of r.body.batch ?? []) {
    if (typeof e.event !== 'string' || !e.event) p.push('event name missing');
    if (typeof (e.distinct_id ?? e.properties?.distinct_id) !== 'string') p.push('distinct_id missing');
    if (!UUID.test(e.uuid)) p.push(`uuid ${e.uuid} is not a UUID`);
    if (!iso(e.timestamp)) p.push(`timestamp ${e.timestamp} is not ISO 8601`);
  }
  return p;
}
