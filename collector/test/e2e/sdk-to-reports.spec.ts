/**
 * Across the boundary, in real Chromium: the script-tag SDK (dist/session-metrics.min.js) on a page
 * that the real collector serves (`build()` on SQLite, its static serving, a random port) sends its
 * sessions to that collector, once by fetch and once by beacon (a hide), and the reports then answer
 * the engaged time the page measured, to the 0.1 s they round to.
 *
 * Page time is Playwright's clock, paused and moved by hand, so the truth of each scenario is known
 * to the millisecond. Headless Chromium never changes `visibilityState` by itself: the hide is a
 * stubbed state and a dispatched `visibilitychange`. Every request to /collect goes through
 * `page.route`, which tells a beacon (`ping`) from a fetch (`fetch`) and passes it on unchanged.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import type { SessionRecord, WireRecord } from '../../../src/core/records';
import { build } from '../../src/app';
import { openSqliteStore } from '../../src/store/sqlite';

const TOKEN = 'boundary-e2e-token-3b8e61f0';
/** Page time at the start of both sessions: 10:00 UTC, so both belong to 2026-03-02. */
const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const DAY = '2026-03-02';

interface Collector {
  url: string;
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Polls a report until `done` holds for its JSON (the SDK sends on its own timers). */
  until<T>(path: string, done: (body: T) => boolean, init?: RequestInit): Promise<T>;
}

const test = base.extend<{ collector: Collector }>({
  collector: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'sm-boundary-e2e-'));
    const store = openSqliteStore({ file: join(dir, 'collector.sqlite') });
    await store.migrate();
    // The collector's own static serving: /dist/ is the repository's built SDK (npm run build),
    // /examples/ this spec's pages.
    const app = await build({ store, token: TOKEN, rateLimit: false, static: { examples: fileURLToPath(new URL('pages', import.meta.url)) } });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const api = (path: string, init: RequestInit = {}) =>
      fetch(url + path, { ...init, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
    const until = async <T,>(path: string, done: (body: T) => boolean, init?: RequestInit): Promise<T> => {
      let body: T | undefined;
      await expect
        .poll(async () => {
          const res = await api(path, init);
          body = (await res.json()) as T;
          return res.ok && done(body);
        }, { timeout: 15_000 })
        .toBe(true);
      return body!;
    };
    await use({ url, api, until });
    await app.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  },
});

/** A learner's tab: its own context (own storage, so its own session), page time paused at T0. */
async function openLesson(context: BrowserContext, collector: Collector, user: string) {
  const kinds: string[] = [];
  /** Per request, in arrival order: how it travelled and the seqs of the session records it carried. */
  const sent: { kind: string; seqs: number[] }[] = [];
  const page = await context.newPage();
  await page.route('**/collect', async (route) => {
    const kind = route.request().resourceType();
    kinds.push(kind);
    const records = JSON.parse(route.request().postData() ?? '[]') as WireRecord[];
    sent.push({ kind, seqs: records.flatMap((r) => (r.type === 'session' ? [r.seq] : [])) });
    await route.continue();
  });
  // Installed a minute early, as pausing moves the clock forward only; the page loads at T0 exactly.
  await page.clock.install({ time: T0 - 60_000 });
  await page.clock.pauseAt(T0);
  await page.goto(`${collector.url}/examples/boundary.html?user=${user}`);
  return { page, kinds, sent };
}

let x = 0;
/** A pointer move (an activity signal), then `ms` of page time. */
async function moveThenWait(page: Page, ms: number) {
  x = (x + 37) % 300;
  await page.mouse.move(20 + x, 40 + (x % 50));
  await page.clock.runFor(ms);
}

const measuredBy = (page: Page): Promise<WireRecord[]> => page.evaluate(() => (window as unknown as { measured: WireRecord[] }).measured);

/** The page's last word on its session: the snapshot with the highest seq, as the receiver keeps. */
async function lastSnapshot(page: Page): Promise<SessionRecord> {
  const sessions = (await measuredBy(page)).filter((r): r is SessionRecord => r.type === 'session');
  return sessions.reduce((a, b) => (b.seq > a.seq ? b : a));
}

const round1 = (ms: number) => Math.round(ms / 100) / 10;

interface PerUser {
  results: { user_id: string; average_duration: number; sessions: number; average_engaged: number }[];
}

test('sessions sent by fetch and by beacon come back from the reports with the engaged time the page measured', async ({ browser, collector }) => {
  // Learner 1, fetch: active 0-60 s, idle until 260 s (engagement runs out at 120 s, 60 s after the
  // last signal), active again 260-300 s, endSession() at 320 s, while the page is visible and alive.
  // Truth: engaged 120 + 60 = 180 s, duration 320 s, one break of 140 s.
  const fetchContext = await browser.newContext();
  const fetched = await openLesson(fetchContext, collector, 'fetch-learner');
  for (let t = 0; t < 60; t += 10) await moveThenWait(fetched.page, 10_000);
  await moveThenWait(fetched.page, 200_000); // the signal at 60 s, then 200 s idle
  for (let t = 260; t < 300; t += 10) await moveThenWait(fetched.page, 10_000);
  await moveThenWait(fetched.page, 20_000); // the signal at 300 s
  await fetched.page.evaluate(() => (window as unknown as { sessionMetrics: (name: string) => void }).sessionMetrics('endSession'));
  await fetched.page.clock.runFor(1_000); // delivery sends on a timer
  const fetchedRecord = await lastSnapshot(fetched.page);
  expect(fetchedRecord).toMatchObject({ final: true, userId: 'fetch-learner', engagedMs: 180_000, durationMs: 320_000 });
  expect(fetchedRecord.breaks).toMatchObject({ count: 1, longestMs: 140_000, histogram: { '2m-10m': 1 } });

  // Learner 2, beacon: active 0-90 s, then the tab is hidden (switched away from, or closing) at 90 s
  // with no timer left to run: only the hide sends. Truth: engaged 90 s, duration 90 s.
  const beaconContext = await browser.newContext();
  const beaconed = await openLesson(beaconContext, collector, 'beacon-learner');
  for (let t = 0; t < 90; t += 10) await moveThenWait(beaconed.page, 10_000);
  const sentBeforeHide = beaconed.kinds.length;
  await beaconed.page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  const beaconedRecord = await lastSnapshot(beaconed.page);
  expect(beaconedRecord).toMatchObject({ final: false, userId: 'beacon-learner', engagedMs: 90_000, durationMs: 90_000 });

  // The reports answer what the pages measured, once the collector has both sessions.
  const perUser = await collector.until<PerUser>(
    '/api/session-duration',
    (b) => b.results.length === 2 && b.results.every((r) => r.average_engaged > 80),
    { method: 'POST', body: JSON.stringify({ start_date: DAY, end_date: DAY }) },
  );
  expect(perUser.results).toEqual([
    { user_id: 'beacon-learner', sessions: 1, average_duration: round1(beaconedRecord.durationMs), average_engaged: round1(beaconedRecord.engagedMs) },
    { user_id: 'fetch-learner', sessions: 1, average_duration: round1(fetchedRecord.durationMs), average_engaged: round1(fetchedRecord.engagedMs) },
  ]);
  expect(perUser.results.map((r) => r.average_engaged)).toEqual([90, 180]);

  const summary = await (await collector.api(`/api/reports/summary?start=${DAY}&end=${DAY}`)).json();
  expect(summary).toMatchObject({ sessions: 2, users: 2, average_duration: (320 + 90) / 2, average_engaged: (180 + 90) / 2, short_share: 0 });
  const breaks = await (await collector.api(`/api/reports/breaks?start=${DAY}&end=${DAY}`)).json();
  expect(breaks).toMatchObject({ sessions: 2, breaks: 1, total_seconds: 140 });

  // The ways they travelled: learner 1's records only by fetch (the page stayed visible); learner 2's
  // last snapshot by beacon, the one beacon of the hide, and by nothing before it. (A fetch that a
  // timer started before the hide may still reach the network after the beacon, reading the queue
  // late enough to carry the same record again: delivery is at-least-once.)
  expect(fetched.kinds.length).toBeGreaterThan(0);
  expect(new Set(fetched.kinds)).toEqual(new Set(['fetch']));
  const afterHide = beaconed.sent.slice(sentBeforeHide);
  expect(afterHide.filter((r) => r.kind === 'ping')).toHaveLength(1);
  expect(afterHide.find((r) => r.seqs.includes(beaconedRecord.seq))?.kind).toBe('ping');
  expect(beaconed.sent.slice(0, sentBeforeHide).every((r) => r.kind === 'fetch' && !r.seqs.includes(beaconedRecord.seq))).toBe(true);

  await fetchContext.close();
  await beaconContext.close();
});
