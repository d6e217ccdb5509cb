/** Report ranges: inclusive `YYYY-MM-DD` days in UTC, as the reporting API counts them. */

export interface DateRange {
  start: string;
  end: string;
}

const DAY_MS = 86_400_000;

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The `days` UTC days ending with today: `lastDays(30)` is today and the 29 days before. */
export function lastDays(days: number, now: number = Date.now()): DateRange {
  return { start: isoDay(now - (days - 1) * DAY_MS), end: isoDay(now) };
}

/** Seconds since the epoch of a `YYYY-MM-DD` day's UTC midnight (uPlot's x values are in seconds). */
export function dayToSeconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

/** `?start=YYYY-MM-DD&end=YYYY-MM-DD` from a shared link, when both are days and in order. */
export function rangeFromSearch(search: string): DateRange | null {
  const query = new URLSearchParams(search);
  const start = query.get('start');
  const end = query.get('end');
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!start || !end || !day.test(start) || !day.test(end) || start > end) return null;
  if (Number.isNaN(Date.parse(`${start}T00:00:00Z`)) || Number.isNaN(Date.parse(`${end}T00:00:00Z`))) return null;
  return { start, end };
}
