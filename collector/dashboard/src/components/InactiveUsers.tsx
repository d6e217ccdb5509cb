/**
 * Identified users whose last activity is at least N days ago: whom to send a reminder
 * ("Detect inactive users" in the module documentation). Only `identify()`d users appear: an
 * anonymous id cannot be reminded of anything. Not tied to the dashboard's range: it is about now.
 */
import { useId, useState, type FormEvent } from 'react';
import { useReport, type ReportContext } from '../useReport';
import { formatCount, formatInstant } from '../format';
import { CsvButton } from './CsvButton';
import { ReportProblem } from './Panel';

interface InactiveUser {
  user_id: string;
  last_active_at: string;
  sessions: number;
}

export function InactiveUsers({ context, refresh = 0, site }: { context: ReportContext; refresh?: number; site?: string | undefined }) {
  const id = useId();
  const [input, setInput] = useState('14');
  const [days, setDays] = useState(14);
  const [problem, setProblem] = useState<string | null>(null);
  const state = useReport<{ users: InactiveUser[] }>('/api/reports/inactive-users', { days: String(days), site }, context, refresh);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const n = Number(input);
    if (!Number.isInteger(n) || n < 0 || n > 3660) {
      setProblem('Days must be a whole number from 0 to 3660.');
      return;
    }
    setProblem(null);
    setDays(n);
  };

  return (
    <>
      <div className="inactive__bar">
        <form className="inactive__form" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${id}-days`}>Inactive for at least (days)</label>
            <input id={`${id}-days`} type="number" inputMode="numeric" min={0} max={3660} step={1} value={input} onChange={(e) => setInput(e.target.value)} />
          </div>
          <button type="submit">Show</button>
        </form>
        <CsvButton
          what="inactive users"
          path={`/api/reports/inactive-users?days=${days}${site ? `&site=${encodeURIComponent(site)}` : ''}`}
          filename={`session-metrics-inactive-${days}-days.csv`}
          token={context.token}
          baseUrl={context.baseUrl}
          onUnauthorized={context.onUnauthorized}
        />
      </div>
      {problem ? (
        <p className="panel__error" role="alert">
          {problem}
        </p>
      ) : null}
      {state.status === 'error' ? (
        <ReportProblem state={state} />
      ) : state.status === 'loading' ? (
        <p className="panel__loading">Loading…</p>
      ) : state.data.users.length === 0 ? (
        <p className="empty">Every identified user was active in the last {days} days.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Inactive users, scrolls sideways" tabIndex={0}>
          <table className="compact">
            <caption>
              {formatCount(state.data.users.length)} {state.data.users.length === 1 ? 'user' : 'users'} inactive for {days} days or more, longest first
            </caption>
            <thead>
              <tr>
                <th scope="col">User ID</th>
                <th scope="col">Last active</th>
                <th scope="col" className="num">
                  Sessions
                </th>
              </tr>
            </thead>
            <tbody>
              {state.data.users.map((u) => (
                <tr key={u.user_id}>
                  <th scope="row">{u.user_id}</th>
                  <td>{formatInstant(u.last_active_at)}</td>
                  <td className="num">{formatCount(u.sessions)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
