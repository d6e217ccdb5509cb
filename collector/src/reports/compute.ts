/**
 * From the stores' raw aggregates to the API's numbers: seconds rounded to 0.1, averages as plain means
 * over stored sessions, counts and totals weighted by 1 / sampleRate and rounded (docs/semantics.md, Sampling:
 * "counts can be weighted by its inverse; averages need no weighting"). Pure, tested directly.
 */
import { BREAK_BUCKETS, DURATION_BUCKETS } from '../store/buckets';

/** The buckets live with the store that rolls them up (store/buckets.ts); reports name them from here too. */
export { DURATION_BOUNDS_MS, DURATION_BUCKETS } from '../store/buckets';
import type { ActiveSession, Aggregate, BreakAggregate, DayAggregate, InactiveUser, PageAggregate, SummaryAggregate, UserAggregate } from '../store/types';

/** Milliseconds to seconds, rounded to 0.1 s. */
export const seconds = (ms: number) => Math.round(ms / 100) / 10;
const mean = (totalMs: number, n: number) => (n === 0 ? 0 : seconds(totalMs / n));
const count = (weighted: number) => Math.round(weighted);

/** Code-unit order, the same whichever database produced the rows. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function sessionDuration(rows: UserAggregate[]) {
  return {
    results: rows
      .map((r) => ({ user_id: r.userKey, average_duration: mean(r.durationMs, r.n), sessions: count(r.weighted), average_engaged: mean(r.engagedMs, r.n) }))
      .sort((a, b) => byText(a.user_id, b.user_id)),
  };
}

export function summary(a: SummaryAggregate) {
  return {
    sessions: count(a.weighted),
    users: a.users,
    average_duration: mean(a.durationMs, a.n),
    average_engaged: mean(a.engagedMs, a.n),
    short_share: a.weighted === 0 ? 0 : Math.round((a.shortWeighted / a.weighted) * 1000) / 1000,
  };
}

/** One period's figures from its summed aggregate (reports/intervals.ts). */
export function period(a: Aggregate) {
  return { sessions: count(a.weighted), average_duration: mean(a.durationMs, a.n), average_engaged: mean(a.engagedMs, a.n) };
}

export function daily(days: string[], rows: DayAggregate[]) {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return {
    days: days.map((date) => {
      const r = byDay.get(date);
      return { date, sessions: count(r?.weighted ?? 0), average_duration: mean(r?.durationMs ?? 0, r?.n ?? 0), average_engaged: mean(r?.engagedMs ?? 0, r?.n ?? 0) };
    }),
  };
}

export function durations(counts: number[]) {
  return {
    buckets: DURATION_BUCKETS.map((b, i) => ({ label: b.label, min_seconds: b.min, max_seconds: b.max, sessions: count(counts[i] ?? 0) })),
  };
}

export function breaks(a: BreakAggregate) {
  return {
    sessions: count(a.weighted),
    breaks: count(a.breaksWeighted),
    total_seconds: seconds(a.totalMsWeighted),
    average_per_session: a.n === 0 ? 0 : Math.round((a.breaksRaw / a.n) * 100) / 100,
    histogram: Object.fromEntries(BREAK_BUCKETS.map((b) => [b.label, count(a.histogram[b.label])])),
  };
}

/** Bands in threshold order: by the least engaged time seen in each, which grows with the threshold. */
export function bands(rows: Array<{ band: string | null; weighted: number; minEngagedMs: number }>) {
  return {
    bands: [...rows]
      .sort((a, b) => a.minEngagedMs - b.minEngagedMs || byText(a.band ?? '', b.band ?? ''))
      .map((r) => ({ band: r.band ?? 'none', sessions: count(r.weighted), min_engaged_seconds: seconds(r.minEngagedMs) })),
  };
}

export function pages(rows: PageAggregate[]) {
  return {
    pages: rows.map((r) => ({
      path: r.path,
      views: count(r.viewsWeighted),
      sessions: count(r.sessionsWeighted),
      total_engaged: seconds(r.engagedMsWeighted),
      // Per session that showed the page: its dwell time in a typical visit.
      average_engaged: mean(r.engagedMs, r.n),
    })),
  };
}

export function inactiveUsers(rows: InactiveUser[]) {
  return { users: rows.map((r) => ({ user_id: r.userId, last_active_at: new Date(r.lastActiveAt).toISOString(), sessions: count(r.weighted) })) };
}

export function live(at: number, rows: ActiveSession[]) {
  return {
    at: new Date(at).toISOString(),
    sessions: rows.map((r) => ({
      site_id: r.siteId,
      session_id: r.id,
      // null for an anonymous visitor: the anonymous id is a browser's, not a person's name.
      user_id: r.userId,
      anonymous_id: r.userId === null ? r.userKey : null,
      started_at: new Date(r.startedAt).toISOString(),
      last_active_at: new Date(r.lastActiveAt).toISOString(),
      engaged_seconds: seconds(r.engagedMs),
      duration_seconds: seconds(r.durationMs),
      page: r.currentPage,
      // The host's dimensions: the live view is filtered by one value like every report (routes/live.ts).
      meta: r.meta,
    })),
  };
}
