/**
 * The buckets the store rolls up and the reports answer with, named once: the label is the wire's and
 * the API's (`'<30s'`, SEMANTICS.md), the column the SQL's. The rollup columns of migration 006
 * (site_day) are these columns with `_weight_micro`; the bucket bounds are written into its triggers, so
 * the store contract checks them against these tables.
 */

/** Session-duration histogram (contract: `<30s` ... `>=1h`); bounds in seconds, lower bound inclusive. */
export const DURATION_BUCKETS = [
  { label: '<30s', min: 0, max: 30, column: 'duration_lt30s' },
  { label: '30s-2m', min: 30, max: 120, column: 'duration_30s_2m' },
  { label: '2m-5m', min: 120, max: 300, column: 'duration_2m_5m' },
  { label: '5m-15m', min: 300, max: 900, column: 'duration_5m_15m' },
  { label: '15m-30m', min: 900, max: 1800, column: 'duration_15m_30m' },
  { label: '30m-1h', min: 1800, max: 3600, column: 'duration_30m_1h' },
  { label: '>=1h', min: 3600, max: null, column: 'duration_ge1h' },
] as const;

/** The inner bounds of DURATION_BUCKETS in ms: the bounds the site_day rollup answers for. */
export const DURATION_BOUNDS_MS: readonly number[] = DURATION_BUCKETS.slice(1).map((b) => b.min * 1000);

/** Break histogram (SEMANTICS.md, Session): label as in a record's `breaks.histogram`, column in sessions. */
export const BREAK_BUCKETS = [
  { label: '<30s', column: 'break_lt30s' },
  { label: '30s-2m', column: 'break_30s_2m' },
  { label: '2m-10m', column: 'break_2m_10m' },
  { label: '>=10m', column: 'break_ge10m' },
] as const;

export type BreakBucket = (typeof BREAK_BUCKETS)[number]['label'];
export type BreakHistogram = Record<BreakBucket, number>;

/**
 * Weights (1 / sampleRate) are stored as integer millionths, so that every sum of them is exact.
 * ingest/schemas.ts bounds sampleRate below (MIN_SAMPLE_RATE), which bounds a weight above.
 */
export const WEIGHT_SCALE = 1_000_000;

/** A weight of 1 / sampleRate as stored: integer millionths. */
export const weightMicro = (sampleRate: number) => Math.round(WEIGHT_SCALE / sampleRate);
