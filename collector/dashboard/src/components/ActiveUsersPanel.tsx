/**
 * Daily and weekly active users (GET /api/reports/active-users), identified people and anonymous browsers
 * apart: two lines on one axis of users per day, and a table per ISO week.
 */
import { useMemo } from 'react';
import uPlot from 'uplot';
import { dayToSeconds } from '../dateRange';
import { formatCount, formatDay } from '../format';
import type { ReportState } from '../useReport';
import { periodLabel } from './TrendChart';
import { UPlotChart } from './UPlotChart';

export interface ActiveUsersReport {
  identified: number;
  anonymous: number;
  days: { date: string; identified: number; anonymous: number }[];
  weeks: { start: string; end: string; identified: number; anonymous: number }[];
}

const utc = (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');

export function ActiveUsersPanel({ state }: { state: ReportState<ActiveUsersReport> }) {
  const data = state.data;
  const aligned = useMemo<uPlot.AlignedData>(() => [
    data?.days.map((d) => dayToSeconds(d.date)) ?? [], data?.days.map((d) => d.identified) ?? [], data?.days.map((d) => d.anonymous) ?? [],
  ], [data]);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => ({
    tzDate: utc,
    legend: { show: true, live: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
    axes: [
      { values: (_u, splits) => splits.map((s) => formatDay(new Date(s * 1000).toISOString().slice(0, 10), false)) },
      { label: 'Users per day', size: 56, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 10_000], values: (_u, splits) => splits.map((v) => formatCount(v)) },
    ],
    series: [
      {},
      { label: 'Identified', stroke: '#4f46e5', width: 2, points: { show: false } },
      { label: 'Anonymous browsers', stroke: '#98a2b3', width: 2, dash: [4, 4], points: { show: false } },
    ],
  }), []);
  if (!data) return null;
  return (
    <div className="active-users">
      <dl className="stats">
        <div><dt>Identified users</dt><dd data-testid="active-identified">{formatCount(data.identified)}</dd></div>
        <div><dt>Anonymous browsers</dt><dd data-testid="active-anonymous">{formatCount(data.anonymous)}</dd></div>
      </dl>
      {data.identified + data.anonymous > 0 ? <UPlotChart options={options} data={aligned} height={180} label={`Daily active users, identified and anonymous, ${data.days.length} days`} /> : null}
      <div className="table-scroll" role="region" aria-label="Weekly active users, scrolls sideways" tabIndex={0}>
        <table className="compact" data-testid="active-weeks">
          <caption>Weekly active users (weeks from Monday)</caption>
          <thead>
            <tr>
              <th scope="col">Week</th>
              <th scope="col" className="num">Identified</th>
              <th scope="col" className="num">Anonymous</th>
            </tr>
          </thead>
          <tbody>
            {data.weeks.map((w) => (
              <tr key={w.start}>
                <th scope="row">{periodLabel({ date: w.start, end: w.end }, 'week')}</th>
                <td className="num">{formatCount(w.identified)}</td>
                <td className="num">{formatCount(w.anonymous)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
