/**
 * The dashboard: a date range over every report of the collector, the live panel, and the per-user
 * table (`<SessionDuration />`, the same component hosts embed). It holds the token and the range;
 * each panel fetches its own report so one slow or failing report leaves the others readable.
 */
import { useCallback, useMemo, useState } from 'react';
import { SessionDuration } from '../../../src/react/SessionDuration';
import type { ReportError } from '../../../src/react/requestReport';
import { Panel } from './components/Panel';
import { Headline, type Summary } from './components/Headline';
import { TrendChart, type DailyPoint } from './components/TrendChart';
import { BarChart } from './components/BarChart';
import { PagesTable, type PageRow } from './components/PagesTable';
import { LivePanel } from './components/LivePanel';
import { CsvButton } from './components/CsvButton';
import { InactiveUsers } from './components/InactiveUsers';
import { RangePicker } from './components/RangePicker';
import { TokenPrompt } from './components/TokenPrompt';
import { lastDays, rangeFromSearch, type DateRange } from './dateRange';
import { forgetToken, saveToken, takeToken } from './token';
import { useReport, type ReportContext } from './useReport';
import { formatCount, formatDuration } from './format';

interface Durations {
  buckets: { label: string; min_seconds: number; max_seconds: number | null; sessions: number }[];
}
interface Breaks {
  sessions: number;
  breaks: number;
  total_seconds: number;
  average_per_session: number;
  histogram: Record<string, number>;
}
interface Bands {
  bands: { band: string; sessions: number }[];
}

export function App({ baseUrl = '' }: { baseUrl?: string }) {
  const [token, setToken] = useState<string | null>(() => takeToken());
  const [refused, setRefused] = useState<string | null>(null);

  const onUnauthorized = useCallback((error: ReportError) => {
    forgetToken();
    setToken(null);
    setRefused(`${error.message} Enter a valid token.`);
  }, []);

  if (!token) {
    return (
      <TokenPrompt
        refused={refused}
        onToken={(t) => {
          saveToken(t);
          setRefused(null);
          setToken(t);
        }}
      />
    );
  }
  return (
    <Dashboard
      context={{ token, baseUrl, onUnauthorized }}
      onSignOut={() => {
        forgetToken();
        setToken(null);
      }}
    />
  );
}

function Dashboard({ context, onSignOut }: { context: ReportContext; onSignOut: () => void }) {
  const [range, setRangeState] = useState<DateRange>(() => rangeFromSearch(location.search) ?? lastDays(30));
  const [refresh, setRefresh] = useState(0);
  const setRange = (next: DateRange) => {
    setRangeState(next);
    // The range goes in the query so a link shares the view; the token never does (it is not in it).
    history.replaceState(null, '', `${location.pathname}?start=${next.start}&end=${next.end}`);
  };

  const summary = useReport<Summary>('/api/reports/summary', range, context, refresh);
  const daily = useReport<{ days: DailyPoint[] }>('/api/reports/daily', range, context, refresh);
  const durations = useReport<Durations>('/api/reports/durations', range, context, refresh);
  const breaks = useReport<Breaks>('/api/reports/breaks', range, context, refresh);
  const bands = useReport<Bands>('/api/reports/bands', range, context, refresh);
  const pages = useReport<{ pages: PageRow[] }>('/api/reports/pages', range, context, refresh);

  const durationBars = useMemo(
    () => durations.data?.buckets.map((b) => ({ label: b.label, value: b.sessions })) ?? [],
    [durations.data],
  );
  const breakBars = useMemo(
    () => Object.entries(breaks.data?.histogram ?? {}).map(([label, value]) => ({ label, value })),
    [breaks.data],
  );
  const bandBars = useMemo(() => bands.data?.bands.map((b) => ({ label: b.band, value: b.sessions })) ?? [], [bands.data]);
  const empty = summary.status === 'done' && summary.data.sessions === 0;
  const csv = (what: string, report: string) => (
    <CsvButton
      what={what}
      path={`/api/reports/${report}?start=${range.start}&end=${range.end}`}
      filename={`session-metrics-${report}-${range.start}-${range.end}.csv`}
      token={context.token}
      baseUrl={context.baseUrl}
      onUnauthorized={context.onUnauthorized}
    />
  );

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the figures
      </a>
      <header className="top">
        <div className="top__title">
          <h1>Session metrics</h1>
          <p className="top__range">
            {range.start} to {range.end} <span className="muted">(UTC days)</span>
          </p>
        </div>
        <RangePicker range={range} onChange={setRange} />
        <div className="top__actions">
          <button type="button" className="secondary" onClick={() => setRefresh((n) => n + 1)}>
            Refresh
          </button>
          <button type="button" className="secondary" onClick={onSignOut}>
            Forget token
          </button>
        </div>
      </header>

      <main id="main" className="grid" tabIndex={-1}>
        {empty ? (
          <p className="notice wide" role="status">
            No sessions started in this range. Sessions appear here once a page with the SDK sends them to
            this collector (try <a href="/examples/plain/">the demo page</a>), or choose a longer range.
          </p>
        ) : null}

        <Panel title="Overview" state={summary} className="wide" testId="summary">
          {summary.data ? <Headline summary={summary.data} /> : null}
        </Panel>

        <Panel title="Daily trend" description="Sessions per day and their average engaged time." state={daily} className="wide" testId="daily" aside={csv('daily figures', 'daily')}>
          {daily.data ? <TrendChart days={daily.data.days} /> : null}
        </Panel>

        <Panel title="Session durations" description="Sessions by time from first to last engaged moment." state={durations} testId="durations">
          {durations.data ? <BarChart bars={durationBars} caption="Sessions by duration" /> : null}
        </Panel>

        <Panel title="Breaks" description="Idle or hidden gaps inside sessions." state={breaks} testId="breaks">
          {breaks.data ? (
            <>
              <dl className="stats">
                <div>
                  <dt>Breaks</dt>
                  <dd>{formatCount(breaks.data.breaks)}</dd>
                </div>
                <div>
                  <dt>Per session</dt>
                  <dd>{breaks.data.sessions ? breaks.data.average_per_session.toFixed(1) : '—'}</dd>
                </div>
                <div>
                  <dt>Total break time</dt>
                  <dd>{formatDuration(breaks.data.total_seconds)}</dd>
                </div>
              </dl>
              <BarChart bars={breakBars} caption="Breaks by length" valueLabel="Breaks" color="#0d9488" height={170} />
            </>
          ) : null}
        </Panel>

        <Panel title="Threshold bands" description="Sessions by the largest engaged-time threshold they reached." state={bands} testId="bands">
          {bands.data ? (
            bandBars.length ? (
              <BarChart bars={bandBars} caption="Sessions by threshold band" color="#d97706" height={170} />
            ) : (
              <p className="empty">No sessions in this range.</p>
            )
          ) : null}
        </Panel>

        <Panel title="Active now" description="Sessions with activity in the last 5 minutes; updates as records arrive." testId="live">
          <LivePanel token={context.token} baseUrl={context.baseUrl} onUnauthorized={context.onUnauthorized} />
        </Panel>

        <Panel title="Pages" description="Dwell time: engaged time while the page was the current one." state={pages} className="wide" testId="pages" aside={csv('pages', 'pages')}>
          {pages.data ? <PagesTable pages={pages.data.pages} /> : null}
        </Panel>

        <Panel
          title="Per user"
          description="Average session duration per user; choose any range."
          className="wide"
          testId="users"
          aside={
            <CsvButton
              what="per-user averages for the dashboard's range"
              path="/api/session-duration"
              body={{ start_date: range.start, end_date: range.end }}
              filename={`session-metrics-users-${range.start}-${range.end}.csv`}
              token={context.token}
              baseUrl={context.baseUrl}
              onUnauthorized={context.onUnauthorized}
            />
          }
        >
          <SessionDuration
            key={`${range.start}/${range.end}/${refresh}`}
            title={null}
            apiBaseUrl={context.baseUrl}
            token={context.token}
            defaultStartDate={range.start}
            defaultEndDate={range.end}
            autoLoad
            onError={(error) => error.status === 401 && context.onUnauthorized(error)}
          />
        </Panel>

        <Panel title="Inactive users" description="Identified users with no activity for a while: whom to remind." className="wide" testId="inactive">
          <InactiveUsers context={context} refresh={refresh} />
        </Panel>
      </main>
      <footer className="foot">
        <a href="/docs">API documentation</a> · <a href="/openapi.json">OpenAPI</a>
      </footer>
    </>
  );
}
