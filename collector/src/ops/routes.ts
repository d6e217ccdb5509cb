/**
 * What a load balancer, an orchestrator and a monitoring system ask the collector:
 *   GET /healthz  the process is up and answering (200; 503 once it is shutting down)
 *   GET /readyz   the store is reachable and writable (a real write, committed), else 503 SM_NOT_READY
 *   GET /metrics  Prometheus text (ops/metrics.ts), behind `metricsToken` when one is set
 * and the request id: every request gets one (a sane incoming `x-request-id`, else a UUID; app.ts
 * genReqId), answered in `x-request-id`, logged as `reqId`, and written into every error body.
 * Registered without encapsulation, so its hooks see every route.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import { bearer } from '../access';
import { errorSchema, SmError } from '../errors';
import { addressKey, type FixedWindow } from '../rate-limits';
import type { Store } from '../store/types';
import type { Metrics } from './metrics';

export interface OpsOptions {
  store: Store;
  metrics: Metrics;
  /** Bearer token /metrics requires; null leaves it open. */
  metricsToken: string | null;
  /** Failed authentications per address (rate-limits.ts), shared with /api; null for no limit. */
  authFailures?: FixedWindow | null;
  /** A readiness check slower than this fails. @defaultValue 2000 */
  readyTimeoutMs?: number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const isErrorBody = (p: unknown): p is { error: Record<string, unknown> } =>
  typeof p === 'object' && p !== null && typeof (p as { error?: unknown }).error === 'object' && (p as { error?: unknown }).error !== null;

const opsRoutes: FastifyPluginAsync<OpsOptions> = async (app, { store, metrics, metricsToken, authFailures = null, readyTimeoutMs = 2000 }) => {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('preSerialization', async (request, _reply, payload) =>
    isErrorBody(payload) && payload.error.request_id === undefined ? { ...payload, error: { ...payload.error, request_id: request.id } } : payload,
  );
  app.addHook('onSend', metrics.onSend);
  app.addHook('onResponse', metrics.onResponse);

  const status = { type: 'object', required: ['status'], properties: { status: { type: 'string' }, store: { type: 'string' } } } as const;

  app.get('/healthz', {
    schema: { tags: ['operations'], summary: 'Liveness: the process answers', response: { 200: status } },
  }, async () => ({ status: 'ok' }));

  app.get('/readyz', {
    schema: {
      tags: ['operations'],
      summary: 'Readiness: the store is reachable and writable',
      description: 'Writes and commits one row (table health_check) within 2 s; 503 SM_NOT_READY names what failed.',
      response: { 200: status, 503: errorSchema },
    },
  }, async (request) => {
    try {
      await within(readyTimeoutMs, store.checkWritable());
    } catch (e) {
      request.log.warn({ err: e }, 'readiness check failed');
      throw new SmError('SM_NOT_READY', `the ${store.kind} store cannot be written: ${(e as Error).message}`);
    }
    return { status: 'ready', store: store.kind };
  });

  const expected = metricsToken === null ? null : digest(metricsToken);
  app.get('/metrics', {
    schema: {
      tags: ['operations'],
      summary: 'Prometheus metrics',
      description: 'Text exposition format. Needs `Authorization: Bearer <SM_METRICS_TOKEN>` when that variable is set.',
      response: { 200: { type: 'string' }, 401: errorSchema, 429: errorSchema },
    },
  }, async (request, reply) => {
    if (expected) {
      const address = addressKey(request.ip);
      const blocked = authFailures?.exhausted(address, reply);
      if (blocked) throw blocked;
      if (!timingSafeEqual(digest(bearer(request)), expected)) {
        authFailures?.add(address);
        throw new SmError('SM_UNAUTHORIZED', 'the bearer token is not the metrics token');
      }
    }
    let text: string;
    try {
      text = await metrics.text();
    } catch (e) {
      throw new SmError('SM_NOT_READY', (e as Error).message);
    }
    return reply.type(metrics.registry.contentType).send(text);
  });
};

export default fp(opsRoutes, { name: 'session-metrics-ops', fastify: '5.x' });
