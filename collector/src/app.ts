/**
 * `build(opts)`: the whole collector as a Fastify instance, without listening (server.ts listens;
 * tests use `app.inject`). Everything it depends on comes in as options with defaults.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { requireToken, singleToken, type TokenEntry } from './access';
import { createServer } from 'node:http';
import { errorBody, SmError } from './errors';
import { DEFAULT_SITE_DAY_SESSIONS, MAX_SITE_DAY_SESSIONS } from './ingest/quota';
import { createLiveHub } from './live';
import { createLiveStreams, type LiveStreamBounds } from './live-streams';
import { createMetrics } from './ops/metrics';
import { createRateLimits, type RateLimitOptions } from './rate-limits';
import opsRoutes from './ops/routes';
import { withRequestRedaction } from './ops/request-log';
import { startRetention } from './retention';
import { accessRoutes } from './routes/access';
import { privacyRoutes } from './routes/privacy';
import { attentionRoutes } from './routes/attention';
import { addRecordSchemas, collectRoutes } from './routes/collect';
import { liveRoutes } from './routes/live';
import { reportRoutes } from './routes/reports';
import { dashboardReportRoutes } from './routes/dashboard-reports';
import { sessionDurationRoutes } from './routes/session-duration';
import { staticRoutes, type StaticOptions } from './routes/static';
import type { Sites } from './sites';
import type { Store } from './store/types';
import type { Webhooks } from './webhooks/config';
import type { Relays } from './relays/config';
import { createDispatcher, type DispatcherOptions } from './webhooks/dispatcher';
import { startInactiveScan } from './webhooks/inactive';
import { webhookRoutes } from './routes/webhooks';

export interface BuildOptions {
  store: Store;
  /** The one admin bearer token (at least 16 characters), when `tokens` is not given. */
  token?: string;
  /** Scoped tokens (access.ts, SM_TOKENS); replace `token`. */
  tokens?: TokenEntry[];
  /** This process is one of SM_WORKERS: GET /metrics answers the sum over every worker, asked of the primary. */
  clusterMetrics?: boolean;
  /** Bearer token GET /metrics requires; null or unset leaves it open. */
  metricsToken?: string | null;
  /** Remove sessions older than this many days, at start and daily (retention.ts); null keeps everything. */
  retentionDays?: number | null;
  /** Configured sites; null accepts every siteId from every origin. @defaultValue null */
  sites?: Sites | null;
  /** Fastify logger option. @defaultValue false */
  logger?: FastifyServerOptions['logger'];
  /** The rate limits (rate-limits.ts), each false for none; false for none at all. @defaultValue every default */
  rateLimit?: RateLimitOptions | false;
  /** Trust X-Forwarded-For (behind a reverse proxy) for client IPs. @defaultValue false */
  trustProxy?: boolean;
  /** The clock: epoch ms. @defaultValue Date.now */
  now?: () => number;
  /** Static parts served (SDK bundle, examples, dashboard); false for none. */
  static?: StaticOptions | false;
  /**
   * Socket bounds (ms). `requestMs`: the whole request, headers and body, must arrive within it (a stalled
   * upload is answered 408 and closed); `headersMs`: the headers within it (Node 20 ignores requestTimeout
   * while headersTimeout is larger, so both are set); `idleMs`: a connection with no traffic either way is
   * closed (the live stream's heartbeat keeps its own open). @defaultValue { requestMs: 10000, headersMs: 5000, idleMs: 60000 }
   */
  timeouts?: { requestMs?: number; headersMs?: number; idleMs?: number };
  /** Webhook endpoints (SM_WEBHOOKS, webhooks/config.ts); the store must have been opened with the same. @defaultValue null */
  webhooks?: Webhooks | null;
  /** Relays (SM_RELAYS, relays/config.ts), sent by the same dispatcher; the store must have been opened with the same. @defaultValue null */
  relays?: Relays | null;
  /** Webhook dispatch tuning (tests shorten the poll, swap the clock or the scan interval). */
  dispatch?: Omit<DispatcherOptions, 'outbox' | 'webhooks' | 'relays' | 'now' | 'log'> & { inactiveScanMs?: number };
  /** New sessions one site's day may hold (ingest/quota.ts), at most 900,000. @defaultValue 500000 */
  sessionsPerSiteDay?: number;
  /** Live view tuning (tests shorten the heartbeat) and its streams' bounds (live-streams.ts). */
  live?: { windowMs?: number; heartbeatMs?: number; coalesceMs?: number } & LiveStreamBounds;
}

const FASTIFY_CODES: Record<string, { code: ConstructorParameters<typeof SmError>[0]; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'SM_BODY_TOO_LARGE', message: 'the body is larger than the 64 KiB limit; send fewer records per request' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'SM_UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'SM_BAD_JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'SM_BAD_JSON', message: 'the body is empty; send a JSON array of records' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'SM_BAD_JSON' },
};

export async function build(opts: BuildOptions) {
  const { sites = null, now = Date.now } = opts;
  const { requestMs = 10_000, headersMs = Math.min(5_000, requestMs), idleMs = 60_000 } = opts.timeouts ?? {};
  const tokens = opts.tokens ?? (opts.token !== undefined ? singleToken(opts.token) : []);
  if (tokens.length === 0) throw new Error('build() needs `token` or `tokens`');
  const { maxPerToken, maxUnsentBytes, maxStallMs, ...liveTuning } = opts.live ?? {};
  const streams = createLiveStreams({ maxPerToken, maxUnsentBytes, maxStallMs });
  const metrics = createMetrics({ live: { clients: () => streams.size, unsentBytes: () => streams.unsentBytes(), dropped: () => streams.dropped }, cluster: opts.clusterMetrics });
  const store = metrics.meter(opts.store);
  const app = Fastify({
    // A sane incoming x-request-id (a proxy's) is kept, so one id follows the request through every log.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    },
    // Node checks requestTimeout and headersTimeout only every connectionsCheckingInterval (30 s by
    // default), so a stalled upload would live 40 s: checked every second (or sooner for short bounds).
    serverFactory: (handler) =>
      createServer({ requestTimeout: requestMs, headersTimeout: headersMs, connectionsCheckingInterval: Math.min(1_000, headersMs), keepAliveTimeout: 5_000 }, handler),
    connectionTimeout: idleMs,
    // On close, idle keep-alive sockets are closed at once (in-flight requests are answered first).
    forceCloseConnections: 'idle',
    logger: withRequestRedaction(opts.logger ?? false),
    trustProxy: opts.trustProxy ?? false,
    // Records are validated as sent: no type coercion (null must not become 0), no defaults, nothing removed.
    ajv: { customOptions: { coerceTypes: false, useDefaults: false, removeAdditional: false, allErrors: false, allowUnionTypes: true } },
    return503OnClosing: true,
  });

  app.setErrorHandler((error: FastifyError | SmError, request, reply) => {
    if (error instanceof SmError) return reply.code(error.statusCode).send(errorBody(error.code, error.message, error.details));
    if (error.validation) {
      return reply.code(400).send(errorBody('SM_VALIDATION', `${error.validationContext ?? 'request'} ${error.message.replace(/^(body|querystring|params|headers)\s*/, '')}`.trim()));
    }
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return reply.code(error.statusCode ?? 400).send(errorBody(mapped.code, mapped.message ?? error.message));
    if (error.statusCode === 400 && error instanceof SyntaxError) return reply.code(400).send(errorBody('SM_BAD_JSON', `the body is not valid JSON: ${error.message}`));
    if (error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).send(errorBody('SM_VALIDATION', error.message));
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('SM_INTERNAL', 'the collector failed to handle this request; it is logged'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody('SM_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );

  addRecordSchemas(app);
  const limits = createRateLimits(opts.rateLimit ?? {}, now);
  await app.register(opsRoutes, { store, metrics, metricsToken: opts.metricsToken ?? null, authFailures: limits.authFailures });
  await app.register(swagger, {
    openapi: {
      info: { title: 'session-metrics collector', version: '1', description: 'Ingests version-1 records and answers engagement reports. Durations are seconds rounded to 0.1; dates are YYYY-MM-DD, inclusive, UTC.\n\n[Back to the dashboard](/dashboard/) · [The demo page](/examples/plain/)' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const hub = createLiveHub({ store, now, ...liveTuning, onError: (e) => app.log.error({ err: e }, 'live snapshot failed') });
  app.addHook('onClose', async () => hub.close());
  if (opts.retentionDays) {
    const days = opts.retentionDays;
    let retention: ReturnType<typeof startRetention> | undefined;
    app.addHook('onReady', async () => {
      retention = startRetention({ store, days, now, log: app.log });
    });
    app.addHook('onClose', async () => retention?.stop());
  }

  if (opts.webhooks?.length || opts.relays?.length) startWebhooks(app, store, opts.webhooks ?? [], opts.relays ?? [], now, { onAttempt: metrics.webhookAttempt, ...opts.dispatch });

  const sessionsPerSiteDay = opts.sessionsPerSiteDay ?? DEFAULT_SITE_DAY_SESSIONS;
  if (!Number.isInteger(sessionsPerSiteDay) || sessionsPerSiteDay < 1 || sessionsPerSiteDay > MAX_SITE_DAY_SESSIONS) {
    throw new Error(`sessionsPerSiteDay must be a whole number from 1 to ${MAX_SITE_DAY_SESSIONS}, got ${sessionsPerSiteDay}`);
  }
  await app.register(collectRoutes, { store, sites, now, limits, sessionsPerSiteDay, onChange: () => hub.changed() });

  await app.register(async (api) => {
    api.addHook('onRequest', requireToken(tokens, limits));
    await api.register(accessRoutes);
    await api.register(privacyRoutes, { store, now });
    await api.register(sessionDurationRoutes, { store });
    await api.register(reportRoutes, { store, now });
    await api.register(dashboardReportRoutes, { store, now, sites });
    await api.register(attentionRoutes, { store });
    await api.register(liveRoutes, { hub, streams });
    if (store.outbox) await api.register(webhookRoutes, { outbox: store.outbox, now });
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  if (opts.static !== false) await app.register(staticRoutes, opts.static ?? {});
  return app;
}

/** The dispatcher (webhooks and relays) and the daily inactive-users scan, from ready to close. */
function startWebhooks(app: Awaited<ReturnType<typeof Fastify>>, store: Store, webhooks: Webhooks, relays: Relays, now: () => number, tuning: NonNullable<BuildOptions['dispatch']>) {
  const outbox = store.outbox;
  if (!outbox) {
    throw new Error(`SM_WEBHOOKS and SM_RELAYS need the SQLite or PostgreSQL store: the ${store.kind} store has no transaction in which to write the outbox with the records (docs/webhooks.md)`);
  }
  const { inactiveScanMs, ...dispatch } = tuning;
  const dispatcher = createDispatcher({ ...dispatch, outbox, webhooks, relays, now, log: app.log });
  let stopScan = () => {};
  app.addHook('onReady', async () => {
    dispatcher.start();
    stopScan = startInactiveScan({ outbox, webhooks, now, log: app.log, ...(inactiveScanMs ? { everyMs: inactiveScanMs } : {}) });
  });
  app.addHook('onClose', async () => {
    stopScan();
    await dispatcher.stop();
  });
}
