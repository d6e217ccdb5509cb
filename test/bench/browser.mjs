// Real Chromium through Playwright's library API, launched exactly as the browser tests launch it,
// and the few page actions every measurement shares.
import { chromium } from '@playwright/test';
import { chromiumLaunch } from '../playwright.config.ts';

export function launch() {
  return chromium.launch(chromiumLaunch);
}

/**
 * A context whose clock is installed and paused: time moves only when a measurement says so
 * (`clock.runFor` runs every timer on the way, `clock.fastForward` jumps like a sleeping laptop).
 * Returns the context and the fake epoch it starts at.
 */
export async function pausedContext(browser) {
  const context = await browser.newContext();
  const start = Date.UTC(2026, 0, 5, 9, 0, 0);
  await context.clock.install({ time: start });
  // Installing lets time flow until paused; pause a little later so it is never in the past.
  await context.clock.pauseAt(start + 10_000);
  return { context, epoch: start + 10_000 };
}

/**
 * Headless Chromium never changes `document.visibilityState` by itself, so visibility is stubbed
 * and the event dispatched, the way the browser tests do it.
 */
export function setVisible(page, visible) {
  return page.evaluate((v) => {
    Object.defineProperty(document, 'visibilityState', { value: v ? 'visible' : 'hidden', configurable: true });
    Object.defineProperty(document, 'hidden', { value: !v, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, visible);
}

/** Resolves after `ms` of real time (for requests in flight). */
export const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
