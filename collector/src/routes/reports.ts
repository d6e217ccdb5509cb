/**
 * GET /api/reports/*: the dashboard's reports over a date range (`start`, `end`: YYYY-MM-DD, inclusive,
 * UTC; a session belongs to the day of its startedAt), and the inactive-users list for reminders.
 * Each answers JSON, or CSV with `Accept: text/csv`.
 */
import type { FastifyPluginAsync } from 'fastify';
import { errorSchema } from '../errors';
import * as compute from '../reports/compute';
import { DURATION_BOUNDS_MS } from '../store/buckets';
import { INTERVALS, periods, type Interval } from '../reports/intervals';
import { sendReport } from '../reports/respond';
import type { Store } from '../store/types';
import { parseReportRange, rangeQuery, wholeNumber } from './query';


const n = { type: 'number' } as const;
const int = { type: 'integer' } as const;
const obj = (properties: Record<string, unknown>) => ({ type: 'object', required: Object.keys(properties), properties });
const errors = { 400: errorSchema, 401: errorSchema };
const common = { tags: ['reports'], security: [{ bearerAuth: [] }] };

const range = parseReportRange;

const positiveInt = wholeNumber;

export const reportRoutes: FastifyPluginAsync<{ store: Store; now: () => number }> = async (app, { store, now }) => {
  app.get('/api/reports/summary', {
    schema: {
      ...common, summary: 'Totals over the range', querystring: rangeQuery,
      description: 'short_share: share of sessions with under 30 s of engaged time (0..1). Seconds rounded to 0.1.',
      response: { 200: obj({ sessions: int, users: int, average_duration: n, average_engaged: n, short_share: n }), ...errors },
    },
  }, async (request, reply) => {
    const data = compute.summary(await store.summary(range(request)));
    return sendReport(request, reply, data, (d) => ({ columns: Object.keys(d), rows: [Object.values(d)] }), 'summary');
  });

  app.get('/api/reports/daily', {
    schema: {
      ...common, summary: 'Sessions and average times per day, week or month',
      querystring: { ...rangeQuery, properties: { ...rangeQuery.properties, interval: { type: 'string', enum: [...INTERVALS], description: 'day (default), week (ISO, from Monday) or month' } } },
      description: 'Every period of the range is present, with zeros where no session started. `date` and `end` are the first and last day of the period inside the range; `complete` is false for a period the range cuts or that has not ended (today).',
      response: {
        200: obj({
          interval: { type: 'string' },
          days: { type: 'array', items: obj({ date: { type: 'string' }, end: { type: 'string' }, complete: { type: 'boolean' }, sessions: int, average_duration: n, average_engaged: n }) },
        }),
        ...errors,
      },
    },
  }, async (request, reply) => {
    const r = range(request);
    const interval = ((request.query as { interval?: Interval }).interval ?? 'day') as Interval;
    const today = new Date(now()).toISOString().slice(0, 10);
    const data = { interval, days: periods(r.days, await store.daily(r), interval, today).map((p) => ({ ...compute.period(p), date: p.start, end: p.end, complete: p.complete })) };
    return sendReport(request, reply, data, (d) => ({
      columns: ['date', 'end', 'complete', 'sessions', 'average_duration', 'average_engaged'],
      rows: d.days.map((x) => [x.date, x.end, x.complete, x.sessions, x.average_duration, x.average_engaged]),
    }), 'daily');
  });

  app.get('/api/reports/durations', {
    schema: {
      ...common, summary: 'Session-duration histogram', querystring: rangeQuery,
      description: 'Fixed buckets <30s, 30s-2m, 2m-5m, 5m-15m, 15m-30m, 30m-1h, >=1h; min inclusive, max exclusive, max_seconds null for the last.',
      response: {
        200: obj({ buckets: { type: 'array', items: obj({ label: { type: 'string' }, min_seconds: n, max_seconds: { type: ['number', 'null'] }, sessions: int }) } }),
        ...errors,
      },
    },
  }, async (request, reply) => {
    const data = compute.durations(await store.durationBuckets(range(request), DURATION_BOUNDS_MS));
    return sendReport(request, reply, data, (d) => ({
      columns: ['label', 'min_seconds', 'max_seconds', 'sessions'],
      rows: d.buckets.map((b) => [b.label, b.min_seconds, b.max_seconds, b.sessions]),
    }), 'durations');
  });

  app.get('/api/reports/breaks', {
    schema: {
      ...common, summary: 'Breaks between engaged intervals', querystring: rangeQuery,
      response: {
        200: obj({
          sessions: int, breaks: int, total_seconds: n, average_per_session: n,
          histogram: obj({ '<30s': int, '30s-2m': int, '2m-10m': int, '>=10m': int }),
        }),
        ...errors,
      },
    },
  }, async (request, reply) => {
    const data = compute.breaks(await store.breaks(range(request)));
    return sendReport(request, reply, data, (d) => ({
      columns: ['sessions', 'breaks', 'total_seconds', 'average_per_session', 'breaks_<30s', 'breaks_30s-2m', 'breaks_2m-10m', 'breaks_>=10m'],
      rows: [[d.sessions, d.breaks, d.total_seconds, d.average_per_session, d.histogram['<30s'], d.histogram['30s-2m'], d.histogram['2m-10m'], d.histogram['>=10m']]],
    }), 'breaks');
  });

  app.get('/api/reports/bands', {
    schema: {
      ...common, summary: 'Sessions per threshold band', querystring: rangeQuery,
      description: 'band "none" for sessions below every threshold; ordered from the lowest band up. min_engaged_seconds: the least engaged time of a session in the band (a threshold is at or below it).',
      response: { 200: obj({ bands: { type: 'array', items: obj({ band: { type: 'string' }, sessions: int, min_engaged_seconds: n }) } }), ...errors },
    },
  }, async (request, reply) => {
    const data = compute.bands(await store.bands(range(request)));
    return sendReport(request, reply, data, (d) => ({ columns: ['band', 'sessions', 'min_engaged_seconds'], rows: d.bands.map((b) => [b.band, b.sessions, b.min_engaged_seconds]) }), 'bands');
  });

  app.get('/api/reports/pages', {
    schema: {
      ...common, summary: 'Dwell time per page', querystring: { ...rangeQuery, properties: { ...rangeQuery.properties, limit: { type: 'string', description: 'At most this many pages (default 100, max 10000)' } } },
      description: 'Sorted by total_engaged (seconds) descending. average_engaged: mean dwell time per session that showed the page.',
      response: {
        200: obj({ pages: { type: 'array', items: obj({ path: { type: 'string' }, views: int, sessions: int, total_engaged: n, average_engaged: n }) } }),
        ...errors,
      },
    },
  }, async (request, reply) => {
    const limit = positiveInt('limit', (request.query as { limit?: string }).limit, 100, 10_000);
    const data = compute.pages(await store.pages(range(request), limit));
    return sendReport(request, reply, data, (d) => ({
      columns: ['path', 'views', 'sessions', 'total_engaged', 'average_engaged'],
      rows: d.pages.map((p) => [p.path, p.views, p.sessions, p.total_engaged, p.average_engaged]),
    }), 'pages');
  });

  app.get('/api/reports/inactive-users', {
    schema: {
      ...common, summary: 'Identified users inactive for at least N days',
      description: 'Users (userId only, never anonymous ids) whose last activity is at least `days` days before now, longest inactive first: whom to send reminders to.',
      querystring: {
        type: 'object',
        required: ['days'],
        properties: { days: { type: 'string', description: 'Whole number of days, 0 to 3660' }, site: { type: 'string' }, limit: { type: 'string', description: 'Default 1000, max 100000' } },
      },
      response: { 200: obj({ users: { type: 'array', items: obj({ user_id: { type: 'string' }, last_active_at: { type: 'string' }, sessions: int }) } }), ...errors },
    },
  }, async (request, reply) => {
    const q = request.query as { days: string; site?: string; limit?: string };
    const days = positiveInt('days', q.days, 0, 3660);
    const limit = positiveInt('limit', q.limit, 1000, 100_000);
    const data = compute.inactiveUsers(await store.inactiveUsers(now() - days * 86_400_000, limit, q.site));
    return sendReport(request, reply, data, (d) => ({
      columns: ['user_id', 'last_active_at', 'sessions'],
      rows: d.users.map((u) => [u.user_id, u.last_active_at, u.sessions]),
    }), 'inactive-users');
  });
};
