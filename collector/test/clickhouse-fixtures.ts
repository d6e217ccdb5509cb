/**
 * A fresh ClickHouse database per test (SM_TEST_CLICKHOUSE_URL; missing is a failure, not a skip),
 * and the oracle the ClickHouse store is held to: every ingest is also written to a SQLite store, and
 * `raw` runs the shared direct queries (store/queries.ts) there, so "equal to the direct computation"
 * means "equal to what SQLite computes from the same records", the contract's own promise.
 */
import type { Store } from '../src/store/types';
import { openClickHouseStore } from '../src/store/clickhouse';
import { clickHouseHttp } from '../src/store/clickhouse/http';
import { sqliteStore, type TestStore } from './fixtures';

export function clickhouseUrl(name = 'SM_TEST_CLICKHOUSE_URL'): string {
  const url = process.env[name];
  if (!url) throw new Error(`${name} is not set: the ClickHouse store is tested against a real server (npm test starts one)`);
  return url;
}

/** The cluster of two shards the sharded tests run on (SM_TEST_CLICKHOUSE_CLUSTER). */
export function clickhouseCluster(): string {
  const name = process.env.SM_TEST_CLICKHOUSE_CLUSTER;
  if (!name) throw new Error('SM_TEST_CLICKHOUSE_CLUSTER is not set: the two-shard tests need a cluster (npm test starts one)');
  return name;
}

export const testDatabase = () => `sm_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;

export async function dropDatabase(url: string, database: string, cluster?: string) {
  await clickHouseHttp({ url, database: 'default' }).exec(`DROP DATABASE IF EXISTS ${database}${cluster ? ` ON CLUSTER ${cluster}` : ''}`);
}

/** The ClickHouse store under test, with every ingest also written to the SQLite oracle. */
export async function clickhouseStore(options: { cluster?: string } = {}): Promise<TestStore & { database: string; oracle: Store }> {
  const url = clickhouseUrl();
  const database = testDatabase();
  const real = await openClickHouseStore({ url, database, cluster: options.cluster });
  await real.migrate();
  const oracle = await sqliteStore();
  const store: Store = {
    ...real,
    kind: real.kind,
    async ingest(sessions, alerts, limits) {
      const [result] = await Promise.all([real.ingest(sessions, alerts, limits), oracle.store.ingest(sessions, alerts, limits)]);
      return result;
    },
  };
  return {
    store,
    database,
    oracle: oracle.store,
    raw: oracle.raw,
    dispose: async () => {
      await real.close();
      await oracle.dispose();
      await dropDatabase(url, database, options.cluster);
    },
  };
}
