// Main-thread cost in real Chromium, during a storm of 10,000 pointer moves, 1,000 scrolls and
// 1,000 key presses, then a page hide, measured two ways:
// - the tracker's CPU time: the main thread's CPU time (CDP `ThreadTime`) times the share of V8
//   profiler samples (every 50 µs) whose stack holds a frame of the tracker's bundle, i.e. its
//   listeners, its timers and whatever they call; the storm and the hide are measured apart (one
//   is many tiny handlers, the other one handler with real work). This is the headline: it needs
//   no subtraction, so the noise of a shared machine hurts it least;
// - CDP `Performance.getMetrics` `ScriptDuration` (all JavaScript on the page's main thread) minus
//   the same figure on the no-tracker page: the definition, reported beside it, and noisy
//   here because the storm's own dispatching costs far more than any tracker's handlers.
// Also: navigation start to the tracker being ready (a `performance.mark` right after its
// script tag).
//
// The storm is dispatched in the page, 200 inputs per animation frame, each input as the browser
// would send it (pointermove + mousemove; wheel + scroll; keydown + keypress + keyup). Input
// through CDP is the other choice, but every mouse move then waits for a frame: 10,000 of them
// took 3.5 minutes per page here, which no ten-minute benchmark can afford.
import { setVisible, settle } from './browser.mjs';

export const STORM = { pointerMoves: 10_000, wheels: 1_000, keys: 1_000, perFrame: 200 };

/** Runs in the page. Resolves when every event of the storm was dispatched. */
export function storm({ pointerMoves, wheels, keys, perFrame: PER_FRAME }) {
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
      for (const end = Math.min(next + PER_FRAME, inputs.length); next < end; next++) fire(inputs[next]);
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

const SAMPLE_US = 50;

/**
 * The profile's busy samples (all but `(idle)`) and how many of them have a frame from `url` anywhere
 * on the stack. The share of the two, multiplied by the main thread's CPU time for the same window,
 * gives the tracker's CPU time: on a busy machine the sampler misses ticks and the gaps between
 * samples include time the thread was not running at all, but the share of samples stays fair and the
 * OS's CPU time is exact. The count says how much the figure rests on: a handler of a few tens of ns
 * is in a handful of samples per storm.
 */
export function samplesIn(profile, url) {
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
  const busy = profile.samples.filter((id) => byId.get(id).callFrame.functionName !== '(idle)');
  return { busy: busy.length, ours: busy.filter(hit).length };
}

/** Share of the profile's busy samples with a frame from `url` on the stack (`samplesIn`). */
export function shareOfSamples(profile, url) {
  const { busy, ours } = samplesIn(profile, url);
  return busy ? ours / busy : 0;
}

/**
 * Wall time the profiler saw in `url`'s code: for each sample with a frame of it on the stack, the time
 * until the next sample. Used for the hide: `ThreadTime × shareOfSamples` would charge the tracker a
 * share of the window's unsampled CPU time, which on a hide is mostly the profiler's own start and stop
 * (about 33 ms on the no-tracker page, against 2 ms without the profiler: test/bench/hide.mjs), handed
 * to whichever tracker owns most of the few busy samples. It includes native calls made from the code
 * (`sendBeacon`, IndexedDB): time the page could not use.
 */
export function sampledMs(profile, url) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ours = new Map();
  const hit = (id) => {
    if (!ours.has(id)) ours.set(id, byId.get(id).callFrame.url === url || (parent.has(id) && hit(parent.get(id))));
    return ours.get(id);
  };
  let us = 0;
  profile.samples.forEach((id, i) => {
    if (hit(id)) us += profile.timeDeltas[i + 1] ?? 0;
  });
  return us / 1000;
}

/** One storm (`STORM` unless given) on a fresh page with `tracker` (null: no tracker). */
export async function measureCost(browser, server, tracker, inputs = STORM) {
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
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLE_US });
  const before = await metrics(cdp);
  await cdp.send('Profiler.start');
  await page.evaluate(storm, inputs);
  const { profile: stormProfile } = await cdp.send('Profiler.stop');
  const mid = await metrics(cdp);

  // The hide is one event with real work behind it (a snapshot, a beacon): profiled on its own.
  await cdp.send('Profiler.start');
  await setVisible(page, false);
  await settle(300); // work the hide scheduled (a beacon, a queued flush) counts too
  const { profile: hideProfile } = await cdp.send('Profiler.stop');
  const after = await metrics(cdp);

  const delivered = await page.evaluate(() => window.delivered);
  await context.close();
  const ms = (name, from = before, to = after) => (to[name] - from[name]) * 1000;
  return {
    stormMs: tracker ? ms('ThreadTime', before, mid) * shareOfSamples(stormProfile, bundleUrl) : 0,
    stormSamples: tracker ? samplesIn(stormProfile, bundleUrl).ours : 0,
    hideMs: tracker ? sampledMs(hideProfile, bundleUrl) : 0,
    scriptMs: ms('ScriptDuration'),
    readyMs,
    delivered,
  };
}
