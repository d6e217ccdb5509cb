/**
 * What the rollup triggers cost a write: the same sessions inserted and then replaced at a higher seq
 * (every row a trigger's add and take-away) in a schema migrated up to 005 (float rollups) and up to 006
 * (integer rollups), in SQLite (in /dev/shm where there is one, so the fsync does not drown the triggers)
 * and PostgreSQL, alternating rounds in the same run. Prints µs per written row and the ratio 006 / 005.
 * Run: `npx tsx bench/writes.ts` in collector/ (SM_TEST_DATABASE_URL or DATABASE_URL set).
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { toSessionRow } from '../src/ingest/rows';
import { migrations } from '../src/store/migrations/index';
import { numbered } from '../src/store/postgres';
import * as q from '../src/store/queries/index';
import { session } from '../test/fixtures';

const ROWS = Number(process.env.BENCH_ROWS ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = 100;
const PG_URL = process.env.DATABASE_URL || process.env.SM_TEST_DATABASE_URL;
const LEGACY = q.SESSION_COLUMNS.filter((c) => c !== 'weight_micro' && c !== 'break_total_ms_weighted');

/** Sessions over 30 days, 3 sites, 200 users, sample rates 1, 0.5 and 0.3: rows that spread over many rollup rows. */
function sessions(seq: number) {
  return Array.from({ length: ROWS }, (_, i) => {
    const durationMs = 1000 * ((i * 7919) % 5000) + seq * 60_000;
    return toSessionRow({
      ...session({ startedAt: new Date(Date.UTC(2026, 2, 1 + (i % 30), i % 24)).toISOString(), durationMs, engagedMs: Math.floor(durationMs * 0.6), userId: i % 3 ? `u${i % 200}` : null, sampleRate: [1, 0.5, 0.3][i % 3]! }),
      id: `s${i}`, siteId: `site-${i % 3}`, anonymousId: `a${i}`, seq,
    }, 0);
  });
}

const columnsFor = (version: number) => (version >= 6 ? [...q.SESSION_COLUMNS] : LEGACY);
const valuesFor = (version: number, row: ReturnType<typeof toSessionRow>) => {
  const all = q.sessionValues(row);
  return columnsFor(version).map((c) => all[q.SESSION_COLUMNS.indexOf(c as (typeof q.SESSION_COLUMNS)[number])]);
};
const upsert = (version: number, values: string) => `INSERT INTO sessions (${columnsFor(version).join(', ')}) VALUES ${values} ${q.SESSION_UPSERT_TAIL.replace(/, (weight_micro|break_total_ms_weighted) = excluded\.\w+/g, version >= 6 ? '$&' : '')}`;

function sqliteRound(version: number, dir: string) {
  const db = new Database(join(dir, `v${version}-${Math.random()}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  for (const m of migrations('sqlite').filter((m) => m.version <= version)) db.exec(m.sql);
  const width = columnsFor(version).length;
  const st = db.prepare(upsert(version, `(${Array(width).fill('?').join(', ')})`));
  const write = db.transaction((rows: ReturnType<typeof sessions>) => { for (const r of rows) st.run(...valuesFor(version, r)); });
  const batches = [sessions(1), sessions(2)].flatMap((all) => Array.from({ length: ROWS / BATCH }, (_, i) => all.slice(i * BATCH, (i + 1) * BATCH)));
  const t0 = performance.now();
  for (const b of batches) write(b);
  const us = ((performance.now() - t0) * 1000) / (2 * ROWS);
  db.close();
  return us;
}

async function postgresRound(version: number) {
  const schema = `sm_bench_writes_${process.pid}_${version}`;
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path="${schema}"` });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; CREATE SCHEMA "${schema}"`);
    for (const m of migrations('postgres').filter((m) => m.version <= version)) await client.query(m.sql);
    const width = columnsFor(version).length;
    const t0 = performance.now();
    for (const all of [sessions(1), sessions(2)]) {
      for (let i = 0; i < ROWS; i += BATCH) {
        const part = all.slice(i, i + BATCH);
        const params = part.flatMap((r) => valuesFor(version, r));
        const values = part.map((_, k) => `(${Array.from({ length: width }, () => '?').join(', ')})`).join(', ');
        await client.query('BEGIN');
        await client.query(numbered(upsert(version, values)), params);
        await client.query('COMMIT');
      }
    }
    return ((performance.now() - t0) * 1000) / (2 * ROWS);
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sm-bench-writes-'));
try {
  const results: Record<string, { v5: number[]; v6: number[] }> = { SQLite: { v5: [], v6: [] }, PostgreSQL: { v5: [], v6: [] } };
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of r % 2 ? [6, 5] : [5, 6]) {
      results.SQLite![v === 5 ? 'v5' : 'v6'].push(sqliteRound(v, dir));
      if (PG_URL) results.PostgreSQL![v === 5 ? 'v5' : 'v6'].push(await postgresRound(v));
    }
  }
  for (const [store, { v5, v6 }] of Object.entries(results)) {
    if (v5.length === 0) continue;
    console.log(`${store}: 005 ${median(v5).toFixed(1)} µs/row, 006 ${median(v6).toFixed(1)} µs/row, ratio ${(median(v6) / median(v5)).toFixed(2)} (median of ${ROUNDS}, ${2 * ROWS} writes each)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
