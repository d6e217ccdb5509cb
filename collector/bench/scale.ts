/**
 * `npm run bench:scale -w collector`: the same BENCH_SCALE_SESSIONS (10,000,000) sessions (a year,
 * 20,000 users, 3 pages and the raw record each, bench/load.ts) loaded into PostgreSQL and into
 * ClickHouse in one run, and for each: the bulk-load rate, the size on disk per million sessions,
 * ingest over HTTP (one SDK snapshot per request, at 10 connections, against a bare Fastify route
 * measured in the same run), and every report's latency over HTTP (bench/reports.ts). The machine's
 * load average is printed beside each figure. PostgreSQL from DATABASE_URL or SM_TEST_DATABASE_URL,
 * ClickHouse from SM_CLICKHOUSE_URL or SM_TEST_CLICKHOUSE_URL; a missing one is an error.
 * Options: BENCH_SCALE_SESSIONS, BENCH_SECONDS (10), BENCH_ONLY (postgres | clickhouse).
 */
import { loadavg } from 'node:os';
import pg from 'pg';
import { openClickHouseStore } from '../src/store/clickhouse';
import { clickHouseHttp } from '../src/store/clickhouse/http';
import { openPostgresStore } from '../src/store/postgres';
import { loadIngest } from './ingest';
import { loadPostgres } from './load';
import { clickhouseBytes, loadClickHouse } from './load-clickhouse';
import { timeReports } from './reports';
import { postgresBytes } from './size';
import { startTarget, stopTarget } from './spawn';

const N = Number(process.env.BENCH_SCALE_SESSIONS ?? 10_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ONLY = process.env.BENCH_ONLY;
const PG_URL = process.env.DATABASE_URL || process.env.SM_TEST_DATABASE_URL;
const CH_URL = process.env.SM_CLICKHOUSE_URL || process.env.SM_TEST_CLICKHOUSE_URL;
if (!PG_URL || !CH_URL) {
  console.error('bench:scale: set DATABASE_URL (or SM_TEST_DATABASE_URL) and SM_CLICKHOUSE_URL (or SM_TEST_CLICKHOUSE_URL); npm test starts both');
  process.exit(1);
}
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const log = (msg: string) => console.log(`[scale ${new Date().toISOString().slice(11, 19)} load ${load()}] ${msg}`);

interface StoreRun {
  name: string;
  /** Opens an empty store, migrated. */
  create(): Promise<void>;
  bulk(): Promise<void>;
  bytes(): Promise<number>;
  env: Record<string, string>;
  drop(): Promise<void>;
}

const schema = `sm_scale_${process.pid}`;
const database = `sm_scale_${process.pid}`;
const runs: StoreRun[] = [
  {
    name: 'PostgreSQL',
    async create() {
      const store = await openPostgresStore({ url: PG_URL, schema });
      await store.migrate();
      await store.close();
    },
    bulk: () => loadPostgres(PG_URL, schema, N),
    bytes: () => postgresBytes(PG_URL, schema),
    env: { BENCH_TARGET: 'collector', DATABASE_URL: PG_URL, SM_DATABASE_SCHEMA: schema },
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  },
  {
    name: 'ClickHouse',
    async create() {
      const store = await openClickHouseStore({ url: CH_URL, database });
      await store.migrate();
      await store.close();
    },
    async bulk() {
      await loadClickHouse(CH_URL, database, N);
      // Merged as a long-running server would have merged them by now: reports read fewer parts.
      await clickHouseHttp({ url: CH_URL, database, timeoutMs: 3_600_000 }).exec('OPTIMIZE TABLE sessions FINAL');
    },
    bytes: () => clickhouseBytes(CH_URL, database),
    env: { BENCH_TARGET: 'collector', DATABASE_URL: '', SM_CLICKHOUSE_URL: CH_URL, SM_CLICKHOUSE_DATABASE: database },
    // Long: a report the collector gave up on may still be running on the server.
    drop: () => clickHouseHttp({ url: CH_URL, database: 'default', timeoutMs: 600_000 }).exec(`DROP DATABASE IF EXISTS ${database}`),
  },
];

const results: Array<Record<string, unknown>> = [];
const reportRows: Array<Record<string, unknown>> = [];
const bare = await startTarget({ BENCH_TARGET: 'bare' });
const ceiling = await loadIngest('bare Fastify route', bare.url, 10, SECONDS);
await stopTarget(bare);
log(`ceiling: ${JSON.stringify(ceiling)}`);
for (const run of runs.filter((r) => !ONLY || r.name.toLowerCase() === ONLY)) {
  try {
    await run.drop();
    await run.create();
    const t0 = performance.now();
    await run.bulk();
    const seconds = (performance.now() - t0) / 1000;
    const bytes = await run.bytes();
    log(`${run.name}: ${N} sessions loaded in ${seconds.toFixed(1)} s, ${(bytes / 2 ** 20).toFixed(0)} MiB`);
    const target = await startTarget(run.env);
    try {
      reportRows.push(...(await timeReports(run.name, target.url)));
      const ingest = await loadIngest(run.name, target.url, 10, SECONDS);
      log(`${run.name}: ingest ${JSON.stringify(ingest)}`);
      results.push({
        store: run.name, sessions: N, 'load s': Math.round(seconds), 'load sessions/s': Math.round(N / seconds),
        'MiB per million sessions': Math.round(bytes / 2 ** 20 / (N / 1e6)), 'ingest req/s (10 conn.)': ingest['requests/s'],
        'share of bare route': `${Math.round((100 * ingest['requests/s']) / ceiling['requests/s'])} %`, 'ingest p99 ms': ingest['p99 ms'], 'load average': load(),
      });
    } finally {
      await stopTarget(target);
    }
  } catch (e) {
    log(`${run.name}: failed: ${(e as Error).stack ?? e}`);
    process.exitCode = 1;
  } finally {
    // A drop that fails (a server the run brought down) must not take the tables of the stores measured with it.
    await run.drop().catch((e) => log(`${run.name}: could not drop the bench data: ${(e as Error).message}`));
  }
}
console.log('\n## Scale: %s sessions\n', N.toLocaleString('en'));
console.table(results);
console.table(reportRows);
