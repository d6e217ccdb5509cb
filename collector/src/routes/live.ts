/**
 * GET /api/live: Server-Sent Events (the HTML standard, "Server-sent events").
 * The bearer token travels in the Authorization header, so clients read the stream with fetch and a
 * reader: EventSource cannot send headers. Each message is `event: active` with a JSON snapshot.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ServerResponse } from 'node:http';
import { readableSites } from '../access';
import { errorSchema } from '../errors';
import type { LiveHub } from '../live';
import { parseMeta, rangeProperties } from './query';

type LiveSnapshot = Parameters<Parameters<LiveHub['subscribe']>[0]>[0];

export const liveRoutes: FastifyPluginAsync<{ hub: LiveHub }> = async (app, { hub }) => {
  const open = new Set<ServerResponse>();

  // Fastify's close waits for in-flight requests; an event stream never finishes by itself, so end
  // the streams first or SIGTERM would wait forever.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
    open.clear();
  });

  app.get('/api/live', {
    schema: {
      summary: 'Sessions active now, as Server-Sent Events',
      description:
        'text/event-stream of `event: active` messages, data `{ at, sessions: [{ session_id, site_id, user_id (null when anonymous), anonymous_id (null when identified), started_at, last_active_at, engaged_seconds, duration_seconds, page, meta }] }`: ' +
        'sessions whose lastActiveAt is within the last 5 minutes and not final (at most 500, most recently active first), only those of `site` and with `meta_key` = `meta_value` when asked. Sent on connect, after every ingest that changes sessions, and every 15 s.',
      tags: ['reports'],
      security: [{ bearerAuth: [] }],
      querystring: { type: 'object', properties: { site: rangeProperties.site, meta_key: rangeProperties.meta_key, meta_value: rangeProperties.meta_value } },
      response: { 200: { description: 'text/event-stream', type: 'string' }, 400: errorSchema, 401: errorSchema },
    },
  }, (request, reply) => {
    // The filters first: a bad one is a 400 before the stream starts, and a read token asking for another site a 403.
    const q = request.query as { site?: string; meta_key?: string; meta_value?: string };
    const sites = readableSites(request.grant, q.site);
    const meta = parseMeta(q.meta_key, q.meta_value);
    const keep = (s: LiveSnapshot['sessions'][number]) =>
      (sites === undefined || sites.includes(s.site_id)) && (!meta || s.meta[meta.key] === meta.value);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx buffers responses by default, which would hold events back.
      'x-accel-buffering': 'no',
    });
    res.write(': session-metrics live\n\n');
    open.add(res);
    // A read token sees only its sites' sessions (access.ts).
    const unsubscribe = hub.subscribe((snapshot) => {
      const visible = sites === undefined && !meta ? snapshot : { ...snapshot, sessions: snapshot.sessions.filter(keep) };
      res.write(`event: active\ndata: ${JSON.stringify(visible)}\n\n`);
    });
    request.raw.on('close', () => {
      unsubscribe();
      open.delete(res);
    });
  });
};
