/**
 * `npm run bench:profile -w collector`: where an ingest request's time goes. Runs the collector target
 * under `node --cpu-prof` (V8's sampling profiler, 100 µs), loads it with bench/ingest.ts at
 * BENCH_CONNECTIONS (10,100) for BENCH_SECONDS (10) each, and prints, per connection count, the share
 * of the target's wall time spent in each stage (bench/profile-stages.ts), for the main thread and,
 * with SQLite, the writer thread. Blocked time (an fsync inside a synchronous commit) is sampled too: V8 samples wall time.
 * BENCH_STORE=sqlite (default) or postgres (SM_TEST_DATABASE_URL or DATABASE_URL). BENCH_PROFILE_DIR keeps
 * the .cpuprofile files there (for Chrome DevTools) instead of deleting them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadIngest } from './ingest';
import { startTarget, stopTarget } from './spawn';
import { summarize, WINDOW, type CpuProfile } from './profile-stages';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10,100').split(',').map(Number);
const STORE = process.env.BENCH_STORE ?? 'sqlite';
const PG_URL = process.env.DATABASE_URL || process.env.SM_TEST_DATABASE_URL;
if (STORE === 'postgres' && !PG_URL) throw new Error('BENCH_STORE=postgres needs SM_TEST_DATABASE_URL or DATABASE_URL');

const dir = mkdtempSync(join(tmpdir(), 'sm-profile-'));
const schema = `sm_bench_profile_${process.pid}`;
try {
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores; store ${STORE}`);
  for (const connections of CONNECTIONS) {
    const profDir = join(process.env.BENCH_PROFILE_DIR ?? dir, `${STORE}-${connections}`);
    const env: Record<string, string> = STORE === 'postgres'
      ? { BENCH_TARGET: 'collector', DATABASE_URL: PG_URL!, SM_DATABASE_SCHEMA: `${schema}_${connections}` }
      : { BENCH_TARGET: 'collector', SM_DATA_DIR: join(dir, `data-${connections}`) };
    const target = await startTarget(env, ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', profDir]);
    let row;
    try {
      row = await loadIngest(STORE, target.url, connections, SECONDS);
    } finally {
      await stopTarget(target);
    }
    // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread; the SQLite
    // store's writer thread is another (tsx's loader thread, with nothing of ours, is skipped).
    const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
    const requests = row['requests/s'] * (SECONDS + 2);
    console.log(`\n## ${STORE}, ${connections} connections: ${row['requests/s']} requests/s, p50 ${row['p50 ms']} ms, p99 ${row['p99 ms']} ms`);
    for (const file of files) {
      const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as CpuProfile;
      const main = /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(file);
      const rows = summarize(profile, requests, main ? WINDOW.main : WINDOW.writer);
      if (rows.length === 0) continue;
      console.log(main ? 'main thread (HTTP)' : 'writer thread');
      console.table(rows);
    }
  }
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (STORE === 'postgres') {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    for (const n of CONNECTIONS) await c.query(`DROP SCHEMA IF EXISTS "${schema}_${n}" CASCADE`);
    await c.end();
  }
}
