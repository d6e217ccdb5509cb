/** The write statements' parts, shared by both stores: column orders, row values, upsert tails. */
import type { AlertRow, SessionRow } from '../../ingest/rows';
import { WEIGHT_SCALE } from '../buckets';

/** Column order of the session insert. */
export const SESSION_COLUMNS = [
  'site_id', 'id', 'seq', 'user_id', 'anonymous_id', 'user_key', 'started_at', 'start_day', 'last_active_at', 'duration_ms',
  'engaged_ms', 'break_count', 'break_total_ms', 'break_longest_ms', 'break_lt30s', 'break_30s_2m', 'break_2m_10m', 'break_ge10m',
  'band', 'weight', 'weight_micro', 'break_total_ms_weighted', 'final', 'current_page', 'received_at',
] as const;

export const sessionValues = (s: SessionRow): unknown[] => [
  s.siteId, s.id, s.seq, s.userId, s.anonymousId, s.userKey, s.startedAt, s.startDay, s.lastActiveAt, s.durationMs,
  s.engagedMs, s.breakCount, s.breakTotalMs, s.breakLongestMs, s.breakHistogram['<30s'], s.breakHistogram['30s-2m'], s.breakHistogram['2m-10m'], s.breakHistogram['>=10m'],
  s.band, s.weight, s.weightMicro, s.breakTotalMsWeighted, s.final ? 1 : 0, s.currentPage, s.receivedAt,
];

/** `ON CONFLICT` update that only a higher seq wins: replays and out-of-order arrivals change nothing. */
export const SESSION_UPSERT_TAIL = `ON CONFLICT (site_id, id) DO UPDATE SET ${SESSION_COLUMNS.filter((c) => c !== 'site_id' && c !== 'id')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')} WHERE sessions.seq < excluded.seq`;

/** Written after a session row changed: the raw record of the winning snapshot. */
export const RECORD_UPSERT_TAIL = 'ON CONFLICT (site_id, id) DO UPDATE SET record = excluded.record';

export const PAGE_COLUMNS = [
  'site_id', 'session_id', 'path', 'start_day', 'views', 'engaged_ms', 'first_seen_at', 'last_seen_at', 'band', 'weight', 'weight_micro', 'views_weighted', 'engaged_ms_weighted',
] as const;

/** A page's weighted views and engaged ms, rounded once where the row is written, so the pages rollup (011) only adds integers. */
export const weightedPage = (views: number, engagedMs: number, weightMicro: number): [number, number] => [
  Math.round((views * weightMicro) / WEIGHT_SCALE),
  Math.round((engagedMs * weightMicro) / WEIGHT_SCALE),
];

/** A page row, in PAGE_COLUMNS order. */
export const pageValues = (s: SessionRow) =>
  s.pages.map((p) => [
    s.siteId, s.id, p.path, s.startDay, p.views, p.engagedMs, p.firstSeenAt, p.lastSeenAt, p.band, s.weight, s.weightMicro,
    ...weightedPage(p.views, p.engagedMs, s.weightMicro),
  ]);

const PAGE_KEY = ['site_id', 'session_id', 'path'];
/** Replaces a stored page row of the same session and path (both stores' writers). */
export const PAGE_UPSERT_TAIL = `ON CONFLICT (${PAGE_KEY.join(', ')}) DO UPDATE SET ${PAGE_COLUMNS.filter((c) => !PAGE_KEY.includes(c)).map((c) => `${c} = excluded.${c}`).join(', ')}`;

export const ALERT_COLUMNS = ['site_id', 'session_id', 'threshold', 'direction', 'at', 'engaged_ms', 'received_at'] as const;

export const alertValues = (a: AlertRow): unknown[] => [a.siteId, a.sessionId, a.threshold, a.direction, a.at, a.engagedMs, a.receivedAt];
