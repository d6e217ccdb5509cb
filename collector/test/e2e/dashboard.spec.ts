/**
 * The dashboard in real Chromium against a real collector started by the test (SQLite in a temp
 * directory, seeded through POST /collect): every panel with the seeded figures, an empty database,
 * the live panel following an ingest without a reload, the token flow, keyboard use and a phone-width
 * screen. The screenshots are kept as test artifacts.
 */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { ensureDashboardBuilt, expect, test, TOKEN } from './collector';
import { MARCH, SEED, sessionRecord } from './seed';

test.beforeAll(ensureDashboardBuilt);

const marchUrl = (base: string, token = TOKEN) => `${base}/dashboard/?start=${MARCH.start}&end=${MARCH.end}#token=${token}`;

/** A table's body as text cells, row by row (row headers included). */
const cells = (table: Locator) =>
  table.locator('tbody tr').evaluateAll((rows) => rows.map((tr) => Array.from(tr.children, (cell) => cell.textContent?.trim() ?? '')));

/** A bucket table as { label: number }. */
async function buckets(panel: Locator): Promise<Record<string, number>> {
  const rows = await cells(panel.getByRole('table'));
  // The first cell names the bucket, the last holds its count (a band's meaning sits between).
  return Object.fromEntries(rows.map((row) => [row[0], Number(row.at(-1)!.replace(/,/g, ''))]));
}

const figure = (page: Page, term: string) => page.getByTestId('summary').locator('.figure', { has: page.getByText(term, { exact: true }) }).locator('.figure__value');

test('renders every panel with the seeded numbers', async ({ page, collector }, testInfo) => {
  await collector.ingest(SEED);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(marchUrl(collector.url));

  await expect(page.getByRole('heading', { name: 'Session metrics', level: 1 })).toBeVisible();
  // The token left the address bar as soon as the page read it.
  expect(new URL(page.url()).hash).toBe('');

  await expect(figure(page, 'Sessions')).toHaveText(String(MARCH.sessions));
  await expect(figure(page, 'Users')).toHaveText(String(MARCH.userCount));
  // alice and bob identified, anon-1 an anonymous browser.
  await expect(page.getByTestId('summary')).toContainText('2 identified · 1 anonymous browsers');
  await expect(figure(page, 'Average duration')).toHaveText(MARCH.averageDuration);
  await expect(figure(page, 'Average engaged time')).toHaveText(MARCH.averageEngaged);
  await expect(figure(page, 'Short sessions')).toHaveText(MARCH.shortShare);

  // Daily trend: one point per day of March, drawn by uPlot, figures in the table beside it.
  const daily = page.getByTestId('daily');
  await expect(daily.locator('canvas')).toBeVisible();
  await expect(daily.getByRole('img')).toHaveAccessibleName(/31 days, 4 sessions/);
  // The figures are in a collapsed <details>: read them from the DOM, each row's day from its data-day.
  const days = Object.fromEntries(
    await daily.locator('details tbody tr').evaluateAll((rows) => rows.map((tr) => [tr.querySelector('th')!.getAttribute('data-day'), Number(tr.children[1]!.textContent)])),
  );
  expect(Object.keys(days)).toHaveLength(31);
  expect(Object.fromEntries(Object.entries(days).filter(([, n]) => n > 0))).toEqual(MARCH.days);

  const durations = page.getByTestId('durations');
  await expect(durations.locator('canvas')).toBeVisible();
  expect(await buckets(durations)).toEqual(MARCH.durations);

  const breaks = page.getByTestId('breaks');
  await expect(breaks.locator('dl')).toContainText(`Breaks${MARCH.breaks.count}`);
  await expect(breaks.locator('dl')).toContainText(`Per session${MARCH.breaks.perSession}`);
  await expect(breaks.locator('dl')).toContainText(`Total break time${MARCH.breaks.total}`);
  expect(await buckets(breaks)).toEqual(MARCH.breaks.histogram);

  expect(await buckets(page.getByTestId('bands'))).toEqual(MARCH.bands);

  const pages = page.getByTestId('pages').getByRole('table');
  expect((await cells(pages)).map(([path, views, , total]) => [path, views, total])).toEqual(MARCH.pages);

  const users = page.getByTestId('users').getByRole('table');
  expect(await cells(users)).toEqual(MARCH.usersByDuration);
  await expect(page.getByTestId('users-count')).toHaveText('3 users: 2 identified, 1 anonymous browsers.');

  // Nothing is active in March 2026's seed (all final): the live panel says so once connected.
  await expect(page.getByTestId('live-count')).toHaveText(/^0 sessions active now/);
  await expect(page.getByTestId('live')).toContainText('Nobody is active right now.');

  const shot = testInfo.outputPath('dashboard-desktop.png');
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach('dashboard-desktop', { path: shot, contentType: 'image/png' });
});

test('pages sort by any column, by keyboard', async ({ page, collector }) => {
  await collector.ingest(SEED);
  await page.goto(marchUrl(collector.url));
  const table = page.getByTestId('pages').getByRole('table');
  await expect(table.locator('tbody tr')).toHaveCount(4);

  const sortByViews = table.getByRole('button', { name: /Views/ });
  await sortByViews.focus();
  await page.keyboard.press('Enter');
  await expect(table.getByRole('columnheader', { name: /Views/ })).toHaveAttribute('aria-sort', 'descending');
  expect((await cells(table))[0]![0]).toBe('/lesson/1');
  await page.keyboard.press('Space');
  await expect(table.getByRole('columnheader', { name: /Views/ })).toHaveAttribute('aria-sort', 'ascending');
  expect((await cells(table)).at(-1)![0]).toBe('/lesson/1');
});

test('an empty database reads as empty, not broken', async ({ page, collector }) => {
  await page.goto(marchUrl(collector.url));
  await expect(page.getByRole('status').filter({ hasText: 'No sessions started in this range' })).toBeVisible();
  await expect(figure(page, 'Sessions')).toHaveText('0');
  await expect(figure(page, 'Average duration')).toHaveText('—');
  await expect(figure(page, 'Short sessions')).toHaveText('—');
  expect(Object.values(await buckets(page.getByTestId('durations'))).every((n) => n === 0)).toBe(true);
  await expect(page.getByTestId('pages')).toContainText('No page views in this range.');
  await expect(page.getByTestId('users').getByRole('status')).toHaveText('No sessions in this range.');
  await expect(page.getByTestId('live-count')).toHaveText(/^0 sessions active now/);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a record ingested during the test appears in the live panel without a reload', async ({ page, collector }) => {
  await collector.ingest(SEED);
  await page.goto(marchUrl(collector.url));
  const live = page.getByTestId('live');
  await expect(page.getByTestId('live-count')).toHaveText(/^0 sessions active now/);
  const navigations: string[] = [];
  page.on('framenavigated', (frame) => navigations.push(frame.url()));

  const now = Date.now();
  await collector.ingest([
    sessionRecord({
      id: 'live-1',
      userId: 'dora',
      startedAt: new Date(now - 95_000).toISOString(),
      durationS: 90,
      engagedS: 75,
      breaks: [15],
      pages: [{ path: '/lesson/live', views: 1, engagedS: 75 }],
      band: 'casual',
      final: false,
      seq: 1,
    }),
  ]);

  await expect(page.getByTestId('live-count')).toHaveText(/^1 session active now/);
  const row = live.locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('dora');
  await expect(row).toContainText('/lesson/live');
  await expect(row).toContainText('1 min 15 s');

  // The session ends: its final record takes it off the panel, again without a reload.
  await collector.ingest([
    { ...sessionRecord({ id: 'live-1', userId: 'dora', startedAt: new Date(now - 95_000).toISOString(), durationS: 90, engagedS: 75, breaks: [15], pages: [{ path: '/lesson/live', views: 1, engagedS: 75 }], band: 'casual', final: true, seq: 2 }) },
  ]);
  await expect(page.getByTestId('live-count')).toHaveText(/^0 sessions active now/);
  expect(navigations).toEqual([]);
  await expect(live).toHaveAttribute('aria-busy', 'false');
});

test('the link npm start prints (/dashboard#token=...) opens the dashboard, and the token leaves the address bar', async ({ page, collector }) => {
  await collector.ingest(SEED);
  // The fragment survives the /dashboard -> /dashboard/ redirect (RFC 9110 §10.2.2) and never reaches the server.
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(`${collector.url}/dashboard#token=${TOKEN}`);
  await expect(figure(page, 'Sessions')).toBeVisible();
  await expect(page.getByLabel('API token')).toHaveCount(0);
  expect(page.url()).toBe(`${collector.url}/dashboard/`);
  expect(requested.filter((url) => url.includes(TOKEN))).toEqual([]);
  expect(await page.evaluate(() => sessionStorage.getItem('session-metrics:dashboard-token'))).toBe(TOKEN);
});

test('asks for the token when it is missing or refused, and keeps it for the tab', async ({ page, collector }) => {
  await collector.ingest(SEED);
  await page.goto(`${collector.url}/dashboard`);
  const tokenInput = page.getByLabel('API token');
  await expect(tokenInput).toBeFocused();

  // A wrong token is refused by the collector and asked for again, with the collector's reason.
  await tokenInput.fill('not-the-token-at-all');
  await tokenInput.press('Enter');
  await expect(page.getByRole('alert')).toContainText('The collector did not accept this token.');
  await expect(page.getByLabel('API token')).toBeVisible();

  await page.getByLabel('API token').fill(TOKEN);
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  await expect(figure(page, 'Sessions')).toBeVisible();

  // Reloading the tab keeps it (sessionStorage); the address bar never shows it.
  await page.goto(`${collector.url}/dashboard/?start=${MARCH.start}&end=${MARCH.end}`);
  await expect(figure(page, 'Sessions')).toHaveText(String(MARCH.sessions));
  expect(page.url()).not.toContain(TOKEN);
});

test('the range can be chosen by keyboard and is checked before asking', async ({ page, collector }) => {
  await collector.ingest(SEED);
  await page.goto(marchUrl(collector.url));
  await expect(figure(page, 'Sessions')).toHaveText('4');

  await page.getByText('Custom range').click();
  const range = page.getByRole('form', { name: 'Date range' });
  await range.getByLabel('From').fill('2026-03-05');
  await range.getByLabel('To').fill('2026-03-05');
  await range.getByLabel('To').press('Enter');
  await expect(figure(page, 'Sessions')).toHaveText('2');
  expect(new URL(page.url()).search).toBe('?start=2026-03-05&end=2026-03-05');

  await range.getByLabel('From').fill('2026-03-31');
  await range.getByLabel('To').fill('2026-03-01');
  await range.getByRole('button', { name: 'Apply' }).press('Enter');
  await expect(range.getByRole('alert')).toHaveText('"From" (31 Mar 2026) is after "To" (1 Mar 2026).');
  await expect(figure(page, 'Sessions')).toHaveText('2');

  // Every control is reachable with Tab, and focus is visible where it lands.
  const reached = new Set<string>();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < 90; i++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return '';
      return `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}`;
    });
    if (name) reached.add(name);
  }
  expect([...reached]).toEqual(expect.arrayContaining(['button:Apply', 'button:1 year', 'button:Refresh', 'button:Search']));
  const focused = page.locator(':focus-visible');
  await expect(focused).toHaveCount(1);
});

test('reads on a 375 px phone screen without sideways scrolling', async ({ page, collector }, testInfo) => {
  await collector.ingest(SEED);
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(marchUrl(collector.url));
  await expect(figure(page, 'Sessions')).toHaveText('4');
  await expect(page.getByTestId('users').getByRole('table')).toBeVisible();
  await expect(page.getByTestId('live-count')).toHaveText(/active now/);

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // Charts fit the column: their canvases are no wider than the screen.
  const widest = await page.locator('canvas').evaluateAll((canvases) => Math.max(...canvases.map((c) => c.getBoundingClientRect().right)));
  expect(widest).toBeLessThanOrEqual(375);

  const shot = testInfo.outputPath('dashboard-phone.png');
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach('dashboard-phone', { path: shot, contentType: 'image/png' });
});

test('a year of daily points draws as one chart (build time recorded as an annotation)', async ({ page, collector }) => {
  // One session every day of 2025: 365 points per series.
  const year = Array.from({ length: 365 }, (_, i) =>
    sessionRecord({
      id: `y${i}`,
      userId: `u${i % 20}`,
      startedAt: new Date(Date.UTC(2025, 0, 1 + i, 12)).toISOString(),
      durationS: 60 + (i % 50) * 10,
      engagedS: 60,
      breaks: (i % 50) * 10 > 0 ? [(i % 50) * 10] : [],
      pages: [{ path: `/lesson/${i % 12}`, views: 1, engagedS: 60 }],
      band: 'casual',
    }),
  );
  for (let i = 0; i < year.length; i += 100) await collector.ingest(year.slice(i, i + 100));

  await page.goto(`${collector.url}/dashboard/?start=2025-01-01&end=2025-12-31#token=${TOKEN}`);
  const daily = page.getByTestId('daily');
  await expect(daily.getByRole('img')).toHaveAccessibleName(/365 days, 365 sessions/);
  await expect(daily.locator('details tbody tr')).toHaveCount(365);
  await expect(figure(page, 'Sessions')).toHaveText('365');

  const builds = await page.evaluate(() => performance.getEntriesByName('sm:trend-chart', 'measure').map((m) => m.duration));
  expect(builds.length).toBeGreaterThan(0);
  test.info().annotations.push({ type: 'trend chart build, 365 days (ms)', description: builds.map((d) => d.toFixed(1)).join(', ') });
  console.log(`trend chart build, 365 days: ${builds.map((d) => d.toFixed(1)).join(', ')} ms`);
});

test('a panel downloads its report as CSV for the range, with the token the page holds', async ({ page, collector }) => {
  await collector.ingest(SEED);
  await page.goto(marchUrl(collector.url));
  await expect(page.getByTestId('pages').locator('tbody tr')).toHaveCount(4);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download pages as CSV' }).click()]);
  expect(download.suggestedFilename()).toBe('session-metrics-pages-2026-03-01-2026-03-31.csv');
  const lines = (await readFile(await download.path(), 'utf8')).trim().split(/\r\n/);
  expect(lines).toHaveLength(1 + MARCH.pages.length);
  expect(lines[0]).toContain('path');
  expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(MARCH.pages.map(([path]) => path));

  const [users] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download per-user figures for the range as CSV' }).click(),
  ]);
  const userLines = (await readFile(await users.path(), 'utf8')).trim().split(/\r\n/);
  // The table's order (average duration, longest first), every row, whether identified.
  expect(userLines[0]).toBe('user_id,average_duration,sessions,average_engaged,identified');
  expect(userLines.slice(1).map((line) => line.split(',')[0])).toEqual(['anon-1', 'alice', 'bob']);
});

test('lists identified users inactive for at least N days, never anonymous ones', async ({ page, collector }) => {
  // Relative to now: the report is about today, whatever day the test runs.
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
  const lastSeen = (id: string, userId: string | null, days: number) =>
    sessionRecord({ id, userId, anonymousId: `anon-${id}`, startedAt: daysAgo(days), durationS: 0, engagedS: 0, breaks: [], pages: [], band: null });
  await collector.ingest([lastSeen('i1', 'erin', 40), lastSeen('i2', 'frank', 2), lastSeen('i3', 'gus', 20), lastSeen('i4', null, 60)]);
  await page.goto(marchUrl(collector.url));
  const panel = page.getByTestId('inactive');

  // Default: 14 days. Longest inactive first; frank was here 2 days ago; the anonymous one never shows.
  await expect(panel.getByRole('table')).toHaveAccessibleName(/2 users inactive for 14 days or more/);
  expect((await cells(panel.getByRole('table'))).map(([user, , sessions]) => [user, sessions])).toEqual([
    ['erin', '1'],
    ['gus', '1'],
  ]);

  await panel.getByLabel('Inactive for at least (days)').fill('30');
  await panel.getByLabel('Inactive for at least (days)').press('Enter');
  await expect(panel.getByRole('table')).toHaveAccessibleName(/1 user inactive for 30 days or more/);
  expect((await cells(panel.getByRole('table'))).map(([user]) => user)).toEqual(['erin']);

  await panel.getByLabel('Inactive for at least (days)').fill('2.5');
  await panel.getByRole('button', { name: 'Show' }).click();
  await expect(panel.getByRole('alert')).toHaveText('Days must be a whole number from 0 to 3660.');

  await panel.getByLabel('Inactive for at least (days)').fill('100');
  await panel.getByRole('button', { name: 'Show' }).click();
  await expect(panel).toContainText('Every identified user was active in the last 100 days.');
});
