/**
 * The ClickHouse store on a cluster of two shards (two servers on loopback, one `remote_servers`
 * definition, ON CLUSTER statements through ZooKeeper): the whole store contract, and where the rows
 * went. SM_TEST_CLICKHOUSE_CLUSTER names the cluster, SM_TEST_CLICKHOUSE_URL_2 the second server.
 */
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/records';
import { toAlertRow, toSessionRow } from '../src/ingest/rows';
import { clickHouseHttp } from '../src/store/clickhouse/http';
import { clickhouseCluster, clickhouseStore, clickhouseUrl } from './clickhouse-fixtures';
import { alert, session } from './fixtures';
import { attentionContract } from './attention-contract';
import { dashboardContract } from './dashboard-contract';
import { usersPageContract } from './users-page-contract';
import { expectInactiveMatchesSessions, expectRollupMatchesSessions, storeContract } from './store-contract';

const cluster = clickhouseCluster;

storeContract('ClickHouse, two shards', () => clickhouseStore({ cluster: cluster() }));
attentionContract('ClickHouse, two shards', () => clickhouseStore({ cluster: cluster() }));
dashboardContract('ClickHouse, two shards', () => clickhouseStore({ cluster: cluster() }));
usersPageContract('ClickHouse, two shards', () => clickhouseStore({ cluster: cluster() }));

describe('ClickHouse store on two shards', () => {
  it('puts every snapshot of a session on one shard, spreads sessions over both, and reports exactly over both', async () => {
    const t = await clickhouseStore({ cluster: cluster() });
    try {
      const sessions: SessionRecord[] = Array.from({ length: 60 }, (_, i) =>
        session({
          id: `sh${i}`,
          siteId: i % 3 === 0 ? 'site-b' : 'site-a',
          userId: i % 4 === 0 ? `u${i % 7}` : null,
          startedAt: new Date(Date.parse('2026-03-01T08:00:00.000Z') + i * 7 * 3_600_000).toISOString(),
          durationMs: 20_000 + i * 41_000,
          sampleRate: i % 5 === 0 ? 0.25 : 1,
        }),
      );
      await t.store.ingest(sessions.map((s) => toSessionRow(s, 1)), sessions.slice(0, 10).map((s) => toAlertRow(alert({ siteId: s.siteId, sessionId: s.id }), 1)));
      // Higher seqs for half, then stale and repeated ones, in separate requests.
      const later = sessions.filter((_, i) => i % 2 === 0).map((s) => ({ ...s, seq: 3, engagedMs: s.engagedMs + 1_000, userId: s.userId ?? 'late' }));
      await Promise.all(later.map((s) => t.store.ingest([toSessionRow(s, 2)], [])));
      await t.store.ingest(sessions.map((s) => toSessionRow({ ...s, seq: 2, engagedMs: 1 }, 3)), sessions.slice(0, 10).map((s) => toAlertRow(alert({ siteId: s.siteId, sessionId: s.id }), 3)));
      await expectRollupMatchesSessions(t.store, t.raw);
      await expectInactiveMatchesSessions(t.store, t.raw);
      expect(await t.store.counts()).toEqual(await t.oracle.counts());

      const shards = [clickhouseUrl(), clickhouseUrl('SM_TEST_CLICKHOUSE_URL_2')].map((url) => clickHouseHttp({ url, database: t.database }));
      const held = await Promise.all(shards.map(async (h) => (await h.rows<{ site_id: string; id: string }>('SELECT DISTINCT site_id, id FROM sessions_local')).map((r) => `${r.site_id}/${r.id}`)));
      expect(held[0]!.length).toBeGreaterThan(10);
      expect(held[1]!.length).toBeGreaterThan(10);
      expect(held[0]!.filter((k) => held[1]!.includes(k))).toEqual([]);
      expect(held[0]!.length + held[1]!.length).toBe(sessions.length);
    } finally {
      await t.dispose();
    }
  });
});
