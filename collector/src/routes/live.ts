/**
 * GET /api/live: Server-Sent Events (the HTML standard, "Server-sent events").
 * The bearer token travels in the Authorization header, so clients read the stream with fetch and a
 * reader: EventSource cannot send headers. Each message is `event: active` with a JSON snapshot.
 */
import type { FastifyPluginAsync } from 'fastify';
import { readableSites } from '../access';
import { errorSchema, SmError } from '../errors';
import type { LiveHub } from '../live';
import type { LiveStreams } from '../live-streams';
import { parseMeta, rangeProperties } from './query';

type LiveSnapshot = Parameters<Parameters<LiveHub['subscribe']>[0]>[0];

export const liveRoutes: FastifyPluginAsync<{ hub: LiveHub; streams: LiveStreams }> = async (app, { hub, streams }) => {
  // Fastify's close waits for in-flight requests; an event stream never finishes by itself, so end
  // the streams first or SIGTERM would wait forever.
  app.addHook('preClose', async () => streams.endAll());

  app.get('/api/live', {
    schema: {
      summary: 'Sessions active now, as Server-Sent Events',
      description:
        'text/event-stream of `event: active` messages, data `{ at, sessions: [{ session_id, site_id, user_id (null when anonymous), anonymous_id (null when identified), started_at, last_active_at, engaged_seconds, duration_seconds, page, meta }] }`: ' +
        'sessions whose lastActiveAt is within the last 5 minutes and not final (at most 500, most recently active first), only those of `site` and with `meta_key` = `meta_value` when asked. Sent on connect, after every ingest that changes sessions, and every 15 s. ' +
        'A client that reads too slowly gets only the newest snapshot, and is disconnected once 4 MiB is unsent or it has read nothing for 60 s; ' +
        'a token may hold at most SM_LIVE_STREAMS (10) streams at once, beyond which the answer is 429 SM_TOO_MANY_STREAMS.',
      tags: ['reports'],
      security: [{ bearerAuth: [] }],
      querystring: { type: 'object', properties: { site: rangeProperties.site, meta_key: rangeProperties.meta_key, meta_value: rangeProperties.meta_value } },
      response: { 200: { description: 'text/event-stream', type: 'string' }, 400: errorSchema, 401: errorSchema, 429: errorSchema },
    },
  }, (request, reply) => {
    // The filters first: a bad one is a 400 before the stream starts, and a read token asking for another site a 403.
    const q = request.query as { site?: string; meta_key?: string; meta_value?: string };
    const sites = readableSites(request.grant, q.site);
    const meta = parseMeta(q.meta_key, q.meta_value);
    const keep = (s: LiveSnapshot['sessions'][number]) =>
      (sites === undefined || sites.includes(s.site_id)) && (!meta || s.meta[meta.key] === meta.value);
    const token = request.grant?.name ?? '';
    if (!streams.allows(token)) {
      throw new SmError('SM_TOO_MANY_STREAMS', `token '${token}' already holds ${streams.maxPerToken} live streams, the most one token may hold (SM_LIVE_STREAMS); close one (another dashboard tab) first`);
    }
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
    const stream = streams.add(res, token);
    // A read token sees only its sites' sessions (access.ts), through `keep`.
    const unsubscribe = hub.subscribe((snapshot) => {
      const visible = sites === undefined && !meta ? snapshot : { ...snapshot, sessions: snapshot.sessions.filter(keep) };
      stream.send(`event: active\ndata: ${JSON.stringify(visible)}\n\n`);
    });
    // 'close' on the response: also when the stream is dropped for reading too slowly.
    res.on('close', unsubscribe);
  });
};
