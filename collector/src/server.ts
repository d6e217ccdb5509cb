/**
 * The only place that listens. Configuration from the environment:
 *   PORT (8787), HOST (127.0.0.1), SM_DATA_DIR (./data, relative to where npm was started),
 *   SM_API_TOKEN (else stored in / generated into the data directory), DATABASE_URL (PostgreSQL instead
 *   of the embedded SQLite file), SM_DATABASE_SCHEMA (PostgreSQL schema, default public),
 *   SM_SITES (sites JSON or a path to it), SM_RATE_LIMIT (requests per minute per IP, 0 = off),
 *   SM_TRUST_PROXY (1 behind a reverse proxy), SM_LOG_LEVEL (info).
 * SIGTERM and SIGINT drain in-flight requests, close the store, then exit; within SHUTDOWN_GRACE_MS
 * whatever a client does.
 */
import { join, resolve } from 'node:path';
import { build } from './app';
import { loadSites } from './sites';
import { openPostgresStore } from './store/postgres';
import { openSqliteStore } from './store/sqlite';
import type { Store } from './store/types';
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
try {
  sites = loadSites(env.SM_SITES);
  token = loadToken(dataDir, env.SM_API_TOKEN);
} catch (e) {
  fail((e as Error).message);
}

const store: Store = env.DATABASE_URL
  ? await openPostgresStore({ url: env.DATABASE_URL, schema: env.SM_DATABASE_SCHEMA ?? 'public' })
  : openSqliteStore({ file: join(dataDir, 'session-metrics.db') });
await store.migrate();

const app = await build({
  store,
  token: token.token,
  sites,
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
app.log.info({ url, store: store.kind, dataDir, sites: sites ? [...sites.keys()] : 'any', tokenSource: token.source }, 'collector listening');
console.log(`
  session-metrics collector (${store.kind === 'sqlite' ? `SQLite in ${dataDir}` : 'PostgreSQL'})
  demo page   ${url}/
  dashboard   ${url}/dashboard#token=${token.token}
  API docs    ${url}/docs
  API token   ${token.token}${token.source === 'generated' ? `  (new, stored in ${token.file})` : token.source === 'file' ? `  (from ${token.file})` : '  (from SM_API_TOKEN)'}
`);
