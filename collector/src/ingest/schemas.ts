/**
 * JSON schemas of the version-1 wire records (src/core/records.ts, docs/semantics.md "Records on the wire").
 * They are the route schema of POST /collect (so they appear in the OpenAPI document) and the per-record
 * validators that let one bad record be rejected while the rest of its batch is stored.
 * Unknown extra fields are allowed and kept in the raw JSON: a newer SDK must not lose data on an
 * older collector.
 */
import { pageAttentionProperties } from './attention-schemas';

// ISO 8601 UTC with a `Z` or offset; the value is also checked with Date.parse (see validate.ts).
const isoDate = { type: 'string', minLength: 20, maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$' } as const;
/**
 * The least sampleRate accepted: one session in 1,000. It bounds a weight (1 / sampleRate) to 1,000, so
 * that the rollups' integer sums (migration 006) cannot overflow and one record cannot outweigh a
 * site's traffic. Below it a record is rejected naming the field.
 */
export const MIN_SAMPLE_RATE = 0.001;
/** The longest duration a record may state, in ms: 30 days (a session ends after 30 min without engagement by default). */
export const MAX_SESSION_MS = 30 * 86_400_000;
/** The most breaks one session may state (in all and per bucket). */
export const MAX_BREAKS = 10_000;

const ms = { type: 'number', minimum: 0, maximum: MAX_SESSION_MS } as const;
const count = { type: 'integer', minimum: 0, maximum: 1e9 } as const;
const breakCount = { type: 'integer', minimum: 0, maximum: MAX_BREAKS } as const;
const shortId = { type: 'string', minLength: 1, maxLength: 128 } as const;
const band = { type: ['string', 'null'], maxLength: 64 } as const;

export const breakStatsSchema = {
  type: 'object',
  required: ['count', 'totalMs', 'longestMs', 'histogram'],
  properties: {
    count: breakCount,
    totalMs: ms,
    longestMs: ms,
    histogram: {
      type: 'object',
      required: ['<30s', '30s-2m', '2m-10m', '>=10m'],
      properties: { '<30s': breakCount, '30s-2m': breakCount, '2m-10m': breakCount, '>=10m': breakCount },
    },
  },
} as const;

export const pageStatsSchema = {
  type: 'object',
  required: ['path', 'views', 'engagedMs', 'firstSeenAt', 'lastSeenAt', 'band'],
  properties: {
    path: { type: 'string', minLength: 1, maxLength: 2048 },
    views: count,
    engagedMs: ms,
    firstSeenAt: isoDate,
    lastSeenAt: isoDate,
    band,
    ...pageAttentionProperties,
  },
} as const;

export const sessionRecordSchema = {
  $id: 'SessionRecord',
  description: 'A cumulative snapshot of one session; the collector keeps the highest seq per (siteId, id).',
  type: 'object',
  required: ['v', 'type', 'siteId', 'id', 'seq', 'userId', 'anonymousId', 'startedAt', 'lastActiveAt', 'durationMs', 'engagedMs', 'breaks', 'pages', 'band', 'sampleRate', 'final'],
  properties: {
    v: { const: 1 },
    type: { const: 'session' },
    siteId: shortId,
    id: shortId,
    seq: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    userId: { type: ['string', 'null'], minLength: 1, maxLength: 256 },
    anonymousId: shortId,
    startedAt: isoDate,
    lastActiveAt: isoDate,
    durationMs: ms,
    engagedMs: ms,
    breaks: breakStatsSchema,
    pages: { type: 'array', maxItems: 500, items: pageStatsSchema },
    band,
    sampleRate: { type: 'number', minimum: MIN_SAMPLE_RATE, maximum: 1 },
    final: { type: 'boolean' },
    vitals: { type: 'object', maxProperties: 32, additionalProperties: { type: 'number' } },
    meta: { type: 'object', maxProperties: 64, additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
  },
} as const;

export const alertRecordSchema = {
  $id: 'AlertRecord',
  description: 'A threshold crossed (above) or missed at session end (below); stored once per (siteId, sessionId, threshold, direction).',
  type: 'object',
  required: ['v', 'type', 'siteId', 'sessionId', 'threshold', 'direction', 'at', 'engagedMs'],
  properties: {
    v: { const: 1 },
    type: { const: 'alert' },
    siteId: shortId,
    sessionId: shortId,
    threshold: { type: 'string', minLength: 1, maxLength: 64 },
    direction: { enum: ['above', 'below'] },
    at: isoDate,
    engagedMs: ms,
  },
} as const;

/** Most records a batch may hold; the SDK's 60 KiB bodies hold far fewer. */
export const MAX_BATCH_RECORDS = 1000;

/**
 * The body of POST /collect as documented. Validation of each item happens per record (validate.ts),
 * so `items` only documents what is expected.
 */
export const batchSchema = {
  type: 'array',
  maxItems: MAX_BATCH_RECORDS,
  description: 'Version-1 records, as application/json or text/plain (what navigator.sendBeacon sends).',
  items: { anyOf: [{ $ref: 'SessionRecord#' }, { $ref: 'AlertRecord#' }] },
} as const;
