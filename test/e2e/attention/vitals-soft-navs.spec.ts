/**
 * `reportSoftNavs` in real Chromium: with its soft navigation heuristics on (a runtime feature of this
 * Chromium, off by default), a click that changes the route with pushState and paints new content is a
 * soft navigation. web-vitals then reports metrics for it under the new URL, and the vitals plugin
 * writes them to that route's page record; the first route keeps the hard navigation's. web-vitals
 * itself runs on the same page as the reference.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test, expect } from '../fixtures';
import { chromiumLaunch } from '../../playwright.config';
import { sessionsOf, waitForSession } from '../sdk/helpers';

const webVitalsIife = join(dirname(createRequire(import.meta.url).resolve('web-vitals')), 'web-vitals.iife.js');

test.use({ launchOptions: { ...chromiumLaunch, args: [...chromiumLaunch.args, '--enable-features=SoftNavigationHeuristics'] } });

type Reference = Record<string, Record<string, number>>;
const FIRST = '/test/e2e/pages/attention/vitals-spa.html';
const SECOND = '/test/e2e/pages/attention/lesson/2';

test('a soft navigation gets its own metrics on its own page record, equal to what web-vitals reports for it', async ({ page, server }) => {
  expect(await page.evaluate(() => PerformanceObserver.supportedEntryTypes.includes('soft-navigation'))).toBe(true);
  await page.addInitScript({ content: `${readFileSync(webVitalsIife, 'utf8')};window.webVitals = webVitals;` });
  await page.addInitScript(() => {
    const reference: Record<string, Record<string, number>> = {};
    (window as unknown as { reference: typeof reference }).reference = reference;
    const w = window as unknown as { webVitals: Record<string, (cb: (m: { name: string; value: number; navigationURL?: string }) => void, o: object) => void> };
    for (const on of ['onLCP', 'onINP', 'onCLS', 'onFCP', 'onTTFB'])
      w.webVitals[on]!((m) => {
        const path = new URL(m.navigationURL ?? location.href).pathname;
        (reference[path] ??= {})[m.name] = m.value;
      }, { reportAllChanges: true, reportSoftNavs: true });
  });
  await page.goto(`${server.url}${FIRST}`);
  const reference = () => page.evaluate(() => (window as unknown as { reference: Reference }).reference);
  await expect.poll(async () => (await reference())[FIRST]?.LCP ?? 0).toBeGreaterThan(0);
  const box = (await page.locator('#go').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  // The soft navigation's own paint metrics, under its URL.
  await expect.poll(async () => Object.keys((await reference())[SECOND] ?? {}).sort(), { timeout: 15_000 }).toEqual(expect.arrayContaining(['FCP', 'LCP']));
  const measured = await reference();

  await page.evaluate(() => (window as unknown as { sessionMetrics: (name: string) => void }).sessionMetrics('flush'));
  await waitForSession(server, 'soft', (s) => s.pages.some((p) => p.path === SECOND && p.vitals?.LCP !== undefined));
  const [record] = sessionsOf(server, 'soft');
  const vitalsOf = (path: string) => record!.pages.find((p) => p.path === path)?.vitals;
  console.log(`record: ${JSON.stringify({ first: vitalsOf(FIRST), second: vitalsOf(SECOND) })}\nweb-vitals: ${JSON.stringify(measured)}`);
  expect(vitalsOf(SECOND)).toEqual(measured[SECOND]);
  expect(vitalsOf(FIRST)).toMatchObject({ LCP: measured[FIRST]!.LCP, FCP: measured[FIRST]!.FCP, TTFB: measured[FIRST]!.TTFB });
  // The first route's paint metrics are the hard navigation's, not the soft one's.
  expect(vitalsOf(FIRST)!.LCP).not.toBe(vitalsOf(SECOND)!.LCP);
});
