/** Sessions per bucket as bars (uPlot's bar path builder), with the same figures in a table beside it. */
import { useMemo } from 'react';
import uPlot from 'uplot';
import { UPlotChart } from './UPlotChart';
import { formatCount } from '../format';

export interface Bar {
  label: string;
  value: number;
}

export interface BarChartProps {
  bars: Bar[];
  /** Caption of the table and label of the chart. */
  caption: string;
  valueLabel?: string;
  color?: string;
  height?: number;
}

export function BarChart({ bars, caption, valueLabel = 'Sessions', color = '#4f46e5', height = 200 }: BarChartProps) {
  const labels = useMemo(() => bars.map((b) => b.label), [bars]);
  const data = useMemo<uPlot.AlignedData>(() => [bars.map((_, i) => i), bars.map((b) => b.value)], [bars]);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => {
    const max = Math.max(1, ...bars.map((b) => b.value));
    return {
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, labels.length - 0.5] },
        y: { range: [0, Math.ceil(max * 1.1)] },
      },
      axes: [
        {
          splits: () => labels.map((_, i) => i),
          // On a phone the bucket names would overlap: label every other bar then (the table
          // beside the chart names them all).
          values: (u, splits) => splits.map((i) => (u.width / labels.length < 52 && i % 2 === 1 ? '' : (labels[i] ?? ''))),
          grid: { show: false },
          gap: 4,
        },
        { values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? formatCount(v) : '')), size: 44 },
      ],
      series: [{}, { label: valueLabel, paths: uPlot.paths.bars!({ size: [0.7, 72] }), fill: color, stroke: color, points: { show: false } }],
    };
  }, [bars, labels, valueLabel, color]);

  return (
    <div className="bars">
      <UPlotChart options={options} data={data} label={caption} height={height} />
      <table className="compact">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Bucket</th>
            <th scope="col">{valueLabel}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.label}>
              <th scope="row">{bar.label}</th>
              <td>{formatCount(bar.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
