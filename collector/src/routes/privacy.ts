/**
 * The data subject's rights (docs/privacy.md): erasure and export of everything stored about a person,
 * by userId or by anonymousId. Admin tokens only. The log line of an erasure names the token and the
 * counts, never the person, so that the logs do not keep what was erased.
 */
import type { FastifyPluginAsync } from 'fastify';
import { requireAdmin } from '../access';
import { errorSchema } from '../errors';
import type { Person } from '../store/erasure';
import type { Store } from '../store/types';

const int = { type: 'integer' } as const;
const erasedSchema = {
  type: 'object',
  required: ['erased', 'anonymous_ids'],
  properties: {
    erased: { type: 'object', required: ['sessions', 'records', 'pages', 'alerts', 'attention', 'meta'], properties: { sessions: int, records: int, pages: int, alerts: int, attention: int, meta: int } },
    anonymous_ids: {
      type: 'array',
      items: { type: 'string' },
      description: 'For a user: the anonymous ids their sessions carried. Sessions of those browsers before sign-in carry no userId; erase them with DELETE /api/anonymous/{anonymousId}.',
    },
  },
} as const;
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };
const common = { tags: ['privacy'], security: [{ bearerAuth: [] }] };
const id = (name: string) => ({ type: 'object', required: [name], properties: { [name]: { type: 'string', minLength: 1, maxLength: 512 } } });

const exportSchema = {
  type: 'object',
  additionalProperties: true,
  description: '{ person, exported_at, sessions: [row + record], pages, alerts, attention: { page_vitals, page_scroll, page_sections, page_media }, meta, rollups: { user_month, user_year, site_user } }: every stored row about the person, as stored.',
} as const;

export const privacyRoutes: FastifyPluginAsync<{ store: Store; now: () => number }> = async (app, { store, now }) => {
  app.addHook('onRequest', requireAdmin);

  const erase = async (person: Person, kind: string, log: { info: (o: object, m: string) => void }, token: string | undefined) => {
    const r = await store.erase(person);
    const { anonymousIds, ...erased } = r;
    log.info({ erasure: kind, token, ...erased }, 'erased a person');
    return { erased, anonymous_ids: anonymousIds };
  };

  app.delete('/api/users/:userId', {
    schema: {
      ...common, params: id('userId'), summary: "Erase a user's data",
      description: 'Deletes every session with this userId on every site, with its raw record, page rows and alerts, and takes its share out of every rollup, in one transaction. Idempotent: a second call erases 0.',
      response: { 200: erasedSchema, ...errors },
    },
  }, async (request) => erase({ userId: (request.params as { userId: string }).userId }, 'user', request.log, request.grant?.name));

  app.delete('/api/anonymous/:anonymousId', {
    schema: {
      ...common, params: id('anonymousId'), summary: "Erase a browser's data",
      description: 'Deletes every session with this anonymousId (with or without a userId), its raw records, page rows and alerts, and its share of every rollup.',
      response: { 200: erasedSchema, ...errors },
    },
  }, async (request) => erase({ anonymousId: (request.params as { anonymousId: string }).anonymousId }, 'anonymous', request.log, request.grant?.name));

  app.get('/api/users/:userId/export', {
    schema: { ...common, params: id('userId'), summary: 'Everything stored about a user, as JSON', response: { 200: exportSchema, ...errors } },
  }, async (request, reply) => {
    const data = await store.exportPerson({ userId: (request.params as { userId: string }).userId }, now());
    return reply.header('content-disposition', 'attachment; filename="session-metrics-export.json"').send(data);
  });

  app.get('/api/anonymous/:anonymousId/export', {
    schema: { ...common, params: id('anonymousId'), summary: 'Everything stored about a browser, as JSON', response: { 200: exportSchema, ...errors } },
  }, async (request, reply) => {
    const data = await store.exportPerson({ anonymousId: (request.params as { anonymousId: string }).anonymousId }, now());
    return reply.header('content-disposition', 'attachment; filename="session-metrics-export.json"').send(data);
  });
};
