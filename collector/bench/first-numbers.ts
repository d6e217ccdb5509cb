/**
 * `npm run bench:dashboard -w collector`: the dashboard's time to first numbers over 100,000 sessions.
 * A year of generated sessions (bench/load.ts) in SQLite behind the real collector (`build()`), the built
 * dashboard opened in real Chromium; "first numbers" is the `sm:first-numbers` User Timing mark, set when
 * the headline figures are painted, read as milliseconds since navigation start. In the same run, as
 * baselines: the same page over an empty database (the page's own cost) and the summary report alone
 * (the server's cost). Each is the median of RUNS fresh browser contexts. Target: under 1 s here.
 * SM_BENCH_COMPARE=<a built dashboard's dist directory> measures that build too, over the same database,
 * its runs taking turns with this one's, so that a change is compared at the same machine load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunch } from '../../test/playwright.config';
import { build } from '../src/app';
import { openSqliteStore } from '../src/store/sqlite';
import { loadSqlite, YEAR_START } from './load';
import { ensureDashboardBuilt } from '../test/e2e/collector';

const SESSIONS = Number(process.env.SM_BENCH_SESSIONS ?? 100_000);
const RUNS = Number(process.env.SM_BENCH_RUNS ?? 7);
const TOKEN = 'bench-token-0123456789abcdef';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const COMPARE = process.env.SM_BENCH_COMPARE;

async function serve(file: string, dashboard?: string) {
  const store = openSqliteStore({ file });
  await store.migrate();
  const app = await build({ store, token: TOKEN, rateLimit: false, ...(dashboard ? { static: { dashboard } } : {}) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: async () => { await app.close(); await store.close(); } };
}

/** The first-numbers times of each of `urls`, their runs taking turns. */
async function firstNumbers(urls: string[], query: string): Promise<number[][]> {
  const browser = await chromium.launch(chromiumLaunch);
  const times: number[][] = urls.map(() => []);
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const [u, url] of urls.entries()) {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        await page.goto(`${url}/dashboard/?${query}#token=${TOKEN}`);
        const at = await page.waitForFunction(() => performance.getEntriesByName('sm:first-numbers')[0]?.startTime, null, { timeout: 30_000 });
        times[u]!.push(Number(await at.jsonValue()));
        // Let the page's other reports finish: the next run (or the server baseline) must not queue behind them.
        await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', timeout: 60_000 });
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return times;
}

async function summaryAlone(url: string, query: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const response = await fetch(`${url}/api/reports/summary?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await response.json();
    times.push(performance.now() - t0);
  }
  return times;
}

await ensureDashboardBuilt();
const dir = mkdtempSync(join(tmpdir(), 'sm-bench-dashboard-'));
try {
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  const full = join(dir, 'full.db');
  const empty = join(dir, 'empty.db');
  for (const file of [full, empty]) {
    const s = openSqliteStore({ file });
    await s.migrate();
    await s.close();
  }
  const t0 = Date.now();
  loadSqlite(full, SESSIONS);
  console.log(`SQLite: ${SESSIONS.toLocaleString('en')} sessions loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // The year the loader fills, as a person would open it.
  const query = `start=${day(YEAR_START)}&end=${day(YEAR_START + 364 * 86_400_000)}`;
  const a = await serve(full);
  const b = await serve(empty);
  const c = COMPARE ? await serve(full, COMPARE) : undefined;
  try {
    const [loaded, other] = await firstNumbers(c ? [a.url, c.url] : [a.url], query);
    const [bare] = await firstNumbers([b.url], query);
    const server = await summaryAlone(a.url, query);
    const m = median(loaded!);
    console.log(`time to first numbers, ${SESSIONS.toLocaleString('en')} sessions, a year: median ${m.toFixed(0)} ms (runs: ${loaded!.map((t) => t.toFixed(0)).join(', ')})`);
    console.log(`  baseline, empty database: median ${median(bare!).toFixed(0)} ms; ratio ${(m / median(bare!)).toFixed(2)}x`);
    console.log(`  baseline, the summary report alone (server): median ${median(server).toFixed(1)} ms`);
    console.log(`  target under 1000 ms: ${m < 1000 ? 'met' : 'NOT met'}`);
    if (other) console.log(`  compared with ${COMPARE}, runs taking turns: median ${median(other).toFixed(0)} ms (runs: ${other.map((t) => t.toFixed(0)).join(', ')})`);
    console.log(`load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    await a.close();
    await b.close();
    await c?.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
