/**
 * `/dashboard/embed.html`: `<SessionDuration />` from `session-metrics/react` as a host page embeds it,
 * with its own date inputs and "Get Metrics" (the seed's behaviour), for hosts to try and for its browser
 * test. The token comes as on the dashboard (`#token=...`, then sessionStorage).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SessionDuration } from 'session-metrics/react';
import { rangeFromSearch } from './dateRange';
import { takeToken } from './token';
import './styles.css';

const range = rangeFromSearch(location.search);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <main className="grid">
      <section className="panel wide" data-testid="users">
        <SessionDuration token={takeToken() ?? undefined} defaultStartDate={range?.start ?? ''} defaultEndDate={range?.end ?? ''} autoLoad={range !== null} />
      </section>
      <p className="wide">
        <a href="/dashboard/">Back to the dashboard</a>
      </p>
    </main>
  </StrictMode>,
);
