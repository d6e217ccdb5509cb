import { test, expect } from '../fixtures';
import { T0, setVisible, sessionsOf, waitForSession } from './helpers';

const ready = () => (window as any).pluginPage !== undefined && typeof (window as any).sessionMetrics === 'function';

// The plugin seam on the script tag (dist/session-metrics.plugins.min.js, dist/plugin.js): a page field one
// tab's plugin set lives in the shared session, so the record another tab builds carries it, and so does
// the record after a reload whose plugin sets nothing.
test('two tabs and a reload keep a page field that only one tab set', async ({ context, server }) => {
  await context.clock.install({ time: T0 });
  const a = await context.newPage();
  await a.goto(`${server.url}/test/e2e/pages/sdk/plugin/?note=first`);
  await a.waitForFunction(ready);
  expect(await a.evaluate(() => (window as any).pluginPage.name)).toBe('/test/e2e/pages/sdk/plugin/');
  await context.clock.runFor(5_000);
  const b = await context.newPage();
  await b.goto(`${server.url}/test/e2e/pages/sdk/plugin/other.html`);
  await b.waitForFunction(ready);
  await context.clock.runFor(5_000);
  await setVisible(a, false);
  await b.waitForTimeout(200); // let a's write reach b's process
  await context.clock.runFor(5_000);
  // b's snapshot is the newest record: it carries a's field on a's page.
  const fromB = await b.evaluate(() => (window as any).sessionMetrics('snapshot'));
  expect(fromB.pages.find((p: any) => p.path === '/test/e2e/pages/sdk/plugin/')).toMatchObject({ note: 'first' });
  await setVisible(b, false);
  await waitForSession(server, 'plugin', (s) => s.pages.some((p) => (p as any).note === 'first') && s.pages.length === 2);

  // A reload of a without ?note: its plugin sets nothing, its records still carry the field.
  await b.close();
  await a.goto(`${server.url}/test/e2e/pages/sdk/plugin/`);
  await a.waitForFunction(ready);
  await context.clock.runFor(5_000);
  const afterReload = await a.evaluate(() => (window as any).sessionMetrics('snapshot'));
  expect(afterReload.id).toBe(fromB.id);
  expect(afterReload.pages.find((p: any) => p.path === '/test/e2e/pages/sdk/plugin/')).toMatchObject({ note: 'first', views: 2 });
  await setVisible(a, false);
  await waitForSession(server, 'plugin', (s) => s.seq > fromB.seq && s.pages.some((p) => (p as any).note === 'first' && p.views === 2));
  expect(sessionsOf(server, 'plugin')).toHaveLength(1);
});
