/**
 * Delivery that loses nothing, in real Chromium against the real local receiver (test/e2e/server.ts),
 * with the script-tag build: in each scenario every session's final numbers arrive, and the
 * receiver's table keyed by (site, session id, highest seq) equals what the pages measured.
 */
import { test, expect } from '../fixtures';
import type { WireRecord } from '../../../src/core/records';
import { call, engage, finalTable, freeze, measuredBy, openPage, runUntil, setHidden, tablesEqual, tally } from './scenarios';

test.describe.configure({ mode: 'parallel' });

test('the receiver down for ten minutes, then up', async ({ context, server }) => {
  server.mode = { kind: 'down' };
  const page = await openPage(context, server);
  for (let i = 0; i < 20; i++) {
    await engage(page, 30_000); // ten minutes of engaged reading; each snapshot fails to send
    await page.waitForTimeout(50);
  }
  expect(server.sessions.size).toBe(0);
  server.mode = { kind: 'ok' };
  await call(page, 'endSession');
  const measured = await measuredBy(page);
  expect(measured.filter((r) => r.type === 'session' && r.final)).toHaveLength(1);
  await runUntil(page, () => tablesEqual(server, measured));
  expect(tablesEqual(server, measured), JSON.stringify(tally(server, measured))).toBe(true);
  test.info().annotations.push({ type: 'delivered', description: JSON.stringify(tally(server, measured)) });
});

test('offline across a hide and the next load', async ({ context, server }) => {
  const page = await openPage(context, server);
  await engage(page, 40_000);
  await context.setOffline(true);
  await engage(page, 20_000);
  await call(page, 'endSession');
  await setHidden(page, true);
  const measured = await measuredBy(page);
  await page.waitForTimeout(300);
  await page.close();
  const acceptedWhileOffline = server.requests.length;
  expect(tablesEqual(server, measured)).toBe(false);

  await context.setOffline(false);
  const next = await openPage(context, server);
  await server.waitFor(() => finalTable(measured).size > 0 && [...finalTable(measured).keys()].every((k) => server.sessions.get(k)?.final));
  const all = [...measured, ...(await measuredBy(next))];
  expect(tablesEqual(server, all), JSON.stringify(tally(server, all))).toBe(true);
  expect(server.requests.length).toBeGreaterThan(acceptedWhileOffline);
  test.info().annotations.push({ type: 'delivered', description: JSON.stringify(tally(server, all)) });
});

test('the renderer crashes mid-session, and the site is opened again', async ({ context, server }) => {
  server.mode = { kind: 'down' };
  const page = await openPage(context, server);
  await engage(page, 45_000);
  await engage(page, 45_000);
  const measured = await measuredBy(page);
  expect(measured.length).toBeGreaterThan(0);
  await page.waitForTimeout(300); // the queue write is asynchronous; the crash is not
  const cdp = await context.newCDPSession(page);
  // No pagehide, no visibilitychange: the renderer just dies. (The CDP call itself never answers.)
  void cdp.send('Page.crash').catch(() => {});
  await page.waitForEvent('crash');
  expect(server.sessions.size).toBe(0);

  server.mode = { kind: 'ok' };
  const next = await openPage(context, server, { clock: false });
  const want = finalTable(measured);
  await server.waitFor(() => [...want].every(([k, r]) => (server.sessions.get(k)?.seq ?? -1) >= r.seq));
  const all = [...measured, ...(await measuredBy(next))];
  expect(tablesEqual(server, all), JSON.stringify(tally(server, all))).toBe(true);
  test.info().annotations.push({ type: 'delivered', description: JSON.stringify(tally(server, all)) });
});

test('a receiver that answers 500 to every second request', async ({ context, server }) => {
  server.mode = { kind: 'fail-every-second' };
  const page = await openPage(context, server);
  for (let i = 0; i < 6; i++) await engage(page, 30_000);
  await call(page, 'endSession');
  await engage(page, 30_000); // a second session begins
  await call(page, 'endSession');
  const measured = await measuredBy(page);
  expect(finalTable(measured).size).toBe(2);
  await runUntil(page, () => tablesEqual(server, measured), 10_000);
  expect(tablesEqual(server, measured), JSON.stringify(tally(server, measured))).toBe(true);
  expect(server.requests.some((r) => r.status === 500)).toBe(true);
  test.info().annotations.push({ type: 'delivered', description: JSON.stringify(tally(server, measured)) });
});

test('sendBeacon returning false falls back to a keepalive fetch on hide', async ({ context, server }) => {
  await context.addInitScript(() => {
    // Refuses, as over the keepalive budget, and counts the tries: the fetch that follows is the fallback.
    Navigator.prototype.sendBeacon = () => (((window as any).beacons = ((window as any).beacons || 0) + 1), false);
  });
  const page = await openPage(context, server);
  await engage(page, 20_000);
  await freeze(page); // no timer runs from here: only the hide sends
  await call(page, 'endSession');
  const before = server.requests.length;
  await setHidden(page, true);
  const measured = await measuredBy(page);
  await server.waitFor(() => tablesEqual(server, measured));
  const sentOnHide = server.requests.slice(before);
  expect(sentOnHide.some((r) => r.records.some((x) => x.type === 'session' && x.final))).toBe(true);
  expect(await page.evaluate(() => (window as any).beacons)).toBeGreaterThan(0);
  test.info().annotations.push({ type: 'delivered', description: JSON.stringify(tally(server, measured)) });
});

test('two tabs flushing at once send each queued record once', async ({ context, server }) => {
  const a = await openPage(context, server);
  const b = await openPage(context, server);
  for (let i = 0; i < 3; i++) {
    await engage(a, 20_000);
    await engage(b, 20_000);
  }
  await freeze(a); // the clock is the context's: both tabs stop measuring here
  await Promise.all([call(a, 'flush'), call(b, 'flush'), call(a, 'flush'), call(b, 'flush')]);
  await call(a, 'endSession');
  await Promise.all([call(a, 'flush'), call(b, 'flush')]);
  const measured: WireRecord[] = [...(await measuredBy(a)), ...(await measuredBy(b))];
  await server.waitFor(() => tablesEqual(server, measured));
  // Under the Web Lock, no record went out twice, though both tabs flushed the shared queue at once.
  // (Compared by content: two tabs may each measure a different snapshot under one seq.)
  const sent = server.requests.filter((r) => r.status < 300).flatMap((r) => r.records.map((x) => JSON.stringify(x)));
  expect(sent.length).toBeGreaterThan(0);
  expect(new Set(sent).size).toBe(sent.length);
  test.info().annotations.push({ type: 'delivered', description: JSON.stringify(tally(server, measured)) });
});

test('IndexedDB unavailable: the queue lives in memory and still delivers', async ({ context, server }) => {
  await context.addInitScript(() => {
    // As in sandboxed frames and some private modes: touching IndexedDB throws.
    Object.defineProperty(window, 'indexedDB', {
      get() {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      },
    });
  });
  const logs: string[] = [];
  const page = await context.newPage();
  page.on('console', (m) => logs.push(m.text()));
  await page.clock.install();
  await page.goto(server.url + '/test/e2e/pages/delivery/tracked.html');
  await engage(page, 40_000);
  await call(page, 'endSession');
  await setHidden(page, true);
  const measured = await measuredBy(page);
  await server.waitFor(() => tablesEqual(server, measured));
  expect(logs.some((l) => /IndexedDB unavailable/.test(l))).toBe(true);
  test.info().annotations.push({ type: 'delivered', description: JSON.stringify(tally(server, measured)) });
});
