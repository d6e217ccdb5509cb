/**
 * What one stored session, and one stored page row, adds to each rollup row: the key of that row and the
 * integers it sums. The SQLite writer (store/sqlite-rollups.ts) adds a written row's share and takes away
 * the share of the row it replaced, over a whole group commit, then applies one difference per rollup row.
 * These are the sums migration 006 wrote into its triggers (site_day, site_day_band, site_user, user_month),
 * 011 into its own (user_day, site_day_page), 018 into its own (user_year), and both still compute in their backfills; the store contract
 * (test/store-contract.ts) compares every rollup table with its recomputation from sessions.
 */
import type { SessionRow } from '../ingest/rows';
import { BREAK_BUCKETS, DURATION_BUCKETS } from './buckets';
import { weightedPage } from './queries/write';

/** The columns of a stored session that the rollups read, named as in the sessions table. */
export interface RolledSession {
  site_id: string;
  start_day: string;
  user_key: string;
  user_id: string | null;
  band: string | null;
  weight_micro: number;
  duration_ms: number;
  engaged_ms: number;
  break_count: number;
  break_total_ms_weighted: number;
  break_lt30s: number;
  break_30s_2m: number;
  break_2m_10m: number;
  break_ge10m: number;
}

export const ROLLED_COLUMNS = [
  'site_id', 'start_day', 'user_key', 'user_id', 'band', 'weight_micro', 'duration_ms', 'engaged_ms', 'break_count', 'break_total_ms_weighted',
  ...BREAK_BUCKETS.map((b) => b.column),
] as const satisfies ReadonlyArray<keyof RolledSession>;

export const rolledOf = (s: SessionRow): RolledSession => ({
  site_id: s.siteId, start_day: s.startDay, user_key: s.userKey, user_id: s.userId, band: s.band, weight_micro: s.weightMicro,
  duration_ms: s.durationMs, engaged_ms: s.engagedMs, break_count: s.breakCount, break_total_ms_weighted: s.breakTotalMsWeighted,
  break_lt30s: s.breakHistogram['<30s'], break_30s_2m: s.breakHistogram['30s-2m'], break_2m_10m: s.breakHistogram['2m-10m'], break_ge10m: s.breakHistogram['>=10m'],
});

/** The summed columns of each rollup, in the order of the values of its share. */
export const SUMMED = {
  user_month: ['sessions', 'weight_micro', 'duration_ms', 'engaged_ms'],
  user_year: ['sessions', 'weight_micro', 'duration_ms', 'engaged_ms'],
  site_day: [
    'sessions', 'weight_micro', 'duration_ms', 'engaged_ms', 'short_weight_micro', ...DURATION_BUCKETS.map((b) => `${b.column}_weight_micro`),
    'breaks', 'breaks_weight_micro', 'break_total_ms_weighted', ...BREAK_BUCKETS.map((b) => `${b.column}_weight_micro`),
  ],
  // The least engaged time and the latest activity (MIN and MAX do not subtract) are read again from sessions.
  site_day_band: ['sessions', 'weight_micro'],
  site_user: ['sessions', 'weight_micro'],
  user_day: ['sessions'],
  site_day_page: ['sessions', 'weight_micro', 'views_weighted', 'engaged_ms', 'engaged_ms_weighted'],
} as const;

/** The key columns of each rollup, in the order of its share's key. site_day_band's key is (day, site, band), band NULL included. */
export const KEYS = {
  user_month: ['month', 'user_key', 'site_id'],
  user_year: ['year', 'user_key', 'site_id'],
  site_day: ['start_day', 'site_id'],
  site_day_band: ['start_day', 'site_id', 'band'],
  site_user: ['site_id', 'user_id'],
  user_day: ['user_key', 'site_id', 'start_day'],
  site_day_page: ['start_day', 'site_id', 'path'],
} as const;

export type Rollup = keyof typeof SUMMED;
export type Key = ReadonlyArray<string | null>;
export interface Share {
  rollup: Rollup;
  key: Key;
  values: number[];
}

const SHORT_MS = 30_000;

export function sessionShares(r: RolledSession): Share[] {
  const w = r.weight_micro;
  const shares: Share[] = [
    { rollup: 'user_month', key: [r.start_day.slice(0, 7), r.user_key, r.site_id], values: [1, w, r.duration_ms, r.engaged_ms] },
    { rollup: 'user_year', key: [r.start_day.slice(0, 4), r.user_key, r.site_id], values: [1, w, r.duration_ms, r.engaged_ms] },
    {
      rollup: 'site_day',
      key: [r.start_day, r.site_id],
      values: [
        1, w, r.duration_ms, r.engaged_ms, r.engaged_ms < SHORT_MS ? w : 0,
        ...DURATION_BUCKETS.map((b) => (r.duration_ms >= b.min * 1000 && (b.max === null || r.duration_ms < b.max * 1000) ? w : 0)),
        r.break_count, r.break_count * w, r.break_total_ms_weighted, ...BREAK_BUCKETS.map((b) => r[b.column] * w),
      ],
    },
    { rollup: 'site_day_band', key: [r.start_day, r.site_id, r.band], values: [1, w] },
    { rollup: 'user_day', key: [r.user_key, r.site_id, r.start_day], values: [1] },
  ];
  if (r.user_id !== null) shares.push({ rollup: 'site_user', key: [r.site_id, r.user_id], values: [1, w] });
  return shares;
}

/** A stored page row as the pages rollup reads it (session_pages' columns). */
export interface RolledPage {
  path: string;
  start_day: string;
  site_id: string;
  weight_micro: number;
  views_weighted: number;
  engaged_ms: number;
  engaged_ms_weighted: number;
}

export const ROLLED_PAGE_COLUMNS = ['path', 'start_day', 'site_id', 'weight_micro', 'views_weighted', 'engaged_ms', 'engaged_ms_weighted'] as const satisfies ReadonlyArray<keyof RolledPage>;

/** The page rows of a session as stored: weighted views and engaged ms rounded once (as store/queries/write.ts pageValues writes them). */
export const rolledPagesOf = (s: SessionRow): RolledPage[] =>
  s.pages.map((p) => {
    const [views, engaged] = weightedPage(p.views, p.engagedMs, s.weightMicro);
    return { path: p.path, start_day: s.startDay, site_id: s.siteId, weight_micro: s.weightMicro, views_weighted: views, engaged_ms: p.engagedMs, engaged_ms_weighted: engaged };
  });

export const pageShare = (p: RolledPage): Share => ({
  rollup: 'site_day_page',
  key: [p.start_day, p.site_id, p.path],
  values: [1, p.weight_micro, p.views_weighted, p.engaged_ms, p.engaged_ms_weighted],
});
