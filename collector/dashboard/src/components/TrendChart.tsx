/**
 * The trend of one figure at a time (sessions, average engaged time or average duration) per day, week
 * or month, on one axis with its unit, and a readout above the chart for the period under the pointer (the
 * latest when none). A period that is not over (today so far) or that the range cuts is drawn dashed and
 * labelled "so far", so a partial day does not read as a fall. Periods are UTC days, as reports count
 * them, so uPlot draws dates in UTC rather than in the viewer's zone.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import { UPlotChart } from './UPlotChart';
import { dayToSeconds } from '../dateRange';
import { formatCount, formatDay, formatDuration, formatDurationTick } from '../format';
import { INTERVALS, type Interval } from '../view';

export interface DailyPoint {
  date: string;
  end?: string;
  complete?: boolean;
  sessions: number;
  average_duration: number;
  average_engaged: number;
}

/** The User Timing measure each build of the chart records. */
export const TREND_MEASURE = 'sm:trend-chart';

type Metric = 'sessions' | 'average_engaged' | 'average_duration';
const METRICS: { key: Metric; label: string }[] = [
  { key: 'sessions', label: 'Sessions' },
  { key: 'average_engaged', label: 'Average engaged time' },
  { key: 'average_duration', label: 'Average duration' },
];
const INTERVAL_LABEL: Record<Interval, string> = { day: 'Day', week: 'Week', month: 'Month' };

const utc = (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');
const dayOfSeconds = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);

export function periodLabel(p: Pick<DailyPoint, 'date' | 'end'>, interval: Interval): string {
  if (interval === 'day' || !p.end || p.end === p.date) return formatDay(p.date);
  return `${formatDay(p.date, p.date.slice(0, 4) !== p.end.slice(0, 4))} – ${formatDay(p.end)}`;
}

export interface TrendChartProps {
  days: DailyPoint[];
  interval?: Interval;
  onInterval?: (interval: Interval) => void;
}

export function TrendChart({ days, interval = 'day', onInterval }: TrendChartProps) {
  const [metric, setMetric] = useState<Metric>('sessions');
  const [hover, setHover] = useState<number | null>(null);
  const value = useCallback((d: DailyPoint) => (metric === 'sessions' ? d.sessions : d.sessions > 0 ? d[metric] : null), [metric]);
  const format = (v: number | null) => (v === null ? '—' : metric === 'sessions' ? formatCount(v) : formatDuration(v));
  const data = useMemo<uPlot.AlignedData>(() => {
    const complete = (i: number) => days[i]?.complete !== false;
    return [
      days.map((d) => dayToSeconds(d.date)),
      days.map((d, i) => (complete(i) ? value(d) : null)),
      // The dashed part: every incomplete period and the segment that joins it to its neighbour.
      days.map((d, i) => (!complete(i) || !complete(i + 1) || (i > 0 && !complete(i - 1)) ? value(d) : null)),
    ];
  }, [days, value]);
  const label = METRICS.find((m) => m.key === metric)!.label;
  // setState is stable: the chart's hook holds it without rebuilding the chart.
  const onHover = useRef(setHover);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      tzDate: utc,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 8 } },
      hooks: { setCursor: [(u) => onHover.current(u.cursor.idx ?? null)] },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, metric === 'sessions' ? Math.max(4, Math.ceil(max * 1.1)) : Math.max(60, max * 1.1)] } },
      axes: [
        { values: (_u, splits) => splits.map((s) => (interval === 'month' ? formatDay(dayOfSeconds(s)).slice(2) : formatDay(dayOfSeconds(s), false))) },
        {
          label,
          size: 64,
          // Whole sessions only: an axis of 0.2 sessions means nothing.
          incrs: metric === 'sessions' ? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 50_000, 100_000] : [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200],
          values: (_u, splits) => splits.map((v) => (metric === 'sessions' ? formatCount(v) : formatDurationTick(v))),
        },
      ],
      series: [
        {},
        { label, stroke: '#4f46e5', width: 2, fill: 'rgba(79, 70, 229, 0.10)', spanGaps: metric === 'sessions', points: { show: days.length <= 62, size: 5 } },
        { label: `${label} (so far)`, stroke: '#4f46e5', width: 2, dash: [6, 5], spanGaps: false, points: { show: true, size: 7, fill: '#ffffff' } },
      ],
    }),
    [label, metric, interval, days.length, onHover],
  );
  const shown = hover ?? (days.length ? days.length - 1 : null);
  const point = shown === null ? undefined : days[shown];
  const total = days.reduce((sum, d) => sum + d.sessions, 0);

  return (
    <>
      <div className="trend__bar">
        <div className="segmented" role="group" aria-label="Figure">
          {METRICS.map((m) => (
            <button key={m.key} type="button" className="chip" aria-pressed={metric === m.key} onClick={() => setMetric(m.key)}>
              {m.label}
            </button>
          ))}
        </div>
        {onInterval ? (
          <div className="segmented" role="group" aria-label="Per">
            {INTERVALS.map((i) => (
              <button key={i} type="button" className="chip" aria-pressed={interval === i} onClick={() => onInterval(i)}>
                {INTERVAL_LABEL[i]}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      <p className="trend__readout" data-testid="trend-readout">
        {point ? (
          <>
            <span className="muted">{periodLabel(point, interval)}{point.complete === false ? ' (so far)' : ''}:</span> <strong>{format(value(point))}</strong> {metric === 'sessions' ? (point.sessions === 1 ? 'session' : 'sessions') : `over ${formatCount(point.sessions)} ${point.sessions === 1 ? 'session' : 'sessions'}`}
          </>
        ) : (
          'No periods in this range.'
        )}
      </p>
      <UPlotChart options={options} data={data} height={220} measure={TREND_MEASURE} label={`${label} per ${interval}, ${days.length} ${interval === 'day' ? 'days' : `${interval}s`}, ${formatCount(total)} sessions`} />
      <details className="data-details">
        <summary>Figures per {interval} ({days.length})</summary>
        <div className="table-scroll" role="region" aria-label={`Figures per ${interval}`} tabIndex={0}>
          <table className="compact">
            <caption className="visually-hidden">Figures per {interval}</caption>
            <thead>
              <tr>
                <th scope="col">{INTERVAL_LABEL[interval]} (UTC)</th>
                <th scope="col" className="num">Sessions</th>
                <th scope="col" className="num">Average duration</th>
                <th scope="col" className="num">Average engaged</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}>
                  <th scope="row" data-day={d.date}>
                    {periodLabel(d, interval)}
                    {d.complete === false ? <span className="muted"> (so far)</span> : null}
                  </th>
                  <td className="num">{formatCount(d.sessions)}</td>
                  <td className="num">{d.sessions ? formatDuration(d.average_duration) : '—'}</td>
                  <td className="num">{d.sessions ? formatDuration(d.average_engaged) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}

