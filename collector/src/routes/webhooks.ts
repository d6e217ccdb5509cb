/**
 * The webhook deliveries (docs/webhooks.md): GET /api/webhooks/deliveries lists events with their status,
 * attempts and last error (a read token sees its sites'); GET .../:id adds the payload and every attempt;
 * POST .../:id/redeliver (admin) makes an event due again with the same webhook-id, whatever its status.
 */
import type { FastifyPluginAsync } from 'fastify';
import { readableSites, requireAdmin } from '../access';
import { errorSchema, SmError } from '../errors';
import type { Delivery, Outbox } from '../store/outbox';
import { wholeNumber } from './query';

const str = { type: 'string' } as const;
const nstr = { type: ['string', 'null'] } as const;
const nint = { type: ['integer', 'null'] } as const;
const int = { type: 'integer' } as const;
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const common = { tags: ['webhooks'], security: [{ bearerAuth: [] }] };
const STATUSES = ['pending', 'delivered', 'dead'] as const;

const deliveryProps = {
  id: str, endpoint: str, site: str, type: str, status: str, attempts: int, created_at: str,
  next_attempt_at: nstr, last_attempt_at: nstr, last_status: nint, last_error: nstr, delivered_at: nstr,
};
const deliverySchema = { type: 'object', required: Object.keys(deliveryProps), properties: deliveryProps } as const;
const attemptProps = { at: str, owner: str, duration_ms: int, status: nint, error: nstr };
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const answer = (d: Delivery) => ({
  id: d.id, endpoint: d.endpoint, site: d.siteId, type: d.type, status: d.status, attempts: d.attempts, created_at: iso(d.createdAt)!,
  next_attempt_at: iso(d.nextAttemptAt), last_attempt_at: iso(d.lastAttemptAt), last_status: d.lastStatus, last_error: d.lastError, delivered_at: iso(d.deliveredAt),
});

export const webhookRoutes: FastifyPluginAsync<{ outbox: Outbox; now: () => number }> = async (app, { outbox, now }) => {
  app.get('/api/webhooks/deliveries', {
    schema: {
      ...common, summary: 'Webhook events and their delivery',
      description: 'Newest first. `status`: pending (due at next_attempt_at), delivered or dead (failed for longer than the endpoint\'s deadAfterHours; redeliver to try again).',
      querystring: { type: 'object', properties: { status: { type: 'string', enum: [...STATUSES] }, site: str, limit: { type: 'string', description: 'Default 100, max 1000' } } },
      response: { 200: { type: 'object', required: ['deliveries'], properties: { deliveries: { type: 'array', items: deliverySchema } } }, ...errors },
    },
  }, async (request) => {
    const q = request.query as { status?: (typeof STATUSES)[number]; site?: string; limit?: string };
    const limit = wholeNumber('limit', q.limit, 100, 1000);
    return { deliveries: (await outbox.list({ status: q.status, siteIds: readableSites(request.grant, q.site), limit })).map(answer) };
  });

  app.get('/api/webhooks/deliveries/:id', {
    schema: {
      ...common, summary: 'One webhook event: its body and every attempt', params: idParams,
      response: {
        200: { type: 'object', required: [...Object.keys(deliveryProps), 'payload', 'attempt_log'], properties: { ...deliveryProps, payload: str, attempt_log: { type: 'array', items: { type: 'object', required: Object.keys(attemptProps), properties: attemptProps } } } },
        ...errors,
      },
    },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const d = await outbox.get(id);
    if (!d || (readableSites(request.grant, undefined) ?? [d.siteId]).indexOf(d.siteId) < 0) throw new SmError('SM_NOT_FOUND', `no webhook event '${id}'`);
    return { ...answer(d), payload: d.payload, attempt_log: d.attemptLog.map((a) => ({ at: iso(a.at)!, owner: a.owner, duration_ms: a.durationMs, status: a.status, error: a.error })) };
  });

  app.post('/api/webhooks/deliveries/:id/redeliver', {
    preHandler: requireAdmin,
    schema: {
      ...common, summary: 'Send a webhook event again, with the same webhook-id', params: idParams,
      description: 'Makes the event pending and due now; the dead-letter clock starts again. 409 while a collector is sending it.',
      response: { 202: { type: 'object', required: ['id', 'status'], properties: { id: str, status: str } }, 409: errorSchema, ...errors },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const r = await outbox.redeliver(id, now());
    if (r === 'unknown') throw new SmError('SM_NOT_FOUND', `no webhook event '${id}'`);
    if (r === 'leased') throw new SmError('SM_BUSY', `webhook event '${id}' is being sent right now; redeliver it after this attempt`);
    request.log.info({ webhookId: id, token: request.grant?.name }, 'webhook redelivery queued');
    return reply.code(202).send({ id, status: 'pending' });
  });
};
