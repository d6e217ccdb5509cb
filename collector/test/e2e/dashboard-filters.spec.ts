/**
 * The view's filters reach every panel, and panels hold still while they load, in real Chromium over the
 * generated data set (generate.ts): a `meta` value chosen in the Breakdown filters the live panel and a
 * page's attention figures too (the collector filters them: GET /api/live and /api/reports/attention/*
 * take `meta_key` and `meta_value` like every report), and each panel's box keeps its height from
 * "Loading…" to its figures.
 */
import type { Page } from '@playwright/test';
import type { SessionRecord } from '../../../src/core/records';
import { ensureDashboardBuilt, expect, test, type RunningCollector } from './collector';
import { batches, generate } from './generate';

test.beforeAll(ensureDashboardBuilt);

const count = new Intl.NumberFormat('en');

/** The generated data set, each view of /lessons/1 with an LCP that tells the plans apart. */
async function seeded(collector: RunningCollector) {
  const data = generate();
  const lcp: Record<string, number> = { free: 1200, pro: 2600, team: 4100 };
  const sessions = data.sessions.map((s): SessionRecord => ({
    ...s,
    pages: s.pages.map((p) => (p.path === '/lessons/1' ? { ...p, vitals: { LCP: lcp[String(s.meta?.plan)] ?? 900 } } : p)),
  }));
  for (const batch of batches([...sessions, ...data.alerts])) await collector.ingest(batch);
  return data;
}

async function api<T>(collector: RunningCollector, path: string, params: Record<string, string>): Promise<T> {
  const response = await collector.api(`${path}?${new URLSearchParams(params)}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function settled(page: Page) {
  await expect(page.getByTestId('summary').locator('.figure__value').first()).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

test('a dimension value filters the live panel and the page detail\'s attention figures too', async ({ page, collector }) => {
  const data = await seeded(collector);
  await page.goto(`${collector.url}/dashboard/?start=${data.start}&end=${data.end}#token=${collector.token}`);
  await settled(page);
  // Three active now: learner-01 (free), learner-02 (pro), an anonymous visitor (no plan).
  await expect(page.getByTestId('live-count')).toHaveText(/^3 sessions active now/);
  await page.getByTestId('dimensions').getByLabel('Dimension').selectOption('plan');
  await page.getByTestId('dimensions').getByRole('button', { name: 'Filter by plan = pro' }).click();
  await expect(page).toHaveURL(/[?&]meta=plan%3Apro/);
  await expect(page.getByTestId('live-count')).toHaveText(/^1 session active now/);
  await expect(page.getByTestId('live').locator('tbody tr')).toHaveText([/^learner-02/]);

  await settled(page);
  await page.getByTestId('pages').getByRole('button', { name: '/lessons/1: open its detail' }).click();
  const params = { start: data.start, end: data.end, path: '/lessons/1' };
  type Vitals = { vitals: { name: string; views: number; p75: number | null }[] };
  const [all, pro] = await Promise.all([
    api<Vitals>(collector, '/api/reports/attention/vitals', params),
    api<Vitals>(collector, '/api/reports/attention/vitals', { ...params, meta_key: 'plan', meta_value: 'pro' }),
  ]);
  const proLcp = pro.vitals.find((v) => v.name === 'LCP')!;
  expect(proLcp.p75).toBe(2600);
  expect(proLcp.views).toBeLessThan(all.vitals.find((v) => v.name === 'LCP')!.views);
  const lcpRow = page.getByTestId('attention-vitals').locator('tbody tr').first();
  await expect(lcpRow.locator('th')).toHaveText('LCP');
  await expect(lcpRow.locator('td').first()).toHaveText('2.60 s');
  await expect(lcpRow.locator('td').last()).toHaveText(count.format(proLcp.views));
});

/** Every panel's height, by its test id. */
const heights = (page: Page) =>
  page.locator('section.panel[data-testid]').evaluateAll((panels) => Object.fromEntries(panels.map((p) => [p.getAttribute('data-testid'), Math.round(p.getBoundingClientRect().height)])));

/** Holds every report request until `release` is called. */
async function holdReports(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/api\/(reports|session-duration)/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

for (const size of [{ width: 1440, height: 900 }, { width: 375, height: 812 }]) {
  test(`every panel keeps its height while it loads new figures, and those of a fixed size from the first "Loading…", ${size.width} px`, async ({ page, collector }) => {
    await page.setViewportSize(size);
    const data = await seeded(collector);
    const release = await holdReports(page);
    await page.goto(`${collector.url}/dashboard/?start=${data.start}&end=${data.end}#token=${collector.token}`);
    await expect(page.getByTestId('summary')).toHaveAttribute('aria-busy', 'true');
    const first = await heights(page);
    release();
    await settled(page);
    await expect(page.getByTestId('daily').locator('canvas').first()).toBeVisible();
    const loaded = await heights(page);
    // Panels whose figures take the same room whatever the data: the headline, the charts, the live panel.
    // (Lists, such as the pages or the alerts, take the room their rows need, below the fixed ones.)
    const fixed = ['summary', 'daily', 'live', 'durations', 'breaks', 'bands', 'returning'];
    expect(Object.fromEntries(fixed.map((id) => [id, loaded[id]]))).toEqual(Object.fromEntries(fixed.map((id) => [id, first[id]])));

    // Another range: every panel keeps its box, figures and all, until the new ones arrive.
    await page.unrouteAll();
    const again = await holdReports(page);
    await page.getByRole('button', { name: '90 days' }).click();
    await expect(page.getByTestId('summary')).toHaveAttribute('aria-busy', 'true');
    const reloading = await heights(page);
    again();
    await settled(page);
    expect(reloading).toEqual(loaded);
  });
}
