/**
 * Sessions and average engaged time per day. Days are UTC (reports count a session on the UTC day of
 * its start), so uPlot is told to draw dates in UTC rather than the viewer's zone; otherwise a
 * viewer west of Greenwich would see every point labelled with the previous day.
 */
import { useMemo } from 'react';
import uPlot from 'uplot';
import { UPlotChart } from './UPlotChart';
import { dayToSeconds } from '../dateRange';
import { formatCount, formatDuration } from '../format';

export interface DailyPoint {
  date: string;
  sessions: number;
  average_duration: number;
  average_engaged: number;
}

/** The User Timing measure each build of the chart records. */
export const TREND_MEASURE = 'sm:trend-chart';

const utc = (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');

export function TrendChart({ days }: { days: DailyPoint[] }) {
  const data = useMemo<uPlot.AlignedData>(
    () => [
      days.map((d) => dayToSeconds(d.date)),
      days.map((d) => d.sessions),
      // Minutes read better than seconds on an axis; days without sessions have no average.
      days.map((d) => (d.sessions > 0 ? d.average_engaged / 60 : null)),
    ],
    [days],
  );
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      tzDate: utc,
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true },
        sessions: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] },
        minutes: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [
        {},
        { scale: 'sessions', label: 'Sessions', size: 50 },
        { scale: 'minutes', label: 'Engaged min', side: 1, grid: { show: false }, size: 50 },
      ],
      series: [
        { label: 'Day', value: '{YYYY}-{MM}-{DD}' },
        { label: 'Sessions', scale: 'sessions', stroke: '#4f46e5', width: 2, fill: 'rgba(79, 70, 229, 0.12)', points: { show: false } },
        {
          label: 'Avg engaged (min)',
          scale: 'minutes',
          stroke: '#d97706',
          width: 2,
          // No line across days without sessions (there is no average to draw), so the points
          // are drawn: a lone busy day would otherwise be invisible.
          spanGaps: false,
          points: { show: true, size: 7, fill: '#d97706' },
          value: (_u, v) => (v === null ? '—' : v.toFixed(1)),
        },
      ],
    }),
    [],
  );
  const total = days.reduce((sum, d) => sum + d.sessions, 0);

  return (
    <>
      <UPlotChart
        options={options}
        data={data}
        height={240}
        measure={TREND_MEASURE}
        label={`Daily sessions and average engaged time, ${days.length} days, ${formatCount(total)} sessions`}
      />
      <details className="data-details">
        <summary>Daily figures ({days.length} days)</summary>
        <div className="table-scroll">
          <table className="compact">
            <caption className="visually-hidden">Daily figures</caption>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                <th scope="col">Sessions</th>
                <th scope="col">Average duration</th>
                <th scope="col">Average engaged</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}>
                  <th scope="row">{d.date}</th>
                  <td>{formatCount(d.sessions)}</td>
                  <td>{d.sessions ? formatDuration(d.average_duration) : '—'}</td>
                  <td>{d.sessions ? formatDuration(d.average_engaged) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
