/**
 * The overview: every panel over the view's site, range and dimension filter. Headline figures carry
 * their change against the previous period; the Pages table opens a page's detail.
 */
import { useMemo, useState } from 'react';
import { formatCount, formatDuration } from './format';
import { Headline, type Summary } from './components/Headline';
import { TrendChart, type DailyPoint } from './components/TrendChart';
import { BarChart } from './components/BarChart';
import { PagesTable, type PageRow } from './components/PagesTable';
import { LivePanel } from './components/LivePanel';
import { CsvButton } from './components/CsvButton';
import { InactiveUsers } from './components/InactiveUsers';
import { Panel } from './components/Panel';
import { UsersTable } from './components/UsersTable';
import { AlertsPanel, type AlertsReport } from './components/AlertsPanel';
import { DimensionsPanel } from './components/DimensionsPanel';
import { CoursePanel, type CourseReport } from './components/CoursePanel';
import { ReturningPanel, type ReturningReport } from './components/ReturningPanel';
import { ActiveUsersPanel, type ActiveUsersReport } from './components/ActiveUsersPanel';
import { queryOf, useReport, type ReportContext } from './useReport';
import { DEFAULT_COURSE, previousRange, rangeDays, reportParams, type View } from './view';
import { markFirstNumbers, useAfterPaint } from './firstNumbers';

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
  bands: { band: string; sessions: number; min_engaged_seconds?: number }[];
}

export interface OverviewProps {
  view: View;
  context: ReportContext;
  refresh: number;
  setView: (next: Partial<View>) => void;
  onOpenPage: (path: string) => void;
}

export function Overview({ view, context, refresh, setView, onOpenPage }: OverviewProps) {
  const params = reportParams(view);
  const previous = previousRange(view);
  const [dimension, setDimension] = useState<string | undefined>(undefined);
  const summary = useReport<Summary>('/api/reports/summary', params, context, refresh);
  // The headline first: the other reports are asked once it has answered, so the figures people look for
  // first do not queue behind a dozen heavier reports (a year of 100,000 sessions: 9.8 s -> see README).
  const answered = summary.status !== 'loading' || summary.data !== undefined;
  // ...and the rest of the page mounts once the headline has been painted, not in the same frame.
  const ready = useAfterPaint(answered);
  const after = (path: string) => (ready ? path : null);
  const before = useReport<Summary>('/api/reports/summary', { ...params, ...previous }, context, refresh);
  const people = useReport<ActiveUsersReport>(after('/api/reports/active-users'), params, context, refresh);
  const daily = useReport<{ interval: string; days: DailyPoint[] }>(after('/api/reports/daily'), { ...params, interval: view.interval === 'day' ? undefined : view.interval }, context, refresh);
  const durations = useReport<Durations>(after('/api/reports/durations'), params, context, refresh);
  const breaks = useReport<Breaks>(after('/api/reports/breaks'), params, context, refresh);
  const bands = useReport<Bands>(after('/api/reports/bands'), params, context, refresh);
  const pages = useReport<{ pages: PageRow[] }>(after('/api/reports/pages'), params, context, refresh);
  const alerts = useReport<AlertsReport>(after('/api/reports/alerts'), params, context, refresh);
  const course = view.course ?? DEFAULT_COURSE;
  const courseState = useReport<CourseReport>(after('/api/reports/course'), { ...params, pages: course }, context, refresh);
  const returning = useReport<ReturningReport>(after('/api/reports/returning'), params, context, refresh);
  if (summary.status === 'done') markFirstNumbers();

  const durationBars = useMemo(() => durations.data?.buckets.map((b) => ({ label: b.label, value: b.sessions })) ?? [], [durations.data]);
  const breakBars = useMemo(() => Object.entries(breaks.data?.histogram ?? {}).map(([label, value]) => ({ label, value })), [breaks.data]);
  const bandBars = useMemo(
    () =>
      bands.data?.bands.map((b) => ({
        label: b.band,
        value: b.sessions,
        note: b.band === 'none' ? 'below every threshold' : b.min_engaged_seconds !== undefined ? `reached it (least engaged: ${formatDuration(b.min_engaged_seconds)})` : undefined,
      })) ?? [],
    [bands.data],
  );
  const empty = summary.status === 'done' && summary.data.sessions === 0;
  const days = rangeDays(view);
  const csv = (what: string, report: string, extra: Record<string, string | undefined> = {}) => (
    <CsvButton
      what={what}
      path={`/api/reports/${report}?${queryOf({ ...params, ...extra })}`}
      filename={`session-metrics-${report}-${view.start}-${view.end}.csv`}
      token={context.token}
      baseUrl={context.baseUrl}
      onUnauthorized={context.onUnauthorized}
    />
  );

  return (
    <div className="grid">
      {empty ? (
        <p className="notice wide" role="status">
          No sessions started in this range{view.site ? ` on ${view.site}` : ''}. Sessions appear here once a page with the SDK sends them to this collector (try{' '}
          <a href="/examples/plain/">the demo page</a>), or choose a longer range.
        </p>
      ) : null}

      <Panel title="Overview" state={summary} className="wide" testId="summary" placeholder={<Headline summary={null} />}>
        {summary.data ? (
          <Headline summary={summary.data} previous={before.data} previousLabel={`the ${days === 1 ? 'day' : `${days} days`} before`} people={people.data} />
        ) : null}
      </Panel>

      <Panel title="Trend" description="Per day, week or month; a period not over yet is dashed." state={daily} className="wide" testId="daily" reserve="trend" aside={csv('the trend figures', 'daily', { interval: view.interval === 'day' ? undefined : view.interval })}>
        {daily.data ? <TrendChart days={daily.data.days} interval={view.interval} onInterval={(interval) => setView({ interval })} /> : null}
      </Panel>

      <Panel title="Active now" description="Sessions with activity in the last 5 minutes; updates as records arrive." testId="live" className="wide">
        <LivePanel site={view.site} meta={view.meta} token={context.token} baseUrl={context.baseUrl} onUnauthorized={context.onUnauthorized} />
      </Panel>

      <Panel title="Pages" description="Dwell time: engaged time while the page was the current one. Choose a page for its detail." state={pages} className="wide" testId="pages" aside={csv('pages', 'pages')}>
        {pages.data ? <PagesTable pages={pages.data.pages} onOpen={onOpenPage} /> : null}
      </Panel>

      <Panel title="Per user" description="Average session duration per user over the range." className="wide" testId="users">
        {ready ? <UsersTable view={view} context={context} refresh={refresh} /> : <p className="panel__loading">Loading…</p>}
      </Panel>

      <Panel title="Course" description="A course's pages in order: how many learners reach each, and how many drop off before the next." state={courseState} className="wide" testId="course" aside={csv('the course steps', 'course', { pages: course })}>
        <CoursePanel pattern={course} state={courseState} onPattern={(c) => setView({ course: c })} />
      </Panel>

      <Panel title="Returning learners" description="Do longer first sessions bring people back? Identified users by their first session." state={returning} testId="returning" reserve="returning" aside={csv('returning learners', 'returning')}>
        <ReturningPanel state={returning} />
      </Panel>

      <Panel title="Active users" description="People active per day and week; anonymous browsers counted apart." state={people} testId="active-users" aside={csv('daily active users', 'active-users')}>
        <ActiveUsersPanel state={people} />
      </Panel>

      <Panel title="Breakdown" description="Your own dimensions (meta): choose a value to filter every panel." testId="dimensions" className="wide">
        {ready ? null : <p className="panel__loading">Loading…</p>}
        {ready && <DimensionsPanel view={view} context={context} refresh={refresh} dimension={dimension} onDimension={setDimension} onFilter={(meta) => setView({ meta })} />}
      </Panel>

      <Panel title="Alerts" description="Thresholds reached, or missed at a session's end." state={alerts} testId="alerts" className="wide" aside={csv('alerts per day', 'alerts')}>
        <AlertsPanel state={alerts} />
      </Panel>

      <Panel title="Session durations" description="Sessions by time from first to last engaged moment." state={durations} testId="durations" reserve="durations">
        {durations.data ? <BarChart bars={durationBars} caption="Sessions by duration" bucketLabel="Duration" /> : null}
      </Panel>

      <Panel title="Breaks" description="Idle or hidden gaps inside sessions." state={breaks} testId="breaks" reserve="breaks">
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
            <BarChart bars={breakBars} caption="Breaks by length" valueLabel="Breaks" bucketLabel="Length" color="#0d9488" height={170} />
          </>
        ) : null}
      </Panel>

      <Panel title="Threshold bands" description="Sessions by the largest engaged-time threshold they reached (thresholds are the SDK's: 30 s casual, 5 min engaged by default)." state={bands} testId="bands" className="wide" reserve="bands">
        {bands.data ? (
          bandBars.length ? <BarChart bars={bandBars} caption="Sessions by threshold band" bucketLabel="Band" color="#d97706" height={170} /> : <p className="empty">No sessions in this range.</p>
        ) : null}
      </Panel>

      <Panel title="Inactive users" description="Identified users with no activity for a while: whom to remind." className="wide" testId="inactive">
        {ready ? <InactiveUsers context={context} refresh={refresh} site={view.site} /> : <p className="panel__loading">Loading…</p>}
      </Panel>
    </div>
  );
}
