/**
 * One GET report for the dashboard's range: `{ status, data, error }`, refetched when the range,
 * the token or `refresh` changes, and aborted when superseded or unmounted. A 401 goes to
 * `onUnauthorized` so the page can ask for a token once, not once per panel.
 */
import { useEffect, useRef, useState } from 'react';
import { ReportError, requestReport } from '../../../src/react/requestReport';
import type { DateRange } from './dateRange';

export type ReportState<T> =
  | { status: 'loading'; data?: T }
  | { status: 'done'; data: T }
  | { status: 'error'; error: ReportError; data?: undefined };

export interface ReportContext {
  token: string;
  baseUrl?: string;
  onUnauthorized: (error: ReportError) => void;
  fetch?: typeof fetch;
}

export function useReport<T>(path: string, params: DateRange | Record<string, string>, context: ReportContext, refresh = 0): ReportState<T> {
  const query = new URLSearchParams(params as Record<string, string>).toString();
  const [state, setState] = useState<ReportState<T>>({ status: 'loading' });
  const onUnauthorized = useRef(context.onUnauthorized);
  onUnauthorized.current = context.onUnauthorized;

  useEffect(() => {
    const controller = new AbortController();
    // Keep the previous figures on screen while the new ones load: panels do not jump.
    setState((s) => ({ status: 'loading', data: s.status === 'error' ? undefined : s.data }));
    requestReport<T>(`${path}?${query}`, {}, { baseUrl: context.baseUrl, token: context.token, fetch: context.fetch, signal: controller.signal })
      .then((data) => setState({ status: 'done', data }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const reportError = error instanceof ReportError ? error : new ReportError('SM_UNKNOWN', String(error), 0);
        if (reportError.status === 401) onUnauthorized.current(reportError);
        setState({ status: 'error', error: reportError });
      });
    return () => controller.abort();
  }, [path, query, context.token, context.baseUrl, context.fetch, refresh]);

  return state;
}
