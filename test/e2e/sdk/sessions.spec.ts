import { test, expect } from '../fixtures';
import { T0, setVisible, sessionsOf, waitForSession } from './helpers';

test('two pages of one context share one session; engaged time is their union', async ({ context, server }) => {
  await context.clock.install({ time: T0 });
  await context.clock.pauseAt(T0 + 1_000);
  const a = await context.newPage();
  await a.goto(`${server.url}/examples/plain/`);
  await a.waitForFunction(() => typeof (window as any).sessionMetrics === 'function');
  await context.clock.runFor(30_000);
  const b = await context.newPage();
  await b.goto(`${server.url}/examples/plain/other.html`);
  await b.waitForFunction(() => typeof (window as any).sessionMetrics === 'function');
  await context.clock.runFor(60_000);
  // a: engaged from 0 to 60 s (its load signal plus the buffer); b: from 30 s to 90 s.
  // Both pages' timers ran at the same instant above, so one may have overwritten the other's commit
  // (localStorage reaches other processes asynchronously); each tab repairs that at its next commit.
  await setVisible(a, false);
  // People do not hide two windows within the same millisecond: let a's write reach b's process.
  await b.waitForTimeout(200);
  await setVisible(b, false);
  await waitForSession(server, 'demo', (s) => s.pages.length === 2 && s.engagedMs === 90_000);
  const sessions = sessionsOf(server, 'demo');
  expect(sessions).toHaveLength(1);
  expect(sessions[0]!.pages.map((p) => [p.path, p.engagedMs])).toEqual([
    ['/examples/plain/', 60_000],
    ['/examples/plain/other.html', 60_000],
  ]);
});

test('a reload inside the expiry keeps the session id', async ({ page, server }) => {
  await page.clock.install({ time: T0 });
  await page.goto(`${server.url}/examples/plain/`);
  await page.waitForFunction(() => typeof (window as any).sessionMetrics === 'function');
  await page.clock.runFor(5_000);
  const before = await page.evaluate(() => (window as any).sessionMetrics('snapshot').id);
  await page.reload();
  await page.waitForFunction(() => typeof (window as any).sessionMetrics === 'function');
  await page.clock.runFor(5_000);
  const after = await page.evaluate(() => (window as any).sessionMetrics('snapshot'));
  expect(after.id).toBe(before);
  expect(after.pages[0].views).toBe(2);
  await setVisible(page, false);
  await waitForSession(server, 'demo', (s) => s.id === before && s.pages[0]!.views === 2);
});

test('a reload after the expiry starts a new session and sends the old one as final', async ({ page, server }) => {
  await page.clock.install({ time: T0 });
  await page.goto(`${server.url}/examples/plain/`);
  await page.waitForFunction(() => typeof (window as any).sessionMetrics === 'function');
  await page.clock.runFor(5_000);
  const before = await page.evaluate(() => (window as any).sessionMetrics('snapshot').id);
  await setVisible(page, false);
  await page.clock.fastForward(31 * 60_000);
  await page.reload();
  await page.waitForFunction(() => typeof (window as any).sessionMetrics === 'function');
  await page.clock.runFor(2_000);
  const after = await page.evaluate(() => (window as any).sessionMetrics('snapshot').id);
  expect(after).not.toBe(before);
  // The old page may have noticed the expiry itself and started sending the final record when the
  // reload cut that fetch off; the retry then waits out a backoff on the page's clock, which the test
  // controls, so page time moves on (as real time would) until the final record arrives.
  const delivered = () => sessionsOf(server, 'demo').some((s) => s.id === before && s.final);
  for (let i = 0; i < 30 && !delivered(); i++) {
    await page.clock.runFor(5_000);
    await page.waitForTimeout(200);
  }
  await waitForSession(server, 'demo', (s) => s.id === before && s.final);
});
