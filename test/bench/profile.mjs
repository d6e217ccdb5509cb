// Where a tracker's storm samples go: the cost measurement's storm (cost.mjs) under the V8 sampler,
// then, per tracker, its CPU time per input and the stacks of the samples that hold a frame of its
// bundle (leaf first, down to its first frame and that frame's caller). `npm run bench -- --cost-only`
// gives the figure; this says which function it is made of.
//
//   node --import tsx test/bench/profile.mjs [--scale 4] [--rounds 3] [--variants file.json] [tracker...]
//
// `--variants` takes `{ "name": [["from", "to"], ...] }`: each name is a copy of the session-metrics
// bundle with those replacements in its minified text, measured as a tracker of its own (an experiment
// on the hot path without a rebuild, e.g. `we=()=>{}` for a listener that does nothing). Measure `dist/`
// as it is: `npm run build` first.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAll } from './bundle.mjs';
import { launch, settle } from './browser.mjs';
import { startServer } from './server.mjs';
import { storm, STORM, samplesIn } from './cost.mjs';
import { trackers } from './trackers.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args.splice(args.indexOf(name), 2)[1] : fallback);
const scale = Number(option('--scale', 4));
const rounds = Number(option('--rounds', 3));
const variants = JSON.parse(readFileSync(option('--variants', '/dev/null'), 'utf8') || '{}');
const ids = args.length ? args : ['session-metrics', 'timeme', ...Object.keys(variants)];
const inputs = { ...STORM, pointerMoves: STORM.pointerMoves * scale, wheels: STORM.wheels * scale, keys: STORM.keys * scale };
const count = inputs.pointerMoves + inputs.wheels + inputs.keys;

const dir = mkdtempSync(join(tmpdir(), 'sm-profile-'));
const root = fileURLToPath(new URL('../..', import.meta.url));
await bundleAll(trackers.filter((t) => ids.includes(t.id) || t.id === 'session-metrics'), dir, join(root, 'node_modules/.cache/session-metrics-bench'));
const ours = readFileSync(join(dir, 'session-metrics.js'), 'utf8');
for (const [name, pairs] of Object.entries(variants)) {
  let code = ours;
  for (const [from, to] of pairs) {
    if (!code.includes(from)) throw new Error(`variant ${name}: the bundle has no ${from}`);
    code = code.replace(from, to);
  }
  writeFileSync(join(dir, `${name}.js`), code);
}

/** The samples with a frame of `url`, counted by stack (leaf first, to the caller of its first frame). */
function stacksIn(profile, url) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (f) => `${f.functionName || '(anonymous)'}${f.url === url ? `:${f.columnNumber}` : ''}`;
  const stacks = new Map();
  for (const id of profile.samples) {
    const frames = [];
    for (let x = id; x != null; x = parent.get(x)) frames.push(byId.get(x).callFrame);
    const first = frames.findIndex((f) => f.url === url);
    if (first < 0) continue;
    const key = frames.slice(0, first + 2).map(name).join(' < ');
    stacks.set(key, (stacks.get(key) ?? 0) + 1);
  }
  return [...stacks].sort((a, b) => b[1] - a[1]);
}

const server = await startServer({ bundleDir: dir });
const browser = await launch();
for (let round = 1; round <= rounds; round++) {
  for (const id of ids) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    const url = `${server.origin}/bundles/${id}.js`;
    await page.goto(server.pageFor(id).url, { waitUntil: 'load' });
    await settle(300);
    const cdp = await context.newCDPSession(page);
    const threadMs = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value * 1000;
    await cdp.send('Performance.enable');
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    const before = await threadMs();
    await cdp.send('Profiler.start');
    await page.evaluate(storm, inputs);
    const { profile } = await cdp.send('Profiler.stop');
    const ms = (await threadMs()) - before;
    const { busy, ours: hits } = samplesIn(profile, url);
    const us = (ms * (busy ? hits / busy : 0) * 1000) / count;
    console.log(`\nround ${round}, ${id}: ${us.toFixed(3)} µs per input (${hits} of ${busy} busy samples, ${ms.toFixed(0)} ms of thread time)`);
    for (const [stack, n] of stacksIn(profile, url).slice(0, 8)) console.log(`${String(n).padStart(6)}  ${stack}`);
    await context.close();
  }
}
await browser.close();
await server.close();
