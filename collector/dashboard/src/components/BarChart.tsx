/**
 * Counts per bucket as bars (uPlot's bar path builder) with a titled y-axis of whole numbers, a readout of
 * the bar under the pointer, and the same figures in a table beside it. All zeros draw no chart (an empty
 * range would draw an axis of fractions beside a table of zeros): the table says it.
 */
import { useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import { UPlotChart } from './UPlotChart';
import { formatCount } from '../format';

export interface Bar {
  label: string;
  value: number;
  /** What the bucket means, shown in the table (e.g. a band's threshold). */
  note?: string;
}

export interface BarChartProps {
  bars: Bar[];
  /** Caption of the table and label of the chart. */
  caption: string;
  valueLabel?: string;
  bucketLabel?: string;
  color?: string;
  height?: number;
  /** Fold the table away (many bars, e.g. one per day). */
  foldTable?: boolean;
}

export function BarChart({ bars, caption, valueLabel = 'Sessions', bucketLabel = 'Bucket', color = '#4f46e5', height = 200, foldTable = false }: BarChartProps) {
  const [hover, setHover] = useState<number | null>(null);
  const onHover = useRef(setHover);
  const labels = useMemo(() => bars.map((b) => b.label), [bars]);
  const data = useMemo<uPlot.AlignedData>(() => [bars.map((_, i) => i), bars.map((b) => b.value)], [bars]);
  const empty = bars.every((b) => b.value === 0);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => {
    const max = Math.max(1, ...bars.map((b) => b.value));
    return {
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false }, y: false },
      hooks: { setCursor: [(u) => onHover.current(u.cursor.idx ?? null)] },
      scales: {
        x: { time: false, range: [-0.5, labels.length - 0.5] },
        y: { range: [0, Math.max(4, Math.ceil(max * 1.1))] },
      },
      axes: [
        {
          splits: () => labels.map((_, i) => i),
          // Where the names would overlap (a phone, or a bar per day) only every n-th bar is named; the table names them all.
          values: (u, splits) => {
            const stride = Math.max(1, Math.ceil(56 / (u.width / Math.max(1, labels.length))));
            return splits.map((i) => (i % stride === 0 ? (labels[i] ?? '') : ''));
          },
          grid: { show: false },
          gap: 4,
        },
        { label: valueLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 50_000], values: (_u, splits) => splits.map((v) => formatCount(v)), size: 56 },
      ],
      series: [{}, { label: valueLabel, paths: uPlot.paths.bars!({ size: [0.7, 72] }), fill: color, stroke: color, points: { show: false } }],
    };
  }, [bars, labels, valueLabel, color]);
  const bar = hover === null ? undefined : bars[hover];
  const notes = bars.some((b) => b.note);
  const table = <BarTable bars={bars} caption={caption} valueLabel={valueLabel} bucketLabel={bucketLabel} notes={notes} />;

  return (
    <div className="bars">
      {empty ? null : (
        <>
          <p className="bars__readout" aria-hidden="true">
            {bar ? (
              <>
                {bar.label}: <strong>{formatCount(bar.value)}</strong> {valueLabel.toLowerCase()}
              </>
            ) : (
              <span className="muted">Point at a bar for its figure.</span>
            )}
          </p>
          <UPlotChart options={options} data={data} label={caption} height={height} />
        </>
      )}
      {foldTable ? <details className="data-details"><summary>{caption} ({bars.length})</summary><div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>{table}</div></details> : table}
    </div>
  );
}

function BarTable({ bars, caption, valueLabel, bucketLabel, notes }: { bars: Bar[]; caption: string; valueLabel: string; bucketLabel: string; notes: boolean }) {
  return (
      <table className="compact">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{bucketLabel}</th>
            {notes ? <th scope="col">Meaning</th> : null}
            <th scope="col" className="num">{valueLabel}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              {notes ? <td className="muted bars__note">{b.note ?? ''}</td> : null}
              <td className="num">{formatCount(b.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
  );
}
