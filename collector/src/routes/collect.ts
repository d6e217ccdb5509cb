/**
 * POST /collect: the SDK's records in, as application/json (fetch) or text/plain (navigator.sendBeacon,
 * whose Blob-less string body the browser labels text/plain;charset=UTF-8 — and which, being a
 * CORS-safelisted type, needs no preflight). Valid records are stored and acknowledged only after the
 * commit; invalid ones are listed with their index, code and reason.
 */
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { errorBody, errorSchema, SmError } from '../errors';
import { alertRecordSchema, batchSchema, MAX_BATCH_RECORDS, sessionRecordSchema } from '../ingest/schemas';
import { checkBatch, type Validator, type Validators } from '../ingest/validate';
import { quotaRejections } from '../ingest/quota';
import { collapse, toAlertRow, toSessionRow } from '../ingest/rows';
import { addressKey, type RateLimits } from '../rate-limits';
import { allOrigins, anyOriginAllowed, type Sites } from '../sites';
import type { Store } from '../store/types';

/** The browser's keepalive/beacon budget (docs/semantics.md); the SDK keeps each body under 60 KiB. */
export const COLLECT_BODY_LIMIT = 64 * 1024;

export interface CollectOptions {
  store: Store;
  sites: Sites | null;
  now: () => number;
  /** Ingest's own buckets (rate-limits.ts): per address before the body is read, per site after. */
  limits: Pick<RateLimits, 'ingestPerAddress' | 'ingestPerSite'>;
  /** New sessions a site's day may hold (ingest/quota.ts). */
  sessionsPerSiteDay: number;
  /** Called after a commit that changed stored sessions (feeds the live view). */
  onChange: () => void;
}

const sessionRef = { $ref: 'SessionRecord#' };
const alertRef = { $ref: 'AlertRecord#' };
const passes: Validator = () => true;

const rejectionSchema = {
  type: 'object',
  required: ['index', 'code', 'message'],
  properties: { index: { type: 'integer' }, code: { type: 'string' }, message: { type: 'string' } },
} as const;

export function addRecordSchemas(app: FastifyInstance) {
  app.addSchema(sessionRecordSchema);
  app.addSchema(alertRecordSchema);
  app.addSchema(errorSchema);
}

export const collectRoutes: FastifyPluginAsync<CollectOptions> = async (app, { store, sites, now, limits, sessionsPerSiteDay, onChange }) => {
  // The preflight (fetch with application/json) carries no body, so it cannot know the siteId: it is
  // allowed for any configured origin, and each record's own site is checked against Origin after.
  const origins = sites ? allOrigins(sites) : null;
  await app.register(cors, {
    origin: !sites || anyOriginAllowed(sites) ? true : (origin, cb) => cb(null, origin !== undefined && origins!.has(origin)),
    methods: ['POST'],
    maxAge: 86_400,
    strictPreflight: false,
    // A 429's Retry-After is read by the SDK's fetch only when exposed (docs/delivery.md).
    exposedHeaders: ['Retry-After'],
  });

  // After CORS's own hook, so that a 429 carries the CORS headers the page needs to read it.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST') return;
    const limited = limits.ingestPerAddress?.take(addressKey(request.ip), reply);
    if (limited) throw limited;
  });

  app.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: COLLECT_BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (e) {
      done(new SmError('SM_BAD_JSON', `the body is not valid JSON: ${(e as Error).message}`), undefined);
    }
  });

  app.post('/collect', {
    bodyLimit: COLLECT_BODY_LIMIT,
    attachValidation: true,
    schema: {
      summary: 'Ingest a batch of version-1 records',
      description:
        'Stores the valid records of the batch (per siteId and session id, only the highest seq is kept) and answers after the commit. ' +
        'Invalid records are rejected one by one with a code and a message; if none is valid the answer is 400.',
      tags: ['ingest'],
      body: batchSchema,
      response: {
        200: {
          type: 'object',
          required: ['accepted', 'rejected'],
          properties: { accepted: { type: 'integer', description: 'Records stored or already stored (replays count).' }, rejected: { type: 'array', items: rejectionSchema } },
        },
        400: errorSchema,
        413: errorSchema,
        415: errorSchema,
        429: errorSchema,
      },
    },
  }, async (request, reply) => {
    const body = request.body as unknown;
    if (!Array.isArray(body)) throw new SmError('SM_NOT_A_BATCH', `the body must be a JSON array of records, got ${body === null ? 'null' : typeof body}`);
    if (body.length > MAX_BATCH_RECORDS) throw new SmError('SM_VALIDATION', `a batch holds at most ${MAX_BATCH_RECORDS} records, got ${body.length}`);
    // The whole-body schema already passed: every record matched its schema, only the checks beyond
    // JSON Schema (sites, origins, consistency) remain.
    const validators: Validators = request.validationError
      ? { session: request.compileValidationSchema(sessionRef) as Validator, alert: request.compileValidationSchema(alertRef) as Validator }
      : { session: passes, alert: passes };
    const receivedAt = now();
    const checked = checkBatch(body, validators, sites, request.headers.origin, receivedAt);
    const rejected = checked.rejected;
    const refuse = () => reply.code(400).send(errorBody('SM_BATCH_REJECTED', `no record of the batch was valid; first problem: ${rejected[0]!.message}`, { rejected }));
    let accepted = checked.sessions.length + checked.alerts.length;
    if (accepted === 0 && rejected.length > 0) return refuse();
    if (limits.ingestPerSite) {
      for (const site of new Set([...checked.sessions, ...checked.alerts].map((r) => r.siteId))) {
        const limited = limits.ingestPerSite.take(site, reply, site);
        if (limited) throw limited;
      }
    }
    if (accepted > 0) {
      const { sessions, alerts } = collapse(checked.sessions, checked.alerts);
      const rows = sessions.map((s) => toSessionRow(s, receivedAt));
      const result = await store.ingest(rows, alerts.map((a) => toAlertRow(a, receivedAt)), { sessionsPerSiteDay });
      if (result.sessionsChanged > 0) onChange();
      const days = new Map(rows.map((r) => [`${r.siteId}\u0000${r.id}`, r.startDay]));
      const over = quotaRejections(checked.sessions, checked.sessionIndexes, days, result, sessionsPerSiteDay);
      if (over.length > 0) {
        accepted -= over.length;
        rejected.push(...over);
        rejected.sort((a, b) => a.index - b.index);
        if (accepted === 0) return refuse();
      }
    }
    return reply.code(200).send({ accepted, rejected });
  });
};
