/**
 * The inactive-users part of `npm run bench:collector` alone: loads BENCH_SESSIONS (1,000,000) sessions
 * with bench/load.ts into SQLite and PostgreSQL and times store.inactiveUsers (30-day cutoff, limit 1000,
 * all sites and one site), 1 warm-up then 9 runs each, then checks the rollup against the old query over
 * sessions. Run: `npx tsx bench/inactive.ts` in collector/ (SM_TEST_DATABASE_URL or DATABASE_URL set).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { numbered, openPostgresStore } from '../src/store/postgres';
import * as q from '../src/store/queries/index';
import { direct } from '../test/direct-queries';
import { openSqliteStore } from '../src/store/sqlite';
import type { Store } from '../src/store/types';
import { loadPostgres, loadSqlite } from './load';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1_000_000);
const PG_URL = process.env.DATABASE_URL || process.env.SM_TEST_DATABASE_URL;
if (!PG_URL) {
  console.error('bench: set DATABASE_URL or SM_TEST_DATABASE_URL');
  process.exit(1);
}
const schema = `sm_bench_inactive_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'sm-bench-inactive-'));

/**
 * The loaded rollup answers as the old query over sessions does, at a cutoff late enough to list every
 * user (at the benchmark's 30 days none is inactive): proof that the loader rebuilt site_user.
 */
async function check(name: string, store: Store, run: (query: q.Query) => Promise<Record<string, unknown>[]>) {
  const cutoff = Date.UTC(2026, 0, 1);
  const rollup = await store.inactiveUsers(cutoff, 100_000);
  const scan = (await run(direct.inactiveUsers(cutoff, 100_000))).map(q.map.inactive);
  if (rollup.length === 0 || JSON.stringify(rollup) !== JSON.stringify(scan)) throw new Error(`${name}: the rollup (${rollup.length} users) differs from sessions (${scan.length})`);
  console.log(`${name}: rollup equals sessions for ${rollup.length} users`);
}

async function time(name: string, store: Store) {
  const cutoff = Date.UTC(2025, 11, 1);
  for (const [label, run] of [
    ['all sites', () => store.inactiveUsers(cutoff, 1000)],
    ['site bench', () => store.inactiveUsers(cutoff, 1000, 'bench')],
  ] as Array<[string, () => Promise<unknown[]>]>) {
    const ms: number[] = [];
    let rows = 0;
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      rows = (await run()).length;
      if (i > 0) ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    console.log(JSON.stringify({ store: name, report: `inactive-users (30 days), ${label}`, rows, 'p50 ms': +ms[4]!.toFixed(1), 'max ms': +ms[8]!.toFixed(1) }));
  }
}

try {
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  const file = join(dir, 'session-metrics.db');
  let s: Store = openSqliteStore({ file });
  await s.migrate();
  await s.close();
  let t0 = Date.now();
  loadSqlite(file, SESSIONS);
  console.log(`SQLite loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  s = openSqliteStore({ file });
  await time('SQLite', s);
  const db = new Database(file, { readonly: true });
  await check('SQLite', s, async (query) => db.prepare(query.sql).all(...query.params) as Record<string, unknown>[]);
  db.close();
  await s.close();

  s = await openPostgresStore({ url: PG_URL, schema });
  await s.migrate();
  await s.close();
  t0 = Date.now();
  await loadPostgres(PG_URL, schema, SESSIONS);
  console.log(`PostgreSQL loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  s = await openPostgresStore({ url: PG_URL, schema });
  await time('PostgreSQL', s);
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path="${schema}"` });
  await client.connect();
  await check('PostgreSQL', s, async (query) => (await client.query(numbered(query.sql), query.params)).rows as Record<string, unknown>[]);
  await client.end();
  await s.close();
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
}
