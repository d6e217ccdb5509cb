/**
 * The only place that listens. Configuration from the environment:
 *   PORT (8787), HOST (127.0.0.1), SM_DATA_DIR (./data, relative to where npm was started),
 *   SM_API_TOKEN (else stored in / generated into the data directory), DATABASE_URL (PostgreSQL instead
 *   of the embedded SQLite file), SM_DATABASE_SCHEMA (PostgreSQL schema, default public),
 *   SM_SITES (sites JSON or a path to it), SM_RATE_LIMIT (requests per minute per IP, 0 = off),
 *   SM_TRUST_PROXY (1 behind a reverse proxy), SM_LOG_LEVEL (info), SM_TOKENS (scoped tokens, access.ts),
 *   SM_METRICS_TOKEN (protects /metrics), SM_RETENTION_DAYS (retention.ts), SM_CLICKHOUSE_URL, SM_CLICKHOUSE_DATABASE and
 *   SM_CLICKHOUSE_CLUSTER (the ClickHouse store, docs/clickhouse.md), SM_WORKERS (processes on one port, workers.ts),
 *   SM_WEBHOOKS (webhook endpoints JSON or a path to it, docs/webhooks.md),
 *   SM_RELAYS (server-side relays to GA4, Segment, PostHog, OTLP: JSON or a path to it, docs/relays.md).
 *   All of them: variables.ts.
 * SIGTERM and SIGINT drain in-flight requests, close the store, then exit; within SHUTDOWN_GRACE_MS
 * whatever a client does.
 */
import { resolve } from 'node:path';
import { loadTokens, type TokenEntry } from './access';
import { build } from './app';
import { parseRetentionDays } from './retention';
import { loadSites } from './sites';
import { loadWebhooks } from './webhooks/config';
import type { Webhooks } from './webhooks/config';
import { loadRelays, type Relays } from './relays/config';
import { openStore, storeKind } from './store/open';
import type { Store } from './store/types';
import { isWorkerPrimary, superviseWorkers, workerCount } from './workers';
import { loadToken } from './token';

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
const rate = env.SM_RATE_LIMIT === undefined ? 1200 : Number(env.SM_RATE_LIMIT);
if (!Number.isInteger(rate) || rate < 0) fail(`SM_RATE_LIMIT must be a whole number of requests per minute (0 = no limit), got ${JSON.stringify(env.SM_RATE_LIMIT)}`);

let sites;
let token;
let tokens: TokenEntry[] | null = null;
let retentionDays: number | null = null;
let webhooks: Webhooks | null = null;
let relays: Relays | null = null;
try {
  sites = loadSites(env.SM_SITES);
  webhooks = loadWebhooks(env.SM_WEBHOOKS, sites);
  relays = loadRelays(env.SM_RELAYS, sites, webhooks?.map((w) => w.key));
  tokens = loadTokens(env.SM_TOKENS);
  if (tokens && env.SM_API_TOKEN) throw new Error('set SM_TOKENS or SM_API_TOKEN, not both: with SM_TOKENS every token is configured there');
  if (env.SM_METRICS_TOKEN !== undefined && env.SM_METRICS_TOKEN.length < 16) throw new Error('SM_METRICS_TOKEN must be at least 16 characters');
  retentionDays = parseRetentionDays(env.SM_RETENTION_DAYS);
  token = tokens ? null : loadToken(dataDir, env.SM_API_TOKEN);
} catch (e) {
  fail((e as Error).message);
}

let workers = 1;
try {
  workers = workerCount(env.SM_WORKERS);
  if (storeKind(env) === 'clickhouse' && (webhooks || relays)) {
    throw new Error(`${webhooks ? 'SM_WEBHOOKS' : 'SM_RELAYS'} needs the SQLite or PostgreSQL store: ClickHouse has no transaction in which to write the webhook outbox with the records that cause each event, so events could be lost or sent for records never stored (docs/webhooks.md)`);
  }
} catch (e) {
  fail((e as Error).message);
}
// The token is created (when it has to be) above, before any worker starts, so all share it.
if (workers > 1 && isWorkerPrimary()) await superviseWorkers(workers);

let store: Store;
try {
  store = await openStore(env, dataDir, webhooks ?? [], relays ?? []);
  await store.migrate();
} catch (e) {
  fail(`cannot open the ${storeKind(env)} store: ${(e as Error).message}`);
}

const app = await build({
  store,
  ...(tokens ? { tokens } : { token: token!.token }),
  metricsToken: env.SM_METRICS_TOKEN ?? null,
  retentionDays,
  sites,
  webhooks,
  relays,
  logger: { level: env.SM_LOG_LEVEL ?? 'info' },
  rateLimit: rate === 0 ? false : { max: rate },
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
console.log(`
  session-metrics collector (${store.kind === 'sqlite' ? `SQLite in ${dataDir}` : store.kind === 'postgres' ? 'PostgreSQL' : 'ClickHouse'}${workers > 1 ? `, worker ${process.pid}` : ''})
  demo page   ${url}/
  dashboard   ${url}/dashboard${token ? `#token=${token.token}` : '  (sign in with a token of SM_TOKENS)'}
  API docs    ${url}/docs
  health      ${url}/healthz, ${url}/readyz, ${url}/metrics
  API token   ${!token ? `${tokens!.length} scoped tokens from SM_TOKENS` : `${token.token}${token.source === 'generated' ? `  (new, stored in ${token.file})` : token.source === 'file' ? `  (from ${token.file})` : '  (from SM_API_TOKEN)'}`}
`);
