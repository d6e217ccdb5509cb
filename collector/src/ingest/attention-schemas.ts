/**
 * JSON schemas of the optional attention fields of a page record (src/core/attention.ts,
 * docs/attention.md): `vitals`, `scroll`, `sections`, `media`. Spread into the page schema (schemas.ts).
 * Bounds are generous for real pages and refuse what no browser measures (a negative time, a share
 * above 1, an LCP of a day).
 */
import { VITAL_NAMES } from '../../../src/core/attention';

const HOUR_MS = 3_600_000;
const pageMs = { type: 'number', minimum: 0, maximum: 1e10 } as const;
const share = { type: 'number', minimum: 0, maximum: 1 } as const;

/** Each vital by name: ms under an hour, CLS a unitless score. Names other than the five are kept in the raw record, not stored. */
const vitals = {
  type: 'object',
  maxProperties: 16,
  properties: Object.fromEntries(VITAL_NAMES.map((name) => [name, name === 'CLS' ? { type: 'number', minimum: 0, maximum: 1000 } : { type: 'number', minimum: 0, maximum: HOUR_MS }])),
  additionalProperties: { type: 'number' },
} as const;

const scroll = {
  type: 'object',
  required: ['depth', 'reachedMs'],
  properties: {
    depth: share,
    reachedMs: { type: 'object', additionalProperties: false, properties: { 25: pageMs, 50: pageMs, 75: pageMs, 100: pageMs } },
  },
} as const;

const sections = {
  type: 'object',
  maxProperties: 50,
  propertyNames: { minLength: 1, maxLength: 64 },
  additionalProperties: { type: 'array', minItems: 2, maxItems: 2, items: pageMs },
} as const;

const media = {
  type: 'object',
  maxProperties: 16,
  propertyNames: { minLength: 1, maxLength: 256 },
  additionalProperties: {
    type: 'object',
    required: ['watchedMs', 'durationMs', 'completion', 'ended'],
    properties: {
      watchedMs: { type: 'number', minimum: 0, maximum: 1e9 },
      durationMs: { type: ['number', 'null'], minimum: 0, maximum: 1e9 },
      completion: { type: ['number', 'null'], minimum: 0, maximum: 1 },
      ended: { type: 'boolean' },
    },
  },
} as const;

export const pageAttentionProperties = { vitals, scroll, sections, media } as const;
