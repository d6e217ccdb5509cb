/**
 * The attention reports of one page (docs/attention.md), from the stores' raw aggregates
 * (store/attention/read.ts). Counts and totals are weighted by 1 / sampleRate, shares are ratios of
 * weighted counts, averages are plain means over stored rows (the rules of compute.ts), and the p75 of a
 * vital is read from the weighted distribution. Pure, tested directly.
 */
import { VITAL_NAMES, type VitalName } from '../../../src/core/attention';
import type { MediaAggregate, ScrollAggregate, SectionAggregate, VitalValue } from '../store/attention/read';
import { seconds } from './compute';

/**
 * web-vitals' own rating thresholds (its exported `LCPThresholds`, ... : good up to and including the
 * first, needs improvement up to and including the second, poor above). Pinned against the package in
 * collector/test/attention-report.test.ts, so an update of web-vitals that moves one fails a test.
 */
export const VITAL_THRESHOLDS: Record<VitalName, readonly [good: number, poor: number]> = {
  LCP: [2500, 4000],
  INP: [200, 500],
  CLS: [0.1, 0.25],
  FCP: [1800, 3000],
  TTFB: [800, 1800],
};

const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);
const count = (weighted: number) => Math.round(weighted);
const mean = (sum: number, n: number) => (n > 0 ? sum / n : null);
const meanSeconds = (sumMs: number, n: number) => (n > 0 ? seconds(sumMs / n) : null);

/**
 * The smallest value at or below which at least `q` of the weighted views lie (nearest rank), or null
 * for none. `values` need not be sorted.
 */
export function weightedQuantile(values: ReadonlyArray<{ value: number; weighted: number }>, q: number): number | null {
  const sorted = [...values].filter((v) => v.weighted > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((s, v) => s + v.weighted, 0);
  if (total <= 0) return null;
  let seen = 0;
  // A relative tolerance: weights are sums of 1 / sampleRate and need not add up exactly.
  for (const v of sorted) if ((seen += v.weighted) >= q * total * (1 - 1e-12)) return v.value;
  return sorted[sorted.length - 1]!.value;
}

export function vitals(path: string, rows: VitalValue[]) {
  return {
    path,
    vitals: VITAL_NAMES.map((name) => {
      const values = rows.filter((r) => r.name === name);
      const [good, poor] = VITAL_THRESHOLDS[name];
      const total = values.reduce((s, v) => s + v.weighted, 0);
      const sum = (keep: (v: number) => boolean) => values.reduce((s, v) => s + (keep(v.value) ? v.weighted : 0), 0);
      return {
        name,
        unit: name === 'CLS' ? 'score' : 'ms',
        views: count(total),
        p75: weightedQuantile(values, 0.75),
        good: share(sum((v) => v <= good), total),
        needs_improvement: share(sum((v) => v > good && v <= poor), total),
        poor: share(sum((v) => v > poor), total),
      };
    }),
  };
}

export function scroll(path: string, a: ScrollAggregate) {
  return {
    path,
    views: count(a.weighted),
    average_depth: a.n > 0 ? Math.round((a.depthSum / a.n) * 1000) / 1000 : null,
    marks: a.marks.map((m) => ({ depth: m.mark, views: count(m.weighted), share: share(m.weighted, a.weighted), average_seconds_to_reach: meanSeconds(m.msSum, m.n) })),
  };
}

export function sections(path: string, views: ScrollAggregate, rows: SectionAggregate[]) {
  return {
    path,
    views: count(views.weighted),
    sections: rows
      .map((r) => ({
        name: r.name,
        views: count(r.weighted),
        // Of the page's views with the attention plugin (those with a scroll measurement).
        reach: share(r.weighted, views.weighted),
        total_engaged: seconds(r.engagedMsWeighted),
        average_engaged: meanSeconds(r.engagedMs, r.n),
        average_first_seen: meanSeconds(r.firstSeenMs, r.n),
      }))
      .sort((a, b) => b.total_engaged - a.total_engaged || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

export function media(path: string, rows: MediaAggregate[]) {
  return {
    path,
    media: rows
      .map((r) => ({
        name: r.name,
        plays: count(r.weighted),
        total_watched: seconds(r.watchedMsWeighted),
        average_watched: meanSeconds(r.watchedMs, r.n),
        average_duration: meanSeconds(r.durationMs, r.withDuration),
        average_completion: ((c) => (c === null ? null : Math.round(c * 1000) / 1000))(mean(r.completion, r.withCompletion)),
        ended_share: share(r.endedWeighted, r.weighted),
      }))
      .sort((a, b) => b.plays - a.plays || b.total_watched - a.total_watched || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}
