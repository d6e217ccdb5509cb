/**
 * The learning views' arithmetic, pure:
 * - a course: its pages in order (a list as given, or the paths a glob matches in natural order, so
 *   /lessons/2 comes before /lessons/10), per step the learners who reached it, their share of the first
 *   step's, and the drop-off to the next step (of those who saw this step, the share who never saw the next);
 * - returning learners: identified users whose first session started in the range, by the band of that
 *   session, and the share active again within 7 and 30 days, counted only over users whose window has
 *   passed (a user who started yesterday cannot have come back within 7 days yet);
 * - active users per day and per ISO week, identified and anonymous apart.
 */
import { pageMatcher } from '../../../src/core/pages';
import type { ActiveRow, CourseRow, FirstSession } from '../store/reports/learning';
import { seconds } from './compute';
import { share } from './dashboard';
import { periodOf } from './intervals';

const DAY_MS = 86_400_000;
/** Most steps a course view shows. */
export const MAX_COURSE_STEPS = 100;

const natural = new Intl.Collator('en', { numeric: true });

/** The steps of a course: `pattern` is a comma-separated list of paths, or globs (`*`, `**`) matched against `paths`. */
export function courseSteps(pattern: string, paths: readonly string[]): string[] {
  const parts = pattern.split(',').map((p) => p.trim()).filter(Boolean);
  if (!parts.some((p) => p.includes('*'))) return [...new Set(parts)].slice(0, MAX_COURSE_STEPS);
  const matches = pageMatcher(parts);
  return paths.filter(matches).sort(natural.compare).slice(0, MAX_COURSE_STEPS);
}

export function course(steps: readonly string[], rows: readonly CourseRow[]) {
  const learners = new Map(steps.map((s) => [s, new Set<string>()]));
  const totals = new Map(steps.map((s) => [s, { n: 0, weighted: 0, engagedMs: 0 }]));
  for (const r of rows) {
    learners.get(r.path)?.add(r.userKey);
    const t = totals.get(r.path);
    if (t) {
      t.n += r.n;
      t.weighted += r.weighted;
      t.engagedMs += r.engagedMs;
    }
  }
  const first = learners.get(steps[0] ?? '')?.size ?? 0;
  return {
    steps: steps.map((path, i) => {
      const here = learners.get(path)!;
      const next = steps[i + 1] === undefined ? undefined : learners.get(steps[i + 1]!)!;
      let continued = 0;
      if (next) for (const u of here) if (next.has(u)) continued++;
      const t = totals.get(path)!;
      return {
        step: i + 1,
        path,
        learners: here.size,
        sessions: Math.round(t.weighted),
        average_engaged: t.n === 0 ? 0 : seconds(t.engagedMs / t.n),
        reach: share(here.size, first),
        // null on the last step: there is no next step to drop off to.
        continued: next ? continued : null,
        drop_off: next ? (here.size === 0 ? 0 : share(here.size - continued, here.size)) : null,
      };
    }),
  };
}

export function returning(rows: readonly FirstSession[], now: number) {
  const groups = new Map<string, { band: string; users: number; minEngaged: number; w7: [number, number]; w30: [number, number] }>();
  const all = { users: 0, w7: [0, 0] as [number, number], w30: [0, 0] as [number, number] };
  for (const r of rows) {
    const band = r.band ?? 'none';
    const g = groups.get(band) ?? { band, users: 0, minEngaged: Infinity, w7: [0, 0], w30: [0, 0] };
    g.users++;
    g.minEngaged = Math.min(g.minEngaged, r.firstEngagedMs);
    all.users++;
    for (const [days, slot] of [[7, 'w7'], [30, 'w30']] as const) {
      const windowEnd = r.firstAt + days * DAY_MS;
      const back = r.nextAt !== null && r.nextAt <= windowEnd;
      // Judged once the window has passed, or earlier when the user already came back inside it.
      if (windowEnd > now && !back) continue;
      g[slot][0]++;
      all[slot][0]++;
      if (back) {
        g[slot][1]++;
        all[slot][1]++;
      }
    }
    groups.set(band, g);
  }
  const figures = (w7: [number, number], w30: [number, number]) => ({
    eligible_7d: w7[0], returned_7d: w7[1], share_7d: share(w7[1], w7[0]),
    eligible_30d: w30[0], returned_30d: w30[1], share_30d: share(w30[1], w30[0]),
  });
  return {
    users: all.users,
    ...figures(all.w7, all.w30),
    // Bands from the least engaged up, as the bands report orders them.
    bands: [...groups.values()]
      .sort((a, b) => a.minEngaged - b.minEngaged || (a.band < b.band ? -1 : 1))
      .map((g) => ({ band: g.band, users: g.users, ...figures(g.w7, g.w30) })),
  };
}

export function activeUsers(days: readonly string[], rows: readonly ActiveRow[]) {
  const perDay = new Map(days.map((d) => [d, { identified: new Set<string>(), anonymous: new Set<string>() }]));
  const perWeek = new Map<string, { start: string; end: string; identified: Set<string>; anonymous: Set<string> }>();
  const total = { identified: new Set<string>(), anonymous: new Set<string>() };
  const last = days[days.length - 1] ?? '';
  for (const day of days) {
    const w = periodOf(day, 'week');
    if (!perWeek.has(w.start)) perWeek.set(w.start, { start: day, end: w.end < last ? w.end : last, identified: new Set(), anonymous: new Set() });
  }
  for (const r of rows) {
    const kind = r.identified ? 'identified' : 'anonymous';
    perDay.get(r.day)?.[kind].add(r.userKey);
    perWeek.get(periodOf(r.day, 'week').start)?.[kind].add(r.userKey);
    total[kind].add(r.userKey);
  }
  return {
    identified: total.identified.size,
    anonymous: total.anonymous.size,
    days: [...perDay.entries()].map(([date, d]) => ({ date, identified: d.identified.size, anonymous: d.anonymous.size })),
    weeks: [...perWeek.values()].map((w) => ({ start: w.start, end: w.end, identified: w.identified.size, anonymous: w.anonymous.size })),
  };
}
