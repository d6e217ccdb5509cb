/**
 * The stores' SQL, written once for both: read.ts (reports), write.ts (ingest), map.ts (rows to
 * aggregates), spans.ts (a range as years, months and days), query.ts (the Query shape and its filters).
 * The same figures computed straight from sessions, which the rollups must equal, are kept for the
 * tests and the benchmark in collector/test/direct-queries.ts.
 */
export * from './query';
export * from './read';
export * from './write';
export * as map from './map';
export { num } from './map';
export { spans, spanRows, type Span } from './spans';
