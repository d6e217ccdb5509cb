/**
 * session-metrics/vitals in real Chromium with real input: the page has a large image (LCP), a late
 * banner that shifts the layout (CLS) and a click handler that blocks the main thread for 300 ms (INP).
 * web-vitals itself runs on the same page as the reference (its own IIFE, injected before the page's
 * scripts); the page record must carry exactly what it reports last.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test, expect } from '../fixtures';
import { sessionsOf } from '../sdk/helpers';

// The package exports no IIFE subpath: it lies beside its CommonJS build in dist/.
const webVitalsIife = join(dirname(createRequire(import.meta.url).resolve('web-vitals')), 'web-vitals.iife.js');

test('LCP, CLS, INP (>= 300 ms), FCP and TTFB on the page record equal what web-vitals reports on the same page', async ({ page, server }) => {
  // Init scripts run inside a function: the IIFE's `var webVitals` is handed to the window explicitly.
  await page.addInitScript({ content: `${readFileSync(webVitalsIife, 'utf8')};window.webVitals = webVitals;` });
  await page.addInitScript(() => {
    const reference: Record<string, number> = {};
    (window as unknown as { reference: typeof reference }).reference = reference;
    const w = window as unknown as { webVitals: Record<string, (cb: (m: { name: string; value: number }) => void, o: object) => void> };
    for (const on of ['onLCP', 'onINP', 'onCLS', 'onFCP', 'onTTFB']) w.webVitals[on]!((m) => (reference[m.name] = m.value), { reportAllChanges: true });
  });
  await page.goto(`${server.url}/test/e2e/pages/attention/vitals.html`);
  await page.waitForFunction(() => (window as unknown as { shifted?: boolean }).shifted === true);
  // The shift is measured once it is painted; then the real click on the slow button.
  await page.waitForFunction(() => ((window as unknown as { reference: Record<string, number> }).reference.CLS ?? 0) > 0);
  const box = (await page.locator('#slow').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => ((window as unknown as { reference: Record<string, number> }).reference.INP ?? 0) >= 300);
  const reference = await page.evaluate(() => (window as unknown as { reference: Record<string, number> }).reference);

  // The plugin's own web-vitals may hear the interaction a moment after the reference did (two
  // observers; on a loaded machine, not in the same task): a flush before that carries no INP, and
  // nothing else would snapshot within the wait. So flush until a record carries it.
  const hasInp = (s: { pages: { vitals?: { INP?: number } }[] }) => s.pages[0]?.vitals?.INP !== undefined;
  await expect
    .poll(
      async () => {
        await page.evaluate(() => (window as unknown as { sessionMetrics: (name: string) => void }).sessionMetrics('flush'));
        await server.waitFor(() => sessionsOf(server, 'vitals').some(hasInp), 2_000).catch(() => {});
        return sessionsOf(server, 'vitals').some(hasInp);
      },
      { timeout: 20_000, intervals: [0] },
    )
    .toBe(true);
  const [record] = sessionsOf(server, 'vitals');
  const vitals = record!.pages.find((p) => p.path === '/test/e2e/pages/attention/vitals.html')!.vitals!;
  console.log(`vitals on the record: ${JSON.stringify(vitals)}\nweb-vitals itself:   ${JSON.stringify(reference)}`);
  expect(reference.INP).toBeGreaterThanOrEqual(300);
  expect(reference.LCP).toBeGreaterThan(0);
  expect(reference.CLS).toBeGreaterThan(0);
  expect(vitals).toEqual({ LCP: reference.LCP, CLS: reference.CLS, INP: reference.INP, FCP: reference.FCP, TTFB: reference.TTFB });
});
