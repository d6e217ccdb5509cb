/**
 * What `@opentelemetry/otlp-transformer` (the OpenTelemetry JS SDK's own OTLP/HTTP JSON encoder)
 * writes for the log records and the metric that a session-metrics OTLP export means, built here
 * from the session records independently of the adapter's mapping: the adapter's JSON must equal it.
 */
import { JsonLogsSerializer, JsonMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { SessionRecord } from '../../../src/core/records';

const hr = (ms: number): [number, number] => [Math.floor(ms / 1000), (ms % 1000) * 1e6];
const decode = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes));
const scope = { name: 'session-metrics' };

/** The attributes of a final session's log record, as docs/adapters.md lists them. */
export const sessionAttributes = (r: SessionRecord) => ({
  'session.id': r.id,
  'session.site_id': r.siteId,
  'session.seq': r.seq,
  'session.started_at': r.startedAt,
  'session.engaged_ms': r.engagedMs,
  'session.duration_ms': r.durationMs,
  'session.breaks.count': r.breaks.count,
  'session.breaks.total_ms': r.breaks.totalMs,
  'session.breaks.longest_ms': r.breaks.longestMs,
  'session.pages': r.pages.length,
  ...(r.band !== null && { 'session.band': r.band }),
  'session.final': r.final,
  'session.sample_rate': r.sampleRate,
  ...(r.userId !== null && { 'user.id': r.userId }),
  ...Object.fromEntries(Object.entries(r.meta ?? {}).filter(([, v]) => v !== null).map(([k, v]) => ['session.meta.' + k, v])),
});

/** The `/v1/logs` body for one log record per final session, observed at `observedMs`. */
export function referenceLogs(records: SessionRecord[], observedMs: number, serviceName = 'session-metrics') {
  const resource = resourceFromAttributes({ 'service.name': serviceName });
  return decode(
    JsonLogsSerializer.serializeRequest(
      records.map((r) => ({
        hrTime: hr(Date.parse(r.lastActiveAt)),
        hrTimeObserved: hr(observedMs),
        severityNumber: 9,
        severityText: 'INFO',
        body: 'session_metrics.session',
        eventName: 'session_metrics.session',
        resource,
        instrumentationScope: scope,
        attributes: sessionAttributes(r),
        droppedAttributesCount: 0,
      })) as never,
    )!,
  );
}

/** The `/v1/metrics` body: the cumulative engaged ms per page name since `startMs`. */
export function referenceMetrics(totals: Record<string, number>, startMs: number, nowMs: number, instanceId: string, serviceName = 'session-metrics') {
  return decode(
    JsonMetricsSerializer.serializeRequest({
      resource: resourceFromAttributes({ 'service.name': serviceName, 'service.instance.id': instanceId }),
      scopeMetrics: [
        {
          scope,
          metrics: [
            {
              descriptor: { name: 'session_metrics.page.engaged_time', description: 'Engaged time per page name, summed over ended sessions', unit: 'ms', valueType: 0 },
              aggregationTemporality: AggregationTemporality.CUMULATIVE,
              dataPointType: DataPointType.SUM,
              isMonotonic: true,
              dataPoints: Object.entries(totals).map(([name, ms]) => ({ attributes: { 'page.name': name }, startTime: hr(startMs), endTime: hr(nowMs), value: ms })),
            },
          ],
        },
      ],
    } as never)!,
  );
}
