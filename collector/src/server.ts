/**
 * The only place that listens. Configuration from the environment:
 *   PORT (8787), HOST (127.0.0.1), SM_DATA_DIR (./data, relative to where npm was started),
 *   SM_API_TOKEN (else stored in / generated into the data directory), DATABASE_URL (PostgreSQL instead
 *   of the embedded SQLite file), SM_DATABASE_SCHEMA (PostgreSQL schema, default public),
 *   SM_SITES (sites JSON or a path to it), SM_RATE_LIMIT, SM_SITE_RATE_LIMIT, SM_REPORT_RATE_LIMIT and
 *   SM_AUTH_FAILURE_LIMIT (rate-limits.ts), SM_LIVE_STREAMS (live-streams.ts), SM_SITE_DAY_SESSIONS (ingest/quota.ts),
 *   SM_TRUST_PROXY (1 behind a reverse proxy), SM_LOG_LEVEL (info), SM_TOKENS (scoped tokens, access.ts),
 *   SM_METRICS_TOKEN (protects /metrics), SM_RETENTION_DAYS (retention.ts), SM_CLICKHOUSE_URL, SM_CLICKHOUSE_DATABASE and
 *   SM_CLICKHOUSE_CLUSTER (the ClickHouse store, docs/clickhouse.md), SM_WORKERS (processes on one port, workers.ts),
 *   SM_WEBHOOKS (webhook endpoints JSON or a path to it, docs/webhooks.md),
 *   SM_RELAYS (server-side relays to GA4, Segment, PostHog, OTLP: JSON or a path to it, docs/relays.md).
 *   All of them: variables.ts.
 * SIGTERM and SIGINT drain in-flight requests, close the store, then exit; within SHUTDOWN_GRACE_MS
 * whatever a client does.
 */
import { join, resolve } from 'node:path';
import { loadTokens, type TokenEntry } from './access';
import { build } from './app';
import { DATABASE_FILE, prepareDataDir } from './data-dir';
import { DEFAULT_SITE_DAY_SESSIONS, MAX_SITE_DAY_SESSIONS } from './ingest/quota';
import { parseRetentionDays } from './retention';
import { loadSites } from './sites';
import { openStore, storeKind } from './store/open';
import type { Store } from './store/types';
import { serveClusterMetrics } from './ops/cluster-metrics';
import { isWorkerPrimary, superviseWorkers, workerCount } from './workers';
import { loadToken } from './token';
import { loadWebhooks } from './webhooks/config';
import type { Webhooks } from './webhooks/config';
import { loadRelays, type Relays } from './relays/config';

const env = process.env;
// `npm start` runs this inside collector/; paths the user gives are meant from where they typed it.
const base = env.INIT_CWD ?? process.cwd();
const dataDir = resolve(base, env.SM_DATA_DIR ?? 'data');
const port = Number(env.PORT ?? 8787);
const host = env.HOST ?? '127.0.0.1';

function fail(message: string): never {
  console.error(`session-metrics collector: ${message}`);
  process.exit(1);
}

if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);

/** A whole-number variable within [min, max], else the start fails naming it; unset is `fallback`. */
function wholeNumber(name: string, value: string | undefined, fallback: number, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) fail(`${name} must be ${what}, a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}
const perMinute = (n: number): number | false => (n === 0 ? false : n);
const rateLimit = {
  ingestPerAddress: perMinute(wholeNumber('SM_RATE_LIMIT', env.SM_RATE_LIMIT, 1200, 'POST /collect requests per minute per address (0 = no limit)')),
  ingestPerSite: perMinute(wholeNumber('SM_SITE_RATE_LIMIT', env.SM_SITE_RATE_LIMIT, 6000, 'POST /collect requests per minute per site (0 = no limit)')),
  apiPerToken: perMinute(wholeNumber('SM_REPORT_RATE_LIMIT', env.SM_REPORT_RATE_LIMIT, 1200, 'API requests per minute per token (0 = no limit)')),
  authFailures: perMinute(wholeNumber('SM_AUTH_FAILURE_LIMIT', env.SM_AUTH_FAILURE_LIMIT, 20, 'failed authentications per 10 minutes per address (0 = no limit)')),
};
const sessionsPerSiteDay = wholeNumber('SM_SITE_DAY_SESSIONS', env.SM_SITE_DAY_SESSIONS, DEFAULT_SITE_DAY_SESSIONS, 'new sessions one site-day may hold (the exact rollups hold up to 900,000)', 1, MAX_SITE_DAY_SESSIONS);
const liveStreams = wholeNumber('SM_LIVE_STREAMS', env.SM_LIVE_STREAMS, 10, 'open /api/live streams per token', 1);

let sites;
let token;
let tokens: TokenEntry[] | null = null;
let retentionDays: number | null = null;
let workers = 1;
let kind: ReturnType<typeof storeKind> = 'sqlite';
let webhooks: Webhooks | null = null;
let relays: Relays | null = null;
try {
  kind = storeKind(env);
  workers = workerCount(env.SM_WORKERS);
  sites = loadSites(env.SM_SITES);
  webhooks = loadWebhooks(env.SM_WEBHOOKS, sites);
  relays = loadRelays(env.SM_RELAYS, sites, webhooks?.map((w) => w.key));
  if (kind === 'clickhouse' && (webhooks || relays)) {
    throw new Error(`${webhooks ? 'SM_WEBHOOKS' : 'SM_RELAYS'} needs the SQLite or PostgreSQL store: ClickHouse has no transaction in which to write the webhook outbox with the records that cause each event, so events could be lost or sent for records never stored (docs/webhooks.md)`);
  }
  tokens = loadTokens(env.SM_TOKENS);
  if (tokens && env.SM_API_TOKEN) throw new Error('set SM_TOKENS or SM_API_TOKEN, not both: with SM_TOKENS every token is configured there');
  if (env.SM_METRICS_TOKEN !== undefined && env.SM_METRICS_TOKEN.length < 16) throw new Error('SM_METRICS_TOKEN must be at least 16 characters');
  retentionDays = parseRetentionDays(env.SM_RETENTION_DAYS);
  // The data directory holds the SQLite file and the generated token: checked before either is touched.
  if (kind === 'sqlite' || (!tokens && !env.SM_API_TOKEN)) {
    for (const f of prepareDataDir(dataDir, { sqlite: kind === 'sqlite' }).tightened) console.error(`session-metrics collector: made ${f} private (mode 600); other users could read it`);
  }
  token = tokens ? null : loadToken(dataDir, env.SM_API_TOKEN);
} catch (e) {
  fail((e as Error).message);
}

// The token is created (when it has to be) above, before any worker starts, so all share it; the
// workers read it from its file, so the primary prints it that once.
if (workers > 1 && isWorkerPrimary()) {
  if (token?.source === 'generated') console.log(`session-metrics collector: API token ${token.token}  (new, stored in ${token.file}; printed this once)`);
  serveClusterMetrics();
  await superviseWorkers(workers);
}

const where = kind === 'sqlite' ? ` ${join(dataDir, DATABASE_FILE)}` : '';
const oneLine = (e: unknown) => String((e as Error)?.message ?? e).replace(/\s*\n\s*/g, ' ');
let store: Store;
try {
  store = await openStore(env, dataDir, webhooks ?? [], relays ?? []);
  await store.migrate();
} catch (e) {
  fail(`cannot open the ${kind} store${where}: ${oneLine(e)}`);
}
try {
  await store.checkWritable();
} catch (e) {
  fail(`the ${kind} store${where} cannot be written: ${oneLine(e)}`);
}

const app = await build({
  store,
  ...(tokens ? { tokens } : { token: token!.token }),
  metricsToken: env.SM_METRICS_TOKEN ?? null,
  clusterMetrics: workers > 1,
  retentionDays,
  sites,
  logger: { level: env.SM_LOG_LEVEL ?? 'info' },
  rateLimit,
  live: { maxPerToken: liveStreams },
  sessionsPerSiteDay,
  webhooks,
  relays,
  trustProxy: env.SM_TRUST_PROXY === '1' || env.SM_TRUST_PROXY === 'true',
});

/**
 * How long a shutdown may wait for requests in flight. A stalled upload is cut by the request timeout
 * (10 s) anyway; past this bound every connection left is closed, and the process exits all the same.
 */
const SHUTDOWN_GRACE_MS = 12_000;

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'draining in-flight requests');
    setTimeout(() => {
      app.log.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'shutdown grace passed: closing every connection left');
      app.server.closeAllConnections();
      setTimeout(() => process.exit(1), 2_000).unref();
    }, SHUTDOWN_GRACE_MS).unref();
    app
      .close()
      .then(() => store.close())
      .then(() => process.exit(0), (e) => {
        app.log.error({ err: e }, 'shutdown failed');
        process.exit(1);
      });
  });
}

try {
  await app.listen({ port, host });
} catch (e) {
  fail(`cannot listen on ${host}:${port}: ${(e as Error).message}`);
}
const address = app.server.address();
const url = `http://${host.includes(':') ? `[${host}]` : host}:${typeof address === 'object' && address ? address.port : port}`;
app.log.info({ url, pid: process.pid, store: store.kind, dataDir, sites: sites ? [...sites.keys()] : 'any', tokenSource: token?.source ?? 'SM_TOKENS', retentionDays, webhooks: webhooks ? webhooks.map((w) => w.key) : 'none', relays: relays ? relays.map((r) => r.key) : 'none' }, 'collector listening');
// The generated token is printed once, when it is created; after that it is read from its file.
const tokenLine = !token
  ? `${tokens!.length} scoped tokens from SM_TOKENS`
  : token.source === 'generated'
    ? `${token.token}  (new, stored in ${token.file}; printed this once)`
    : token.source === 'file'
      ? `in ${token.file}`
      : 'from SM_API_TOKEN';
console.log(`
  session-metrics collector (${store.kind === 'sqlite' ? `SQLite in ${dataDir}` : store.kind === 'postgres' ? 'PostgreSQL' : 'ClickHouse'}${workers > 1 ? `, worker ${process.pid}` : ''})
  demo page   ${url}/
  dashboard   ${url}/dashboard${token?.source === 'generated' ? `#token=${token.token}` : '  (sign in with the API token)'}
  API docs    ${url}/docs
  health      ${url}/healthz, ${url}/readyz, ${url}/metrics
  API token   ${tokenLine}
`);
