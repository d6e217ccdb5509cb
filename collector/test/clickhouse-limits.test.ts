/**
 * The bounds every statement of the ClickHouse store carries, against the real server: a report past
 * its memory share groups on disk and still answers, and a statement the collector gave up on is
 * stopped on the server too (before, a report that timed out went on running there, and the next
 * requests piled up until the server was killed for memory in the 10M benchmark).
 */
import { describe, expect, it } from 'vitest';
import { statementSettings } from '../src/store/clickhouse';
import { clickHouseHttp } from '../src/store/clickhouse/http';
import { clickhouseUrl } from './clickhouse-fixtures';

const MiB = 2 ** 20;
// 4,000,000 distinct keys: about 150 MiB of hash table in memory, over the 64 MiB bound below.
const WIDE_GROUP_BY = 'SELECT count() AS n FROM (SELECT number FROM numbers(4000000) GROUP BY number)';

describe('ClickHouse statement bounds', () => {
  it('a GROUP BY larger than the memory bound goes on on disk and answers', async () => {
    const http = clickHouseHttp({ url: clickhouseUrl(), database: 'default', settings: statementSettings(false, 64 * MiB) });
    expect(await http.rows<{ n: string }>(WIDE_GROUP_BY)).toEqual([{ n: '4000000' }]);
  });

  it('without the spill to disk the same bound refuses it (so the test above measures the spill)', async () => {
    const { max_bytes_before_external_group_by: _spill, ...noSpill } = statementSettings(false, 64 * MiB);
    const http = clickHouseHttp({ url: clickhouseUrl(), database: 'default', settings: noSpill });
    await expect(http.rows(WIDE_GROUP_BY)).rejects.toMatchObject({ code: 241 });
  });

  it('a statement the client gave up on stops on the server as well', async () => {
    const marker = `sm_timeout_${process.pid}_${Date.now()}`;
    const http = clickHouseHttp({ url: clickhouseUrl(), database: 'default', timeoutMs: 1000 });
    // Minutes of work on this machine if nothing stopped it.
    await expect(http.rows(`SELECT count() FROM numbers(100000000000) WHERE NOT ignore('${marker}')`)).rejects.toThrow();
    const watcher = clickHouseHttp({ url: clickhouseUrl(), database: 'default' });
    const running = async () => (await watcher.rows<{ n: string }>(`SELECT count() AS n FROM system.processes WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.processes%'`))[0]!.n;
    const deadline = Date.now() + 5000;
    while ((await running()) !== '0' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await running()).toBe('0');
  });
});
