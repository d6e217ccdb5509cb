/**
 * OpenTelemetry: OTLP/HTTP JSON (the protobuf JSON mapping: 64-bit times as decimal strings).
 * - Logs (`/v1/logs`): one log record per report (by default one per final session), named
 *   `session_metrics.session` (or `.page`), with `session.*` attributes (`page.*` on page records).
 * - Metrics (`/v1/metrics`): the cumulative sum of engaged time per page name, `page.name` its only
 *   attribute (no session id, to keep cardinality low). A cumulative stream needs one writer, so the
 *   resource carries `service.instance.id`: one stream per browser, which a backend sums by `page.name`.
 * Shapes as `@opentelemetry/otlp-transformer`'s JSON serializers write them (the tests compare).
 */
import type { Report } from '../ledger';

type AnyValue = { stringValue: string } | { intValue: number } | { doubleValue: number } | { boolValue: boolean };
export interface KeyValue {
  key: string;
  value: AnyValue;
}

export const otlpValue = (v: string | number | boolean): AnyValue =>
  typeof v == 'string' ? { stringValue: v } : typeof v == 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: v } : { doubleValue: v };

const attributes = (o: Record<string, string | number | boolean | null | undefined>): KeyValue[] =>
  Object.keys(o)
    .filter((key) => o[key] != null)
    .map((key) => ({ key, value: otlpValue(o[key]!) }));

/** Epoch ms (an integer) as OTLP's nanoseconds, a decimal string. */
export const unixNano = (ms: number): string => (ms ? Math.round(ms) + '000000' : '0');

export const SCOPE = { name: 'session-metrics' };

export interface OtlpContext {
  /** `service.name` of the resource. */
  serviceName: string;
  /** Now, epoch ms: the logs' observed time, the metric's time. */
  now: number;
}

const resource = (o: Record<string, string | undefined>) => ({ attributes: attributes(o), droppedAttributesCount: 0 });

/** A log record's attributes: `session.*`, `page.*` for a page, `user.id` when identified, `session.meta.*` for the host's dimensions. */
export function logAttributes({ record: r, page, valueMs }: Report): KeyValue[] {
  const meta: Record<string, string | number | boolean | null> = {};
  for (const k in r.meta) meta['session.meta.' + k] = r.meta[k]!;
  return attributes({
    'session.id': r.id,
    'session.site_id': r.siteId,
    'session.seq': r.seq,
    'session.started_at': r.startedAt,
    'session.engaged_ms': page ? r.engagedMs : valueMs,
    'session.duration_ms': r.durationMs,
    'session.breaks.count': r.breaks.count,
    'session.breaks.total_ms': r.breaks.totalMs,
    'session.breaks.longest_ms': r.breaks.longestMs,
    'session.pages': r.pages.length,
    'session.band': r.band,
    'session.final': r.final,
    'session.sample_rate': r.sampleRate,
    'user.id': r.userId,
    ...(page && { 'page.name': page.path, 'page.views': page.views, 'page.engaged_ms': valueMs, 'page.band': page.band }),
    ...meta,
  });
}

/** An `ExportLogsServiceRequest` with one log record per report, timed at its record's `lastActiveAt`. */
export const toOtlpLogs = (reports: readonly Report[], c: OtlpContext) => ({
  resourceLogs: [
    {
      resource: resource({ 'service.name': c.serviceName }),
      scopeLogs: [
        {
          scope: SCOPE,
          logRecords: reports.map((report) => {
            const name = 'session_metrics.' + (report.page ? 'page' : 'session');
            return {
              timeUnixNano: unixNano(Date.parse(report.record.lastActiveAt)),
              observedTimeUnixNano: unixNano(c.now),
              severityNumber: 9,
              severityText: 'INFO',
              body: { stringValue: name },
              eventName: name,
              attributes: logAttributes(report),
              droppedAttributesCount: 0,
            };
          }),
        },
      ],
    },
  ],
});

/** Engaged ms reported per page name since `s` (epoch ms): the state of a cumulative sum. */
export interface PageTotals {
  s: number;
  p: Record<string, number>;
}

/** Page names kept; beyond, time counts as `(other)`, so that a stream's cardinality stays bounded. */
export const MAX_PAGE_NAMES = 200;

/** `totals` with the page reports among `reports` added (a new object; `totals` is left as it was). */
export function addPageTotals(totals: PageTotals | null, reports: readonly Report[], now: number): PageTotals {
  const p = { ...totals?.p };
  for (const { page, valueMs } of reports)
    if (page) {
      const name = page.path in p || Object.keys(p).length < MAX_PAGE_NAMES ? page.path : '(other)';
      p[name] = (p[name] ?? 0) + valueMs;
    }
  return { s: totals?.s ?? now, p };
}

/** An `ExportMetricsServiceRequest`: one monotonic cumulative sum, `session_metrics.page.engaged_time` (ms), a point per page name. */
export const toOtlpMetrics = (totals: PageTotals, c: OtlpContext & { instanceId: string }) => ({
  resourceMetrics: [
    {
      resource: resource({ 'service.name': c.serviceName, 'service.instance.id': c.instanceId }),
      scopeMetrics: [
        {
          scope: SCOPE,
          metrics: [
            {
              name: 'session_metrics.page.engaged_time',
              description: 'Engaged time per page name, summed over ended sessions',
              unit: 'ms',
              sum: {
                aggregationTemporality: 2,
                isMonotonic: true,
                dataPoints: Object.keys(totals.p).map((name) => ({
                  attributes: attributes({ 'page.name': name }),
                  startTimeUnixNano: unixNano(totals.s),
                  timeUnixNano: unixNano(c.now),
                  asInt: totals.p[name]!,
                })),
              },
            },
          ],
        },
      ],
    },
  ],
});
