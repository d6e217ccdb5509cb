/**
 * A uPlot chart that fills its container's width. uPlot draws to one canvas and keeps no per-point
 * DOM, which is why a year of daily points (366 x 2 series) draws in a few milliseconds; the chart
 * is rebuilt only when its options or data change (callers memoize both) and resized, not rebuilt,
 * when the container changes width. `measure` records a User Timing entry around the build, so the
 * cost is visible in DevTools' Performance panel and readable by the browser tests.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UPlotChartProps {
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  /** What the chart shows, for screen readers; the figures themselves are in the table next to it. */
  label: string;
  height?: number;
  measure?: string;
}

export function UPlotChart({ options, data, label, height = 220, measure }: UPlotChartProps) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const started = performance.now();
    const plot = new uPlot({ ...options, width: Math.max(element.clientWidth, 200), height }, data, element);
    if (measure) performance.measure(measure, { start: started, end: performance.now() });
    // Follow the container (rotating a phone, opening a sidebar) without rebuilding the chart.
    const resize = new ResizeObserver(() => {
      const width = Math.max(element.clientWidth, 200);
      if (width !== plot.width) plot.setSize({ width, height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [options, data, height, measure]);

  return <div ref={container} className="chart" role="img" aria-label={label} />;
}
