/**
 * `npm run bench:collector`: in one run on this machine,
 *  1. ingest over HTTP (bench/ingest.ts: one SDK snapshot of three pages per request) at 10 and 100
 *     connections, for a bare Fastify route answering 204 (the ceiling), the SQLite and the PostgreSQL
 *     store, BENCH_ROUNDS (3) rounds interleaved; each store's requests/s as a share of the bare route's
 *     in the same round, median over rounds;
 *  2. the bulk load of BENCH_SESSIONS (1,000,000) sessions (a year, 20,000 users, 3 pages and the raw
 *     record each; bench/load.ts) into each store: sessions per second and the size per million sessions;
 *  3. every report over HTTP over those sessions (bench/reports.ts), p50 and p95.
 * PostgreSQL comes from DATABASE_URL, else SM_TEST_DATABASE_URL; a missing one is an error.
 * Options: BENCH_SECONDS (10 per ingest measurement), BENCH_ONLY (ingest | reports), BENCH_STORES (SQLite,PostgreSQL). A full run writes its
 * tables into BENCHMARKS.md (between the collector markers) with the machine's load.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { COLLECTOR_END, COLLECTOR_START, withCollectorSection } from '../../test/bench/section.mjs';
import { openPostgresStore } from '../src/store/postgres';
import { openSqliteStore } from '../src/store/sqlite';
import { loadIngest, type IngestRow } from './ingest';
import { loadPostgres, loadSqlite, PAGES_PER_SESSION, USERS } from './load';
import { timeReports } from './reports';
import { postgresBytes, sqliteBytes } from './size';
import { startTarget, stopTarget } from './spawn';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = [10, 100];
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1_000_000);
const ONLY = process.env.BENCH_ONLY;
/** BENCH_STORES (SQLite,PostgreSQL): the stores bulk-loaded and whose reports are timed. */
const STORES = (process.env.BENCH_STORES ?? 'SQLite,PostgreSQL').split(',').map((s) => {
  if (s !== 'SQLite' && s !== 'PostgreSQL') throw new Error(`BENCH_STORES: '${s}' is neither SQLite nor PostgreSQL`);
  return s;
});
const PG_URL = process.env.DATABASE_URL || process.env.SM_TEST_DATABASE_URL;
if (!PG_URL) {
  console.error('bench: set DATABASE_URL or SM_TEST_DATABASE_URL to a PostgreSQL database the benchmark may write to');
  process.exit(1);
}
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const load = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(', ')} (1, 5, 15 min) on ${cpus().length} cores`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function dropSchema(schema: string) {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

const dir = mkdtempSync(join(tmpdir(), 'sm-bench-'));
const schemas: string[] = [];
const cleanUp = async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const s of schemas) await dropSchema(s).catch(() => {});
};
process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));

/** One target measured at `connections` with fresh storage. */
async function measure(kind: 'bare' | 'sqlite' | 'postgres', connections: number, round: number): Promise<IngestRow> {
  const schema = `sm_bench_ingest_${process.pid}_${connections}_${round}`;
  const env: Record<string, string> = kind === 'bare' ? { BENCH_TARGET: 'bare' }
    : kind === 'sqlite' ? { BENCH_TARGET: 'collector', SM_DATA_DIR: join(dir, `ingest-${connections}-${round}`) }
    : { BENCH_TARGET: 'collector', DATABASE_URL: PG_URL!, SM_DATABASE_SCHEMA: schema };
  if (kind === 'postgres') schemas.push(schema);
  const target = await startTarget(env);
  try {
    return await loadIngest(kind, target.url, connections, SECONDS);
  } finally {
    await stopTarget(target);
  }
}

async function ingest() {
  const rows = [];
  for (const connections of CONNECTIONS) {
    const byStore = new Map<string, Array<IngestRow & { ratio: number }>>();
    for (let round = 1; round <= ROUNDS; round++) {
      const bare = await measure('bare', connections, round);
      for (const kind of ['sqlite', 'postgres'] as const) {
        const r = await measure(kind, connections, round);
        const row = { ...r, ratio: r['requests/s'] / bare['requests/s'] };
        log(`${connections} connections, round ${round}: ${kind} ${r['requests/s']} req/s = ${Math.round(100 * row.ratio)} % of bare ${bare['requests/s']}, p99 ${r['p99 ms']} ms, non-2xx ${r['non-2xx']}`);
        byStore.set(kind, [...(byStore.get(kind) ?? []), row]);
      }
      byStore.set('bare', [...(byStore.get('bare') ?? []), { ...bare, ratio: 1 }]);
    }
    for (const kind of ['bare', 'sqlite', 'postgres']) {
      const runs = byStore.get(kind)!;
      rows.push({
        target: kind === 'bare' ? 'bare Fastify 204' : kind === 'sqlite' ? 'collector, SQLite' : 'collector, PostgreSQL',
        connections,
        'requests/s': median(runs.map((r) => r['requests/s'])),
        '% of bare (same round)': Math.round(100 * median(runs.map((r) => r.ratio))),
        'p50 ms': median(runs.map((r) => r['p50 ms'])),
        'p99 ms': median(runs.map((r) => r['p99 ms'])),
        'non-2xx': runs.reduce((a, r) => a + r['non-2xx'], 0),
      });
    }
  }
  return rows;
}

async function bulkAndReports() {
  const loads = [];
  const reports = [];
  const sqliteFile = join(dir, 'query', 'session-metrics.db');
  const querySchema = `sm_bench_query_${process.pid}`;
  schemas.push(querySchema);
  for (const kind of STORES) {
    log(`loading ${SESSIONS.toLocaleString('en')} sessions into ${kind}`);
    const store = kind === 'SQLite' ? openSqliteStore({ file: sqliteFile }) : await openPostgresStore({ url: PG_URL!, schema: querySchema });
    await store.migrate();
    await store.close();
    const t0 = performance.now();
    if (kind === 'SQLite') loadSqlite(sqliteFile, SESSIONS);
    else await loadPostgres(PG_URL!, querySchema, SESSIONS);
    const seconds = (performance.now() - t0) / 1000;
    const bytes = kind === 'SQLite' ? sqliteBytes(sqliteFile) : await postgresBytes(PG_URL!, querySchema);
    const row = { store: kind, sessions: SESSIONS, 'load s': Math.round(seconds * 10) / 10, 'sessions/s': Math.round(SESSIONS / seconds), 'MB per million sessions': Math.round(bytes / 1e6 / (SESSIONS / 1e6)) };
    log(JSON.stringify(row));
    loads.push(row);
    const target = await startTarget(kind === 'SQLite'
      ? { BENCH_TARGET: 'collector', SM_DATA_DIR: join(dir, 'query') }
      : { BENCH_TARGET: 'collector', DATABASE_URL: PG_URL!, SM_DATABASE_SCHEMA: querySchema });
    try {
      const rows = await timeReports(kind, target.url);
      for (const r of rows) log(JSON.stringify(r));
      reports.push(...rows);
    } finally {
      await stopTarget(target);
    }
  }
  return { loads, reports };
}

function table(rows: Array<Record<string, unknown>>): string {
  const cols = Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en') : String(v));
  return [`| ${cols.join(' | ')} |`, `| ${cols.map((c, i) => (i === 0 || typeof rows[0]![c] !== 'number' ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(' | ')} |`)].join('\n');
}

const started = Date.now();
try {
  const loadStart = load();
  log(loadStart);
  const ingestRows = ONLY === 'reports' ? [] : await ingest();
  const loadAfterIngest = load();
  const { loads, reports } = ONLY === 'ingest' ? { loads: [], reports: [] } : await bulkAndReports();
  const loadEnd = load();
  const parts = [
    COLLECTOR_START,
    '## Collector',
    '',
    `Generated by \`npm run bench:collector\` on ${new Date().toISOString().slice(0, 19)}Z in ${Math.round((Date.now() - started) / 1000)} s, Node ${process.versions.node}.`,
    `Machine: ${load().split(' on ')[1]}, shared with other work: ${loadStart} at the start, ${loadAfterIngest} after ingest, ${loadEnd} at the end.`,
    'Absolute figures move with that load; the ratios to the bare route, measured in the same round, are what count.',
  ];
  if (ingestRows.length) {
    parts.push('', `### Ingest: POST /collect, one SDK snapshot of three pages per request (${SECONDS} s per measurement, median of ${ROUNDS} interleaved rounds)`, '', table(ingestRows));
  }
  if (loads.length) {
    parts.push('', `### Bulk load: ${SESSIONS.toLocaleString('en')} sessions (a year, ${USERS.toLocaleString('en')} users, ${PAGES_PER_SESSION} pages and the raw record each), rollups rebuilt, statistics updated`, '', table(loads));
    parts.push('', '### Reports over HTTP over those sessions (request to parsed answer)', '', table(reports));
  }
  parts.push(COLLECTOR_END);
  const section = parts.join('\n');
  console.log(`\n${section}`);
  if (!ONLY && !process.env.BENCH_STORES && SESSIONS >= 1_000_000) {
    const file = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));
    writeFileSync(file, withCollectorSection(readFileSync(file, 'utf8'), section));
    log('BENCHMARKS.md updated');
  }
} finally {
  await cleanUp();
}
