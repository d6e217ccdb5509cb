import { describe, expect, it } from 'vitest';
import { toAlertRow, toSessionRow } from '../src/ingest/rows';
import { openClickHouseStore } from '../src/store/clickhouse';
import { clickhouseStore, clickhouseUrl, dropDatabase, testDatabase } from './clickhouse-fixtures';
import { alert, session } from './fixtures';
import { attentionContract } from './attention-contract';
import { dashboardContract } from './dashboard-contract';
import { usersPageContract } from './users-page-contract';
import { storeContract } from './store-contract';

storeContract('ClickHouse', clickhouseStore);
attentionContract('ClickHouse', clickhouseStore);
dashboardContract('ClickHouse', clickhouseStore);
usersPageContract('ClickHouse', clickhouseStore);

describe('ClickHouse store', () => {
  it('keeps the first of two snapshots with the same seq, as the other stores do', async () => {
    const t = await clickhouseStore();
    try {
      const first = session({ id: 'tie', engagedMs: 40_000 });
      expect(await t.store.ingest([toSessionRow(first, 1)], [])).toEqual({ sessionsChanged: 1, alertsInserted: 0 });
      expect(await t.store.ingest([toSessionRow({ ...first, engagedMs: 80_000 }, 2)], [])).toEqual({ sessionsChanged: 0, alertsInserted: 0 });
      const range = { start: '2026-03-10', end: '2026-03-10' };
      expect((await t.store.summary(range)).engagedMs).toBe(40_000);
      expect(JSON.parse((await t.store.getSession('site-a', 'tie'))!.record).engagedMs).toBe(40_000);
    } finally {
      await t.dispose();
    }
  });

  it('migrates a fresh database from two collectors at once', async () => {
    const url = clickhouseUrl();
    const database = testDatabase();
    const a = await openClickHouseStore({ url, database });
    const b = await openClickHouseStore({ url, database });
    try {
      await Promise.all([a.migrate(), b.migrate()]);
      await a.ingest([toSessionRow(session({ id: 'm1' }), 1)], [toAlertRow(alert({ sessionId: 'm1' }), 1)]);
      expect(await b.counts()).toEqual({ sessions: 1, alerts: 1, pages: 1 });
    } finally {
      await a.close();
      await b.close();
      await dropDatabase(url, database);
    }
  });

  it('names the server and the statement when ClickHouse cannot be reached', async () => {
    const store = await openClickHouseStore({ url: 'http://127.0.0.1:9', database: 'nowhere', timeoutMs: 2000 });
    await expect(store.migrate()).rejects.toThrow(/ClickHouse at http:\/\/127\.0\.0\.1:9 did not answer .*CREATE DATABASE IF NOT EXISTS nowhere/);
    await store.close();
  });
});
