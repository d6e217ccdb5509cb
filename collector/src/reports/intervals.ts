/**
 * Day, week and month granularity for the trend: the daily aggregates summed per ISO week (Monday first)
 * or calendar month, clipped to the range, so a mean is a mean of the period's sessions and not of its days.
 * A period is `complete` when it lies whole inside the range and has ended before today (UTC): the
 * dashboard draws the others (today so far, a clipped week) as partial instead of as a fall.
 */
import type { DayAggregate } from '../store/types';

export type Interval = 'day' | 'week' | 'month';
export const INTERVALS: readonly Interval[] = ['day', 'week', 'month'];

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** First and last day of the calendar period (`interval`) that holds `day`. */
export function periodOf(day: string, interval: Interval): { start: string; end: string } {
  const t = ms(day);
  if (interval === 'day') return { start: day, end: day };
  if (interval === 'week') {
    const monday = t - ((new Date(t).getUTCDay() + 6) % 7) * DAY_MS;
    return { start: iso(monday), end: iso(monday + 6 * DAY_MS) };
  }
  const d = new Date(t);
  return { start: iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)), end: iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)) };
}

export interface Period {
  /** First and last day of the period inside the range. */
  start: string;
  end: string;
  complete: boolean;
  n: number;
  weighted: number;
  durationMs: number;
  engagedMs: number;
}

export function periods(days: readonly string[], rows: readonly DayAggregate[], interval: Interval, today: string): Period[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: Period[] = [];
  const first = days[0];
  const last = days[days.length - 1];
  for (const day of days) {
    const whole = periodOf(day, interval);
    let p = out[out.length - 1];
    if (!p || p.end < whole.start) {
      const complete = first !== undefined && last !== undefined && whole.start >= first && whole.end <= last && whole.end < today;
      p = { start: day, end: minDay(whole.end, last ?? whole.end), complete, n: 0, weighted: 0, durationMs: 0, engagedMs: 0 };
      out.push(p);
    }
    const r = byDay.get(day);
    if (r) {
      p.n += r.n;
      p.weighted += r.weighted;
      p.durationMs += r.durationMs;
      p.engagedMs += r.engagedMs;
    }
  }
  return out;
}

const minDay = (a: string, b: string) => (a < b ? a : b);
