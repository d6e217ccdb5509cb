/**
 * Which store a collector process opens, from its environment: ClickHouse when SM_CLICKHOUSE_URL is
 * set, PostgreSQL when DATABASE_URL is, else the embedded SQLite file in the data directory. One place,
 * shared by the server and the benchmark's target, so they cannot disagree.
 */
import { join } from 'node:path';
import { openClickHouseStore } from './clickhouse';
import { openPostgresStore } from './postgres';
import { DATABASE_FILE } from '../data-dir';
import { openSqliteStore } from './sqlite';
import type { Store } from './types';
import type { Webhooks } from '../webhooks/config';
import type { Relays } from '../relays/config';

export interface StoreEnv {
  SM_CLICKHOUSE_URL?: string | undefined;
  SM_CLICKHOUSE_DATABASE?: string | undefined;
  SM_CLICKHOUSE_CLUSTER?: string | undefined;
  SM_CLICKHOUSE_QUERY_MEMORY?: string | undefined;
  DATABASE_URL?: string | undefined;
  SM_DATABASE_SCHEMA?: string | undefined;
}

/** Says which store the environment selects, or why it selects none (two databases named at once). */
export function storeKind(env: StoreEnv): 'clickhouse' | 'postgres' | 'sqlite' {
  if (env.SM_CLICKHOUSE_URL && env.DATABASE_URL) throw new Error('set SM_CLICKHOUSE_URL or DATABASE_URL, not both: a collector writes to one store');
  if (env.SM_CLICKHOUSE_CLUSTER && !env.SM_CLICKHOUSE_URL) throw new Error('SM_CLICKHOUSE_CLUSTER needs SM_CLICKHOUSE_URL (the HTTP interface of one of the cluster\'s servers)');
  if (env.SM_CLICKHOUSE_URL) {
    let url: URL;
    try {
      url = new URL(env.SM_CLICKHOUSE_URL);
    } catch {
      throw new Error(`SM_CLICKHOUSE_URL must be the HTTP interface's URL, e.g. http://127.0.0.1:8123, got ${JSON.stringify(env.SM_CLICKHOUSE_URL)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`SM_CLICKHOUSE_URL must be an http(s) URL, got ${JSON.stringify(env.SM_CLICKHOUSE_URL)}`);
    queryMemory(env);
    return 'clickhouse';
  }
  return env.DATABASE_URL ? 'postgres' : 'sqlite';
}

const MIN_QUERY_MEMORY = 64 * 2 ** 20;

/** SM_CLICKHOUSE_QUERY_MEMORY in bytes, or why it is not one (unset: the store's default). */
function queryMemory(env: StoreEnv): number | undefined {
  const raw = env.SM_CLICKHOUSE_QUERY_MEMORY;
  if (raw === undefined || raw === '') return undefined;
  const bytes = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(bytes) || bytes < MIN_QUERY_MEMORY) {
    throw new Error(`SM_CLICKHOUSE_QUERY_MEMORY must be a whole number of bytes, at least ${MIN_QUERY_MEMORY} (64 MiB), got ${JSON.stringify(raw)}`);
  }
  return bytes;
}

/** `webhooks` and `relays`: the endpoints whose events the store writes to its outbox with the records (SQLite and PostgreSQL). */
export async function openStore(env: StoreEnv, dataDir: string, webhooks: Webhooks = [], relays: Relays = []): Promise<Store> {
  switch (storeKind(env)) {
    case 'clickhouse':
      return openClickHouseStore({ url: env.SM_CLICKHOUSE_URL!, database: env.SM_CLICKHOUSE_DATABASE || undefined, cluster: env.SM_CLICKHOUSE_CLUSTER || undefined, queryMemoryBytes: queryMemory(env) });
    case 'postgres':
      return openPostgresStore({ url: env.DATABASE_URL!, schema: env.SM_DATABASE_SCHEMA ?? 'public', webhooks, relays });
    default:
      return openSqliteStore({ file: join(dataDir, DATABASE_FILE), webhooks, relays });
  }
}
