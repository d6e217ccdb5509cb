import type { Page } from '@playwright/test';
import type { SessionRecord } from '../../../src/core/records';
import type { TestServer } from '../server';

/** A fixed start for page.clock, so that ground truth is exact. */
export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/** Headless Chromium never changes visibility by itself: stub it and fire the event, as a tab switch would. */
export const setVisible = (page: Page, visible: boolean) =>
  page.evaluate((v) => {
    Object.defineProperty(document, 'visibilityState', { value: v ? 'visible' : 'hidden', configurable: true });
    Object.defineProperty(document, 'hidden', { value: !v, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, visible);

/** The sessions the receiver kept (highest seq per session) for `siteId`. */
export const sessionsOf = (server: TestServer, siteId: string): SessionRecord[] =>
  [...server.sessions.values()].filter((s) => s.siteId === siteId);

/** Waits until the receiver holds a record of `siteId` that satisfies `check`. */
export const waitForSession = (server: TestServer, siteId: string, check: (s: SessionRecord) => boolean) =>
  server.waitFor(() => sessionsOf(server, siteId).some(check));
