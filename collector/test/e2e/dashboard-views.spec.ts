/**
 * The dashboard over the generated data set (generate.ts: two sites, 60 days, 40 learners, 60 anonymous
 * visitors, a course, a `plan` dimension, alerts, sessions active now) in real Chromium at 1440×900 and
 * 375×812: nothing wider than the screen and no figure cut, every panel's numbers equal to the API's, the
 * previous-period figures equal to two summary calls, the site selector filtering every panel, a page's
 * detail and back, and the whole thing by keyboard alone.
 */
import type { Locator, Page } from '@playwright/test';
import { ensureDashboardBuilt, expect, test, type RunningCollector } from './collector';
import { batches, generate } from './generate';

test.beforeAll(ensureDashboardBuilt);

const count = new Intl.NumberFormat('en');
const cells = (table: Locator) => table.locator('tbody tr').evaluateAll((rows) => rows.map((tr) => Array.from(tr.children, (c) => c.textContent?.trim() ?? '')));
const figure = (page: Page, term: string) => page.getByTestId('summary').locator('.figure', { has: page.getByText(term, { exact: true }) }).locator('.figure__value');

async function seeded(collector: RunningCollector) {
  const data = generate();
  for (const batch of batches([...data.sessions, ...data.alerts])) await collector.ingest(batch);
  return data;
}

async function api<T>(collector: RunningCollector, path: string, params: Record<string, string | undefined>): Promise<T> {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
  const response = await collector.api(`${path}?${query}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function open(page: Page, collector: RunningCollector, query: string) {
  await page.goto(`${collector.url}/dashboard/?${query}#token=${collector.token}`);
  await expect(figure(page, 'Sessions')).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

/** What is wider than the viewport (outside a labelled scroll region), a scroll region without a label, or cut. */
function layoutProblems(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const scrolls = (el: Element) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > width) problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue;
      let inside = false;
      for (let p = el.parentElement; p; p = p.parentElement) if (scrolls(p)) inside = true;
      if (!inside && (r.right > width + 0.5 || r.left < -0.5)) problems.push(`wider than the screen: ${name(el)} (${Math.round(r.left)}..${Math.round(r.right)})`);
      if (scrolls(el) && el.scrollWidth > el.clientWidth + 1 && !(el.getAttribute('role') === 'region' && el.getAttribute('aria-label'))) problems.push(`scrolls without a label: ${name(el)}`);
    }
    for (const c of document.querySelectorAll('td, th')) {
      const r = c.getBoundingClientRect();
      if (r.width > 1 && c.scrollWidth > c.clientWidth + 1) problems.push(`cut: ${name(c)}`);
      if (getComputedStyle(c).textOverflow === 'ellipsis') problems.push(`ellipsis: ${name(c)}`);
    }
    return problems;
  });
}

interface Summary { sessions: number; users: number }

for (const size of [{ width: 1440, height: 900 }, { width: 375, height: 812 }]) {
  test.describe(`${size.width}×${size.height}`, () => {
    test.use({ viewport: size });

    test('nothing is wider than the screen, no figure is cut, in the overview and a page detail', async ({ page, collector }) => {
      const data = await seeded(collector);
      await open(page, collector, `start=${data.start}&end=${data.end}`);
      // Open every folded table so its figures are checked too.
      for (const summary of await page.locator('details > summary').all()) await summary.click();
      expect(await layoutProblems(page)).toEqual([]);
      await page.getByTestId('pages').getByRole('button', { name: '/lessons/1: open its detail' }).click();
      await expect(page.getByTestId('page-summary').locator('dl')).toBeVisible();
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      expect(await layoutProblems(page)).toEqual([]);
    });

    test("each panel's numbers equal the API's", async ({ page, collector }) => {
      const data = await seeded(collector);
      const params = { start: data.start, end: data.end };
      await open(page, collector, `start=${data.start}&end=${data.end}`);

      const summary = await api<Summary>(collector, '/api/reports/summary', params);
      await expect(figure(page, 'Sessions')).toHaveText(count.format(summary.sessions));
      await expect(figure(page, 'Users')).toHaveText(count.format(summary.users));
      const people = await api<{ identified: number; anonymous: number }>(collector, '/api/reports/active-users', params);
      await expect(page.getByTestId('summary')).toContainText(`${people.identified} identified · ${people.anonymous} anonymous browsers`);
      await expect(page.getByTestId('active-identified')).toHaveText(count.format(people.identified));
      await expect(page.getByTestId('active-anonymous')).toHaveText(count.format(people.anonymous));

      const pages = await api<{ pages: { path: string; views: number; sessions: number }[] }>(collector, '/api/reports/pages', params);
      expect((await cells(page.getByTestId('pages').getByRole('table'))).map(([path, views, sessions]) => [path, views, sessions])).toEqual(
        pages.pages.map((p) => [p.path, count.format(p.views), count.format(p.sessions)]),
      );

      const users = await (await collector.api('/api/session-duration', { method: 'POST', body: JSON.stringify({ start_date: data.start, end_date: data.end, limit: 25 }) })).json();
      await expect(page.getByTestId('users-count')).toHaveText(`${users.total} users: ${users.identified_users} identified, ${users.anonymous_users} anonymous browsers.`);
      const userRows = await cells(page.getByTestId('users').getByRole('table'));
      expect(userRows.map((r) => r[1])).toEqual(users.results.map((u: { sessions: number }) => count.format(u.sessions)));
      expect(userRows.filter((r) => r[0]!.startsWith('anonymous')).length).toBe(users.results.filter((u: { identified: boolean }) => !u.identified).length);

      const course = await api<{ steps: { path: string; learners: number }[] }>(collector, '/api/reports/course', { ...params, pages: '/lessons/*' });
      expect((await cells(page.getByTestId('course-steps'))).map(([step, learners]) => [step, learners])).toEqual(course.steps.map((s, i) => [`${i + 1}. ${s.path}`, count.format(s.learners)]));

      const returning = await api<{ bands: { users: number }[]; users: number }>(collector, '/api/reports/returning', params);
      expect((await cells(page.getByTestId('returning-table'))).map((r) => r[1])).toEqual(returning.bands.map((b) => count.format(b.users)));

      const alerts = await api<{ alerts: number; thresholds: { threshold: string; alerts: number }[] }>(collector, '/api/reports/alerts', params);
      await expect(page.getByTestId('alerts-total')).toHaveText(count.format(alerts.alerts));
      expect((await cells(page.getByTestId('alerts-thresholds'))).map((r) => [r[0], r[2]])).toEqual(alerts.thresholds.map((t) => [t.threshold, count.format(t.alerts)]));

      const key = await page.getByTestId('dimensions').getByLabel('Dimension').inputValue();
      const dims = await api<{ values: { value: string; sessions: number }[] }>(collector, '/api/reports/dimensions', { ...params, key });
      expect((await cells(page.getByTestId('dimension-values'))).filter((r) => r[0] !== '(not set)').map((r) => [r[0], r[1]])).toEqual(dims.values.map((v) => [v.value, count.format(v.sessions)]));

      const durations = await api<{ buckets: { label: string; sessions: number }[] }>(collector, '/api/reports/durations', params);
      expect((await cells(page.getByTestId('durations').getByRole('table'))).map((r) => [r[0], r.at(-1)])).toEqual(durations.buckets.map((b) => [b.label, count.format(b.sessions)]));

      const live = await new Promise<number>((resolve) => {
        void page.getByTestId('live-count').textContent().then((t) => resolve(Number(/^(\d+)/.exec(t ?? '')?.[1])));
      });
      expect(live).toBe(3);
    });

    test('the previous-period figures equal two report calls', async ({ page, collector }) => {
      const data = await seeded(collector);
      // The last 30 days and the 30 before them both hold sessions.
      await open(page, collector, '');
      await page.getByRole('button', { name: '30 days' }).click();
      await expect(page.getByRole('button', { name: '30 days' })).toHaveAttribute('aria-pressed', 'true');
      const url = new URL(page.url());
      const start = url.searchParams.get('start')!;
      const end = url.searchParams.get('end')!;
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      const previous = { start: day(Date.parse(`${start}T00:00:00Z`) - 30 * 86_400_000), end: day(Date.parse(`${start}T00:00:00Z`) - 86_400_000) };
      const [now, before] = await Promise.all([api<Summary>(collector, '/api/reports/summary', { start, end }), api<Summary>(collector, '/api/reports/summary', previous)]);
      expect(before.sessions).toBeGreaterThan(0);
      const change = (a: number, b: number) => {
        const c = Math.round(((a - b) / b) * 100);
        return c === 0 ? 'no change' : `${c > 0 ? '+' : '−'}${Math.abs(c)}%`;
      };
      await expect(figure(page, 'Sessions')).toHaveText(count.format(now.sessions));
      await expect(page.getByTestId('change-Sessions')).toContainText(`${change(now.sessions, before.sessions)} vs the 30 days before`);
      await expect(page.getByTestId('change-Users')).toContainText(`${change(now.users, before.users)} vs the 30 days before`);
      expect(data.sessions.length).toBeGreaterThan(0);
    });

    test('the site selector filters every panel and goes in the address', async ({ page, collector }) => {
      const data = await seeded(collector);
      await open(page, collector, `start=${data.start}&end=${data.end}`);
      await page.getByLabel('Site').selectOption('demo');
      await expect(page).toHaveURL(/[?&]site=demo/);
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      const params = { start: data.start, end: data.end, site: 'demo' };
      const summary = await api<Summary>(collector, '/api/reports/summary', params);
      const all = await api<Summary>(collector, '/api/reports/summary', { start: data.start, end: data.end });
      expect(summary.sessions).toBeLessThan(all.sessions);
      await expect(figure(page, 'Sessions')).toHaveText(count.format(summary.sessions));
      const pages = await api<{ pages: { path: string }[] }>(collector, '/api/reports/pages', params);
      expect((await cells(page.getByTestId('pages').getByRole('table'))).map((r) => r[0])).toEqual(pages.pages.map((p) => p.path));
      const users = await (await collector.api('/api/session-duration', { method: 'POST', body: JSON.stringify({ start_date: data.start, end_date: data.end, site_id: 'demo', limit: 1 }) })).json();
      await expect(page.getByTestId('users-count')).toContainText(`${users.total} users`);
      const alerts = await api<{ alerts: number }>(collector, '/api/reports/alerts', params);
      await expect(page.getByTestId('alerts-total')).toHaveText(count.format(alerts.alerts));
      const people = await api<{ identified: number; anonymous: number }>(collector, '/api/reports/active-users', params);
      await expect(page.getByTestId('active-anonymous')).toHaveText(count.format(people.anonymous));
      const course = await api<{ steps: { learners: number }[] }>(collector, '/api/reports/course', { ...params, pages: '/lessons/*' });
      expect((await cells(page.getByTestId('course-steps'))).map((r) => r[1])).toEqual(course.steps.map((s) => count.format(s.learners)));
      const durations = await api<{ buckets: { sessions: number }[] }>(collector, '/api/reports/durations', params);
      expect((await cells(page.getByTestId('durations').getByRole('table'))).map((r) => r.at(-1))).toEqual(durations.buckets.map((b) => count.format(b.sessions)));
      // Nobody is active on the demo site now (the three active sessions are on the course).
      await expect(page.getByTestId('live-count')).toHaveText(/^0 sessions active now/);
      await expect(page.getByTestId('returning-table')).toHaveCount(0);
      // A shared link opens the same view.
      await page.reload();
      await expect(page.getByLabel('Site')).toHaveValue('demo');
      await expect(figure(page, 'Sessions')).toHaveText(count.format(summary.sessions));
    });

    test("a page's detail opens from the Pages table, with the API's figures, and Back returns", async ({ page, collector }) => {
      const data = await seeded(collector);
      await open(page, collector, `start=${data.start}&end=${data.end}&site=learn`);
      await page.getByTestId('pages').getByRole('button', { name: '/lessons/2: open its detail' }).click();
      await expect(page).toHaveURL(/[?&]page=%2Flessons%2F2/);
      const detail = await api<{ views: number; sessions: number; entry_share: number; exit_share: number; users: { user_id: string }[] }>(collector, '/api/reports/page', { start: data.start, end: data.end, site: 'learn', path: '/lessons/2' });
      const stats = page.getByTestId('page-summary').locator('dl');
      await expect(stats).toContainText(`Views${count.format(detail.views)}`);
      await expect(stats).toContainText(`Sessions${count.format(detail.sessions)}`);
      await expect(stats).toContainText(`Entry page${Math.round(detail.entry_share * 100)}%`);
      await expect(stats).toContainText(`Exit page${Math.round(detail.exit_share * 100)}%`);
      expect((await cells(page.getByTestId('page-users').getByRole('table'))).length).toBe(detail.users.length);
      await expect(page.getByTestId('page-attention')).toBeVisible();
      await page.getByRole('button', { name: '← All pages' }).click();
      await expect(page.getByTestId('pages')).toBeVisible();
      expect(new URL(page.url()).searchParams.get('page')).toBeNull();
      // The browser's own Back works too.
      await page.getByTestId('pages').getByRole('button', { name: '/lessons/2: open its detail' }).click();
      await expect(page.getByTestId('page-detail')).toBeVisible();
      await page.goBack();
      await expect(page.getByTestId('pages')).toBeVisible();
      await expect(page.getByTestId('page-detail')).toHaveCount(0);
    });

    test('works by keyboard alone: site, range, a filter, a page detail and back, the per-user pages', async ({ page, collector }) => {
      // A hundred Tab presses, each read back, on a shared machine.
      test.setTimeout(240_000);
      const data = await seeded(collector);
      await open(page, collector, `start=${data.start}&end=${data.end}`);
      const seen: string[] = [];
      const tabTo = async (match: (el: { tag: string; text: string; label: string }) => boolean, what: string) => {
        for (let i = 0; i < 150; i++) {
          await page.keyboard.press('Tab');
          const el = await page.evaluate(() => {
            const a = document.activeElement as HTMLElement | null;
            return { tag: a?.tagName.toLowerCase() ?? '', text: a?.textContent?.trim() ?? '', label: a?.getAttribute('aria-label') ?? (a?.id ? document.querySelector(`label[for="${a.id}"]`)?.textContent ?? '' : '') };
          });
          seen.push(`${el.tag}:${el.label || el.text.slice(0, 30)}`);
          if (match(el)) return;
        }
        throw new Error(`Tab never reached ${what}; the last stops: ${seen.slice(-12).join(' | ')}`);
      };
      await tabTo((e) => e.tag === 'select' && e.label === 'Site', 'the site selector');
      await page.keyboard.press('ArrowDown');
      await expect(page).toHaveURL(/[?&]site=/);
      const site = new URL(page.url()).searchParams.get('site')!;
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      const summary = await api<Summary>(collector, '/api/reports/summary', { start: data.start, end: data.end, site });
      await expect(figure(page, 'Sessions')).toHaveText(count.format(summary.sessions));

      await tabTo((e) => e.tag === 'button' && e.text === '90 days', 'the 90 days preset');
      await page.keyboard.press('Enter');
      await expect(page.getByRole('button', { name: '90 days' })).toHaveAttribute('aria-pressed', 'true');

      await tabTo((e) => e.tag === 'button' && /^Filter by .+ = /.test(e.label), 'a dimension value');
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(/[?&]meta=/);
      await expect(page.getByRole('status').filter({ hasText: 'Only sessions with' })).toBeVisible();

      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await tabTo((e) => e.tag === 'button' && / open its detail$/.test(e.label), 'a page of the Pages table');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('page-detail')).toBeVisible();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await tabTo((e) => e.tag === 'button' && e.text === '← All pages', 'the way back');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('pages')).toBeVisible();

      await tabTo((e) => e.tag === 'button' && e.text.startsWith('Remove filter'), 'the filter chip');
      await page.keyboard.press('Enter');
      await expect(page).not.toHaveURL(/[?&]meta=/);
      await tabTo((e) => e.tag === 'input' && e.label === 'Find a user', 'the user search');
      await page.keyboard.type('learner');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('users-count')).toContainText('matching "learner"');
      await expect(page.locator(':focus-visible')).toHaveCount(1);
    });
  });
}
