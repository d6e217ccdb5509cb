// `npm run bench`: session-metrics against the trackers people use today, side by side, in one run.
// Builds the SDK, bundles every tracker the same way, then measures size, main-thread cost,
// accuracy and delivery in real Chromium against a local receiver, and writes BENCHMARKS.md.
//
//   npm run bench                  the full run (6 min 20 s on two cores shared with other work)
//   npm run bench -- --quick       one run of everything, to check the harness (not for publishing)
//   npm run bench -- --no-build    measure dist/ as it is
//   npm run bench -- --report results.json   rewrite BENCHMARKS.md from a run's raw figures
//   npm run bench -- --cost-only   only the main-thread cost: prints µs per input, writes nothing
//   npm run bench -- --cost-only --scale 4 --runs 9   a storm 4 times as long (4 times the profiler
//                                  samples to rest on), 9 rounds
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rollup } from 'rollup';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAll, sizeOfFile } from './bundle.mjs';
import { launch } from './browser.mjs';
import { startServer } from './server.mjs';
import { measureCost, STORM } from './cost.mjs';
import { runScenario, runDelivery } from './accuracy.mjs';
import { scenarios, groundTruthMs } from './scenarios.mjs';
import { trackers, IDLE_SECONDS } from './trackers.mjs';
import { render } from './report.mjs';
import { median } from './stats.mjs';
import { NOTES } from './notes.mjs';
import { collectorSection, withCollectorSection } from './section.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The SDK's tables, followed by the collector's block of the current BENCHMARKS.md (npm run bench:collector writes it). */
function keepingCollector(markdown) {
  let current = '';
  try {
    current = readFileSync(resolve(root, 'BENCHMARKS.md'), 'utf8');
  } catch {}
  const block = collectorSection(current);
  return block ? withCollectorSection(markdown, block) : markdown;
}

const reportFrom = process.argv[process.argv.indexOf('--report') + 1];
if (process.argv.includes('--report')) {
  const m = JSON.parse(readFileSync(reportFrom, 'utf8'));
  m.trackers = trackers; // functions do not survive JSON
  m.notes = NOTES;
  writeFileSync(resolve(root, 'BENCHMARKS.md'), keepingCollector(render(m)));
  console.log('BENCHMARKS.md rewritten from', reportFrom);
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const option = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const runs = { cost: option('--runs', quick ? 1 : 5), accuracy: quick ? 1 : 2, delivery: quick ? 2 : 4 };
const scale = option('--scale', 1);
const inputs = { ...STORM, pointerMoves: STORM.pointerMoves * scale, wheels: STORM.wheels * scale, keys: STORM.keys * scale };
const stormEvents = inputs.pointerMoves + inputs.wheels + inputs.keys;
const started = Date.now();
const loadAtStart = loadavg()[0];
const log = (...args) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s]`, ...args);

if (!process.argv.includes('--no-build')) {
  // The project's own rollup.config.mjs, minus the type declarations nobody measures.
  log('building the SDK (rollup.config.mjs, without .d.ts)');
  process.chdir(root);
  const configs = (await import(resolve(root, 'rollup.config.mjs'))).default;
  for (const config of configs.filter((c) => !c.plugins.some((p) => p.name === 'dts'))) {
    const build = await rollup({ ...config, onwarn: () => {} });
    for (const output of [config.output].flat()) await build.write(output);
    await build.close();
  }
}

log('bundling every tracker');
const bundleDir = mkdtempSync(join(tmpdir(), 'sm-bench-'));
const sizes = await bundleAll(trackers, bundleDir, join(root, 'node_modules/.cache/session-metrics-bench'));
const scriptTag = await sizeOfFile(join(root, 'dist/session-metrics.min.js'));

const server = await startServer({ bundleDir });
const browser = await launch();
const measured = trackers.filter((t) => t.id !== 'none');

// Main-thread cost: sequential (parallel pages would share the cores), interleaved so that a busy
// moment of the machine hits every tracker alike, the no-tracker floor included.
const cost = Object.fromEntries(trackers.map((t) => [t.id, []]));
for (let round = 0; round < runs.cost; round++) {
  log(`main-thread cost, round ${round + 1} of ${runs.cost}`);
  const order = trackers.map((_, i) => trackers[(i + round) % trackers.length]);
  for (const t of order) cost[t.id].push(await measureCost(browser, server, t.id === 'none' ? null : t.id, inputs));
}

if (process.argv.includes('--cost-only')) {
  // The hot path's figure alone (the storm's CPU time in each tracker, per input), against TimeMe.js
  // (issue 11's bar) and session-metrics, medians over the rounds, with the profiler samples it rests on.
  const perInput = (id) => (median(cost[id].map((r) => r.stormMs)) * 1000) / stormEvents;
  const ratio = (id, of) => (perInput(of) ? (perInput(id) / perInput(of)).toFixed(2) : 'n/a');
  log(`storm of ${stormEvents} inputs, ${runs.cost} rounds, load ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} now`);
  for (const t of measured) {
    const samples = median(cost[t.id].map((r) => r.stormSamples));
    log(`${t.id}: ${perInput(t.id).toFixed(3)} µs per input, ${ratio(t.id, 'timeme')} × TimeMe.js, ${ratio(t.id, 'session-metrics')} × session-metrics (median ${samples} samples in its code)`);
  }
  const rounds = cost['session-metrics'].map((r, i) => (r.stormMs / cost.timeme[i].stormMs).toFixed(2));
  log(`session-metrics / TimeMe.js, round by round: ${rounds.join(' ')}`);
  await browser.close();
  await server.close();
  process.exit(0);
}

// Accuracy: every run of one scenario, for every tracker, side by side, each in its own context
// and clock (the clock is scripted, so the runs do not disturb each other's figures).
const accuracy = {};
for (const t of measured) if (t.engagedMs) accuracy[t.id] = Object.fromEntries(scenarios.map((s) => [s.id, []]));
for (const s of scenarios) {
  log(`accuracy: ${s.id}, ${runs.accuracy} runs per tracker`);
  const jobs = Object.keys(accuracy).flatMap((id) => Array.from({ length: runs.accuracy }, () => id));
  await Promise.all(
    jobs.map(async (id) => {
      const t = trackers.find((x) => x.id === id);
      try {
        accuracy[id][s.id].push(await runScenario(browser, server, t, s, IDLE_SECONDS));
      } catch (error) {
        console.error(`  ${id} / ${s.id} failed: ${error.message.split('\n')[0]}`);
        accuracy[id][s.id].push(NaN);
      }
    }),
  );
}

// Delivery: four sessions at a time per tracker, first with the receiver up, then down at close.
const delivery = {};
const deliveryDown = {};
for (const t of measured.filter((x) => x.delivered)) {
  for (const [label, receiverDown, out] of [['receiver up', false, delivery], ['receiver down at close', true, deliveryDown]]) {
    log(`delivery: ${t.id}, ${label}`);
    out[t.id] = [];
    for (let done = 0; done < runs.delivery; done += 4) {
      const batch = Array.from({ length: Math.min(4, runs.delivery - done) }, () =>
        runDelivery(browser, server, t, IDLE_SECONDS, { receiverDown }).catch((error) => {
          console.error(`  ${t.id} delivery run failed: ${error.message.split('\n')[0]}`);
          return false;
        }),
      );
      out[t.id].push(...(await Promise.all(batch)));
    }
  }
}

const chromium = browser.version();
await browser.close();
await server.close();

const m = {
  meta: {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    wallSeconds: Math.round((Date.now() - started) / 1000),
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${process.platform}`,
    chromium,
    node: process.versions.node,
    load: [loadAtStart, loadavg()[0]].map((x) => x.toFixed(1)).join(' at the start, '),
    idleSeconds: IDLE_SECONDS,
    costRuns: runs.cost,
    accuracyRuns: runs.accuracy,
    deliverySessions: runs.delivery,
  },
  trackers,
  sizes,
  scriptTag,
  cost,
  stormEvents,
  accuracy,
  scenarios: scenarios.map((s) => ({ id: s.id, title: s.title, truthMs: groundTruthMs(s.steps, IDLE_SECONDS) })),
  delivery,
  deliveryDown,
  notes: NOTES,
};
writeFileSync(join(bundleDir, 'results.json'), JSON.stringify(m, null, 2));
const markdown = render(m);
writeFileSync(quick ? join(bundleDir, 'BENCHMARKS.md') : resolve(root, 'BENCHMARKS.md'), quick ? markdown : keepingCollector(markdown));
console.log(`\n${markdown}`);
log(`done: ${quick ? `quick run, tables in ${join(bundleDir, 'BENCHMARKS.md')}` : 'BENCHMARKS.md written'} (raw figures: ${join(bundleDir, 'results.json')})`);
