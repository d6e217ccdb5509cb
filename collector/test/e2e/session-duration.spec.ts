/**
 * `<SessionDuration />` in real Chromium against a real collector, as a host page embeds it
 * (/dashboard/embed.html), reading POST /api/session-duration with the seed's behaviour.
 */
import { ensureDashboardBuilt, expect, test, TOKEN } from './collector';
import { SEED } from './seed';
import type { Locator } from '@playwright/test';

test.beforeAll(ensureDashboardBuilt);

const rowsOf = (table: Locator) =>
  table.locator('tbody tr').evaluateAll((rows) => rows.map((tr) => Array.from(tr.children, (cell) => cell.textContent?.trim())));

test('choosing a range and pressing "Get Metrics" fills the table with the right users and averages', async ({ page, collector }) => {
  await collector.ingest(SEED);
  await page.goto(`${collector.url}/dashboard/embed.html?start=2026-03-01&end=2026-03-31#token=${TOKEN}`);
  const perUser = page.getByTestId('users');
  const table = perUser.getByRole('table');

  // The dashboard's range loads first: March, three people.
  await expect(table).toHaveAccessibleName(/2026-03-01 to 2026-03-31/);

  await perUser.getByLabel('Start Date').fill('2026-03-01');
  await perUser.getByLabel('End Date').fill('2026-03-05');
  await perUser.getByRole('button', { name: 'Get Metrics' }).click();
  await expect(table).toHaveAccessibleName(/2026-03-01 to 2026-03-05/);
  // alice: (600 + 120) / 2 = 360 s, engaged (420 + 100) / 2 = 260 s; bob: 45 s, 20 s. anon-1 starts on 03-20.
  expect(await rowsOf(table)).toEqual([
    ['alice', '2', '360.0', '260.0'],
    ['bob', '1', '45.0', '20.0'],
  ]);
  await expect(perUser.getByRole('status')).toHaveText('2 users.');

  // A range that reaches into April adds carol (90 s) and anon-1 (4001 s), sorted by user id.
  await perUser.getByLabel('End Date').fill('2026-04-30');
  await perUser.getByLabel('End Date').press('Enter');
  await expect(table).toHaveAccessibleName(/2026-03-01 to 2026-04-30/);
  expect(await rowsOf(table)).toEqual([
    ['alice', '2', '360.0', '260.0'],
    ['anon-1', '1', '4001.0', '3000.0'],
    ['bob', '1', '45.0', '20.0'],
    ['carol', '1', '90.0', '60.0'],
  ]);
});

test("a start after the end shows the API's 400 message and no table", async ({ page, collector }) => {
  await collector.ingest(SEED);
  await page.goto(`${collector.url}/dashboard/embed.html?start=2026-03-01&end=2026-03-31#token=${TOKEN}`);
  const perUser = page.getByTestId('users');
  await expect(perUser.getByRole('table')).toBeVisible();

  await perUser.getByLabel('Start Date').fill('2026-03-31');
  await perUser.getByLabel('End Date').fill('2026-03-01');
  await perUser.getByRole('button', { name: 'Get Metrics' }).click();

  // What the collector itself says about that range, shown word for word.
  const answer = await collector.api('/api/session-duration', { method: 'POST', body: JSON.stringify({ start_date: '2026-03-31', end_date: '2026-03-01' }) });
  expect(answer.status).toBe(400);
  const { error } = (await answer.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe('SM_RANGE_REVERSED');
  await expect(perUser.getByRole('alert')).toHaveText(error.message);
  await expect(perUser.getByRole('table')).toHaveCount(0);
});
