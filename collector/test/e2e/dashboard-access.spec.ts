/**
 * The dashboard in real Chromium with a read token limited to some sites (SM_TOKENS): its site
 * selector offers only those sites (one that has sent nothing yet included), whatever the range shown, its
 * figures cover only them, and an admin token sees every site.
 */
import { hashToken, parseTokens } from '../../src/access';
import { ensureDashboardBuilt, expect, startCollector, test, TOKEN } from './collector';
import { sessionRecord } from './seed';

test.beforeAll(ensureDashboardBuilt);

const READER = 'docs-reader-e2e-token-1c2d3e4f';
const tokens = parseTokens(JSON.stringify({
  ops: { sha256: hashToken(TOKEN), scope: 'admin' },
  docs: { sha256: hashToken(READER), scope: 'read', sites: ['docs', 'blog', 'wiki'] },
}));

const on = (siteId: string, id: string, startedAt: string) => ({
  ...sessionRecord({ id, userId: null, startedAt, durationS: 120, engagedS: 90, breaks: [30], pages: [{ path: '/', views: 1, engagedS: 90 }], band: 'casual' }),
  siteId,
});

test('a read token sees only its sites in the selector and in the figures; an admin sees all', async ({ page }) => {
  const collector = await startCollector({ tokens });
  try {
    await collector.ingest([on('docs', 'd1', '2026-03-10T10:00:00.000Z'), on('docs', 'd2', '2026-03-11T10:00:00.000Z'), on('blog', 'b1', '2026-03-12T10:00:00.000Z'),
      on('shop', 's1', '2026-03-12T11:00:00.000Z'), on('shop', 's2', '2026-03-13T11:00:00.000Z'), on('shop', 's3', '2026-03-14T11:00:00.000Z')]);
    const open = async (token: string) => {
      await page.goto(`${collector.url}/dashboard/?start=2026-03-01&end=2026-03-31#token=${token}`);
      const sessions = page.getByTestId('summary').locator('.figure', { has: page.getByText('Sessions', { exact: true }) }).locator('.figure__value');
      return { site: page.getByLabel('Site'), sessions };
    };

    const reader = await open(READER);
    await expect(reader.sessions).toHaveText('3');
    const readable = ['All sites', /^docs \(2 sessions\)$/, /^blog \(1 sessions?\)$/, /^wiki \(0 sessions\)$/];
    await expect(reader.site.locator('option')).toHaveText(readable);
    await reader.site.selectOption('blog');
    await expect(reader.sessions).toHaveText('1');
    // The last 7 days hold no session of these (March 2026): the selector still lists every readable site.
    await page.getByRole('button', { name: '7 days' }).click();
    await expect(reader.sessions).toHaveText('0');
    await expect(reader.site.locator('option')).toHaveText(readable);

    await page.evaluate(() => sessionStorage.clear());
    const admin = await open(TOKEN);
    await expect(admin.sessions).toHaveText('6');
    await expect(admin.site.locator('option')).toHaveText(['All sites', /^shop \(3 sessions\)$/, /^docs /, /^blog /]);
  } finally {
    await collector.close();
  }
});
