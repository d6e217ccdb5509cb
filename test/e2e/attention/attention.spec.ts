/**
 * session-metrics/attention in real Chromium with real input: scroll depth from the real mouse wheel,
 * section time on a scripted timeline (fake clock), and a real playing video's played ranges.
 */
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { T0, setVisible, sessionsOf, waitForSession } from '../sdk/helpers';
import type { SessionRecord } from '../../../src/core/records';
import type { TestServer } from '../server';

const PATH = '/test/e2e/pages/attention/attention.html';
const flush = (page: Page) => page.evaluate(() => (window as unknown as { sessionMetrics: (name: string) => void }).sessionMetrics('flush'));
const pageOf = (s: SessionRecord) => s.pages.find((p) => p.path === PATH);
const latest = (server: TestServer) => pageOf(sessionsOf(server, 'attention')[0]!)!;

/** Real wheel input over the page, then until the document stops moving. */
async function wheel(page: Page, dy: number) {
  await page.mouse.move(400, 300);
  const before = await page.evaluate(() => scrollY);
  await page.mouse.wheel(0, dy);
  await expect.poll(() => page.evaluate(() => scrollY), { intervals: [50] }).not.toBe(before);
  let last = -1;
  for (let y = await page.evaluate(() => scrollY); y !== last; y = await page.evaluate(() => scrollY)) {
    last = y;
    await page.waitForTimeout(150);
  }
}

test('scrolling with the real mouse wheel: the depth is the share of the document the viewport reached, with the times of the marks', async ({ page, server }) => {
  await page.goto(`${server.url}${PATH}`);
  await page.waitForLoadState('load');
  await wheel(page, 1500);
  const reached = await page.evaluate(() => (scrollY + innerHeight) / document.documentElement.scrollHeight);
  await flush(page);
  await waitForSession(server, 'attention', (s) => (pageOf(s)?.scroll?.depth ?? 0) > 0.2);
  const first = latest(server).scroll!;
  expect(first.depth).toBe(Math.round(reached * 1e4) / 1e4);
  expect(Object.keys(first.reachedMs).sort()).toEqual(['25']);

  await wheel(page, 10_000);
  await flush(page);
  await waitForSession(server, 'attention', (s) => pageOf(s)?.scroll?.depth === 1);
  const end = latest(server).scroll!;
  expect(Object.keys(end.reachedMs).sort()).toEqual(['100', '25', '50', '75']);
  expect(end.reachedMs['25']).toBe(first.reachedMs['25']);
  expect(end.reachedMs['100']!).toBeGreaterThanOrEqual(end.reachedMs['50']!);
});

test('sections get the engaged time of the scripted timeline while in view, none while hidden or idle past the buffer (fake clock)', async ({ page, server }) => {
  await page.clock.install({ time: T0 });
  await page.clock.pauseAt(T0 + 1_000);
  await page.goto(`${server.url}${PATH}`);
  await page.waitForLoadState('load');
  await page.clock.runFor(10_000); // intro in view and engaged: 10 s
  await wheel(page, 1800); // a signal; intro leaves, middle (2000..2600) comes into view
  await page.clock.runFor(60_000); // buffer 30 s: middle +30 s, then idle
  await page.mouse.move(500, 400); // a signal
  await page.clock.runFor(10_000); // middle +10 s
  await setVisible(page, false);
  await page.clock.runFor(20_000); // hidden: nothing
  await setVisible(page, true); // a signal
  await page.clock.runFor(5_000); // middle +5 s
  await flush(page);
  await waitForSession(server, 'attention', (s) => (pageOf(s)?.sections?.middle?.[0] ?? 0) > 40_000);
  const { sections } = latest(server);
  console.log(`sections: ${JSON.stringify(sections)} (scripted: intro 10 s, middle 45 s)`);
  expect(Math.abs(sections!.intro![0] - 10_000)).toBeLessThanOrEqual(1_000);
  expect(Math.abs(sections!.middle![0] - 45_000)).toBeLessThanOrEqual(1_000);
  expect(sections!.intro![1]).toBeLessThanOrEqual(1_000);
  expect(Math.abs(sections!.middle![1] - 10_000)).toBeLessThanOrEqual(1_000);
  expect(Object.keys(sections!).sort()).toEqual(['intro', 'middle']);
});

test('a route change in a single-page app credits the section in view with the ending view\'s engaged time (fake clock)', async ({ page, server }) => {
  await page.clock.install({ time: T0 });
  await page.clock.pauseAt(T0 + 1_000);
  await page.goto(`${server.url}${PATH}`);
  await page.waitForLoadState('load');
  // The plugin's observer has reported the intro once its first report is out: an observer made after
  // it, on the same element, is told in the same rendering step or a later one.
  await page.evaluate(() => new Promise<void>((done) => new IntersectionObserver((_, o) => (o.disconnect(), done())).observe(document.querySelector('#intro')!)));
  // Intro in view and engaged for 20 s, with no scroll: the observer reports nothing after the first time.
  await page.clock.runFor(20_000);
  await page.evaluate(() => history.pushState({}, '', '/test/e2e/pages/attention/next'));
  await page.clock.runFor(1_000);
  await flush(page);
  await waitForSession(server, 'attention', (s) => s.pages.some((p) => p.path === '/test/e2e/pages/attention/next'));
  const { sections } = latest(server);
  console.log(`sections before the route change: ${JSON.stringify(sections)} (scripted: intro 20 s)`);
  expect(Math.abs(sections!.intro![0] - 20_000)).toBeLessThanOrEqual(1_000);
});

/** A 4 s mono WAV (8 kHz, 16 bit): a small media file made here, no download. */
function wav(seconds: number): Buffer {
  const rate = 8000;
  const samples = rate * seconds;
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + samples * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) b.writeInt16LE(Math.round(Math.sin((i / rate) * 2 * Math.PI * 440) * 8000), 44 + i * 2);
  return b;
}

test('a real playing video watched halfway, sought back, then to the end: the union of the played ranges and completion 1', async ({ page, server }) => {
  const file = wav(4);
  // Served with byte ranges, as a media server does: without them Chromium cannot seek in the file.
  await page.route('**/media/tone.wav', (route) => {
    const range = /bytes=(\d+)-(\d*)/.exec(route.request().headers()['range'] ?? '');
    const headers = { 'content-type': 'audio/wav', 'accept-ranges': 'bytes' };
    if (!range) return route.fulfill({ status: 200, headers, body: file });
    const start = Number(range[1]);
    const end = range[2] ? Number(range[2]) : file.length - 1;
    return route.fulfill({ status: 206, headers: { ...headers, 'content-range': `bytes ${start}-${end}/${file.length}` }, body: file.subarray(start, end + 1) });
  });
  await page.goto(`${server.url}${PATH}`);
  await page.waitForLoadState('load');
  await page.evaluate(() => {
    const v = document.getElementById('lecture') as HTMLVideoElement;
    v.src = '/media/tone.wav';
    v.load();
  });
  await page.waitForFunction(() => (document.getElementById('lecture') as HTMLVideoElement).readyState >= 4);
  await page.locator('#lecture').evaluate((v: HTMLVideoElement) => v.play());
  await page.waitForFunction(() => (document.getElementById('lecture') as HTMLVideoElement).currentTime >= 2);
  // Halfway: back to 1 s, and on to the end.
  const soughtTo = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const v = document.getElementById('lecture') as HTMLVideoElement;
        v.addEventListener('seeked', () => resolve(v.currentTime), { once: true });
        v.currentTime = 1;
      }),
  );
  expect(soughtTo).toBeGreaterThanOrEqual(1);
  expect(soughtTo).toBeLessThan(1.1);
  await page.waitForFunction(() => (document.getElementById('lecture') as HTMLVideoElement).ended, undefined, { timeout: 15_000 });
  await flush(page);
  await waitForSession(server, 'attention', (s) => pageOf(s)?.media?.lecture?.ended === true);
  const { media } = latest(server);
  console.log(`media: ${JSON.stringify(media)}`);
  expect(media).toEqual({ lecture: { watchedMs: 4000, durationMs: 4000, completion: 1, ended: true } });
});
