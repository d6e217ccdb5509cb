/**
 * The wiring of docs/adapters.md, "Script tag", on the default script tag (which has no code for it):
 * `data-adapters="ga4,posthog"` on the session-metrics tag, and `sessionMetrics('init', { adapters })`
 * (and `data-adapters` on the tag with the plugin seam, which runs the same src/script.ts),
 * with base.min.js and the two adapter files, all defer. posthog-js is in the page (its endpoint
 * answering 503 to the first request with our event) and GA4 is gtag's dataLayer. Over the session of
 * scenario.ts (a hide, a reload, a second tab, its end), PostHog gets one sm_session event with the final
 * engaged time under one uuid, and GA4's deltas add up to the receiver's engaged time: each once.
 */
import { createRequire } from 'node:module';
import { test, expect } from '../fixtures';
import { keySource, uuidFrom } from '../../../src/adapters/key';
import { sessionsOf } from '../sdk/helpers';
import { decodePosthog } from './posthog-requests';
import { runSession, flushBoth } from './scenario';

const require = createRequire(import.meta.url);

const FORMS = {
  data: 'data-adapters="ga4,posthog"',
  init: "sessionMetrics('init', { adapters: ['ga4', 'posthog'] })",
  plugins: 'data-adapters="ga4,posthog" on session-metrics.plugins.min.js',
};

for (const [form, title] of Object.entries(FORMS)) {
  test(`${title}: PostHog gets the session's engaged time once, GA4's deltas add up to it`, async ({ context, server }) => {
    test.setTimeout(90_000);
    const said: string[] = [];
    context.on('console', (m) => said.push(m.text()));
    await context.route('**/vendor/posthog.js', (r) => r.fulfill({ path: require.resolve('posthog-js/dist/array.full.js'), contentType: 'text/javascript' }));
    const attempts: { status: number; events: any[] }[] = [];
    let failedOnce = false;
    await context.route('https://vendor.test/**', async (route) => {
      const events = decodePosthog(route.request()).filter((e) => e.event == 'sm_session');
      const status = events.length && !failedOnce ? ((failedOnce = true), 503) : 200;
      if (events.length) attempts.push({ status, events });
      await route.fulfill({ status, contentType: 'application/json', body: status == 200 ? '{"status":1}' : '{}', headers: { 'access-control-allow-origin': '*' } });
    });

    const { a, b, final } = await runSession(context, server, `${server.url}/test/e2e/pages/adapters/wired-${form}.html`);
    await expect.poll(() => attempts.filter((x) => x.status == 200).length, { timeout: 30_000 }).toBeGreaterThan(0);
    await flushBoth(a, b);
    await a.waitForTimeout(3_000);

    // PostHog: one event taken, every copy under the session's one uuid.
    const delivered = attempts.filter((x) => x.status == 200).flatMap((x) => x.events);
    expect(attempts[0]!.status).toBe(503);
    expect(delivered).toHaveLength(1);
    expect(new Set(attempts.flatMap((x) => x.events).map((e) => e.uuid))).toEqual(new Set([uuidFrom(keySource('adapters', final.id, 'session'))]));
    expect(delivered[0].properties).toMatchObject({ sm_engaged_ms: final.engagedMs, sm_session_id: final.id });

    // GA4: the deltas of every session (the one tab a starts after the end included) sum to the receiver's.
    const log = async () => (await a.evaluate(() => JSON.parse(localStorage.getItem('vendor-log') || '[]'))) as [string, string, any][];
    const sum = async () => (await log()).filter((c) => c[1] == 'sm_session').reduce((s, c) => s + c[2].sm_engaged_ms, 0);
    const truth = () => sessionsOf(server, 'adapters').reduce((s, r) => s + r.engagedMs, 0);
    await expect.poll(async () => (await sum()) - truth(), { timeout: 10_000 }).toBe(0);
    const ledger = await a.evaluate(() => JSON.parse(localStorage.getItem('session-metrics:adapter:ga4')!));
    expect(ledger['adapters\n' + final.id]).toMatchObject({ s: final.seq, d: 1, m: { session: final.engagedMs } });

    // The tracker took the options as they were meant: no `unknown option adapters`, nothing said about the order.
    expect(said.filter((m) => m.includes('[session-metrics]'))).toEqual([]);
    expect(final.engagedMs).toBeGreaterThan(2_000);
  });
}

test('base.min.js after session-metrics.min.js is too late for data-adapters, and says so', async ({ page, server }) => {
  const said: string[] = [];
  page.on('console', (m) => said.push(m.text()));
  await page.goto(`${server.url}/test/e2e/pages/adapters/wired-late.html`);
  await expect.poll(() => said.filter((m) => m.includes('base.min.js must run before session-metrics.min.js'))).toHaveLength(1);
  // The tracker runs without the adapters (and says which option it did not know).
  expect(said.some((m) => m.includes('unknown option adapters'))).toBe(true);
});
