/**
 * POST /api/session-duration: the original module's endpoint (docs/semantics.md, Reports), per user the
 * mean session duration of the sessions that started in the range, plus their count and mean engaged time.
 */
import type { FastifyPluginAsync } from 'fastify';
import { errorSchema } from '../errors';
import * as compute from '../reports/compute';
import { parseRange } from '../reports/dates';
import { sendReport } from '../reports/respond';
import type { Store } from '../store/types';

const day = { type: 'string', description: 'YYYY-MM-DD, inclusive, UTC', examples: ['2026-01-31'] } as const;

export const sessionDurationRoutes: FastifyPluginAsync<{ store: Store }> = async (app, { store }) => {
  app.post('/api/session-duration', {
    schema: {
      summary: 'Average session duration per user',
      description: 'Per user (userId, else anonymousId), over sessions whose startedAt falls in the range: mean duration and engaged time in seconds (0.1 s), and the session count. Sorted by user_id. Answers text/csv when asked.',
      tags: ['reports'],
      security: [{ bearerAuth: [] }],
      body: {
        type: 'object',
        required: ['start_date', 'end_date'],
        properties: { start_date: day, end_date: day, site_id: { type: 'string', description: 'Only this site (optional)' } },
      },
      response: {
        200: {
          type: 'object',
          required: ['results'],
          properties: {
            results: {
              type: 'array',
              items: {
                type: 'object',
                required: ['user_id', 'average_duration', 'sessions', 'average_engaged'],
                properties: { user_id: { type: 'string' }, average_duration: { type: 'number' }, sessions: { type: 'integer' }, average_engaged: { type: 'number' } },
              },
            },
          },
        },
        400: errorSchema,
        401: errorSchema,
      },
    },
  }, async (request, reply) => {
    const body = request.body as { start_date: unknown; end_date: unknown; site_id?: string };
    const range = parseRange('start_date', body.start_date, 'end_date', body.end_date);
    const rows = await store.perUser({ start: range.start, end: range.end, siteId: body.site_id });
    return sendReport(request, reply, compute.sessionDuration(rows), (d) => ({
      columns: ['user_id', 'average_duration', 'sessions', 'average_engaged'],
      rows: d.results.map((r) => [r.user_id, r.average_duration, r.sessions, r.average_engaged]),
    }), 'session-duration');
  });
};
