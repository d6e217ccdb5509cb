// Accuracy and delivery: scripted sessions in real Chromium with a paused clock (`page.clock`), real
// mouse and wheel input, stubbed visibility, and every tracker's own requests to the local receiver.
import { pausedContext, setVisible, settle } from './browser.mjs';
import { readInPage } from './trackers.mjs';

/** Waits until none of `runs` has received a request for `quietMs`, at most `maxMs` (real time). */
async function quiet(server, runs, quietMs = 400, maxMs = 4000) {
  const count = () => runs.reduce((n, run) => n + server.received(run).length, 0);
  const started = Date.now();
  let seen = count();
  let since = Date.now();
  while (Date.now() - started < maxMs) {
    await settle(100);
    if (count() !== seen) [seen, since] = [count(), Date.now()];
    else if (Date.now() - since >= quietMs) return;
  }
}

/** One real input: the mouse moves somewhere new, then the wheel scrolls. */
async function input(page, n) {
  await page.mouse.move(200 + (n % 7) * 60, 150 + (n % 5) * 50);
  await page.mouse.wheel(0, n % 2 ? -120 : 120);
}

/**
 * Plays `scenario` for `tracker`; returns the engaged milliseconds the tracker reported
 * (from what it sent, or what it exposes, per trackers.mjs).
 */
export async function runScenario(browser, server, tracker, scenario, idleSeconds) {
  const { context } = await pausedContext(browser);
  const tabs = new Map();
  const runs = [];
  let inPage = [];
  let now = 0;
  try {
    for (const [n, step] of scenario.steps.entries()) {
      if (step.at > now) await context.clock.runFor((step.at - now) * 1000);
      now = step.at;
      const page = tabs.get(step.tab ?? 0);
      switch (step.do) {
        case 'open': {
          const tab = await context.newPage();
          const { url, run } = server.pageFor(tracker.id, { idleSeconds, video: scenario.video });
          runs.push(run);
          await tab.goto(url);
          tabs.set(step.tab ?? 0, tab);
          break;
        }
        case 'input':
          await input(page, n);
          break;
        case 'hide':
          await setVisible(page, false);
          break;
        case 'show':
          await setVisible(page, true);
          break;
        case 'play': {
          const box = await page.locator('#play').boundingBox();
          await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
          break;
        }
        case 'pause':
          await page.evaluate(() => document.getElementById('video').pause());
          break;
        case 'sleep':
          // A sleeping machine: time jumps; due timers fire once, late, like after a wake-up.
          await context.clock.fastForward((step.to - step.at) * 1000);
          now = step.to;
          break;
        case 'end':
          for (const tab of tabs.values()) await setVisible(tab, false);
          inPage = [];
          for (const tab of tabs.values()) inPage.push(await tab.evaluate(readInPage));
          await quiet(server, runs);
          for (const tab of tabs.values()) await tab.close();
          await quiet(server, runs);
          break;
      }
    }
  } finally {
    await context.close();
  }
  const requests = runs.flatMap((run) => server.received(run));
  return tracker.engagedMs({ requests, inPage });
}

/**
 * Delivery: a session of one minute of activity, then the page is hidden and closed at once,
 * the way a phone user leaves (app switcher, swipe away). True when the tracker's final
 * figures reached the receiver (see `delivered` in trackers.mjs).
 *
 * With `receiverDown`, the receiver drops every connection from the hide on (a train tunnel, a
 * collector restart). It is back a minute later, when the person opens the site again; what the
 * tracker kept can go then. The second page is judged before it closes, so its own leave events
 * do not count.
 */
export async function runDelivery(browser, server, tracker, idleSeconds, { receiverDown = false } = {}) {
  const { context } = await pausedContext(browser);
  try {
    const page = await context.newPage();
    const { url, run } = server.pageFor(tracker.id, { idleSeconds });
    await page.goto(url);
    for (let s = 0; s <= 60; s += 10) {
      await input(page, s);
      await context.clock.runFor(10_000);
    }
    server.setDown(run, receiverDown);
    await setVisible(page, false);
    const inPage = [await page.evaluate(readInPage)];
    await page.close();
    await quiet(server, [run]);
    if (receiverDown) {
      server.setDown(run, false);
      await context.clock.runFor(60_000);
      const again = await context.newPage();
      await again.goto(url);
      await context.clock.runFor(30_000); // retries wait on timers
      await quiet(server, [run]);
    }
    return tracker.delivered({ requests: server.received(run), inPage });
  } finally {
    await context.close();
  }
}
