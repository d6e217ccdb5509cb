/**
 * The examples run as written (examples/adapters/<name>.html, the built files): for the two vendors
 * that need no account or SDK in the page (GA4's dataLayer, Matomo's _paq), a session with the
 * example's own "End the session now" button reaches the vendor's queue with its engaged time.
 */
import { test, expect } from '../fixtures';
import { sessionsOf } from '../sdk/helpers';
import type { SessionRecord } from '../../../src/core/records';

async function endedSession(page: import('@playwright/test').Page, server: import('../server').TestServer, name: string) {
  await page.goto(`${server.url}/examples/adapters/${name}.html`);
  await page.waitForFunction(() => typeof (window as any).sessionMetricsAdapters == 'function' && !(window as any).sessionMetrics.q);
  await page.mouse.move(20, 20);
  await page.waitForTimeout(1_200);
  await page.getByRole('button', { name: 'End the session now' }).click();
  await server.waitFor(() => sessionsOf(server, 'example').some((s) => s.final));
  return sessionsOf(server, 'example').find((s) => s.final) as SessionRecord;
}

test('examples/adapters/ga4.html: the dataLayer gets sm_session events whose sm_engaged_ms add up to the session', async ({ page, server }) => {
  const final = await endedSession(page, server, 'ga4');
  const sum = () =>
    page.evaluate(() =>
      (window as any).dataLayer.filter((c: IArguments) => c[0] == 'event' && c[1] == 'sm_session').reduce((s: number, c: IArguments) => s + c[2].sm_engaged_ms, 0),
    );
  await expect.poll(sum).toBe(final.engagedMs);
  expect(final.engagedMs).toBeGreaterThan(1_000);
});

test('examples/adapters/matomo.html: _paq gets one trackEvent with the engaged seconds', async ({ page, server }) => {
  const final = await endedSession(page, server, 'matomo');
  await expect.poll(() => page.evaluate(() => (window as any)._paq)).toEqual([['trackEvent', 'session-metrics', 'sm_session', final.band ?? 'none', final.engagedMs / 1000]]);
});
