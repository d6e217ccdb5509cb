import { test, expect } from '../fixtures';
import { T0, setVisible, sessionsOf, waitForSession } from './helpers';

test('script tag: real mouse and keyboard input, stubbed visibility; the beacon carries the scripted engaged time', async ({ page, server }) => {
  await page.clock.install({ time: T0 });
  await page.clock.pauseAt(T0 + 1_000);
  await page.goto(`${server.url}/examples/plain/`);
  await page.waitForFunction(() => typeof (window as any).SessionMetrics?.createTracker === 'function');
  const loadedAt: number = await page.evaluate(() => Date.now());

  // Ground truth, scripted: loading while visible is a signal at `loadedAt`.
  await page.clock.runFor(20_000);
  await page.mouse.move(100, 100);
  await page.mouse.move(200, 150); // last signal of the first stretch: loadedAt + 20 s
  await page.clock.runFor(100_000); // idle: engaged until +80 s, then a 40 s break
  await page.keyboard.press('ArrowDown'); // +120 s
  await page.clock.runFor(30_000);
  await setVisible(page, false); // hidden at +150 s: credit stops at once
  const truth = 80_000 + 30_000;

  await waitForSession(server, 'demo', (s) => s.engagedMs >= truth - 5_000);
  const [record] = sessionsOf(server, 'demo');
  const errorMs = Math.abs(record!.engagedMs - truth);
  console.log(`accuracy: engagedMs ${record!.engagedMs} vs scripted ${truth}: error ${errorMs} ms`);
  expect(errorMs).toBe(0);
  expect(record).toMatchObject({
    v: 1,
    type: 'session',
    startedAt: new Date(loadedAt).toISOString(),
    durationMs: 150_000,
    breaks: { count: 1, totalMs: 40_000, longestMs: 40_000 },
    pages: [{ path: '/examples/plain/', views: 1, engagedMs: truth }],
    userId: null,
    final: false,
  });
  // The page clock stayed paused after the hide, so no timer ran: the snapshot left within the
  // visibilitychange handler itself (by sendBeacon; this Chromium labels beacons Sec-Fetch-Dest: empty).
  expect(await page.evaluate(() => Date.now())).toBe(loadedAt + 150_000);
});

test('script tag: calls queued before the script loaded are replayed in order', async ({ page, server }) => {
  await page.goto(`${server.url}/test/e2e/pages/sdk/queue.html`);
  await page.waitForFunction(() => (window as any).events?.length >= 1);
  await page.evaluate(() => (window as any).sessionMetrics('flush'));
  await waitForSession(server, 'queue', (s) => s.userId === 'u-1');
  const [record] = sessionsOf(server, 'queue');
  expect(record).toMatchObject({ userId: 'u-1', meta: { plan: 'pro' }, sampleRate: 1 });
  expect(await page.evaluate(() => (window as any).events)).toEqual(['sessionstart']);
});

test('script tag: data attributes become options (numbers, lists, a numeric-looking site id kept as a string)', async ({ page, server }) => {
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await page.clock.install({ time: T0 });
  await page.clock.pauseAt(T0 + 1_000);
  await page.goto(`${server.url}/test/e2e/pages/sdk/attributes.html`);
  await page.clock.runFor(30_000); // buffer 10 s: engaged 10 s
  await setVisible(page, false);
  await waitForSession(server, '0042', (s) => s.engagedMs === 10_000);
  // This page is not in data-track-specific-pages: no page record, while the session counts.
  expect(sessionsOf(server, '0042')[0]!.pages).toEqual([]);
  // Expiry of 1 minute: the next input after 70 s idle starts a new session.
  await setVisible(page, true);
  await page.clock.runFor(5_000);
  const ids = await page.evaluate(() => (window as any).sessionMetrics('snapshot').id);
  await page.clock.runFor(80_000);
  await page.mouse.move(10, 10);
  await page.clock.runFor(1_000);
  expect(await page.evaluate(() => (window as any).sessionMetrics('snapshot').id)).not.toBe(ids);
  expect(warnings).toEqual([]);
});

test('the script-tag stub calls only the tracker’s own methods: any other name is warned about, never thrown into the page', async ({ page, server }) => {
  const warnings: string[] = [];
  const errors: Error[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${server.url}/examples/plain/`);
  await page.waitForFunction(() => typeof (window as any).SessionMetrics?.createTracker === 'function');
  const thrown = await page.evaluate(() => {
    const sm = (window as any).sessionMetrics;
    const calls: unknown[][] = [['__proto__'], ['toString'], ['__defineGetter__', 'x'], ['constructor'], ['hasOwnProperty', 'on'], ['on', '__proto__', () => {}], ['on', 'record', 5]];
    const out: string[] = [];
    for (const args of calls)
      try {
        sm(...args);
      } catch (e) {
        out.push(`${args[0]}: ${e}`);
      }
    return out;
  });
  expect(thrown).toEqual([]);
  expect(warnings.filter((w) => w.includes('unknown call'))).toHaveLength(5);
  // The tracker still works: the listener registered under `__proto__` broke nothing.
  expect(await page.evaluate(() => (window as any).sessionMetrics('snapshot') === null || typeof (window as any).sessionMetrics('snapshot').id === 'string')).toBe(true);
  expect(errors).toEqual([]);
});
