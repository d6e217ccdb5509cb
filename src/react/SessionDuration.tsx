/**
 * `<SessionDuration />`: average session duration per user over a date range, from the
 * collector's `POST /api/session-duration`. The module documentation's component done properly:
 * labelled inputs, a form (so Enter submits), loading, empty and error states announced to screen
 * readers, requests that cannot overwrite each other, and nothing fetched after unmount.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ReportError, requestReport } from './requestReport';

/** One row of `POST /api/session-duration`: durations in seconds, rounded to 0.1 s by the collector. */
export interface SessionDurationResult {
  /** `userId` from `identify()`, else the anonymous id. */
  user_id: string;
  average_duration: number;
  sessions?: number;
  average_engaged?: number;
}

export interface SessionDurationProps {
  /** Where the collector answers. @defaultValue `''` (the page's own origin) */
  apiBaseUrl?: string;
  /** Bearer token for the reporting API. */
  token?: string;
  /** Initial value of "Start Date" (`YYYY-MM-DD`). @defaultValue `''` */
  defaultStartDate?: string;
  /** Initial value of "End Date" (`YYYY-MM-DD`). @defaultValue `''` */
  defaultEndDate?: string;
  /** Fetch once on mount with the default dates, as if "Get Metrics" were pressed. @defaultValue `false` */
  autoLoad?: boolean;
  /** Heading above the form; `null` for none (when the host page has its own). @defaultValue `'Session Duration Metrics'` */
  title?: string | null;
  /** Called with every failed request, e.g. to ask for a new token when `error.code` is `SM_UNAUTHORIZED`. */
  onError?: (error: ReportError) => void;
  /** Injected for tests and for hosts that wrap `fetch`. @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch;
  className?: string;
}

/** A finished answer with the range it answers, so the caption never describes edited inputs. */
interface Loaded {
  results: SessionDurationResult[];
  start: string;
  end: string;
}

type State =
  | { status: 'idle' }
  | { status: 'loading'; previous: Loaded | null }
  | ({ status: 'done' } & Loaded)
  | { status: 'error'; message: string };

export function SessionDuration({
  apiBaseUrl = '',
  token,
  defaultStartDate = '',
  defaultEndDate = '',
  autoLoad = false,
  title = 'Session Duration Metrics',
  onError,
  fetch: fetchImpl,
  className,
}: SessionDurationProps) {
  const id = useId();
  const [startDate, setStartDate] = useState(defaultStartDate);
  const [endDate, setEndDate] = useState(defaultEndDate);
  const [state, setState] = useState<State>({ status: 'idle' });
  // Only the newest request may write state: an older, slower answer must not replace it.
  const inFlight = useRef<AbortController | null>(null);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  const load = useCallback(
    async (start: string, end: string) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      setState((s) => ({ status: 'loading', previous: s.status === 'done' ? s : null }));
      try {
        const body = await requestReport<{ results?: unknown }>(
          '/api/session-duration',
          { method: 'POST', body: { start_date: start, end_date: end } },
          { baseUrl: apiBaseUrl, token, fetch: fetchImpl, signal: controller.signal },
        );
        if (!Array.isArray(body.results)) {
          throw new ReportError('SM_BAD_RESPONSE', 'The collector\'s answer has no "results" list.', 200);
        }
        if (inFlight.current === controller) {
          setState({ status: 'done', results: body.results as SessionDurationResult[], start, end });
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        const reportError =
          error instanceof ReportError ? error : new ReportError('SM_UNKNOWN', String((error as Error)?.message ?? error), 0);
        setState({ status: 'error', message: reportError.message });
        onErrorRef.current?.(reportError);
      } finally {
        if (inFlight.current === controller) inFlight.current = null;
      }
    },
    [apiBaseUrl, token, fetchImpl],
  );

  // Stop whatever is in flight when the component goes away: no state updates after unmount.
  useEffect(() => () => inFlight.current?.abort(), []);

  useEffect(() => {
    if (autoLoad) void load(defaultStartDate, defaultEndDate);
    // Only on mount: later loads are the user's ("Get Metrics"). Hosts remount (`key`) to reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void load(startDate, endDate);
  };

  const loading = state.status === 'loading';
  const shown = state.status === 'done' ? state : state.status === 'loading' ? state.previous : null;

  return (
    <section className={className ? `sm-session-duration ${className}` : 'sm-session-duration'} aria-labelledby={title ? `${id}-title` : undefined}>
      {title ? <h2 id={`${id}-title`}>{title}</h2> : null}
      {/* noValidate: the collector's message for a bad or reversed range is the one to show. */}
      <form className="sm-session-duration__form" onSubmit={submit} noValidate>
        <div className="sm-field">
          <label htmlFor={`${id}-start`}>Start Date</label>
          <input id={`${id}-start`} type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} />
        </div>
        <div className="sm-field">
          <label htmlFor={`${id}-end`}>End Date</label>
          <input id={`${id}-end`} type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />
        </div>
        <button type="submit" disabled={loading} aria-busy={loading}>
          Get Metrics
        </button>
      </form>

      <p className="sm-session-duration__status" role="status">
        {state.status === 'loading'
          ? 'Loading…'
          : state.status === 'done'
            ? state.results.length === 0
              ? 'No sessions in this date range.'
              : `${state.results.length} ${state.results.length === 1 ? 'user' : 'users'}.`
            : state.status === 'idle'
              ? 'Choose a date range and press "Get Metrics".'
              : ''}
      </p>
      {state.status === 'error' ? (
        <p className="sm-session-duration__error" role="alert">
          {state.message}
        </p>
      ) : null}

      {shown && shown.results.length > 0 ? (
        <div className="sm-table-scroll">
          <table aria-busy={loading}>
            <caption>
              Average session duration per user, {shown.start} to {shown.end} (UTC)
            </caption>
            <thead>
              <tr>
                <th scope="col">User ID</th>
                <th scope="col">Sessions</th>
                <th scope="col">Average Session Duration (seconds)</th>
                <th scope="col">Average Engaged Time (seconds)</th>
              </tr>
            </thead>
            <tbody>
              {shown.results.map((row) => (
                <tr key={row.user_id}>
                  <th scope="row">{row.user_id}</th>
                  <td>{row.sessions ?? '—'}</td>
                  <td>{formatSeconds(row.average_duration)}</td>
                  <td>{row.average_engaged === undefined ? '—' : formatSeconds(row.average_engaged)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** Seconds with one decimal, as the collector rounds them: `12` -> `12.0`. */
function formatSeconds(seconds: number): string {
  return Number.isFinite(seconds) ? seconds.toFixed(1) : '—';
}
