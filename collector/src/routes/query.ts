/**
 * The query every range report takes: `start`, `end` (YYYY-MM-DD, inclusive, UTC), optional `site`, and an
 * optional dimension filter `meta_key` + `meta_value` (sessions whose `meta` has that value). Each problem is
 * a 400 naming the parameter.
 */
import type { FastifyRequest } from 'fastify';
import { SmError } from '../errors';
import { parseRange } from '../reports/dates';
import type { DayRange } from '../store/types';

export const rangeProperties = {
  start: { type: 'string', description: 'YYYY-MM-DD, inclusive, UTC' },
  end: { type: 'string', description: 'YYYY-MM-DD, inclusive, UTC' },
  site: { type: 'string', description: 'Only this siteId (optional)' },
  meta_key: { type: 'string', description: 'With meta_value: only sessions whose meta has this value for this key (optional)' },
  meta_value: { type: 'string', description: 'The value of meta_key (optional; required with meta_key)' },
} as const;

export const rangeQuery = { type: 'object', required: ['start', 'end'], properties: rangeProperties } as const;

/** `meta_key` and `meta_value`, both or neither. */
export function parseMeta(key: unknown, value: unknown, names = ['meta_key', 'meta_value']): DayRange['meta'] {
  if (key === undefined && value === undefined) return undefined;
  if (typeof key !== 'string' || key === '' || key.length > 128) throw new SmError('SM_VALIDATION', `${names[0]} must be a key of 1 to 128 characters when ${names[1]} is given, got ${JSON.stringify(key)}`);
  if (typeof value !== 'string' || value.length > 1024) throw new SmError('SM_VALIDATION', `${names[1]} must be a text of at most 1024 characters when ${names[0]} is given, got ${JSON.stringify(value)}`);
  return { key, value };
}

export function parseReportRange(request: FastifyRequest): DayRange & { days: string[] } {
  const q = request.query as { start: string; end: string; site?: string; meta_key?: string; meta_value?: string };
  const r = parseRange('start', q.start, 'end', q.end);
  return { start: r.start, end: r.end, days: r.days, siteId: q.site, meta: parseMeta(q.meta_key, q.meta_value) };
}

export function wholeNumber(field: string, value: string | undefined, fallback: number, max: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new SmError('SM_VALIDATION', `${field} must be a whole number, got ${JSON.stringify(value)}`);
  const v = Number(value);
  if (v > max) throw new SmError('SM_VALIDATION', `${field} must be at most ${max}, got ${v}`);
  if (v < min) throw new SmError('SM_VALIDATION', `${field} must be at least ${min}, got ${v}`);
  return v;
}
