import { test, expect } from '../fixtures';
import { T0, setVisible, sessionsOf, waitForSession } from './helpers';

test('SPA example: routes changed by pushState, popstate and links each get their dwell time, lessons mapped to /lesson/:id', async ({ page, server }) => {
  await page.clock.install({ time: T0 });
  await page.clock.pauseAt(T0 + 1_000);
  await page.goto(`${server.url}/examples/spa/`);
  await page.waitForFunction(() => typeof (window as any).tracker?.snapshot === 'function');
  await page.clock.runFor(10_000); // home: 10 s
  await page.getByRole('link', { name: 'Lesson 101' }).click(); // a real click: a signal and a pushState
  await page.clock.runFor(20_000); // lesson: 20 s
  await page.getByRole('link', { name: 'Quiz' }).click();
  await page.getByPlaceholder('Your answer').fill('42'); // keyboard input
  await page.clock.runFor(15_000); // quiz: 15 s
  await page.goBack(); // popstate back to /lesson/101
  await page.mouse.move(50, 50);
  await page.clock.runFor(5_000); // lesson again: 5 s
  await page.getByRole('link', { name: 'Lesson 102' }).click();
  await page.clock.runFor(7_000); // the same page name: 7 s more, and no new view (the page did not change)
  await setVisible(page, false);

  await waitForSession(server, 'demo-spa', (s) => s.engagedMs === 57_000);
  const [record] = sessionsOf(server, 'demo-spa');
  expect(record!.pages.map((p) => [p.path, p.views, p.engagedMs])).toEqual([
    ['/', 1, 10_000],
    ['/lesson/:id', 2, 32_000],
    ['/quiz', 1, 15_000],
  ]);
  expect(record!.band).toBe('casual');
  expect(record!.pages.map((p) => p.band)).toEqual([null, 'casual', null]);
});
