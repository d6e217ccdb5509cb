/**
 * `npm run screenshots`: a screenshot of every dashboard panel and state, at 1440×900 and 375×812, in real
 * Chromium over the generated data set (test/e2e/generate.ts), written to `screenshots/` at the repository
 * root (git-ignored) for a person to review. Each state is a full page plus one image per panel.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunch } from '../../../test/playwright.config';
import { ensureDashboardBuilt, startCollector } from '../e2e/collector';
import { batches, generate } from '../e2e/generate';

const OUT = fileURLToPath(new URL('../../../screenshots/', import.meta.url));
const WIDTHS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 375, height: 812 },
];

async function settle(page: Page) {
  await page.getByTestId('summary').locator('.figure__value').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0, null, { timeout: 20_000 }).catch(() => {});
  await page.waitForTimeout(300);
}

async function main() {
  await ensureDashboardBuilt();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const collector = await startCollector();
  const data = generate();
  for (const batch of batches([...data.sessions, ...data.alerts])) await collector.ingest(batch);
  const browser = await chromium.launch(chromiumLaunch);
  const written: string[] = [];
  const shot = async (page: Page, name: string, panels = false) => {
    const file = `${name}.png`;
    await page.screenshot({ path: OUT + file, fullPage: true });
    written.push(file);
    if (!panels) return;
    for (const id of await page.locator('section.panel[data-testid]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!))) {
      const panelFile = `${name}--${id}.png`;
      await page.locator(`section.panel[data-testid="${id}"]`).first().screenshot({ path: OUT + panelFile });
      written.push(panelFile);
    }
  };
  const range = `start=${data.start}&end=${data.end}`;
  try {
    for (const size of WIDTHS) {
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
      const page = await context.newPage();
      const open = async (query: string) => {
        // Through a blank page: a URL that differs from the current one only by its #fragment would not reload.
        await page.goto('about:blank');
        await page.goto(`${collector.url}/dashboard/?${query}#token=${collector.token}`);
        await settle(page);
      };
      const n = (state: string) => `${size.name}-${state}`;

      await page.goto(`${collector.url}/dashboard/`);
      await page.getByLabel('API token').waitFor();
      await shot(page, n('01-token-prompt'));
      await page.getByLabel('API token').fill('not-the-token-at-all');
      await page.getByLabel('API token').press('Enter');
      await page.getByRole('alert').waitFor();
      await shot(page, n('02-token-refused'));

      await open(range);
      await page.screenshot({ path: `${OUT}${n('03-overview-first-screen')}.png` });
      written.push(`${n('03-overview-first-screen')}.png`);
      await shot(page, n('03-overview'), true);
      await page.getByRole('button', { name: 'Week', exact: true }).click();
      await settle(page);
      await page.getByTestId('daily').screenshot({ path: `${OUT}${n('04-trend-week')}.png` });
      written.push(`${n('04-trend-week')}.png`);
      await page.getByRole('button', { name: 'Month', exact: true }).click();
      await page.getByRole('button', { name: 'Average engaged time', exact: true }).click();
      await settle(page);
      await page.getByTestId('daily').screenshot({ path: `${OUT}${n('05-trend-month-engaged')}.png` });
      written.push(`${n('05-trend-month-engaged')}.png`);
      await page.getByRole('button', { name: 'Day', exact: true }).click();
      await page.getByRole('button', { name: '30 days' }).click();
      await settle(page);
      await shot(page, n('06-last-30-days'));

      await open(`${range}&site=demo`);
      await shot(page, n('07-site-demo'), true);
      await open(`${range}&site=learn&meta=plan:pro`);
      await shot(page, n('08-filter-plan-pro'), true);

      await open(`${range}&site=learn`);
      await page.getByTestId('pages').getByRole('button', { name: /\/lessons\/1: open/ }).click();
      await page.getByTestId('page-summary').locator('dl').waitFor();
      await page.waitForTimeout(500);
      await shot(page, n('09-page-detail'));

      await open(range);
      const users = page.getByTestId('users');
      await users.getByLabel('Find a user').fill('learner-1');
      await users.getByLabel('Find a user').press('Enter');
      await page.waitForTimeout(500);
      await users.screenshot({ path: `${OUT}${n('10-users-search')}.png` });
      written.push(`${n('10-users-search')}.png`);
      await users.getByLabel('Find a user').fill('');
      await users.getByLabel('Find a user').press('Enter');
      await users.getByRole('button', { name: /^User/ }).click();
      await page.waitForTimeout(400);
      await users.getByRole('button', { name: 'Next →' }).click();
      await page.waitForTimeout(500);
      await users.screenshot({ path: `${OUT}${n('11-users-by-id-page-2')}.png` });
      written.push(`${n('11-users-by-id-page-2')}.png`);

      await open('start=2020-01-01&end=2020-01-31');
      await shot(page, n('12-empty-range'));

      await page.route('**/api/reports/alerts?*', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"SM_INTERNAL","message":"the collector failed to handle this request; it is logged"}}' }));
      await page.route('**/api/reports/pages?*', (r) => r.abort('connectionrefused'));
      await open(range);
      await page.getByTestId('alerts').screenshot({ path: `${OUT}${n('13-error-500')}.png` });
      await page.getByTestId('pages').screenshot({ path: `${OUT}${n('14-error-unreachable')}.png` });
      written.push(`${n('13-error-500')}.png`, `${n('14-error-unreachable')}.png`);
      await page.unrouteAll();
      await page.route('**/api/reports/summary?*', async (r) => {
        await new Promise((done) => setTimeout(done, 5_000));
        await r.continue().catch(() => {});
      });
      await page.goto('about:blank');
      await page.goto(`${collector.url}/dashboard/?${range}#token=${collector.token}`);
      await page.waitForTimeout(800);
      await page.screenshot({ path: `${OUT}${n('15-loading')}.png` });
      written.push(`${n('15-loading')}.png`);
      await page.unrouteAll({ behavior: 'ignoreErrors' });

      await page.goto(`${collector.url}/examples/plain/`);
      await page.waitForTimeout(1500);
      await page.getByRole('button', { name: /Show/ }).first().click().catch(() => {});
      await page.waitForTimeout(500);
      await shot(page, n('16-demo-page'));
      await page.goto(`${collector.url}/docs`);
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `${OUT}${n('17-docs')}.png` });
      written.push(`${n('17-docs')}.png`);
      await context.close();
    }
  } finally {
    await browser.close();
    await collector.close();
  }
  console.log(`${written.length} screenshots in ${OUT}:\n${written.join('\n')}`);
}

await main();
