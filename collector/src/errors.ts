/**
 * Every error the collector answers with, by stable code. Clients (the SDK, the dashboard, scripts)
 * branch on `code`; `message` is for people and says what was wrong and where.
 * Body: `{ "error": { "code": "SM_...", "message": "...", "request_id": "..." } }`; the request id is the
 * one in the `x-request-id` answer header and in every log line of that request.
 */
export const ERRORS = {
  SM_UNAUTHORIZED: 401,
  /** The token is valid but its scope does not reach this route (a read token on erasure or export). */
  SM_FORBIDDEN: 403,
  /** The token may not read the site asked for (a read token limited to other sites). */
  SM_SITE_FORBIDDEN: 403,
  SM_BAD_DATE: 400,
  SM_RANGE_REVERSED: 400,
  SM_RANGE_TOO_LONG: 400,
  SM_VALIDATION: 400,
  SM_BAD_JSON: 400,
  SM_NOT_A_BATCH: 400,
  SM_BATCH_REJECTED: 400,
  SM_BODY_TOO_LARGE: 413,
  SM_UNSUPPORTED_MEDIA_TYPE: 415,
  SM_NOT_ACCEPTABLE: 406,
  SM_NOT_FOUND: 404,
  SM_RATE_LIMITED: 429,
  /** The thing asked for is in use right now (a webhook event being sent, on redeliver). */
  SM_BUSY: 409,
  /** GET /api/live: the token already holds as many live streams as SM_LIVE_STREAMS allows. */
  SM_TOO_MANY_STREAMS: 429,
  SM_SHUTTING_DOWN: 503,
  /** GET /readyz: the store cannot be reached or written. */
  SM_NOT_READY: 503,
  SM_INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERRORS;

/**
 * Why one record of a batch was rejected (the rest of the batch is still stored):
 * - `SM_UNSUPPORTED_VERSION`: `v` is not 1.
 * - `SM_UNKNOWN_TYPE`: `type` is neither "session" nor "alert".
 * - `SM_INVALID_RECORD`: the record does not match its schema (the message names the field).
 * - `SM_INCONSISTENT_RECORD`: fields contradict each other (e.g. engagedMs > durationMs).
 * - `SM_UNKNOWN_SITE`: sites are configured and this `siteId` is not one of them.
 * - `SM_ORIGIN_NOT_ALLOWED`: the request's Origin is not configured for this record's site.
 * - `SM_QUOTA_EXCEEDED`: a new session of a site-day that already holds SM_SITE_DAY_SESSIONS sessions.
 */
export type RecordErrorCode =
  | 'SM_UNSUPPORTED_VERSION'
  | 'SM_UNKNOWN_TYPE'
  | 'SM_INVALID_RECORD'
  | 'SM_INCONSISTENT_RECORD'
  | 'SM_UNKNOWN_SITE'
  | 'SM_ORIGIN_NOT_ALLOWED'
  | 'SM_QUOTA_EXCEEDED';

export class SmError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'SmError';
    this.code = code;
    this.statusCode = ERRORS[code];
    this.details = details;
  }
}

/** The JSON schema of every error body, for route `response` schemas and the OpenAPI document. */
export const errorSchema = {
  $id: 'SmError',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERRORS) },
        message: { type: 'string' },
        request_id: { type: 'string' },
      },
    },
    rejected: {
      type: 'array',
      items: {
        type: 'object',
        properties: { index: { type: 'integer' }, code: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

export function errorBody(code: string, message: string, extra?: Record<string, unknown>) {
  return { error: { code, message }, ...extra };
}
