/**
 * Prometheus metrics (prom-client), one registry per app so that several apps in one process (tests)
 * never share counters. What an operator watches:
 *
 *   sm_ingest_requests_total{status}                 POST /collect answers by HTTP status
 *   sm_ingest_records_total{outcome, code}           records accepted (code "") and rejected by code
 *   sm_store_commit_seconds                          store.ingest from the call to its durable commit
 *   sm_store_pending_writes                          ingests waiting for their commit now
 *   sm_live_clients                                  open /api/live streams
 *   sm_live_unsent_bytes                             bytes written to live streams and not yet read by their clients
 *   sm_live_dropped_total                            live streams disconnected for reading too slowly (live-streams.ts)
 *   sm_report_duration_seconds{route, status}        report answers by route
 *   sm_webhook_attempts_total{endpoint, outcome}     webhook attempts: delivered, failed (retried later), dead
 *
 * plus prom-client's default process metrics (sm_process_*, sm_nodejs_*). Under SM_WORKERS=N every
 * figure is the sum over the workers, whichever worker answers the scrape (cluster-metrics.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/types';
import { clusterMetricsReader } from './cluster-metrics';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface LiveGauges {
  clients(): number;
  unsentBytes(): number;
  dropped(): number;
}

/** `cluster`: this process is one of SM_WORKERS, and its /metrics answers for all of them (cluster-metrics.ts). */
export function createMetrics({ live, cluster = false }: { live: LiveGauges; cluster?: boolean }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sm_' });
  const ingestRequests = new Counter({ name: 'sm_ingest_requests_total', help: 'POST /collect requests answered, by HTTP status', labelNames: ['status'], registers: [registry] });
  const ingestRecords = new Counter({
    name: 'sm_ingest_records_total',
    help: 'Records of POST /collect batches: outcome "accepted" (code empty) or "rejected" with its SM_ code',
    labelNames: ['outcome', 'code'],
    registers: [registry],
  });
  const commit = new Histogram({ name: 'sm_store_commit_seconds', help: 'Time from store.ingest to the durable commit of its rows', buckets: LATENCY_BUCKETS, registers: [registry] });
  const pending = new Gauge({ name: 'sm_store_pending_writes', help: 'Ingests waiting for their commit', registers: [registry] });
  new Gauge({
    name: 'sm_live_clients',
    help: 'Open /api/live event streams',
    registers: [registry],
    collect() {
      this.set(live.clients());
    },
  });
  new Gauge({
    name: 'sm_live_unsent_bytes',
    help: 'Bytes written to /api/live streams and not yet read by their clients',
    registers: [registry],
    collect() {
      this.set(live.unsentBytes());
    },
  });
  new Gauge({
    name: 'sm_live_dropped_total',
    help: '/api/live streams disconnected for reading too slowly (4 MiB unsent, or 60 s without reading)',
    registers: [registry],
    collect() {
      this.set(live.dropped());
    },
  });
  const reports = new Histogram({
    name: 'sm_report_duration_seconds',
    help: 'Report answers by route and HTTP status, from request to answer',
    labelNames: ['route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  const webhookAttempts = new Counter({
    name: 'sm_webhook_attempts_total',
    help: 'Webhook delivery attempts by endpoint (site/name) and outcome: delivered, failed (retried later) or dead',
    labelNames: ['endpoint', 'outcome'],
    registers: [registry],
  });
  const webhookAttempt = (endpoint: string, outcome: 'delivered' | 'failed' | 'dead') => webhookAttempts.inc({ endpoint, outcome });

  /** The store with its ingests timed and counted while they wait for their commit. */
  function meter(store: Store): Store {
    return {
      ...store,
      async ingest(sessions, alerts, limits) {
        const stop = commit.startTimer();
        pending.inc();
        try {
          return await store.ingest(sessions, alerts, limits);
        } finally {
          pending.dec();
          stop();
        }
      },
    };
  }

  /** onSend hook: counts ingest answers and their records from the answer itself (accepted, rejected[].code). */
  async function onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    if (request.routeOptions.url !== '/collect' || request.method !== 'POST') return payload;
    ingestRequests.inc({ status: String(reply.statusCode) });
    if (typeof payload !== 'string') return payload;
    try {
      const body = JSON.parse(payload) as { accepted?: unknown; rejected?: Array<{ code?: unknown }> };
      if (typeof body.accepted === 'number' && body.accepted > 0) ingestRecords.inc({ outcome: 'accepted', code: '' }, body.accepted);
      for (const r of Array.isArray(body.rejected) ? body.rejected : []) ingestRecords.inc({ outcome: 'rejected', code: String(r.code) });
    } catch {
      // Not JSON (cannot happen for this route's answers); the request is still counted above.
    }
    return payload;
  }

  /** onResponse hook: latency of the report routes. */
  async function onResponse(request: FastifyRequest, reply: FastifyReply) {
    const route = request.routeOptions.url;
    if (route === undefined || !(route.startsWith('/api/reports/') || route === '/api/session-duration')) return;
    reports.observe({ route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  }

  /** The exposition text GET /metrics answers: this process's registry, or every worker's summed. */
  const text: () => Promise<string> = cluster ? clusterMetricsReader(registry) : () => registry.metrics();

  return { registry, text, meter, onSend, onResponse, webhookAttempt };
}

export type Metrics = ReturnType<typeof createMetrics>;
