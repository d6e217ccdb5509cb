// Main-thread cost of flushing 100 queued records, in real Chromium, as a ratio to a baseline measured
// in the same run: JSON.stringify of the same 100 records (the least any sender must do).
// A benchmark, not a test: it prints figures and asserts nothing. Usage: node test/e2e/delivery/bench-flush.mjs
//
// - unload flush: the synchronous part of flush({ unloading: true }) to an endpoint (mirror, split,
//   serialize, sendBeacon), timed with performance.now() around the call;
// - normal flush: flush({ unloading: false }) of 100 records waiting in IndexedDB (Web Lock, read the
//   store, serialize, fetch, remove from the store), timed as CDP ScriptDuration, i.e. main-thread
//   script time across all its tasks, not the network wait.
import { createServer } from 'node:http';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { median } from '../../bench/stats.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 30);

const bundle = (
  await build({
    stdin: {
      contents: `export { createDelivery } from './src/delivery/index.ts'; export { customTransport } from './src/transports/custom.ts';`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    target: 'es2020',
  })
).outputFiles[0].text;

const html = `<!doctype html><meta charset="utf-8"><script type="module">
import * as sm from '/delivery.js';
window.sm = sm;
const iso = (t) => new Date(t).toISOString();
window.records = (run) => Array.from({ length: 100 }, (_, i) => ({
  v: 1, type: 'session', siteId: 'bench', id: 'r' + run + '-s' + i, seq: 3, userId: null, anonymousId: 'a' + i,
  startedAt: iso(0), lastActiveAt: iso(600000), durationMs: 600000, engagedMs: 420000,
  breaks: { count: 2, totalMs: 180000, longestMs: 120000, histogram: { '<30s': 0, '30s-2m': 2, '2m-10m': 0, '>=10m': 0 } },
  pages: [1, 2, 3].map((p) => ({ path: '/lesson/' + p, views: 1, engagedMs: 140000, firstSeenAt: iso(0), lastSeenAt: iso(600000), band: 'engaged' })),
  band: 'engaged', sampleRate: 1, final: false,
}));
window.ready = true;
</script>`;

const server = createServer((req, res) => {
  if (req.method === 'POST') return req.resume().on('end', () => res.writeHead(204).end());
  if (req.url === '/delivery.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
  res.writeHead(200, { 'content-type': 'text/html' }).end(html);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: process.env.SM_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
await page.goto(origin + '/');
await page.waitForFunction(() => window.ready);
const scriptMs = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration').value * 1000;

const unload = [];
const stringify = [];
const normal = [];
/** ScriptDuration of an empty page.evaluate: the harness's own share, subtracted. */
const normalBase = [];
const beaconBase = [];
const WARMUP = 5;
for (let run = -WARMUP; run < RUNS; run++) {
  // Unload flush vs JSON.stringify, both timed in-page with performance.now().
  const u = await page.evaluate(async (run) => {
    const { sm } = window;
    const records = window.records(run);
    const d = sm.createDelivery({ siteId: 'bench', endpoint: '/collect', store: undefined, locks: null });
    d.enqueue(records);
    const t0 = performance.now();
    d.flush({ unloading: true });
    const t1 = performance.now();
    JSON.stringify(records);
    const t2 = performance.now();
    navigator.sendBeacon('/collect', JSON.stringify(records.slice(0, 50)));
    navigator.sendBeacon('/collect', JSON.stringify(records.slice(50)));
    const t3 = performance.now();
    d.stop();
    await d.flush({ unloading: false });
    return [t1 - t0, t2 - t1, t3 - t2];
  }, run);
  if (run >= 0) unload.push(u[0]), stringify.push(u[1]), beaconBase.push(u[2]);

  // Normal flush of 100 records left in IndexedDB by an earlier page (a transport that was down).
  await page.evaluate(async (run) => {
    const { sm } = window;
    const down = sm.customTransport(() => false, 'beacon');
    const d = sm.createDelivery({ siteId: 'bench', transports: [down], locks: null, retryBaseMs: 1e9 });
    d.enqueue(window.records(1000 + run));
    await d.flush({ unloading: false });
    d.stop();
  }, run);
  let s0 = await scriptMs();
  await page.evaluate(async () => {
    const d = window.sm.createDelivery({ siteId: 'bench', endpoint: '/collect' });
    await d.flush({ unloading: false });
    d.stop();
  });
  if (run >= 0) normal.push((await scriptMs()) - s0);
  s0 = await scriptMs();
  await page.evaluate(() => 0);
  if (run >= 0) normalBase.push((await scriptMs()) - s0);
}
await browser.close();
server.close();

const f = (x) => x.toFixed(2);
const n = median(normal) - median(normalBase);
console.log(`runs: ${RUNS} (after ${WARMUP} warm-up), 100 session records of 3 pages each, medians`);
console.log(`baseline JSON.stringify(100 records): ${f(median(stringify))} ms; JSON.stringify + 2 sendBeacon calls by hand: ${f(median(beaconBase))} ms`);
console.log(`unload flush, synchronous part: ${f(median(unload))} ms = ${(median(unload) / median(stringify)).toFixed(1)}x JSON.stringify, ${(median(unload) / median(beaconBase)).toFixed(2)}x hand-written beacons`);
console.log(`normal flush from IndexedDB, main-thread script time: ${f(n)} ms = ${(n / median(stringify)).toFixed(1)}x JSON.stringify`);
