import { createRequire } from 'node:module';
import { test, expect } from '../fixtures';
import { keySource, uuidFrom } from '../../../src/adapters/key';
import { runSession, flushBoth } from './scenario';
import { sessionsOf } from '../sdk/helpers';
import { decodePosthog } from './posthog-requests';

const require = createRequire(import.meta.url);
/** The vendor commands every tab logged (test/e2e/pages/adapters/vendors.js). */
const vendorLog = (p: import('@playwright/test').Page): Promise<unknown[][]> => p.evaluate(() => JSON.parse(localStorage.getItem('vendor-log') || '[]'));
const page = (vendor: string, server: { url: string }, extra = '') => `${server.url}/test/e2e/pages/adapters/vendor.html?vendor=${vendor}${extra}`;

test('PostHog (posthog-js in the page): one sm_session event with the session\'s engaged time, one uuid across a reload, two tabs, a 503 and its retry', async ({ context, server }) => {
  test.setTimeout(90_000);
  await context.route('**/vendor/posthog.js', (r) => r.fulfill({ path: require.resolve('posthog-js/dist/array.full.js'), contentType: 'text/javascript' }));
  const attempts: { status: number; events: any[] }[] = [];
  let failedOnce = false;
  await context.route('https://vendor.test/**', async (route) => {
    const events = decodePosthog(route.request()).filter((e) => e.event == 'sm_session');
    // The vendor's endpoint fails the first request that carries our event: posthog-js must retry it.
    const status = events.length && !failedOnce ? ((failedOnce = true), 503) : 200;
    if (events.length) attempts.push({ status, events });
    await route.fulfill({ status, contentType: 'application/json', body: status == 200 ? '{"status":1}' : '{}', headers: { 'access-control-allow-origin': '*' } });
  });
  const { a, b, final } = await runSession(context, server, page('posthog', server));
  await expect.poll(() => attempts.filter((x) => x.status == 200).length, { timeout: 30_000 }).toBeGreaterThan(0);
  await flushBoth(a, b);
  await a.waitForTimeout(4_000);

  const delivered = attempts.filter((x) => x.status == 200).flatMap((x) => x.events);
  expect(attempts[0]!.status).toBe(503);
  expect(delivered).toHaveLength(1);
  const uuid = uuidFrom(keySource('adapters', final.id, 'session'));
  expect(attempts.flatMap((x) => x.events).map((e) => e.uuid)).toEqual(attempts.map(() => uuid));
  expect(delivered[0].properties).toMatchObject({ sm_engaged_ms: final.engagedMs, sm_session_id: final.id, sm_pages: final.pages.length });
  // PostHog's own session id is its own, never ours.
  expect(delivered[0].properties.$session_id).not.toBe(final.id);
  expect(final.engagedMs).toBeGreaterThan(2_000);
});

test('GA4 (gtag\'s dataLayer): deltas of sm_engaged_ms that add up to the session\'s engaged time, within GA4\'s limits', async ({ context, server }) => {
  test.setTimeout(60_000);
  const { a, b, final } = await runSession(context, server, page('ga4', server, '&order=adapter-first'));
  await flushBoth(a, b);
  // After the end in tab b, tab a (engaged until its buffer runs out) starts the next session at once,
  // and GA4 gets its deltas too (without a session id: GA4 reports by its own session). So the sum
  // over every event equals the receiver's total over every session, and the ledger says the ended
  // session's share was exactly its final engaged time.
  const sum = async () => (await vendorLog(a)).filter((c) => c[1] == 'sm_session').reduce((s, c) => s + (c[2] as any).sm_engaged_ms, 0);
  const truth = () => sessionsOf(server, 'adapters').reduce((s, r) => s + r.engagedMs, 0);
  await expect.poll(async () => (await sum()) - truth(), { timeout: 10_000 }).toBe(0);
  await a.waitForTimeout(1_500);
  expect(await sum()).toBe(truth());
  const ledger = await a.evaluate(() => JSON.parse(localStorage.getItem('session-metrics:adapter:ga4')!));
  expect(ledger['adapters\n' + final.id]).toMatchObject({ s: final.seq, d: 1, m: { session: final.engagedMs } });
  const commands = await vendorLog(a);
  const events = commands.filter((c) => c[0] == 'event');
  expect(events.length).toBeGreaterThan(1);
  for (const [, name, params] of events as [string, string, Record<string, unknown>][]) {
    expect(name).toMatch(/^[A-Za-z]\w{0,39}$/);
    expect(params).not.toHaveProperty('engagement_time_msec');
    expect(params).not.toHaveProperty('sm_session_id');
    expect(Object.keys(params).length).toBeLessThanOrEqual(25);
    expect(Object.keys(params).every((k) => k.length <= 40)).toBe(true);
    expect(Object.values(params).every((v) => String(v).length <= 100)).toBe(true);
  }
});

test('Matomo (the _paq queue): one trackEvent whose value is the session\'s engaged seconds', async ({ context, server }) => {
  test.setTimeout(60_000);
  const { a, b, final } = await runSession(context, server, page('matomo', server));
  await expect.poll(async () => (await vendorLog(a)).length, { timeout: 10_000 }).toBeGreaterThan(0);
  await flushBoth(a, b);
  await a.waitForTimeout(1_500);
  expect(await vendorLog(b)).toEqual([['trackEvent', 'session-metrics', 'sm_session', final.band ?? 'none', final.engagedMs / 1000]]);
});
