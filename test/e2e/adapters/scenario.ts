/**
 * One session the way a person makes it, for every adapter: activity in a tab, a hide and a return,
 * a reload in the middle, a second tab, then the session's end. The SDK and the adapter files are
 * the built script-tag files, loaded async; the receiver at /collect keeps the highest seq, which is
 * the ground truth the vendor's numbers must equal.
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { SessionRecord } from '../../../src/core/records';
import type { TestServer } from '../server';
import { setVisible, sessionsOf } from '../sdk/helpers';

const act = async (page: Page, ms: number) => {
  await page.mouse.move(10 + Math.random() * 100, 10 + Math.random() * 100);
  await page.waitForTimeout(ms);
};

/** Runs the session in `context` on `url`; resolves with the final record the receiver kept, and both tabs. */
export async function runSession(context: BrowserContext, server: TestServer, url: string) {
  const a = await context.newPage();
  await a.goto(url);
  await a.waitForFunction(() => typeof (window as any).sessionMetrics == 'function');
  await act(a, 700);
  await setVisible(a, false);
  await setVisible(a, true);
  await act(a, 500);
  await a.reload();
  await a.waitForFunction(() => typeof (window as any).sessionMetrics == 'function');
  await act(a, 600);
  const b = await context.newPage();
  await b.goto(url);
  await b.waitForFunction(() => typeof (window as any).sessionMetrics == 'function');
  await act(b, 800);
  await setVisible(b, false);
  await setVisible(b, true);
  await b.evaluate(() => (window as any).sessionMetrics('endSession'));
  await server.waitFor(() => sessionsOf(server, 'adapters').some((s) => s.final));
  const final = sessionsOf(server, 'adapters').find((s) => s.final) as SessionRecord;
  return { a, b, final };
}

/** Both tabs flush what they hold, so that a second copy, if any were going to leave, leaves now. */
export const flushBoth = async (...pages: Page[]) => {
  for (const p of pages) await p.evaluate(() => (window as any).sessionMetrics('flush'));
};
