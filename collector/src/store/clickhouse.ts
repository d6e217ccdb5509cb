/**
 * The ClickHouse store (SM_CLICKHOUSE_URL): the column store for deployments past one PostgreSQL
 * server, on one ClickHouse server or a sharded cluster (SM_CLICKHOUSE_CLUSTER). Same Store interface
 * and contract suite as SQLite and PostgreSQL; schema in migrations/NNN_*.clickhouse.sql and
 * clickhouse/schema.ts, report statements in clickhouse/reads.ts.
 *
 * Writes: requests that arrive while an insert is in flight are written together in the next one
 * (group commit, as in the other stores). Each group first reads the highest seq stored for its
 * sessions (session_seq, ordered by that key) and inserts only snapshots that are newer, so replays
 * and stale seqs are neither stored nor counted; alerts likewise by their key. An ingest resolves
 * only after ClickHouse acknowledged the insert (on a cluster with insert_distributed_sync, after
 * every shard did).
 */
import type { AlertRow, SessionRow } from '../ingest/rows';
import { attentionColumns, clickHouseAttentionReads } from './clickhouse/attention';
import { clickHouseDashboardReports } from './clickhouse/dashboard';
import { clickHouseHttp, type ClickHouseHttp } from './clickhouse/http';
import { reads } from './clickhouse/reads';
import { clickHousePrivacy } from './clickhouse/privacy';
import { migrateClickHouse } from './clickhouse/schema';
import { BREAK_BUCKETS } from './buckets';
import { map, num } from './queries/index';
import { groupCommit, strictestQuota, type PendingIngest } from './group-commit';
import { clickHouseOverQuota } from './clickhouse/quota';
import type { IngestResult, Store } from './types';
import { pollForChange } from './watch';

export interface ClickHouseStoreOptions {
  /** The HTTP interface, e.g. http://127.0.0.1:8123. */
  url: string;
  /** @defaultValue 'session_metrics' */
  database?: string;
  /** A cluster of the servers' `remote_servers`: tables ON CLUSTER, sharded by session. */
  cluster?: string | undefined;
  /** Per statement. @defaultValue 30 000 ms */
  timeoutMs?: number;
  /**
   * The memory one statement may take on the server (`max_memory_usage`); beyond half of it a GROUP BY
   * goes on on disk (`max_bytes_before_external_group_by`), so a large report answers slower instead of
   * taking the server's memory. @defaultValue 8 GiB
   */
  queryMemoryBytes?: number;
}

/** @see ClickHouseStoreOptions.queryMemoryBytes */
export const DEFAULT_QUERY_MEMORY_BYTES = 8 * 2 ** 30;

type Pending = PendingIngest;

const sessionKey = (s: { siteId: string; id: string }) => `${s.siteId}\u0000${s.id}`;
const alertKey = (a: { siteId: string; sessionId: string; threshold: string; direction: string }) =>
  `${a.siteId}\u0000${a.sessionId}\u0000${a.threshold}\u0000${a.direction}`;
/** `keep` of an alert: larger for an earlier arrival (the ReplacingMergeTree keeps the largest). */
const KEEP_BASE = 2n ** 62n;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The record's `meta` as the text session_meta holds in the other stores (migration 009). */
function metaColumns(record: string): { meta_keys: string[]; meta_values: string[] } {
  const keys: string[] = [];
  const values: string[] = [];
  if (record.includes('"meta"')) {
    const meta = (JSON.parse(record) as { meta?: Record<string, unknown> }).meta;
    for (const [k, v] of Object.entries(meta ?? {})) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') keys.push(k), values.push(typeof v === 'string' ? v : JSON.stringify(v));
    }
  }
  return { meta_keys: keys, meta_values: values };
}

function sessionRow(s: SessionRow) {
  return {
    site_id: s.siteId, id: s.id, seq: s.seq, received_at: s.receivedAt, user_id: s.userId, anonymous_id: s.anonymousId, user_key: s.userKey,
    started_at: s.startedAt, start_day: s.startDay, last_active_at: s.lastActiveAt, duration_ms: s.durationMs, engaged_ms: s.engagedMs,
    break_count: s.breakCount, break_total_ms: s.breakTotalMs, break_longest_ms: s.breakLongestMs,
    ...Object.fromEntries(BREAK_BUCKETS.map((b) => [b.column, s.breakHistogram[b.label]])),
    band: s.band, weight: s.weight, weight_micro: s.weightMicro, break_total_ms_weighted: s.breakTotalMsWeighted, final: s.final ? 1 : 0,
    current_page: s.currentPage, record: s.record, ...metaColumns(s.record),
    page_paths: s.pages.map((p) => p.path), page_views: s.pages.map((p) => p.views), page_engaged_ms: s.pages.map((p) => p.engagedMs),
    page_first_seen_at: s.pages.map((p) => p.firstSeenAt), page_last_seen_at: s.pages.map((p) => p.lastSeenAt), page_bands: s.pages.map((p) => p.band),
    ...attentionColumns(s),
  };
}

const alertRow = (a: AlertRow) => ({
  site_id: a.siteId, session_id: a.sessionId, threshold: a.threshold, direction: a.direction, at: a.at, day: day(a.at),
  engaged_ms: a.engagedMs, received_at: a.receivedAt, keep: (KEEP_BASE - BigInt(a.receivedAt)).toString(),
});

/**
 * The settings every statement of the store carries. `local`: an IN subquery over a Distributed table
 * reads each shard's own table, which holds every snapshot of its sessions. insert_distributed_sync:
 * an insert returns after the shards have it. The memory bound: see queryMemoryBytes.
 */
export function statementSettings(cluster: boolean, queryMemoryBytes: number): Record<string, number | string> {
  return {
    distributed_product_mode: 'local',
    ...(cluster ? { insert_distributed_sync: 1 } : {}),
    max_memory_usage: queryMemoryBytes,
    max_bytes_before_external_group_by: Math.floor(queryMemoryBytes / 2),
  };
}

export async function openClickHouseStore({ url, database = 'session_metrics', cluster, timeoutMs, queryMemoryBytes = DEFAULT_QUERY_MEMORY_BYTES }: ClickHouseStoreOptions): Promise<Store> {
  const http: ClickHouseHttp = clickHouseHttp({
    url,
    database,
    timeoutMs,
    settings: statementSettings(cluster !== undefined, queryMemoryBytes),
  });

  /** Writes a group: the newest snapshot per session if newer than the stored one, each new alert once. */
  async function writeGroup(group: Pending[]): Promise<IngestResult[]> {
    const best = new Map<string, SessionRow>();
    const firstAlert = new Map<string, AlertRow>();
    for (const p of group) {
      for (const s of p.sessions) {
        const prev = best.get(sessionKey(s));
        if (!prev || s.seq > prev.seq) best.set(sessionKey(s), s);
      }
      for (const a of p.alerts) if (!firstAlert.has(alertKey(a))) firstAlert.set(alertKey(a), a);
    }
    const candidates = [...best.values()];
    const stored = new Map<string, number>();
    if (candidates.length) {
      for (const r of await http.rows<{ site_id: string; id: string; seq: string }>(reads.storedSeqs(candidates))) {
        stored.set(sessionKey({ siteId: r.site_id, id: r.id }), num(r.seq));
      }
    }
    const newer = candidates.filter((s) => !stored.has(sessionKey(s)) || s.seq > stored.get(sessionKey(s))!);
    const quota = strictestQuota(group);
    const refused = quota === undefined ? new Set<string>() : await clickHouseOverQuota(http, newer.filter((s) => !stored.has(sessionKey(s))), quota, sessionKey);
    const won = refused.size > 0 ? newer.filter((s) => !refused.has(sessionKey(s))) : newer;
    const alertCandidates = [...firstAlert.values()];
    const storedAlerts = new Set<string>();
    if (alertCandidates.length) {
      for (const r of await http.rows<{ site_id: string; session_id: string; threshold: string; direction: string }>(reads.storedAlerts(alertCandidates))) {
        storedAlerts.add(alertKey({ siteId: r.site_id, sessionId: r.session_id, threshold: r.threshold, direction: r.direction }));
      }
    }
    const newAlerts = alertCandidates.filter((a) => !storedAlerts.has(alertKey(a)));
    // Sessions before their seq: a failure between the two leaves a snapshot whose seq is not yet
    // recorded, so the retry writes it again (argMax reads either copy) instead of skipping it.
    await http.insert('sessions', won.map(sessionRow));
    await http.insert('session_seq', won.map((s) => ({ site_id: s.siteId, id: s.id, seq: s.seq })));
    await http.insert('alerts', newAlerts.map(alertRow));
    const wonKeys = new Set(won.map(sessionKey));
    const newAlertKeys = new Set(newAlerts.map(alertKey));
    return group.map((p) => {
      const result: IngestResult = {
        sessionsChanged: p.sessions.filter((s) => wonKeys.has(sessionKey(s)) && best.get(sessionKey(s)) === s).length,
        alertsInserted: p.alerts.filter((a) => newAlertKeys.has(alertKey(a)) && firstAlert.get(alertKey(a)) === a).length,
      };
      const over = p.sessions.filter((s) => refused.has(sessionKey(s)));
      return over.length > 0 ? { ...result, overQuota: over.map((s) => ({ siteId: s.siteId, id: s.id })) } : result;
    });
  }

  const writes = groupCommit(writeGroup);
  let closed = false;

  const all = (statement: string) => http.rows<Record<string, unknown>>(statement);
  const one = async (statement: string) => (await all(statement))[0];

  return {
    kind: 'clickhouse',
    migrate: () => migrateClickHouse(http, { database, cluster }),
    ingest(sessions, alerts, limits) {
      if (closed) return Promise.reject(new Error('store is closed'));
      return writes.submit(sessions, alerts, limits);
    },
    perUser: async (range) => (await all(reads.perUser(range))).map(map.perUser),
    async summary(range) {
      const r = await one(reads.summary(range));
      return map.summary(r, r);
    },
    daily: async (range) => (await all(reads.daily(range))).map(map.daily),
    durationBuckets: async (range, bounds) => map.durationBuckets(await one(reads.durationBuckets(range, bounds)), bounds.length + 1),
    breaks: async (range) => map.breaks(await one(reads.breaks(range))),
    bands: async (range) => (await all(reads.bands(range))).map(map.bands),
    pages: async (range, limit) => (await all(reads.pages(range, limit))).map(map.pages),
    inactiveUsers: async (cutoff, limit, siteId) => (await all(reads.inactiveUsers(cutoff, limit, siteId))).map(map.inactive),
    activeSessions: async (since, limit, until) =>
      (await all(reads.activeSessions(since, limit, until))).map((r) => {
        const values = r.meta_values as string[];
        return { ...map.active(r), meta: Object.fromEntries((r.meta_keys as string[]).map((k, i) => [k, values[i]!])) };
      }),
    attention: clickHouseAttentionReads(all),
    ...clickHousePrivacy(http, { database, cluster }),
    ...clickHouseDashboardReports(all),
    counts: async () => map.counts(await one(reads.counts())),
    async getSession(siteId, id) {
      const r = await one(reads.getSession(siteId, id));
      return r ? { seq: num(r.top_seq), record: String(r.top_record) } : null;
    },
    // Every stored snapshot adds a row to session_seq (merges take rows away: a spurious call at worst).
    watch: (onChange) => pollForChange(() => http.rows('SELECT count() AS n FROM session_seq'), 1000, onChange),
    async close() {
      closed = true;
      await writes.settled();
    },
  };
}
