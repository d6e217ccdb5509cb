/**
 * POST /api/session-duration: the original module's endpoint (docs/semantics.md, Reports), per user the
 * mean session duration of the sessions that started in the range, plus their count and mean engaged time.
 *
 * Sent as the seed sends it (dates, optionally `site_id`) it answers exactly as before: every user, sorted
 * by user_id. With any of `limit`, `offset`, `order` or `search` it is a page of the table a person reads:
 * searched (user id contains the term, ASCII case-insensitive), ordered on the server, cut to `limit` rows
 * from `offset`, with the `total` of matching users and how many are identified, so a UI can page. CSV
 * (`Accept: text/csv`) of a paged request streams every matching row in order (or the page, when `limit`
 * is given) without holding the answer in memory.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { readableSites } from '../access';
import { errorSchema } from '../errors';
import * as compute from '../reports/compute';
import { toCsv } from '../reports/csv';
import { userPage, userResult } from '../reports/dashboard';
import { parseRange } from '../reports/dates';
import { sendReport, wantsCsv } from '../reports/respond';
import type { UserPageQuery } from '../store/reports/users-page';
import type { Store } from '../store/types';
import { parseMeta } from './query';

const day = { type: 'string', description: 'YYYY-MM-DD, inclusive, UTC', examples: ['2026-01-31'] } as const;
const COLUMNS = ['user_id', 'average_duration', 'sessions', 'average_engaged'] as const;
/** Rows one page may hold. */
export const MAX_PAGE = 1000;

interface Body {
  start_date: unknown;
  end_date: unknown;
  site_id?: string;
  meta_key?: string;
  meta_value?: string;
  limit?: number;
  offset?: number;
  order?: { by?: UserPageQuery['order']['by']; direction?: UserPageQuery['order']['direction'] };
  search?: string;
}

const row = {
  type: 'object',
  required: ['user_id', 'average_duration', 'sessions', 'average_engaged'],
  properties: {
    user_id: { type: 'string' }, average_duration: { type: 'number' }, sessions: { type: 'integer' }, average_engaged: { type: 'number' },
    identified: { type: 'boolean', description: 'Paged requests only: false when user_id is an anonymous id' },
  },
} as const;

export const sessionDurationRoutes: FastifyPluginAsync<{ store: Store }> = async (app, { store }) => {
  app.post('/api/session-duration', {
    schema: {
      summary: 'Average session duration per user',
      description:
        'Per user (userId, else anonymousId), over sessions whose startedAt falls in the range: mean duration and engaged time in seconds (0.1 s), and the session count. ' +
        'Without paging fields: every user, sorted by user_id. With `limit`, `offset`, `order` or `search`: one page, ordered as asked (ties by user_id), with `total`, `identified_users` and `anonymous_users` of all matching users. Answers text/csv when asked (streamed for paged requests).',
      tags: ['reports'],
      security: [{ bearerAuth: [] }],
      body: {
        type: 'object',
        required: ['start_date', 'end_date'],
        properties: {
          start_date: day,
          end_date: day,
          site_id: { type: 'string', description: 'Only this site (optional)' },
          meta_key: { type: 'string', description: 'With meta_value: only sessions whose meta has this value (optional)' },
          meta_value: { type: 'string' },
          limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, description: `Rows of the page (1 to ${MAX_PAGE}; default 50 when paging)` },
          offset: { type: 'integer', minimum: 0, maximum: 10_000_000, description: 'Rows skipped (default 0)' },
          order: {
            type: 'object',
            additionalProperties: false,
            properties: {
              by: { enum: ['average_duration', 'sessions', 'user_id'], description: 'default average_duration' },
              direction: { enum: ['asc', 'desc'], description: 'default desc (asc for user_id)' },
            },
          },
          search: { type: 'string', maxLength: 256, description: 'Only users whose id contains this (ASCII case-insensitive)' },
        },
      },
      response: {
        200: {
          type: 'object',
          required: ['results'],
          properties: {
            results: { type: 'array', items: row },
            total: { type: 'integer' }, identified_users: { type: 'integer' }, anonymous_users: { type: 'integer' },
            limit: { type: 'integer' }, offset: { type: 'integer' },
          },
        },
        400: errorSchema,
        401: errorSchema,
        403: errorSchema,
      },
    },
  }, async (request, reply) => {
    const body = request.body as Body;
    const parsed = parseRange('start_date', body.start_date, 'end_date', body.end_date);
    const range = { start: parsed.start, end: parsed.end, siteId: readableSites(request.grant, body.site_id), meta: parseMeta(body.meta_key, body.meta_value) };
    const paged = body.limit !== undefined || body.offset !== undefined || body.order !== undefined || body.search !== undefined;

    if (!paged) {
      // The whole answer (20,000 users over the benchmark's year), built with exactly the schema's fields, is
      // written by JSON.stringify.
      const answer = compute.sessionDuration(await store.perUser(range));
      return sendReport(request, reply, answer, (d) => ({ columns: COLUMNS, rows: d.results.map((r) => [r.user_id, r.average_duration, r.sessions, r.average_engaged]) }), 'session-duration', true);
    }

    const by = body.order?.by ?? 'average_duration';
    const order = { by, direction: body.order?.direction ?? (by === 'user_id' ? 'asc' : 'desc') } as const;
    const search = body.search?.trim() || undefined;
    if (wantsCsv(request)) {
      const rows = store.perUserRows(range, { search, order, limit: body.limit, offset: body.offset });
      const lines = async function* () {
        yield toCsv([...COLUMNS, 'identified'], []);
        for await (const r of rows) {
          const u = userResult(r);
          yield toCsv([], [[u.user_id, u.average_duration, u.sessions, u.average_engaged, u.identified]]).replace(/^\r\n/, '');
        }
      };
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'inline; filename="session-duration.csv"').send(Readable.from(lines()));
    }
    const limit = body.limit ?? 50;
    const offset = body.offset ?? 0;
    const { rows, ...totals } = await store.perUserTable(range, { search, order, limit, offset });
    return reply.send(userPage(rows, totals, limit, offset));
  });
};
