/**
 * The per-site-day session quota (issue 10, point 7): a site's day holds at most SM_SITE_DAY_SESSIONS
 * sessions, so that one sender cannot fill the disk and so that migration 006's exact integer sums stay
 * inside 64 bits. Their largest column per session is breaks times weight in millionths, at most
 * 10,000 × 10^9 = 10^13; 2^63 / 10^13 ≈ 922,000 sessions, hence the ceiling of 900,000.
 *
 * The stores check it in their write transaction (store/sqlite-batch.ts, store/postgres-quota.ts); here
 * the sessions they refused become rejections of the records that carried them.
 */
import type { SessionRecord } from '../../../src/core/records';
import type { IngestResult } from '../store/types';
import type { Rejection } from './validate';

export const DEFAULT_SITE_DAY_SESSIONS = 500_000;
export const MAX_SITE_DAY_SESSIONS = 900_000;

/** One rejection per record (index in the batch) whose session the store refused over the quota. */
export function quotaRejections(
  sessions: readonly SessionRecord[],
  indexes: readonly number[],
  days: ReadonlyMap<string, string>,
  result: IngestResult,
  quota: number,
): Rejection[] {
  if (!result.overQuota?.length) return [];
  const over = new Set(result.overQuota.map((k) => `${k.siteId}\u0000${k.id}`));
  const out: Rejection[] = [];
  sessions.forEach((s, i) => {
    const key = `${s.siteId}\u0000${s.id}`;
    if (!over.has(key)) return;
    out.push({
      index: indexes[i]!,
      code: 'SM_QUOTA_EXCEEDED',
      message: `record ${indexes[i]}: site '${s.siteId}' already holds ${quota} sessions that started on ${days.get(key)}, its quota (SM_SITE_DAY_SESSIONS); new sessions of that day are refused, those already stored are still updated`,
    });
  });
  return out;
}
