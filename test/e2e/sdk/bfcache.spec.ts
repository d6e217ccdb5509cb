import { chromium } from '@playwright/test';
import { test, expect } from '../fixtures';
import { chromiumLaunch } from '../../playwright.config';
import { T0, sessionsOf, waitForSession } from './helpers';

// Playwright launches Chromium with --disable-back-forward-cache; this test needs the real thing.
test('a back/forward cache restore continues the session', async ({ server }) => {
  const browser = await chromium.launch({ ...chromiumLaunch, ignoreDefaultArgs: ['--disable-back-forward-cache'] });
  try {
    const context = await browser.newContext();
    await context.clock.install({ time: T0 });
    await context.clock.pauseAt(T0 + 1_000);
    const page = await context.newPage();
    await page.goto(`${server.url}/examples/plain/`);
    await page.waitForFunction(() => typeof (window as any).sessionMetrics === 'function');
    await page.evaluate(() => {
      (window as any).restored = false;
      addEventListener('pageshow', (e) => e.persisted && ((window as any).restored = true));
    });
    await page.clock.runFor(5_000);
    const id = await page.evaluate(() => (window as any).sessionMetrics('snapshot').id);

    await page.goto(`${server.url}/test/e2e/pages/sdk/elsewhere.html`); // pagehide: the snapshot leaves
    await waitForSession(server, 'demo', (s) => s.id === id);
    await page.clock.runFor(10_000);
    await page.goBack({ waitUntil: 'commit' });
    await page.waitForFunction(() => (window as any).restored === true);
    // The page was not loaded again: the same tracker resumes, and the restore is a signal.
    await page.clock.runFor(20_000);
    const after = await page.evaluate(() => (window as any).sessionMetrics('snapshot'));
    expect(after.id).toBe(id);
    expect(after.pages[0].views).toBe(1);
    await page.evaluate(() => (window as any).sessionMetrics('flush'));
    await waitForSession(server, 'demo', (s) => s.id === id && s.engagedMs === after.engagedMs);
    expect(sessionsOf(server, 'demo')).toHaveLength(1);
    // 5 s before leaving and 20 s after the restore. (Playwright's fake clock does not advance for a
    // frozen document, so the restored page resumes at the time it left: the 10 s away leave no break here.)
    expect(after.engagedMs).toBe(25_000);
  } finally {
    await browser.close();
  }
});
