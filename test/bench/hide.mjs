// Where our main-thread time on a page hide goes: the bench's hide measurement (cost.mjs) for our
// tracker alone, or for several builds of it side by side, with a breakdown by function. A
// diagnosis tool, not part of `npm run bench`; it prints tables and asserts nothing.
//
//   node --import tsx test/bench/hide.mjs                      this worktree's src/, 7 runs
//   node --import tsx test/bench/hide.mjs --runs 9 --variant base=/tmp/base/src --variant fix=/tmp/fix/src --peers
//
// Every variant is built from a `src/` directory by one pipeline (esbuild bundles the bench entry,
// terser minifies it with the bench's options); with --names the unminified build ("<name>--names")
// is measured too, so the breakdown shows function names and bundle line numbers. Runs are
// interleaved, so a busy moment of the machine hits every build alike: compare the ratios to the
// first variant, measured in the same run, not absolute times.
//
// Per run and build, two fresh pages, each with the bench's storm (cost.mjs) and then a hide:
// - profiled, as cost.mjs does it (V8 sampler at 50 µs over the hide and the 300 ms after it):
//   - "hide (bench formula)": main-thread CPU (`ThreadTime`) × share of busy samples with a frame of
//     the bundle on the stack, the figure BENCHMARKS.md prints;
//   - "sampled ours": the time from each such sample to the next, summed: the wall time the
//     profiler saw in our code and in what it called (native calls included, blocked or not);
//   - breakdowns, mean ms per run: by entry point (our outermost frame and its caller: the event
//     dispatch, a timer, an IndexedDB callback), by our innermost frame (self), by every frame of
//     ours on the stack (total), and by leaf (what ran: our code, or a native call such as
//     `sendBeacon`, `Blob`, `fetch`, `put`, `setItem`);
// - unprofiled: the window's `ThreadTime` without the profiler, minus the no-tracker page's
//   ("above floor"), and the wall time of `dispatchEvent(visibilitychange)` in the page (only our
//   listener is on it: the synchronous part that delays the hide), median and minimum.
// It also counts the requests that reached the receiver during each hide window.
//
// Options: --runs N; --variant name=dir (repeatable; default: this worktree's src as "current");
// --peers (Snowplow, bundled as the bench bundles it); --second (then show, one input, and hide
// again: the second hide has no first-call costs); --js-flags "..." (to V8, e.g. "--no-lazy");
// --queued N (N records of another site already waiting in the IndexedDB queue; per build with
// --variant name=dir@N); --names; --brief
// (breakdowns of the --names builds only); --top N (rows per breakdown).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { minify } from 'terser';
import { chromium } from '@playwright/test';
import { chromiumLaunch } from '../playwright.config.ts';
import { bundle, terserOptions } from './bundle.mjs';
import { settle } from './browser.mjs';
import { storm, STORM } from './cost.mjs';
import { startServer } from './server.mjs';
import { median } from './stats.mjs';
import { trackers } from './trackers.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const runs = Number(opt('--runs', 7));
const top = Number(opt('--top', 15));
const variants = argv.flatMap((a, i) => (argv[i - 1] === '--variant' ? [a.split('=')] : []));
if (!variants.length) variants.push(['current', join(root, 'src')]);
const SAMPLE_US = 50;

const out = mkdtempSync(join(tmpdir(), 'sm-hide-'));
/** Bundles `src/index.ts` of `srcDir` with the bench entry: `[minified, unminified]` code. */
async function variantBundle(srcDir) {
  const entry = join(out, `entry-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(
    entry,
    `import { createTracker } from ${JSON.stringify(resolve(srcDir, 'index.ts'))};
const { base, idleSeconds } = window.BENCH;
const tracker = createTracker({ endpoint: base + '/collect', siteId: 'bench', bufferTimeBeforeEnd: idleSeconds });
window.bench = { engagedMs: () => tracker.snapshot()?.engagedMs ?? 0 };`,
  );
  const { outputFiles } = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    platform: 'browser',
    nodePaths: [join(root, 'node_modules')],
  });
  const plain = outputFiles[0].text;
  return [(await minify(plain, terserOptions)).code, plain];
}

const bundleDir = join(out, 'bundles');
const ids = [];
mkdirSync(bundleDir);
/** Records of another site waiting in the queue, per build: `--queued N`, or `--variant name=dir@N`. */
const seeded = {};
for (const [name, spec] of variants) {
  const [dir, n] = spec.split('@');
  seeded[name] = seeded[`${name}--names`] = Number(n ?? opt('--queued', 0));
  const [min, plain] = await variantBundle(dir);
  writeFileSync(join(bundleDir, `${name}.js`), min);
  writeFileSync(join(bundleDir, `${name}--names.js`), plain);
  ids.push(name);
  if (argv.includes('--names')) ids.push(`${name}--names`);
  console.log(`${name}: ${min.length} bytes minified, from ${dir}`);
}
if (argv.includes('--peers')) {
  for (const id of ['snowplow']) {
    await bundle(trackers.find((t) => t.id === id).entry, join(bundleDir, `${id}.js`));
    ids.push(id);
  }
}

const jsFlags = opt('--js-flags');
const browser = await chromium.launch({ ...chromiumLaunch, args: [...chromiumLaunch.args, ...(jsFlags ? [`--js-flags=${jsFlags}`] : [])] });
const server = await startServer({ bundleDir });

async function metrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** Sets visibility as browser.mjs does; returns the wall time of the synchronous dispatch (ms). */
const setVisible = (page, visible) =>
  page.evaluate((v) => {
    Object.defineProperty(document, 'visibilityState', { value: v ? 'visible' : 'hidden', configurable: true });
    Object.defineProperty(document, 'hidden', { value: !v, configurable: true });
    const t0 = performance.now();
    document.dispatchEvent(new Event('visibilitychange'));
    return performance.now() - t0;
  }, visible);

/** What one profile says about `url`'s code. */
function analyse(profile, url) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id) => {
    const s = [];
    for (let x = id; x !== undefined; x = parent.get(x)) s.push(byId.get(x).callFrame);
    return s; // leaf first
  };
  const label = (f) => `${f.functionName || '(anonymous)'}${f.url === url ? `:${f.lineNumber + 1}` : f.url ? ' [other]' : ' [native]'}`;
  const r = { samples: profile.samples.length, durationUs: profile.endTime - profile.startTime, busy: 0, own: 0, ownUs: 0, busyUs: 0, self: {}, total: {}, entry: {}, leaf: {}, firstUs: Infinity, lastUs: 0 };
  let t = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? SAMPLE_US; // the time until the next sample
    t += profile.timeDeltas[i];
    const stack = stackOf(id);
    if (stack[0].functionName === '(idle)') return;
    r.busy++;
    r.busyUs += dt;
    const ownFrames = stack.filter((f) => f.url === url);
    if (!ownFrames.length) return;
    r.own++;
    r.ownUs += dt;
    r.firstUs = Math.min(r.firstUs, t);
    r.lastUs = Math.max(r.lastUs, t);
    const add = (m, k) => (m[k] = (m[k] ?? 0) + dt / 1000);
    add(r.leaf, label(stack[0]));
    add(r.self, label(ownFrames[0]));
    for (const k of new Set(ownFrames.map(label))) add(r.total, k);
    add(r.entry, label(ownFrames.at(-1)) + ' <- ' + label(stack[stack.indexOf(ownFrames.at(-1)) + 1] ?? { functionName: '(root)' }));
  });
  return r;
}

/**
 * Runs in the page: puts `n` records of another site into the shared IndexedDB queue (what a week
 * offline, or a receiver that was down, leaves behind), to see how the hide scales with the queue.
 */
function seedQueue(n) {
  const iso = new Date().toISOString();
  const entries = Array.from({ length: n }, (_, i) => {
    const r = { v: 1, type: 'session', siteId: 'other', id: 'old' + i, seq: 3, userId: null, anonymousId: 'a'.repeat(32), startedAt: iso, lastActiveAt: iso, durationMs: 6e5, engagedMs: 42e4, breaks: { count: 2, totalMs: 18e4, longestMs: 12e4, histogram: { '<30s': 0, '30s-2m': 2, '2m-10m': 0, '>=10m': 0 } }, pages: [{ path: '/a/long/path/' + i, views: 3, engagedMs: 42e4, firstSeenAt: iso, lastSeenAt: iso, band: 'engaged' }], band: 'engaged', sampleRate: 1, final: false };
    return { k: `other\nbeacon\ns${r.id}`, r };
  });
  /** Writes the entries into `db` if the build under test uses it: `write(store)` in one transaction. */
  const seed = (db, write) =>
    new Promise((resolve, reject) => {
      const open = indexedDB.open(db);
      open.onupgradeneeded = () => open.transaction.abort(); // not this build's database: leave it alone
      open.onerror = () => resolve();
      open.onsuccess = () => {
        if (!open.result.objectStoreNames.contains('queue')) return resolve(open.result.close());
        const store = open.result.transaction('queue', 'readwrite').objectStore('queue');
        write(store);
        store.transaction.oncomplete = () => resolve(open.result.close());
        store.transaction.onerror = () => reject(store.transaction.error);
      };
    });
  // The layout of src/delivery/idb-store.ts: the whole queue as one Map of records under key 1.
  return seed('session-metrics-queue', (store) => {
    const get = store.get(1);
    get.onsuccess = () => {
      const q = get.result ?? new Map();
      for (const e of entries) q.set(e.k, e.r);
      store.put(q, 1);
    };
  });
}

async function measure(id, profiled) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  const { url, run } = server.pageFor(id === 'none' ? null : id);
  const bundleUrl = `${server.origin}/bundles/${id}.js`;
  await page.goto(url, { waitUntil: 'load' });
  await settle(300);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLE_US });
  if (seeded[id]) await page.evaluate(seedQueue, seeded[id]);
  await page.evaluate(storm, STORM);
  const hides = [];
  for (let i = 0; i < (argv.includes('--second') ? 2 : 1); i++) {
    if (i) {
      await setVisible(page, true);
      await page.evaluate(() => document.querySelector('main').dispatchEvent(new PointerEvent('pointermove', { bubbles: true })));
      await settle(300);
    }
    const sentBefore = server.received(run).length;
    const mid = await metrics(cdp);
    if (profiled) await cdp.send('Profiler.start');
    const handlerMs = await setVisible(page, false);
    await settle(300);
    const { profile } = profiled ? await cdp.send('Profiler.stop') : { profile: { nodes: [], samples: [], timeDeltas: [], startTime: 0, endTime: 0 } };
    const after = await metrics(cdp);
    const a = analyse(profile, bundleUrl);
    const threadMs = (after.ThreadTime - mid.ThreadTime) * 1000;
    hides.push({
      hideMs: a.busy ? (threadMs * a.own) / a.busy : 0,
      sampledMs: a.ownUs / 1000,
      busySampledMs: a.busyUs / 1000,
      threadMs,
      handlerMs,
      spanMs: a.own ? (a.lastUs - a.firstUs) / 1000 : 0,
      sentOnHide: server.received(run).length - sentBefore,
      counts: { samples: a.samples, busy: a.busy, own: a.own, durationMs: a.durationUs / 1000 },
      a,
    });
  }
  const requests = server.received(run).map((r) => `${r.dest ?? '?'} ${r.path}`);
  await context.close();
  return { hides, requests };
}

ids.push('none');
const results = Object.fromEntries(ids.map((id) => [id, []]));
const cpu = Object.fromEntries(ids.map((id) => [id, []]));
for (let round = 0; round < runs; round++) {
  const order = ids.map((_, i) => ids[(i + round) % ids.length]);
  for (const id of order) {
    results[id].push(await measure(id, true));
    cpu[id].push(await measure(id, false));
  }
  process.stdout.write(`round ${round + 1}/${runs} done\n`);
}
await browser.close();
await server.close();

const f = (x) => x.toFixed(1);
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const baseline = ids[0];
console.log(`\n${runs} runs, storm of ${STORM.pointerMoves + STORM.wheels + STORM.keys} inputs${jsFlags ? `, --js-flags=${jsFlags}` : ''}${Object.values(seeded).some(Boolean) ? `, records queued: ${JSON.stringify(seeded)}` : ''}; medians (ms)`);
for (const hideIndex of argv.includes('--second') ? [0, 1] : [0]) {
  console.log(`\n## hide ${hideIndex + 1}\n| build | hide (bench formula) | × ${baseline} | sampled ours | × ${baseline} | own / busy samples | thread CPU, profiled | unprofiled: thread CPU | above floor | × ${baseline} | handler wall | × ${baseline} | handler wall, min |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const mOf = (set, id, k) => median(set[id].map((r) => (k.call ? k(r.hides[hideIndex]) : r.hides[hideIndex][k])));
  const floor = mOf(cpu, 'none', 'threadMs');
  const ratio = (id, set, k) => (mOf(set, id, k) / mOf(set, baseline, k)).toFixed(2);
  for (const id of ids) {
    const m = (k) => mOf(results, id, k);
    const above = (id) => mOf(cpu, id, 'threadMs') - floor;
    console.log(
      `| ${id} | ${f(m('hideMs'))} | ${ratio(id, results, 'hideMs')} | ${f(m('sampledMs'))} | ${ratio(id, results, 'sampledMs')} | ${m((h) => h.counts.own)} / ${m((h) => h.counts.busy)} | ${f(m('threadMs'))} | ${f(mOf(cpu, id, 'threadMs'))} | ${f(above(id))} | ${(above(id) / above(baseline)).toFixed(2)} | ${f(mOf(cpu, id, 'handlerMs'))} | ${ratio(id, cpu, 'handlerMs')} | ${f(Math.min(...cpu[id].map((r) => r.hides[hideIndex].handlerMs)))} |`,
    );
  }
  for (const id of ids.filter((x) => x !== 'none' && (!argv.includes('--brief') || x.endsWith('--names')))) {
    const h = results[id].map((r) => r.hides[hideIndex].a);
    for (const [title, key] of [['entry point <- caller', 'entry'], ['self (our innermost frame)', 'self'], ['total', 'total'], ['leaf (what ran)', 'leaf']]) {
      const keys = new Set(h.flatMap((a) => Object.keys(a[key])));
      const rows = [...keys].map((k) => [k, mean(h.map((a) => a[key][k] ?? 0))]).sort((x, y) => y[1] - x[1]).slice(0, top);
      console.log(`\n${id}, ${title}, mean sampled ms per run:\n${rows.map(([k, v]) => `  ${f(v).padStart(6)}  ${k}`).join('\n')}`);
    }
  }
}
console.log('\nrequests per run (first run of each), and how many arrived during each hide window:');
for (const id of ids) console.log(`  ${id}: ${results[id][0].requests.join(', ') || 'none'}; during the hides: ${results[id][0].hides.map((h) => h.sentOnHide).join(', ')}`);
writeFileSync(join(out, 'hide-results.json'), JSON.stringify({ profiled: results, unprofiled: cpu }, (k, v) => (k === 'a' ? undefined : v)));
console.log(`\nraw: ${join(out, 'hide-results.json')}`);
