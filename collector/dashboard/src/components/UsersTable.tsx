/**
 * Per user: average session duration, sessions and engaged time over the dashboard's range, as a table
 * a person works with: search by user id, sort by any figure (on the server, so the order holds across
 * pages), page through 25 at a time. Identified people and anonymous browsers are told apart and counted
 * apart. Reads POST /api/session-duration with its paging fields; the CSV is the same query, every row.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ReportError, requestReport } from 'session-metrics/react';
import { formatCount, formatDuration } from '../format';
import type { ReportContext, ReportState } from '../useReport';
import type { View } from '../view';
import { CsvButton } from './CsvButton';
import { ReportProblem } from './Panel';

type OrderKey = 'average_duration' | 'sessions' | 'user_id';
interface UserRow {
  user_id: string;
  average_duration: number;
  sessions: number;
  average_engaged: number;
  identified: boolean;
}
interface UserPage {
  results: UserRow[];
  total: number;
  identified_users: number;
  anonymous_users: number;
}

export const PAGE_SIZE = 25;
const COLUMNS: { key: OrderKey | null; label: string; numeric: boolean }[] = [
  { key: 'user_id', label: 'User', numeric: false },
  { key: 'sessions', label: 'Sessions', numeric: true },
  { key: 'average_duration', label: 'Average duration', numeric: true },
  { key: null, label: 'Average engaged', numeric: true },
];

export function UsersTable({ view, context, refresh }: { view: View; context: ReportContext; refresh: number }) {
  const id = useId();
  const [input, setInput] = useState('');
  const [search, setSearch] = useState('');
  const [order, setOrder] = useState<{ by: OrderKey; direction: 'asc' | 'desc' }>({ by: 'average_duration', direction: 'desc' });
  const [offset, setOffset] = useState(0);
  const [state, setState] = useState<ReportState<UserPage>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const body = {
    start_date: view.start, end_date: view.end, site_id: view.site, meta_key: view.meta?.key, meta_value: view.meta?.value,
    order, search: search || undefined,
  };
  const key = JSON.stringify(body);
  // A new range, site, filter, search or order starts again at the first page.
  useEffect(() => setOffset(0), [key]);

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ status: 'loading', data: s.data }));
    requestReport<UserPage>('/api/session-duration', { method: 'POST', body: { ...JSON.parse(key), limit: PAGE_SIZE, offset } }, { baseUrl: context.baseUrl, token: context.token, fetch: context.fetch, signal: controller.signal })
      .then((data) => setState({ status: 'done', data }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const e = error instanceof ReportError ? error : new ReportError('SM_UNKNOWN', String(error), 0);
        if (e.status === 401) context.onUnauthorized(e);
        setState({ status: 'error', error: e });
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, offset, context.token, context.baseUrl, refresh, attempt]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(input.trim());
  };
  const data = state.data;
  const last = data ? Math.min(offset + PAGE_SIZE, data.total) : 0;

  return (
    <div className="users" aria-busy={state.status === 'loading'}>
      <div className="users__bar">
        <form className="users__search" role="search" onSubmit={submit}>
          <label htmlFor={`${id}-q`}>Find a user</label>
          <div className="users__searchrow">
            <input id={`${id}-q`} type="search" value={input} placeholder="user id contains…" onChange={(e) => setInput(e.target.value)} />
            <button type="submit" className="secondary">Search</button>
          </div>
        </form>
        <CsvButton
          what="per-user figures for the range"
          path="/api/session-duration"
          body={body}
          filename={`session-metrics-users-${view.start}-${view.end}.csv`}
          token={context.token}
          baseUrl={context.baseUrl}
          onUnauthorized={context.onUnauthorized}
        />
      </div>
      {state.status === 'error' ? <ReportProblem state={{ ...state, retry: () => setAttempt((n) => n + 1) }} /> : null}
      {data ? (
        <>
          <p className="users__count" role="status" data-testid="users-count">
            {data.total === 0
              ? search ? `No user id contains "${search}".` : 'No sessions in this range.'
              : `${formatCount(data.total)} ${data.total === 1 ? 'user' : 'users'}${search ? ` matching "${search}"` : ''}: ${formatCount(data.identified_users)} identified, ${formatCount(data.anonymous_users)} anonymous browsers.`}
          </p>
          {data.results.length ? (
            <div className="table-scroll" role="region" aria-label="Per-user table, scrolls sideways" tabIndex={0}>
              <table>
                <caption className="visually-hidden">
                  Users {offset + 1} to {last} of {data.total}, sorted by {order.by.replace('_', ' ')}, {order.direction === 'desc' ? 'descending' : 'ascending'}
                </caption>
                <thead>
                  <tr>
                    {COLUMNS.map((c) => {
                      const active = c.key === order.by;
                      return (
                        <th key={c.label} scope="col" className={c.numeric ? 'num' : undefined} aria-sort={c.key ? (active ? (order.direction === 'desc' ? 'descending' : 'ascending') : 'none') : undefined}>
                          {c.key ? (
                            <button
                              type="button"
                              className="sort"
                              onClick={() => setOrder(active ? { by: c.key!, direction: order.direction === 'desc' ? 'asc' : 'desc' } : { by: c.key!, direction: c.numeric ? 'desc' : 'asc' })}
                            >
                              {c.label}
                              <span aria-hidden="true" className="sort__arrow">{active ? (order.direction === 'desc' ? '▼' : '▲') : '↕'}</span>
                            </button>
                          ) : (
                            c.label
                          )}
                        </th>
                      );
                    })}
                  </tr>
                </thead>
                <tbody>
                  {data.results.map((u) => (
                    <tr key={u.user_id}>
                      <th scope="row">
                        {u.identified ? u.user_id : (
                          <>
                            <span className="badge">anonymous</span> <span className="muted mono" title={u.user_id}>{u.user_id.length > 12 ? `${u.user_id.slice(0, 8)}…` : u.user_id}</span>
                          </>
                        )}
                      </th>
                      <td className="num">{formatCount(u.sessions)}</td>
                      <td className="num">{formatDuration(u.average_duration)}</td>
                      <td className="num">{formatDuration(u.average_engaged)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {data.total > PAGE_SIZE ? (
            <nav className="pager" aria-label="Per-user pages">
              <button type="button" className="secondary small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
                ← Previous
              </button>
              <span data-testid="users-page">
                {formatCount(offset + 1)}–{formatCount(last)} of {formatCount(data.total)}
              </span>
              <button type="button" className="secondary small" disabled={last >= data.total} onClick={() => setOffset(offset + PAGE_SIZE)}>
                Next →
              </button>
            </nav>
          ) : null}
        </>
      ) : state.status === 'loading' ? (
        <p className="panel__loading">Loading…</p>
      ) : null}
    </div>
  );
}
