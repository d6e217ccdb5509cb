// Main-thread cost in real Chromium, during a storm of 10,000 pointer moves, 1,000 scrolls,
// 1,000 key presses and a page hide, measured two ways:
// - the V8 sampling profiler (every 50 µs): time in samples whose stack holds a frame of the
//   tracker's bundle, i.e. its listeners, its timers and whatever they call. This is the headline:
//   it needs no subtraction, so the noise of a shared machine hurts it least;
// - CDP `Performance.getMetrics` `ScriptDuration` (all JavaScript on the page's main thread) minus
//   the same figure on the no-tracker page: the definition, reported beside it, and noisy
//   here because the storm's own dispatching costs far more than any tracker's handlers.
// Also: navigation start to the tracker being ready (a `performance.mark` right after its
// script tag).
//
// The storm is dispatched in the page, 100 events per animation frame, each input as the browser
// would send it (pointermove + mousemove; wheel + scroll; keydown + keypress + keyup). Input
// through CDP is the other choice, but every mouse move then waits for a frame: 10,000 of them
// took 3.5 minutes per page here, which no ten-minute benchmark can afford.
import { setVisible, settle } from './browser.mjs';

export const STORM = { pointerMoves: 10_000, wheels: 1_000, keys: 1_000 };

/** Runs in the page. Resolves when every event of the storm was dispatched. */
function storm({ pointerMoves, wheels, keys }) {
  const inputs = [];
  for (let i = 0; i < pointerMoves; i++) inputs.push(['move', i]);
  for (let i = 0; i < wheels; i++) inputs.push(['wheel', i]);
  for (let i = 0; i < keys; i++) inputs.push(['key', i]);
  const target = document.querySelector('main');
  const fire = ([kind, i]) => {
    const at = { bubbles: true, cancelable: true, composed: true, clientX: 10 + (i % 900), clientY: 10 + (i % 600) };
    if (kind === 'move') {
      target.dispatchEvent(new PointerEvent('pointermove', { ...at, pointerType: 'mouse', isPrimary: true }));
      target.dispatchEvent(new MouseEvent('mousemove', at));
    } else if (kind === 'wheel') {
      target.dispatchEvent(new WheelEvent('wheel', { ...at, deltaY: 40 }));
      document.dispatchEvent(new Event('scroll', { bubbles: true }));
    } else {
      const key = { bubbles: true, cancelable: true, key: 'a', code: 'KeyA' };
      document.body.dispatchEvent(new KeyboardEvent('keydown', key));
      document.body.dispatchEvent(new KeyboardEvent('keypress', key));
      document.body.dispatchEvent(new KeyboardEvent('keyup', key));
    }
  };
  return new Promise((resolve) => {
    let next = 0;
    const frame = () => {
      for (const end = Math.min(next + 100, inputs.length); next < end; next++) fire(inputs[next]);
      if (next < inputs.length) requestAnimationFrame(frame);
      else resolve();
    };
    requestAnimationFrame(frame);
  });
}

async function metrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** Milliseconds of samples with a frame from `url` anywhere on the stack. */
export function timeInScript(profile, url) {
  const parent = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inScript = new Map();
  const hit = (id) => {
    if (inScript.has(id)) return inScript.get(id);
    const own = byId.get(id).callFrame.url === url;
    const result = own || (parent.has(id) && hit(parent.get(id)));
    inScript.set(id, result);
    return result;
  };
  let us = 0;
  // Sample i lasts until sample i + 1 (the way DevTools draws it).
  for (let i = 0; i < profile.samples.length - 1; i++) if (hit(profile.samples[i])) us += profile.timeDeltas[i + 1];
  return us / 1000;
}

/** One storm on a fresh page with `tracker` (null: no tracker). */
export async function measureCost(browser, server, tracker) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  const { url } = server.pageFor(tracker);
  const bundleUrl = `${server.origin}/bundles/${tracker}.js`;
  await page.goto(url, { waitUntil: 'load' });
  const readyMs = await page.evaluate(() => performance.getEntriesByName('tracker-ready')[0].startTime);
  await settle(300); // let start-up work (first sends, idle callbacks) finish outside the window
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  const before = await metrics(cdp);
  await cdp.send('Profiler.start');

  await page.evaluate(storm, STORM);
  await setVisible(page, false);
  await settle(300); // work the hide scheduled (a beacon, a queued flush) counts too

  const { profile } = await cdp.send('Profiler.stop');
  const after = await metrics(cdp);
  const delivered = await page.evaluate(() => window.delivered);
  await context.close();
  const ms = (name) => (after[name] - before[name]) * 1000;
  return { trackerMs: tracker ? timeInScript(profile, bundleUrl) : 0, scriptMs: ms('ScriptDuration'), readyMs, delivered };
}
