/**
 * The per-site-day session quota inside a PostgreSQL write transaction (the SQLite twin is in
 * store/sqlite-batch.ts): which new sessions of a group would take their site's day past `quota`.
 * A session already stored on that day is never refused (its newer snapshots keep coming), so nothing
 * accepted before is lost.
 *
 * The common case costs one indexed read of site_day, which locks the group's site-day rows (FOR UPDATE,
 * in key order). The rollup trigger takes those same row locks later in the transaction anyway, so
 * writers of one site-day were already serialized; taking them first makes the count read here the one
 * this transaction adds to, so concurrent collectors cannot pass the quota together. Only when a site-day
 * could pass it with this group are the group's sessions looked up. A site-day's very first rows cannot
 * be locked before they exist; that first group can pass a quota smaller than itself, never the bound
 * of migration 006.
 */
import type pg from 'pg';
import type { SessionRow } from '../ingest/rows';

const pairKey = (siteId: string, day: string) => `${siteId}\u0000${day}`;

async function lockedDaySessions(client: pg.PoolClient, pairs: Array<[string, string]>): Promise<Map<string, number>> {
  const r = await client.query({
    text: `SELECT site_id, start_day, sessions FROM site_day WHERE (site_id, start_day) IN (SELECT * FROM unnest($1::text[], $2::text[]))
           ORDER BY start_day, site_id FOR UPDATE`,
    values: [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  });
  return new Map((r.rows as Array<{ site_id: string; start_day: string; sessions: string }>).map((x) => [pairKey(x.site_id, x.start_day), Number(x.sessions)]));
}

/** Keys (`siteId \0 id`, as `keyOf` makes them) of the sessions to refuse; `sessions` in the order they are written. */
export async function overQuota(client: pg.PoolClient, sessions: readonly SessionRow[], quota: number, keyOf: (s: SessionRow) => string): Promise<Set<string>> {
  const refused = new Set<string>();
  const perPair = new Map<string, number>();
  for (const s of sessions) perPair.set(pairKey(s.siteId, s.startDay), (perPair.get(pairKey(s.siteId, s.startDay)) ?? 0) + 1);
  const pairs = [...perPair.keys()].map((k) => k.split('\u0000') as [string, string]);
  const counts = await lockedDaySessions(client, pairs);
  const tight = pairs.filter(([site, day]) => (counts.get(pairKey(site, day)) ?? 0) + perPair.get(pairKey(site, day))! > quota);
  if (tight.length === 0) return refused;

  const candidates = sessions.filter((s) => tight.some(([site, day]) => site === s.siteId && day === s.startDay));
  const stored = await client.query({
    text: `SELECT s.site_id, s.id FROM sessions s JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(site_id, id, start_day)
           ON s.site_id = k.site_id AND s.id = k.id AND s.start_day = k.start_day`,
    values: [candidates.map((s) => s.siteId), candidates.map((s) => s.id), candidates.map((s) => s.startDay)],
  });
  const storedKeys = new Set((stored.rows as Array<{ site_id: string; id: string }>).map((r) => keyOf({ siteId: r.site_id, id: r.id } as SessionRow)));
  for (const s of candidates) {
    if (storedKeys.has(keyOf(s))) continue;
    const pair = pairKey(s.siteId, s.startDay);
    const n = counts.get(pair) ?? 0;
    if (n >= quota) refused.add(keyOf(s));
    else counts.set(pair, n + 1);
  }
  return refused;
}
