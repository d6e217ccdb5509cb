/**
 * The reports the first screen needs (the headline's summary, the previous period's, the site list), asked
 * for as soon as the script runs, before React renders the page: the answers then travel while the app
 * mounts instead of after it. `useReport` takes a request started here in place of its own, once; anything
 * not taken (another view, a token refused) is simply never read.
 */
import { requestReport } from 'session-metrics/react';
import { takeToken } from './token';
import { queryOf, type ReportParams } from './useReport';
import { previousRange, reportParams, viewFromSearch } from './view';

const started = new Map<string, Promise<unknown>>();
// The token taken from the address as the page loaded: kept for the app, which would not find it again
// where storage is blocked (takeToken clears the fragment).
let loadToken: string | null = null;

/** The token startFirstReports took, once. */
export function takeLoadToken(): string | null {
  const token = loadToken;
  loadToken = null;
  return token;
}
const keyOf = (url: string, token: string, baseUrl: string) => `${baseUrl}\u0000${token}\u0000${url}`;

/** Starts one report as useReport would ask for it (`path?query`), with `token`. */
export function startReport(path: string, params: ReportParams, token: string, baseUrl = '', fetchImpl: typeof fetch = globalThis.fetch): void {
  const url = `${path}?${queryOf(params)}`;
  const request = requestReport(url, {}, { token, baseUrl, fetch: fetchImpl });
  // Rejections are handed to whoever takes the request; one never taken must not be an unhandled rejection.
  request.catch(() => {});
  started.set(keyOf(url, token, baseUrl), request);
}

/** The request started for `url` with this token, once; undefined when none was. */
export function takeStartedReport<T>(url: string, token: string, baseUrl = ''): Promise<T> | undefined {
  const key = keyOf(url, token, baseUrl);
  const request = started.get(key) as Promise<T> | undefined;
  started.delete(key);
  return request;
}

/** The first screen's reports for the address the page was opened at, when a token is at hand. */
export function startFirstReports(search: string = location.search, baseUrl = '', fetchImpl: typeof fetch = globalThis.fetch): void {
  const token = (loadToken = takeToken());
  if (!token) return;
  const view = viewFromSearch(search);
  startReport('/api/reports/sites', {}, token, baseUrl, fetchImpl);
  if (view.page) return;
  const params = reportParams(view);
  startReport('/api/reports/summary', params, token, baseUrl, fetchImpl);
  startReport('/api/reports/summary', { ...params, ...previousRange(view) }, token, baseUrl, fetchImpl);
}
