/**
 * The one store interface, implemented by SQLite (store/sqlite.ts, the embedded default) and
 * PostgreSQL (store/postgres.ts). Both pass collector/test/store-contract.ts.
 *
 * Reports return raw aggregates (sums in milliseconds, weighted counts); reports/ turns them into the
 * API's seconds, averages and CSV, so the arithmetic lives in one place.
 */
import type { AlertRow, SessionRow } from '../ingest/rows';
import type { ErasureResult, Person, RetentionResult } from './erasure';
import type { PersonExport } from './person-export';
import type { DashboardReports } from './reports/index';
import type { AttentionReads } from './attention/read';
import type { BreakHistogram } from './buckets';
import type { Outbox } from './outbox';

export interface DayRange {
  /** Inclusive `YYYY-MM-DD`, UTC. */
  start: string;
  end: string;
  /** Only this site's sessions, or these sites' (a scoped token's), when given. */
  siteId?: string | readonly string[] | undefined;
  /** Only sessions whose `meta` has this value for this key (migration 009, session_meta), when given. */
  meta?: { key: string; value: string } | undefined;
}

export interface IngestResult {
  /** Session rows inserted or replaced by a higher seq. Replays and stale seqs count 0. */
  sessionsChanged: number;
  /** Alert rows inserted (an alert already stored by its key counts 0). */
  alertsInserted: number;
  /**
   * Sessions not stored because their site's day already holds `IngestLimits.sessionsPerSiteDay` sessions
   * (each a new session: one already stored there is always replaced by a higher seq). Absent when none.
   */
  overQuota?: Array<{ siteId: string; id: string }>;
}

export interface IngestLimits {
  /**
   * Sessions one site's day (start_day) may hold. Checked inside the write transaction, so that
   * migration 006's exact integer sums cannot overflow (they hold up to 900,000 sessions a site-day).
   */
  sessionsPerSiteDay?: number;
}

/** Sums over sessions. `weighted` = sum of 1/sampleRate; `n` = stored rows. */
export interface Aggregate {
  n: number;
  weighted: number;
  durationMs: number;
  engagedMs: number;
}

export interface UserAggregate extends Aggregate {
  userKey: string;
}

export interface DayAggregate extends Aggregate {
  day: string;
}

export interface SummaryAggregate extends Aggregate {
  users: number;
  /** Weighted count of sessions with engaged time under 30 s. */
  shortWeighted: number;
}

export interface BreakAggregate {
  weighted: number;
  n: number;
  breaksWeighted: number;
  breaksRaw: number;
  totalMsWeighted: number;
  /** Weighted count of breaks per bucket (store/buckets.ts BREAK_BUCKETS). */
  histogram: BreakHistogram;
}

export interface PageAggregate {
  path: string;
  viewsWeighted: number;
  sessionsWeighted: number;
  engagedMsWeighted: number;
  n: number;
  engagedMs: number;
}

export interface InactiveUser {
  userId: string;
  lastActiveAt: number;
  weighted: number;
}

export interface ActiveSession {
  siteId: string;
  id: string;
  userKey: string;
  /** From `identify()`; null for an anonymous visitor (then userKey is the anonymous id). */
  userId: string | null;
  startedAt: number;
  lastActiveAt: number;
  engagedMs: number;
  durationMs: number;
  currentPage: string | null;
  /** The session's `meta` dimensions as text (session_meta's values: migration 009); `{}` without any. */
  meta: Record<string, string>;
}

/** The dashboard's reports (store/reports/) are part of every store: `withReports` adds them. */
export interface Store extends DashboardReports {
  readonly kind: 'sqlite' | 'postgres' | 'clickhouse';
  /** Brings the schema up to date; safe to run on every start and concurrently. */
  migrate(): Promise<void>;
  /**
   * Writes a batch in one transaction and resolves only after it is committed durably: the route
   * acknowledges with a 2xx after this, so nothing acknowledged is lost even on SIGKILL.
   * Per (siteId, id) only a higher seq replaces what is stored. `limits` is honoured inside the write
   * transaction by SQLite and PostgreSQL; ClickHouse, without one, exactly within one process only.
   */
  ingest(sessions: SessionRow[], alerts: AlertRow[], limits?: IngestLimits): Promise<IngestResult>;
  perUser(range: DayRange): Promise<UserAggregate[]>;
  summary(range: DayRange): Promise<SummaryAggregate>;
  daily(range: DayRange): Promise<DayAggregate[]>;
  /** Weighted session counts per duration bucket, bounds in ms: [0,b1), [b1,b2), ..., [bn, inf). */
  durationBuckets(range: DayRange, boundsMs: readonly number[]): Promise<number[]>;
  breaks(range: DayRange): Promise<BreakAggregate>;
  bands(range: DayRange): Promise<Array<{ band: string | null; weighted: number; minEngagedMs: number }>>;
  pages(range: DayRange, limit: number): Promise<PageAggregate[]>;
  /** Identified users whose last activity is at or before `cutoff` (epoch ms). */
  inactiveUsers(cutoff: number, limit: number, siteId?: string | readonly string[]): Promise<InactiveUser[]>;
  /** Not-final sessions with lastActiveAt at or after `since` and, when given, at or before `until` (epoch ms), newest first. */
  activeSessions(since: number, limit: number, until?: number): Promise<ActiveSession[]>;
  /** The attention reports of one page over a range (migration 008, store/attention/read.ts). */
  readonly attention: AttentionReads;
  /**
   * The webhook outbox (migration 012, store/outbox.ts); absent in the ClickHouse store, which has no
   * transaction to write it in (docs/webhooks.md).
   */
  readonly outbox?: Outbox;
  /** Stored session rows and alert rows, for tests and operations. */
  counts(): Promise<{ sessions: number; alerts: number; pages: number }>;
  /** The stored row of one session, or null. */
  getSession(siteId: string, id: string): Promise<{ seq: number; record: string } | null>;
  /**
   * Calls `onChange` soon after another process (or connection) commits to the same database, until
   * the returned function is called: the live view of one collector then shows every collector's
   * ingest (store/watch.ts).
   */
  watch(onChange: () => void): () => void;
  /** Writes and commits one row (table health_check): rejects when the store cannot be reached or written. */
  checkWritable(): Promise<void>;
  /** Deletes every session, raw record, page row and alert of a person and their share of every rollup, in one transaction. */
  erase(person: Person): Promise<ErasureResult>;
  /** Everything stored about a person (store/erasure.ts PersonExport). */
  exportPerson(person: Person, at: number): Promise<PersonExport>;
  /**
   * Removes the sessions that started before `beforeDay` (YYYY-MM-DD) with their records, pages and alerts,
   * and alerts before `cutoffMs`, one day per transaction; keeps the site-level rollups (store/erasure.ts).
   */
  removeBefore(beforeDay: string, cutoffMs: number): Promise<RetentionResult>;
  close(): Promise<void>;
}
