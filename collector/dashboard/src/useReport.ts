/**
 * One GET report: `{ status, data, error, retry }`, refetched when its parameters, the token or `refresh`
 * change, and aborted when superseded or unmounted. A 401 goes to `onUnauthorized` so the page can ask for
 * a token once, not once per panel. Parameters that are `undefined` are left out of the query.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ReportError, requestReport } from 'session-metrics/react';
import { takeStartedReport } from './firstReports';

export type ReportState<T> = (
  | { status: 'loading'; data?: T }
  | { status: 'done'; data: T }
  | { status: 'error'; error: ReportError; data?: undefined }
) & { retry?: () => void };

export interface ReportContext {
  token: string;
  baseUrl?: string;
  onUnauthorized: (error: ReportError) => void;
  fetch?: typeof fetch;
}

export type ReportParams = Record<string, string | undefined>;

export function queryOf(params: ReportParams): string {
  const defined = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  return new URLSearchParams(defined).toString();
}

export function useReport<T>(path: string | null, params: ReportParams, context: ReportContext, refresh = 0): ReportState<T> {
  const query = queryOf(params);
  const [state, setState] = useState<ReportState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const onUnauthorized = useRef(context.onUnauthorized);
  onUnauthorized.current = context.onUnauthorized;
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    // Keep the previous figures on screen while the new ones load: panels do not jump.
    setState((s) => ({ status: 'loading', data: s.status === 'error' ? undefined : s.data }));
    const url = `${path}?${query}`;
    // The first screen's reports were asked for before React rendered (firstReports.ts); take that request once.
    const started = context.fetch ? undefined : takeStartedReport<T>(url, context.token, context.baseUrl);
    (started ?? requestReport<T>(url, {}, { baseUrl: context.baseUrl, token: context.token, fetch: context.fetch, signal: controller.signal }))
      .then((data) => controller.signal.aborted || setState({ status: 'done', data }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const reportError = error instanceof ReportError ? error : new ReportError('SM_UNKNOWN', String(error), 0);
        if (reportError.status === 401) onUnauthorized.current(reportError);
        setState({ status: 'error', error: reportError });
      });
    return () => controller.abort();
  }, [path, query, context.token, context.baseUrl, context.fetch, refresh, attempt]);

  return { ...state, retry };
}
