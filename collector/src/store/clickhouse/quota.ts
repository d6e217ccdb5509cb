/**
 * The per-site-day session quota on ClickHouse (ingest/quota.ts; the other stores check it in their
 * write transaction): the new sessions of a group (none of their snapshots stored yet) that would take
 * their site's day past `quota`. ClickHouse has no transaction to hold the count in, so it is exact
 * within one collector (its group commit writes one group at a time) and, across several collectors
 * writing one site-day at once, can be passed by the groups they have in flight.
 */
import type { SessionRow } from '../../ingest/rows';
import { num } from '../queries/index';
import type { ClickHouseHttp } from './http';
import { sql } from './literal';

const pairKey = (siteId: string, day: string) => `${siteId}\u0000${day}`;

/** The new sessions to refuse, as `keyOf` names them. */
export async function clickHouseOverQuota(http: ClickHouseHttp, fresh: readonly SessionRow[], quota: number, keyOf: (s: SessionRow) => string): Promise<Set<string>> {
  const refused = new Set<string>();
  if (fresh.length === 0) return refused;
  const pairs = new Map(fresh.map((s) => [pairKey(s.siteId, s.startDay), s]));
  const rows = await http.rows<{ site_id: string; start_day: string; n: string }>(
    `SELECT site_id, start_day, uniqExact(id) AS n FROM sessions WHERE (site_id, start_day) IN (${[...pairs.values()].map((s) => sql`(${s.siteId}, ${s.startDay})`).join(', ')}) GROUP BY site_id, start_day`,
  );
  const counts = new Map(rows.map((r) => [pairKey(r.site_id, String(r.start_day)), num(r.n)]));
  for (const s of fresh) {
    const pair = pairKey(s.siteId, s.startDay);
    const n = counts.get(pair) ?? 0;
    if (n >= quota) refused.add(keyOf(s));
    else counts.set(pair, n + 1);
  }
  return refused;
}
