/**
 * The dashboard's reports on any store: `withReports(base, exec)` adds them to a store's own methods, and
 * sends the rolled-up reports to their filtered forms (store/reports/filtered.ts) when a `meta` dimension
 * filters the range. Each store passes its own query runner; the SQL is the same for both.
 */
import type { Store } from '../types';
import { alertReports } from './alerts';
import { dimensionReports } from './dimensions';
import type { Exec } from './filter';
import { filteredReports } from './filtered';
import { learningReports } from './learning';
import { pageReports } from './page';
import { siteReports } from './sites';
import { userPageReports } from './users-page';

export function dashboardReports(exec: Exec) {
  return { ...alertReports(exec), ...dimensionReports(exec), ...learningReports(exec), ...pageReports(exec), ...siteReports(exec), ...userPageReports(exec) };
}

export type DashboardReports = ReturnType<typeof dashboardReports>;

export function withReports(base: Omit<Store, keyof DashboardReports>, exec: Exec): Store {
  const filtered = filteredReports(exec);
  return {
    ...base,
    ...dashboardReports(exec),
    perUser: (range) => (range.meta ? filtered.perUser(range) : base.perUser(range)),
    summary: (range) => (range.meta ? filtered.summary(range) : base.summary(range)),
    daily: (range) => (range.meta ? filtered.daily(range) : base.daily(range)),
    durationBuckets: (range, bounds) => (range.meta ? filtered.durationBuckets(range, bounds) : base.durationBuckets(range, bounds)),
    breaks: (range) => (range.meta ? filtered.breaks(range) : base.breaks(range)),
    bands: (range) => (range.meta ? filtered.bands(range) : base.bands(range)),
    pages: (range, limit) => (range.meta ? filtered.pages(range, limit) : base.pages(range, limit)),
  };
}
