/**
 * Splits a batch into accepted records and rejections, each rejection naming the record, the field
 * and the reason. Pure apart from the compiled validators passed in, so it is tested directly.
 */
import type { AlertRecord, SessionRecord } from '../../../src/core/records';
import type { RecordErrorCode } from '../errors';
import type { Sites } from '../sites';
import { wellFormedProblem } from './wellformed';

/**
 * How far ahead of the collector's clock an instant of a record may be: clocks drift, but a session that
 * says it was active later than that would stay "active now" in the live view until its time came.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface Rejection {
  index: number;
  code: RecordErrorCode;
  message: string;
}

export interface CheckedBatch {
  sessions: SessionRecord[];
  /** The index in the batch of each of `sessions`. */
  sessionIndexes: number[];
  alerts: AlertRecord[];
  rejected: Rejection[];
}

/** A compiled JSON-schema validator (Ajv's shape, which Fastify hands out). */
export interface Validator {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }> | null;
}

export interface Validators {
  session: Validator;
  alert: Validator;
}

function describe(v: Validator): string {
  const e = v.errors?.[0];
  if (!e) return 'does not match the record schema';
  const field = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'record';
  const allowed = e.params && 'allowedValues' in e.params ? `: ${JSON.stringify(e.params.allowedValues)}` : '';
  return `${field} ${e.message ?? 'is invalid'}${allowed}`;
}

/**
 * The schema checks the shape; this checks the calendar. V8's Date.parse takes 2026-02-30 as 2 March,
 * so the day is compared with the month's length.
 */
function badDate(value: string): boolean {
  if (!Number.isFinite(Date.parse(value))) return true;
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  return m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate() || Number(value.slice(11, 13)) > 23 || Number(value.slice(14, 16)) > 59 || Number(value.slice(17, 19)) > 59;
}

/** Why an instant of a record is refused: not a real date, or beyond the allowed skew past `receivedAt`. */
function badInstant(field: string, value: string, receivedAt: number): string | null {
  if (badDate(value)) return `${field} '${value}' is not a real date`;
  if (Date.parse(value) > receivedAt + MAX_CLOCK_SKEW_MS) {
    return `${field} ${value} is more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of the collector's clock (${new Date(receivedAt).toISOString()})`;
  }
  return null;
}

function inconsistency(r: SessionRecord, receivedAt: number): string | null {
  const instants: Array<[string, string]> = [['startedAt', r.startedAt], ['lastActiveAt', r.lastActiveAt]];
  for (const [i, p] of r.pages.entries()) instants.push([`pages.${i}.firstSeenAt`, p.firstSeenAt], [`pages.${i}.lastSeenAt`, p.lastSeenAt]);
  for (const [field, value] of instants) {
    const problem = badInstant(field, value, receivedAt);
    if (problem) return problem;
  }
  if (Date.parse(r.lastActiveAt) < Date.parse(r.startedAt)) return `lastActiveAt ${r.lastActiveAt} is before startedAt ${r.startedAt}`;
  // docs/semantics.md: engaged time is a union of instants inside the session, so it cannot exceed its span.
  if (r.engagedMs > r.durationMs) return `engagedMs ${r.engagedMs} is greater than durationMs ${r.durationMs}`;
  return null;
}

/**
 * @param origin the request's Origin header; records of a site with configured origins are
 *   rejected when it is present and not one of them (sendBeacon and fetch always send it cross-origin).
 * @param receivedAt the collector's clock (epoch ms): no instant of a record may be later than
 *   MAX_CLOCK_SKEW_MS past it.
 */
export function checkBatch(batch: readonly unknown[], validators: Validators, sites: Sites | null, origin: string | undefined, receivedAt: number): CheckedBatch {
  const out: CheckedBatch = { sessions: [], sessionIndexes: [], alerts: [], rejected: [] };
  const reject = (index: number, code: RecordErrorCode, message: string) =>
    out.rejected.push({ index, code, message: `record ${index}: ${message}` });

  batch.forEach((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return reject(index, 'SM_INVALID_RECORD', `must be an object, got ${Array.isArray(item) ? 'array' : item === null ? 'null' : typeof item}`);
    }
    // Before any schema: a schema's message would quote the value, and the raw record keeps unknown fields.
    const malformed = wellFormedProblem(item);
    if (malformed) return reject(index, 'SM_INVALID_RECORD', malformed);
    const rec = item as Record<string, unknown>;
    if (rec.v !== 1) return reject(index, 'SM_UNSUPPORTED_VERSION', `v must be 1, got ${JSON.stringify(rec.v)}`);
    if (rec.type !== 'session' && rec.type !== 'alert') {
      return reject(index, 'SM_UNKNOWN_TYPE', `type must be "session" or "alert", got ${JSON.stringify(rec.type)}`);
    }
    const validator = rec.type === 'session' ? validators.session : validators.alert;
    if (!validator(rec)) return reject(index, 'SM_INVALID_RECORD', describe(validator));
    const siteId = rec.siteId as string;
    if (sites) {
      const site = sites.get(siteId);
      if (!site) return reject(index, 'SM_UNKNOWN_SITE', `siteId '${siteId}' is not a configured site`);
      if (origin && site.origins.length > 0 && !site.origins.includes(origin)) {
        return reject(index, 'SM_ORIGIN_NOT_ALLOWED', `origin ${origin} is not allowed for site '${siteId}'`);
      }
    }
    if (rec.type === 'session') {
      const problem = inconsistency(rec as unknown as SessionRecord, receivedAt);
      if (problem) return reject(index, 'SM_INCONSISTENT_RECORD', problem);
      out.sessions.push(rec as unknown as SessionRecord);
      out.sessionIndexes.push(index);
    } else {
      const alert = rec as unknown as AlertRecord;
      const problem = badInstant('at', alert.at, receivedAt);
      if (problem) return reject(index, 'SM_INCONSISTENT_RECORD', problem);
      out.alerts.push(alert);
    }
  });
  return out;
}
