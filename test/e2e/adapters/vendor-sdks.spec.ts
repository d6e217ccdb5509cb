/**
 * Segment, Amplitude, Mixpanel and Plausible with their own npm SDKs in the page (posthog-js is in
 * vendors.spec.ts): the session of scenario.ts (a hide, a reload, a second tab, its end), the
 * vendor's endpoint answering 503 to the first request that carries our event, and every request
 * decoded. The vendor must count one sm_session event whose engaged time is the final record's:
 * the one event it took, or (where it de-duplicates) every copy under one key across the retry and
 * the tabs.
 */
import { createRequire } from 'node:module';
import type { BrowserContext, Request } from '@playwright/test';
import { test, expect } from '../fixtures';
import { keySource, uuidFrom } from '../../../src/adapters/key';
import { engagedBucket } from '../../../src/adapters/map/plausible';
import type { SessionRecord } from '../../../src/core/records';
import { runSession, flushBoth } from './scenario';

const require = createRequire(import.meta.url);
const json = (r: Request) => JSON.parse(r.postData() || 'null');

/** Mixpanel posts `data=` a form field, JSON or (older versions) base64 JSON. */
function mixpanelEvents(r: Request): any[] {
  const data = new URLSearchParams(r.postData() || '').get('data') ?? new URL(r.url()).searchParams.get('data');
  if (!data) return [];
  const text = data.trim().startsWith('[') || data.trim().startsWith('{') ? data : Buffer.from(data, 'base64').toString('utf8');
  return [JSON.parse(text)].flat();
}

interface Vendor {
  /** The SDK file served at /vendor/<name>.js. */
  sdk?: string;
  /** Our events in a request to the vendor's endpoint. */
  events(r: Request): any[];
  /**
   * What the vendor de-duplicates by (its idempotency key, with Mixpanel also the name, distinct_id and
   * time); absent where it counts every event it gets (Plausible).
   */
  key?(e: any): unknown;
  /** Checks the one delivered event against the final record. */
  check(e: any, final: SessionRecord): void;
  /** A success body the SDK accepts. */
  ok: string;
}

const uuid = (final: SessionRecord) => uuidFrom(keySource('adapters', final.id, 'session'));

const vendors: Record<string, Vendor> = {
  segment: {
    sdk: '@segment/analytics-next/dist/umd/index.js',
    events: (r) => [json(r)].flat().flatMap((b) => b?.batch ?? b ?? []).filter((e: any) => e.event == 'sm_session'),
    key: (e) => e.messageId,
    check: (e, final) => {
      expect(e.messageId).toBe(uuid(final));
      expect(e.properties).toMatchObject({ sm_engaged_ms: final.engagedMs, sm_session_id: final.id });
      expect(e.timestamp).toBe(final.lastActiveAt);
    },
    ok: '{"success":true}',
  },
  amplitude: {
    sdk: '@amplitude/analytics-browser/lib/scripts/amplitude-min.umd.js',
    events: (r) => (json(r)?.events ?? []).filter((e: any) => e.event_type == 'sm_session'),
    key: (e) => e.insert_id,
    check: (e, final) => {
      expect(e.insert_id).toBe(uuid(final));
      expect(e.session_id).toBe(Date.parse(final.startedAt));
      expect(e.time).toBe(Date.parse(final.lastActiveAt));
      expect(e.event_properties).toMatchObject({ sm_engaged_ms: final.engagedMs, sm_session_id: final.id });
    },
    ok: '{"code":200,"events_ingested":1,"payload_size_bytes":1,"server_upload_time":1}',
  },
  mixpanel: {
    sdk: 'mixpanel-browser/dist/mixpanel.module.js',
    events: (r) => mixpanelEvents(r).filter((e) => e.event == 'sm_session'),
    // mixpanel-browser keeps its batch queue in localStorage, shared by the tabs: after the 503 the
    // other tab may send the same queued event too. Mixpanel counts it once by this identity.
    key: (e) => [e.event, e.properties.distinct_id, e.properties.time, e.properties.$insert_id].join(),
    check: (e, final) => {
      expect(e.properties.$insert_id).toBe(uuid(final));
      expect(e.properties.time).toBe(Date.parse(final.lastActiveAt) / 1000);
      expect(e.properties).toMatchObject({ sm_engaged_ms: final.engagedMs, sm_session_id: final.id });
    },
    ok: '{"status":1,"error":null}',
  },
  plausible: {
    events: (r) => [json(r)].filter((e) => e?.n == 'sm_session'),
    check: (e, final) => {
      expect(e).toMatchObject({ d: 'adapters.test', i: false });
      expect(e.p).toMatchObject({ sm_engaged: engagedBucket(final.engagedMs), sm_pages: String(final.pages.length) });
      expect(e.p).not.toHaveProperty('sm_session_id');
    },
    ok: '',
  },
};

async function routeVendor(context: BrowserContext, name: string, v: Vendor) {
  const file = v.sdk ? require.resolve(v.sdk) : require.resolve('@plausible-analytics/tracker');
  await context.route(`**/vendor/${name}.js`, (r) => r.fulfill({ path: file, contentType: 'text/javascript' }));
  // analytics.js loads its lazy chunks from its CDN: served from the same package.
  await context.route('https://cdn.segment.com/analytics-next/bundles/*', (r) =>
    r.fulfill({ path: require.resolve('@segment/analytics-next/dist/umd/' + new URL(r.request().url()).pathname.split('/').pop()), contentType: 'text/javascript' }),
  );
  const attempts: { status: number; events: any[] }[] = [];
  let failedOnce = false;
  await context.route('https://vendor.test/**', async (route) => {
    const request = route.request();
    const cors = { 'access-control-allow-origin': request.headers()['origin'] || '*', 'access-control-allow-credentials': 'true', 'access-control-allow-headers': '*' };
    if (request.method() == 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
    const events = v.events(request);
    // The first request that carries our event fails: the SDK (or, for Plausible, the delivery layer) retries.
    const status = events.length && !failedOnce ? ((failedOnce = true), 503) : 200;
    if (events.length) attempts.push({ status, events });
    await route.fulfill({ status, contentType: 'application/json', body: status == 200 ? v.ok : '{}', headers: cors });
  });
  return attempts;
}

for (const [name, v] of Object.entries(vendors)) {
  test(`${name} (its npm SDK in the page): one sm_session event with the final engaged time, one key across a reload, two tabs, a 503 and its retry`, async ({ context, server }) => {
    test.setTimeout(90_000);
    const attempts = await routeVendor(context, name, v);
    const { a, b, final } = await runSession(context, server, `${server.url}/test/e2e/pages/adapters/vendor.html?vendor=${name}`);
    await expect.poll(() => attempts.filter((x) => x.status == 200).length, { timeout: 40_000 }).toBeGreaterThan(0);
    await flushBoth(a, b);
    await a.waitForTimeout(3_000);

    const delivered = attempts.filter((x) => x.status == 200).flatMap((x) => x.events);
    expect(attempts[0]!.status).toBe(503);
    // What the vendor counts: every event it took (Plausible), or one per key (the others), the same
    // key in every request, failed or not.
    if (v.key) expect(new Set(attempts.flatMap((x) => x.events).map(v.key)).size).toBe(1);
    else expect(delivered).toHaveLength(1);
    for (const e of delivered) v.check(e, final);
    expect(final.engagedMs).toBeGreaterThan(2_000);
  });
}
