/**
 * `session-metrics/adapters/otlp`: sessions into any OpenTelemetry backend over OTLP/HTTP JSON.
 * One log record per final session to `{endpoint}/v1/logs`; with `metrics: true`, also the
 * cumulative sum of engaged time per page name to `{endpoint}/v1/metrics`. 429, 502, 503 and 504
 * (OTLP's retryable answers) and network errors are retried, after `Retry-After` when given; any
 * other failure status drops the body (the OTLP spec: the backend will not take it).
 * The metrics request goes first: a cumulative point sent twice says the same thing, a log twice
 * is two logs, so a retry after a failed log request repeats only what is harmless.
 */
import { adapterTransport, defaultStorage, parseLedger, type AdapterOptions } from './base';

import { addPageTotals, toOtlpLogs, toOtlpMetrics, type PageTotals } from './map/otlp';
import type { Transport } from '../transports/transport';
import { parseRetryAfter } from '../transports/retry-after';

export type { AdapterOptions } from './base';

export interface OtlpAdapterOptions extends AdapterOptions {
  /** The OTLP/HTTP base URL (an OpenTelemetry Collector's is `http://host:4318`); `/v1/logs` and `/v1/metrics` are appended. */
  endpoint: string;
  /** `service.name` of the resource. @defaultValue `'session-metrics'` */
  serviceName?: string;
  /** Also the cumulative engaged time per page name. @defaultValue `false` */
  metrics?: boolean;
  /** Extra request headers (a backend's API key). Any header makes a cross-origin request preflighted. @defaultValue none */
  headers?: Record<string, string>;
  /** @defaultValue `globalThis.fetch`, looked up at send time */
  fetch?: typeof fetch;
}

const RETRYABLE = [429, 502, 503, 504];

export function otlpAdapter(options: OtlpAdapterOptions): Transport {
  const { endpoint, serviceName = 'session-metrics', metrics, headers } = options;
  const base = String(endpoint).replace(/\/$/, '');
  const totalsKey = 'session-metrics:adapter:' + (options.name || 'otlp') + ':totals';
  const post = (path: string, body: unknown, keepalive: boolean) =>
    (options.fetch || fetch)(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      credentials: 'omit',
      keepalive,
    }).then((res) => {
      // What a DeliveryError carries, without the class (the delivery layer reads only these two), as fetch.ts does.
      if (!res.ok)
        throw Object.assign(new Error('HTTP ' + res.status), {
          retryable: RETRYABLE.includes(res.status),
          retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), Date.now()),
        });
    });
  const storage = options.storage || defaultStorage();
  return adapterTransport('otlp', { ...options, storage, pages: options.pages || metrics }, 'final', async (reports, _c, { unloading }) => {
    const now = Date.now();
    const logs = reports.filter((r) => !r.page || options.pages);
    let totals: PageTotals | undefined;
    if (metrics) {
      totals = addPageTotals(parseLedger(storage.get(totalsKey)) as unknown as PageTotals, reports, now);
      await post('/v1/metrics', toOtlpMetrics(totals, { serviceName, now, instanceId: reports[0]!.record.anonymousId }), unloading);
    }
    if (logs.length) await post('/v1/logs', toOtlpLogs(logs, { serviceName, now }), unloading);
    if (totals) storage.set(totalsKey, JSON.stringify(totals));
  });
}
