/**
 * What the dashboard shows, as the address bar says it, so a view can be shared: the range (`start`,
 * `end`), the site, the trend's granularity, a dimension filter (`meta=key:value`), an open page's detail
 * (`page`) and the course pattern (`course`). The token is never part of it.
 */
import { lastDays, rangeFromSearch, type DateRange } from './dateRange';

export type Interval = 'day' | 'week' | 'month';
export const INTERVALS: Interval[] = ['day', 'week', 'month'];

export interface View extends DateRange {
  site?: string | undefined;
  interval: Interval;
  meta?: { key: string; value: string } | undefined;
  page?: string | undefined;
  course?: string | undefined;
}

export const DEFAULT_COURSE = '/lessons/*';

export function viewFromSearch(search: string, now: number = Date.now()): View {
  const query = new URLSearchParams(search);
  const range = rangeFromSearch(search) ?? lastDays(30, now);
  const interval = query.get('interval');
  const meta = query.get('meta');
  const split = meta ? meta.indexOf(':') : -1;
  return {
    ...range,
    site: query.get('site') || undefined,
    interval: interval === 'week' || interval === 'month' ? interval : 'day',
    meta: meta && split > 0 ? { key: meta.slice(0, split), value: meta.slice(split + 1) } : undefined,
    page: query.get('page') || undefined,
    course: query.get('course') || undefined,
  };
}

export function searchOfView(view: View): string {
  const query = new URLSearchParams({ start: view.start, end: view.end });
  if (view.site) query.set('site', view.site);
  if (view.interval !== 'day') query.set('interval', view.interval);
  if (view.meta) query.set('meta', `${view.meta.key}:${view.meta.value}`);
  if (view.course) query.set('course', view.course);
  if (view.page) query.set('page', view.page);
  return `?${query.toString()}`;
}

/** The query every range report takes for this view. */
export function reportParams(view: Pick<View, 'start' | 'end' | 'site' | 'meta'>): Record<string, string | undefined> {
  return { start: view.start, end: view.end, site: view.site, meta_key: view.meta?.key, meta_value: view.meta?.value };
}

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The range of the same length that ends the day before `range` starts. */
export function previousRange(range: DateRange): DateRange {
  const start = Date.parse(`${range.start}T00:00:00Z`);
  const length = (Date.parse(`${range.end}T00:00:00Z`) - start) / DAY_MS + 1;
  return { start: day(start - length * DAY_MS), end: day(start - DAY_MS) };
}

/** Days in a range, inclusive. */
export const rangeDays = (range: DateRange) => (Date.parse(`${range.end}T00:00:00Z`) - Date.parse(`${range.start}T00:00:00Z`)) / DAY_MS + 1;
