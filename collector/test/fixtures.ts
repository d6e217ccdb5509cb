/**
 * Records as the SDK sends them, and a fresh store per test: SQLite in a temporary directory, or
 * PostgreSQL in a schema of its own (SM_TEST_DATABASE_URL; missing is a failure, not a skip).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertRecord, SessionRecord } from '../../src/core/records';
import { openSqliteStore } from '../src/store/sqlite';
import { openPostgresStore } from '../src/store/postgres';
import type { Store } from '../src/store/types';
import { numbered } from '../src/store/postgres';
import type { Query } from '../src/store/queries/index';
import Database from 'better-sqlite3';
import type { Relays } from '../src/relays/config';
import type { Webhooks } from '../src/webhooks/config';

export const TOKEN = 'test-token-0123456789abcdef';

let n = 0;

/** A consistent session snapshot; durations in ms, times derived from startedAt. */
export function session(over: Partial<SessionRecord> & { durationMs?: number } = {}): SessionRecord {
  n++;
  const startedAt = over.startedAt ?? '2026-03-10T10:00:00.000Z';
  const durationMs = over.durationMs ?? 120_000;
  const engagedMs = over.engagedMs ?? Math.min(durationMs, 90_000);
  const lastActiveAt = over.lastActiveAt ?? new Date(Date.parse(startedAt) + durationMs).toISOString();
  const gap = durationMs - engagedMs;
  return {
    v: 1,
    type: 'session',
    siteId: 'site-a',
    id: `s-${n}`,
    seq: 1,
    userId: null,
    anonymousId: `anon-${n}`,
    startedAt,
    lastActiveAt,
    durationMs,
    engagedMs,
    breaks: { count: gap > 0 ? 1 : 0, totalMs: gap, longestMs: gap, histogram: { '<30s': gap > 0 && gap < 30_000 ? 1 : 0, '30s-2m': gap >= 30_000 && gap < 120_000 ? 1 : 0, '2m-10m': gap >= 120_000 && gap < 600_000 ? 1 : 0, '>=10m': gap >= 600_000 ? 1 : 0 } },
    pages: [{ path: '/lesson/1', views: 1, engagedMs, firstSeenAt: startedAt, lastSeenAt: lastActiveAt, band: null }],
    band: engagedMs >= 300_000 ? 'engaged' : engagedMs >= 30_000 ? 'casual' : null,
    sampleRate: 1,
    final: false,
    ...over,
  };
}

export function alert(over: Partial<AlertRecord> = {}): AlertRecord {
  return { v: 1, type: 'alert', siteId: 'site-a', sessionId: 's-1', threshold: 'casual', direction: 'above', at: '2026-03-10T10:00:30.000Z', engagedMs: 30_000, ...over };
}

export interface TestStore {
  store: Store;
  /** Runs a report query (store/queries/) on a connection of its own, e.g. the direct forms of the rolled-up reports. */
  raw(query: Query): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

export async function sqliteStore(opts: { webhooks?: Webhooks; relays?: Relays } = {}): Promise<TestStore & { file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sm-collector-'));
  const file = join(dir, 'sessions.db');
  const store = openSqliteStore({ file, ...opts });
  await store.migrate();
  const raw = async (query: Query) => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare(query.sql).all(...query.params) as Record<string, unknown>[];
    } finally {
      db.close();
    }
  };
  return { store, file, raw, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export function databaseUrl(): string {
  const url = process.env.SM_TEST_DATABASE_URL;
  if (!url) throw new Error('SM_TEST_DATABASE_URL is not set: the PostgreSQL store is tested against a real server (npm test starts one)');
  return url;
}

export async function postgresStore(opts: { webhooks?: Webhooks; relays?: Relays } = {}): Promise<TestStore & { schema: string }> {
  const schema = `sm_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const store = await openPostgresStore({ url: databaseUrl(), schema, ...opts });
  await store.migrate();
  const raw = async (query: Query) => {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: databaseUrl(), options: `-c search_path="${schema}"` });
    await client.connect();
    try {
      return (await client.query(numbered(query.sql), query.params)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  return {
    store,
    schema,
    raw,
    dispose: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
}

export async function dropSchema(schema: string) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
