/**
 * GET /api/access: what the presented token may read, so that a client (the dashboard's site selector)
 * offers only those sites. `sites: null` means every site (an admin token).
 */
import type { FastifyPluginAsync } from 'fastify';
import { errorSchema } from '../errors';

export const accessRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/access', {
    schema: {
      tags: ['reports'],
      security: [{ bearerAuth: [] }],
      summary: 'What this token may read',
      description: 'token: its name in SM_TOKENS ("api-token" for the single token); scope "admin" (every site, erasure, export) or "read"; sites: the siteIds a read token may read, null for every site.',
      response: {
        200: {
          type: 'object',
          required: ['token', 'scope', 'sites'],
          properties: { token: { type: 'string' }, scope: { type: 'string', enum: ['admin', 'read'] }, sites: { type: ['array', 'null'], items: { type: 'string' } } },
        },
        401: errorSchema,
      },
    },
  }, async (request) => {
    const g = request.grant!;
    return { token: g.name, scope: g.scope, sites: g.scope === 'admin' ? null : [...g.sites] };
  });
};
