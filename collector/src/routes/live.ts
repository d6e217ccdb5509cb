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
        'text/event-stream of `event: active` messages, data `{ at, sessions: [{ session_id, site_id, user_id (null when anonymous), anonymous_id (null when identified), started_at, last_active_at, engaged_seconds, duration_seconds, page }] }`: ' +
        'sessions whose lastActiveAt is within the last 5 minutes and not final. Sent on connect, after every ingest that changes sessions, and every 15 s.',
      tags: ['reports'],
      security: [{ bearerAuth: [] }],
      response: { 200: { description: 'text/event-stream', type: 'string' }, 401: errorSchema },
    },
  }, (request, reply) => {
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
    const sites = readableSites(request.grant, undefined);
    const unsubscribe = hub.subscribe((snapshot) => {
      const visible = sites ? { ...snapshot, sessions: snapshot.sessions.filter((x) => sites.includes(x.site_id)) } : snapshot;
      res.write(`event: active\ndata: ${JSON.stringify(visible)}\n\n`);
    });
    request.raw.on('close', () => {
      unsubscribe();
      open.delete(res);
    });
  });
};
