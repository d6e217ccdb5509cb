import type { BrowserContext, Page } from '@playwright/test';
import type { SessionRecord, WireRecord } from '../../../src/core/records';
import type { TestServer } from '../server';

export const PAGE = '/test/e2e/pages/delivery/tracked.html';

/** Opens the measured page with a controllable clock (time still flows on its own until told otherwise). */
export async function openPage(context: BrowserContext, server: TestServer, { clock = true } = {}): Promise<Page> {
  const page = await context.newPage();
  // The clock belongs to the context; after a crash, installing it again would reach the dead page.
  if (clock) await page.clock.install();
  await page.goto(server.url + PAGE);
  await queueOpened(page);
  return page;
}

/**
 * Waits until the page's delivery has opened its IndexedDB queue. The open has a 5 s deadline on the
 * page's clock, which these tests fake: a clock jump before a slow open answered (a loaded machine)
 * would time it out, and the record would then be kept in memory as well as in IndexedDB, and may be sent
 * twice (at-least-once; the receiver keeps one). IndexedDB answers opens of one database in the order
 * they were asked (the connection queue), so once an open of ours answers, the page's earlier one has.
 */
async function queueOpened(page: Page): Promise<void> {
  await page.waitForFunction(async () => (await indexedDB.databases()).some((d) => d.name === 'session-metrics-queue'));
  await page.evaluate(
    () =>
      new Promise<void>((ok, fail) => {
        const request = indexedDB.open('session-metrics-queue');
        request.onsuccess = () => (request.result.close(), ok());
        request.onerror = () => fail(request.error);
      }),
  );
}

/** Headless Chromium never hides a page by itself: stub the state and dispatch the event. */
export async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { value: h ? 'hidden' : 'visible', configurable: true });
    Object.defineProperty(document, 'hidden', { value: h, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** Some user activity, then `ms` of page time. */
export async function engage(page: Page, ms: number): Promise<void> {
  await page.mouse.move(20 + Math.random() * 200, 20 + Math.random() * 200);
  await page.keyboard.press('Shift');
  await page.clock.runFor(ms);
}

export const measuredBy = (page: Page): Promise<WireRecord[]> => page.evaluate(() => (window as unknown as { measured: WireRecord[] }).measured);

export const call = (page: Page, name: string, ...args: unknown[]) =>
  page.evaluate(([n, a]) => (window as unknown as { sessionMetrics: (...x: unknown[]) => unknown }).sessionMetrics(n, ...(a as unknown[])), [name, args] as const);

/** What the pages measured, as the receiver should end up with it: per (site, session id), the highest seq. */
export function finalTable(records: readonly WireRecord[]): Map<string, SessionRecord> {
  const table = new Map<string, SessionRecord>();
  for (const r of records) {
    if (r.type !== 'session') continue;
    const key = `${r.siteId}/${r.id}`;
    const prev = table.get(key);
    if (!prev || r.seq > prev.seq) table.set(key, r);
  }
  return table;
}

/** The receiver's table equals what was measured: every session once, each with its final numbers. */
export function tablesEqual(server: TestServer, measured: readonly WireRecord[]): boolean {
  const want = finalTable(measured);
  if (want.size !== server.sessions.size) return false;
  for (const [key, r] of want) {
    const got = server.sessions.get(key);
    // Two tabs that snapshot at the same instant can both use the highest seq: visible tabs leave that
    // to their next snapshot, and a hidden one answers at once only when the records differ (README,
    // "Options"). The receiver then keeps whichever arrived first, and either is a delivered final
    // record. Anything else (a lower seq, another session, nothing) is a loss.
    const tied = measured.filter((m) => m.type === 'session' && `${m.siteId}/${m.id}` === key && m.seq === r.seq);
    if (!tied.some((m) => JSON.stringify(m) === JSON.stringify(got))) return false;
  }
  return true;
}

/** Records delivered out of records measured, counted the way the issue asks: by the final table. */
export function tally(server: TestServer, measured: readonly WireRecord[]) {
  const want = finalTable(measured);
  let delivered = 0;
  for (const [key, r] of want) if (JSON.stringify(server.sessions.get(key)) === JSON.stringify(r)) delivered++;
  const accepted = new Set(server.requests.filter((q) => q.status < 300).flatMap((q) => q.records.map((r) => (r.type === 'session' ? `${r.id}#${r.seq}` : ''))));
  const snapshots = measured.filter((r) => r.type === 'session') as SessionRecord[];
  return {
    sessions: `${delivered}/${want.size}`,
    snapshots: `${snapshots.filter((r) => accepted.has(`${r.id}#${r.seq}`)).length}/${snapshots.length}`,
    requests: server.requests.length,
  };
}

/** Drives page time in steps, letting real network work happen between them, until `done` holds. */
export async function runUntil(page: Page, done: () => boolean, stepMs = 30_000, maxSteps = 40): Promise<void> {
  for (let i = 0; i < maxSteps && !done(); i++) {
    await page.clock.runFor(stepMs);
    await page.waitForTimeout(100);
  }
}

/** Stops page time where it is, so that nothing more is measured while delivery is checked. */
export async function freeze(page: Page): Promise<void> {
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 5_000);
}
