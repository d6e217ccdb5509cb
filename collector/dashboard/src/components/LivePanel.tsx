/**
 * Sessions active now (last activity within 5 minutes, not ended), pushed by the collector over
 * `/api/live`. Only the one-line summary is an `aria-live` region: re-reading the whole table at
 * every 15 s heartbeat would drown a screen reader.
 */
import { useEffect, useState } from 'react';
import type { ReportError } from 'session-metrics/react';
import { watchLive, type LiveSnapshot, type LiveStatus } from '../watchLive';
import { formatDuration } from '../format';
import { Path } from './Path';

export interface LivePanelProps {
  /** Only this site's sessions, when given. */
  site?: string | undefined;
  /** Only the sessions whose meta has this value (the view's dimension filter), when given. */
  meta?: { key: string; value: string } | undefined;
  token: string;
  baseUrl?: string;
  onUnauthorized: (error: ReportError) => void;
}

/** Rows shown; the collector sends newest first, and a panel of hundreds of rows helps nobody. */
const SHOWN = 50;

const STATUS_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  open: 'Live',
  retrying: 'Reconnecting…',
  stopped: 'Stopped',
};

export function LivePanel({ site, meta, token, baseUrl, onUnauthorized }: LivePanelProps) {
  const [snapshot, setSnapshot] = useState<LiveSnapshot | null>(null);
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(
    () => {
      // The collector filters the stream (GET /api/live?site=&meta_key=&meta_value=); the old figures go with the old filter.
      setSnapshot(null);
      return watchLive({ token, site, meta, baseUrl, onSnapshot: setSnapshot, onStatus: (s) => setStatus(s), onUnauthorized });
    },
    // A new token (after the prompt) or filter is a new stream; a new callback identity is not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [token, baseUrl, site, meta?.key, meta?.value],
  );

  const sessions = snapshot?.sessions ?? [];
  return (
    <div className="live">
      <p className="live__summary">
        <span className={`live__dot live__dot--${status}`} aria-hidden="true" />
        <span className="live__status">{STATUS_TEXT[status]}</span>
        {/* Only the count is live: the time changes with every heartbeat and is not worth announcing. */}
        <span aria-live="polite" aria-atomic="true" data-testid="live-count">
          {snapshot ? `${sessions.length} ${sessions.length === 1 ? 'session' : 'sessions'} active now` : 'Waiting for the first update'}
        </span>
        {snapshot ? <span className="muted">as of {snapshot.at.slice(11, 19)} UTC</span> : null}
      </p>
      {sessions.length > 0 ? (
        <div className="table-scroll" role="region" aria-label="Sessions active now, scrolls sideways" tabIndex={0}>
          <table className="compact">
            <caption className="visually-hidden">Sessions active now</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Page</th>
                <th scope="col" className="num">
                  Engaged
                </th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col">Last active (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {sessions.slice(0, SHOWN).map((s) => (
                <tr key={s.session_id} data-session-id={s.session_id}>
                  <th scope="row">{s.user_id ?? <span className="muted">anonymous</span>}</th>
                  <td className="path">{s.page ? <Path path={s.page} /> : '—'}</td>
                  <td className="num">{formatDuration(s.engaged_seconds)}</td>
                  <td className="num">{formatDuration(s.duration_seconds)}</td>
                  <td>{s.last_active_at.slice(11, 19)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {sessions.length > SHOWN ? <p className="muted">and {sessions.length - SHOWN} more, most recently active first.</p> : null}
        </div>
      ) : snapshot ? (
        <p className="empty">Nobody is active right now.</p>
      ) : null}
    </div>
  );
}
