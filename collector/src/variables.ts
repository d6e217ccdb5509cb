/**
 * Every environment variable the collector reads, with its default and meaning: the one list that
 * `session-metrics-collector --help` prints and docs/operations.md documents (a test holds all three,
 * and the variables server.ts reads, to the same names).
 */
export interface Variable {
  readonly name: string;
  /** What applies when the variable is unset. */
  readonly default: string;
  readonly meaning: string;
}

export const VARIABLES: readonly Variable[] = [
  { name: 'PORT', default: '8787', meaning: 'TCP port to listen on (0 = any free port)' },
  { name: 'HOST', default: '127.0.0.1', meaning: 'address to listen on (0.0.0.0 or :: for every interface)' },
  { name: 'SM_DATA_DIR', default: './data', meaning: 'directory of the SQLite file session-metrics.db and of the generated token api-token' },
  { name: 'SM_API_TOKEN', default: 'generated into SM_DATA_DIR/api-token', meaning: 'the one admin bearer token (16+ characters) when SM_TOKENS is unset' },
  { name: 'SM_TOKENS', default: 'unset: the one token above', meaning: 'scoped tokens, JSON or a path to a JSON file: {"name": {"sha256": "<hex>", "scope": "admin" | "read", "sites": [...]}}' },
  { name: 'SM_METRICS_TOKEN', default: 'unset: /metrics open', meaning: 'bearer token that GET /metrics requires (16+ characters)' },
  { name: 'DATABASE_URL', default: 'unset: SQLite', meaning: 'postgres://... stores in PostgreSQL instead of the embedded SQLite file' },
  { name: 'SM_DATABASE_SCHEMA', default: 'public', meaning: 'PostgreSQL schema of every table' },
  { name: 'SM_CLICKHOUSE_URL', default: 'unset: not ClickHouse', meaning: 'the HTTP interface of a ClickHouse server (http://host:8123) to store in ClickHouse instead' },
  { name: 'SM_CLICKHOUSE_DATABASE', default: 'session_metrics', meaning: 'ClickHouse database of every table, created when missing' },
  { name: 'SM_CLICKHOUSE_CLUSTER', default: 'unset: one server', meaning: 'a remote_servers cluster: tables ON CLUSTER, sharded by session behind Distributed tables' },
  { name: 'SM_CLICKHOUSE_QUERY_MEMORY', default: '8589934592 (8 GiB)', meaning: 'bytes one ClickHouse statement may take (max_memory_usage); past half of it a report groups on disk instead' },
  { name: 'SM_WORKERS', default: '1', meaning: 'collector processes on one port (Node cluster module); each has its own store connection' },
  { name: 'SM_SITES', default: 'unset: any site, any origin', meaning: 'sites and their origins, JSON or a path to a JSON file: {"docs": {"origins": ["https://docs.example.com"]}}' },
  { name: 'SM_WEBHOOKS', default: 'unset: no webhooks', meaning: 'signed webhooks per site (alert, session.ended, users.inactive), JSON or a path to a JSON file; SQLite or PostgreSQL only' },
  { name: 'SM_RELAYS', default: 'unset: no relays', meaning: 'server-side relays per site to GA4 Measurement Protocol, Segment, PostHog /batch or OTLP/HTTP logs, keys kept on the server; JSON or a path to a JSON file; SQLite or PostgreSQL only' },
  { name: 'SM_RETENTION_DAYS', default: 'unset: keep everything', meaning: 'every day, remove the sessions that started more than N days ago with their raw records, pages, attention, meta, alerts and webhook events; per-site daily and per-page sums stay' },
  { name: 'SM_RATE_LIMIT', default: '1200', meaning: 'POST /collect requests per minute per client IP (0 = no limit)' },
  { name: 'SM_SITE_RATE_LIMIT', default: '6000', meaning: 'POST /collect requests per minute carrying records of one site (0 = no limit)' },
  { name: 'SM_REPORT_RATE_LIMIT', default: '1200', meaning: '/api requests (reports, live view, erasure) per minute per token (0 = no limit)' },
  { name: 'SM_AUTH_FAILURE_LIMIT', default: '20', meaning: 'failed authentications per 10 minutes per client IP, then its token-bearing requests are refused until the window ends (0 = no limit)' },
  { name: 'SM_SITE_DAY_SESSIONS', default: '500000', meaning: 'new sessions one site may store per day (UTC day of startedAt), at most 900000; past it new sessions are rejected with SM_QUOTA_EXCEEDED, stored ones still update' },
  { name: 'SM_LIVE_STREAMS', default: '10', meaning: 'open /api/live streams per token' },
  { name: 'SM_TRUST_PROXY', default: 'off', meaning: '1 behind a reverse proxy: client IPs from X-Forwarded-For' },
  { name: 'SM_LOG_LEVEL', default: 'info', meaning: 'JSON log level: fatal, error, warn, info, debug, trace or silent' },
];

/** The variables as aligned text lines, for --help. */
export function variablesText(variables: readonly Variable[] = VARIABLES): string {
  const width = Math.max(...variables.map((v) => v.name.length));
  return variables.map((v) => `  ${v.name.padEnd(width)}  ${v.meaning}\n  ${' '.repeat(width)}  default: ${v.default}`).join('\n');
}
