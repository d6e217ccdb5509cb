/**
 * One page's detail, opened from the Pages table: its trend (views per day), how often it starts and ends
 * a session, the users who spend the most time on it, and its attention figures (PageAttention, from the
 * attention reports). "All pages" (or the browser's Back) returns to the overview.
 */
import { useMemo } from 'react';
import uPlot from 'uplot';
import { formatCount, formatDay, formatDuration, formatShare } from '../format';
import { reportParams, type View } from '../view';
import { dayToSeconds } from '../dateRange';
import { useReport, type ReportContext } from '../useReport';
import { CsvButton } from './CsvButton';
import { PageAttention } from './PageAttention';
import { Panel } from './Panel';
import { Path } from './Path';
import { UPlotChart } from './UPlotChart';

export interface PageReport {
  path: string;
  views: number;
  sessions: number;
  total_engaged: number;
  average_engaged: number;
  entry_share: number;
  exit_share: number;
  days: { date: string; views: number; sessions: number; total_engaged: number }[];
  user_count: number;
  users: { user_id: string; identified: boolean; sessions: number; total_engaged: number }[];
}

const utc = (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');

export function PageDetail({ view, context, refresh, onBack }: { view: View & { page: string }; context: ReportContext; refresh: number; onBack: () => void }) {
  const params = { ...reportParams(view), path: view.page };
  const state = useReport<PageReport>('/api/reports/page', params, context, refresh);
  const data = useMemo<uPlot.AlignedData>(() => [state.data?.days.map((d) => dayToSeconds(d.date)) ?? [], state.data?.days.map((d) => d.views) ?? []], [state.data]);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => ({
    tzDate: utc,
    legend: { show: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
    axes: [
      { values: (_u, splits) => splits.map((s) => formatDay(new Date(s * 1000).toISOString().slice(0, 10), false)) },
      { label: 'Views', size: 56, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 10_000], values: (_u, splits) => splits.map((v) => formatCount(v)) },
    ],
    series: [{}, { label: 'Views', stroke: '#4f46e5', width: 2, fill: 'rgba(79, 70, 229, 0.10)', points: { show: false } }],
  }), []);
  const p = state.data;

  return (
    <div className="grid" data-testid="page-detail">
      <nav className="wide detail__nav" aria-label="Page detail">
        <button type="button" className="secondary" onClick={onBack}>
          ← All pages
        </button>
        <h2 className="detail__title">
          <Path path={view.page} />
        </h2>
      </nav>
      <Panel title="This page" description="Views, sessions and dwell time in the range; entry and exit: how often it started or ended a session." state={state} className="wide" testId="page-summary"
        aside={<CsvButton what="this page's daily figures" path={`/api/reports/page?${new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined))}`} filename={`session-metrics-page-${view.start}-${view.end}.csv`} token={context.token} baseUrl={context.baseUrl} onUnauthorized={context.onUnauthorized} />}>
        {p ? (
          <>
            <dl className="stats">
              <div><dt>Views</dt><dd>{formatCount(p.views)}</dd></div>
              <div><dt>Sessions</dt><dd>{formatCount(p.sessions)}</dd></div>
              <div><dt>Total dwell time</dt><dd>{formatDuration(p.total_engaged)}</dd></div>
              <div><dt>Average dwell time</dt><dd>{p.sessions ? formatDuration(p.average_engaged) : '—'}</dd></div>
              <div><dt>Entry page</dt><dd>{p.sessions ? formatShare(p.entry_share) : '—'}</dd></div>
              <div><dt>Exit page</dt><dd>{p.sessions ? formatShare(p.exit_share) : '—'}</dd></div>
            </dl>
            {p.views > 0 ? <UPlotChart options={options} data={data} height={180} label={`Views of ${p.path} per day, ${formatCount(p.views)} in all`} /> : <p className="empty">No views of this page in this range.</p>}
          </>
        ) : null}
      </Panel>
      <Panel title="Its users" description="Who spends the most time on this page (anonymous visitors by their browser)." state={state} className="wide" testId="page-users">
        {p ? (
          p.users.length === 0 ? (
            <p className="empty">Nobody viewed this page in this range.</p>
          ) : (
            <div className="table-scroll" role="region" aria-label="This page's users, scrolls sideways" tabIndex={0}>
              <table className="compact">
                <caption>
                  {p.users.length < p.user_count ? `The ${p.users.length} of ${formatCount(p.user_count)} users with the most dwell time` : `${formatCount(p.user_count)} ${p.user_count === 1 ? 'user' : 'users'}`}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col" className="num">Sessions</th>
                    <th scope="col" className="num">Dwell time</th>
                  </tr>
                </thead>
                <tbody>
                  {p.users.map((u) => (
                    <tr key={u.user_id}>
                      <th scope="row">{u.identified ? u.user_id : <span className="muted">anonymous</span>}</th>
                      <td className="num">{formatCount(u.sessions)}</td>
                      <td className="num">{formatDuration(u.total_engaged)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : null}
      </Panel>
      {/* Attention figures (web-vitals, scroll reach, sections, media) from the attention reports. */}
      <div className="wide">
        <PageAttention path={view.page} range={view} site={view.site} meta={view.meta} context={context} refresh={refresh} />
      </div>
    </div>
  );
}
