/**
 * The dashboard's own reports (GET /api/reports/*, JSON or CSV like the others, under the same bearer
 * token): sites, alerts, dimensions, one page's detail, a course's pages, returning learners and active
 * users. Each takes the range query of routes/query.ts; figures follow reports/dashboard.ts.
 */
import type { FastifyPluginAsync } from 'fastify';
import { readableSites } from '../access';
import { errorSchema, SmError } from '../errors';
import * as dashboard from '../reports/dashboard';
import * as learning from '../reports/learning';
import { sendReport } from '../reports/respond';
import type { Sites } from '../sites';
import type { Store } from '../store/types';
import { parseReportRange, rangeProperties, rangeQuery, wholeNumber } from './query';

const n = { type: 'number' } as const;
const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;
const nullable = (t: string) => ({ type: [t, 'null'] });
const obj = (properties: Record<string, unknown>) => ({ type: 'object', required: Object.keys(properties), properties });
const list = (items: Record<string, unknown>) => ({ type: 'array', items: obj(items) });
const errors = { 400: errorSchema, 401: errorSchema };
const common = { tags: ['reports'], security: [{ bearerAuth: [] }] };
const withParams = (extra: Record<string, unknown>, required: string[] = []) => ({
  type: 'object', required: ['start', 'end', ...required], properties: { ...rangeProperties, ...extra },
});

function text(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw new SmError('SM_VALIDATION', `${field} must be a text of 1 to ${max} characters, got ${JSON.stringify(value)}`);
  }
  return value;
}

export const dashboardReportRoutes: FastifyPluginAsync<{ store: Store; now: () => number; sites?: Sites | null }> = async (app, { store, now, sites = null }) => {
  app.get('/api/reports/sites', {
    schema: {
      ...common, summary: 'The sites the token may read', description: 'Every siteId stored, configured (SM_SITES) or named by a read token, that the token may read, with its weighted session count over all time (0 for a site without sessions yet), most sessions first. It takes no range: the site selector lists every site whatever the range shown.',
      response: { 200: obj({ sites: list({ site_id: str, sessions: int }) }), 401: errorSchema },
    },
  }, async (request, reply) => {
    // A read token is told only of the sites it may read (access.ts), and of each of them, sessions or not.
    const readable = readableSites(request.grant, undefined);
    const stored = await store.sites();
    const known = new Set([...stored.map((s) => s.siteId), ...(sites?.keys() ?? []), ...(readable ?? [])]);
    const listed = [...known].filter((id) => !readable || readable.includes(id));
    const data = dashboard.sites(listed.map((siteId) => stored.find((s) => s.siteId === siteId) ?? { siteId, weighted: 0 }));
    return sendReport(request, reply, data, (d) => ({ columns: ['site_id', 'sessions'], rows: d.sites.map((s) => [s.site_id, s.sessions]) }), 'sites');
  });

  app.get('/api/reports/alerts', {
    schema: {
      ...common, summary: 'Threshold alerts per day, per threshold and direction, and the latest',
      description: 'Alerts stored (records of type alert, sent with sendAlerts) whose `at` falls on a day of the range (UTC), counted as stored. latest: newest first, user_id null for an anonymous session. CSV: the per-day counts.',
      querystring: withParams({ limit: { type: 'string', description: 'Latest alerts listed (default 20, max 500)' } }),
      response: {
        200: obj({
          alerts: int,
          days: list({ date: str, alerts: int, above: int, below: int }),
          thresholds: list({ threshold: str, direction: str, alerts: int }),
          latest: list({ at: str, site_id: str, session_id: str, threshold: str, direction: str, engaged_seconds: n, user_id: nullable('string') }),
        }),
        ...errors,
      },
    },
  }, async (request, reply) => {
    const r = parseReportRange(request);
    const limit = wholeNumber('limit', (request.query as { limit?: string }).limit, 20, 500);
    const [counts, latest] = await Promise.all([store.alertCounts(r), store.latestAlerts(r, limit)]);
    const data = dashboard.alerts(r.days, counts, latest);
    return sendReport(request, reply, data, (d) => ({ columns: ['date', 'alerts', 'above', 'below'], rows: d.days.map((x) => [x.date, x.alerts, x.above, x.below]) }), 'alerts');
  });

  app.get('/api/reports/dimensions', {
    schema: {
      ...common, summary: 'The host\'s meta dimensions: keys, or the top values of one key',
      description: 'Without `key`: the meta keys sessions of the range carry, with their session counts. With `key`: its top values with sessions (weighted), distinct users, share of the range\'s sessions and engaged time (seconds); other_sessions have no value for the key (or one past the limit).',
      querystring: withParams({ key: { type: 'string', description: 'A meta key (optional)' }, limit: { type: 'string', description: 'Most values listed (default 50, max 1000)' } }),
      response: {
        200: {
          type: 'object',
          properties: {
            keys: list({ key: str, sessions: int }),
            key: str,
            values: list({ value: str, sessions: int, users: int, share: n, total_engaged: n, average_engaged: n }),
            other_sessions: int,
          },
        },
        ...errors,
      },
    },
  }, async (request, reply) => {
    const r = parseReportRange(request);
    const q = request.query as { key?: string; limit?: string };
    if (q.key === undefined) {
      const data = dashboard.dimensionKeys(await store.dimensionKeys(r));
      return sendReport(request, reply, data, (d) => ({ columns: ['key', 'sessions'], rows: d.keys.map((k) => [k.key, k.sessions]) }), 'dimensions');
    }
    const key = text('key', q.key, 128);
    const limit = wholeNumber('limit', q.limit, 50, 1000, 1);
    const [values, totals] = await Promise.all([store.dimensionValues(r, key, limit), store.summary(r)]);
    const data = dashboard.dimensionValues(key, values, totals.weighted);
    return sendReport(request, reply, data, (d) => ({
      columns: ['value', 'sessions', 'users', 'share', 'total_engaged', 'average_engaged'],
      rows: d.values.map((v) => [v.value, v.sessions, v.users, v.share, v.total_engaged, v.average_engaged]),
    }), `dimension-${key}`);
  });

  app.get('/api/reports/page', {
    schema: {
      ...common, summary: 'One page: its trend, entry and exit share, and its users',
      description: 'entry_share: share of the sessions that showed the page in which no page was seen before it; exit_share: none after it. users: the users with the most dwell time on it (user_id is the anonymous id when identified is false).',
      querystring: withParams({ path: str, limit: { type: 'string', description: 'Users listed (default 20, max 500)' } }, ['path']),
      response: {
        200: obj({
          path: str, views: int, sessions: int, total_engaged: n, average_engaged: n, entry_share: n, exit_share: n,
          days: list({ date: str, views: int, sessions: int, total_engaged: n }),
          user_count: int,
          users: list({ user_id: str, identified: { type: 'boolean' }, sessions: int, total_engaged: n }),
        }),
        ...errors,
      },
    },
  }, async (request, reply) => {
    const r = parseReportRange(request);
    const q = request.query as { path?: string; limit?: string };
    const path = text('path', q.path, 2048);
    const limit = wholeNumber('limit', q.limit, 20, 500);
    const [days, users] = await Promise.all([store.pageDays(r, path), store.pageUsers(r, path, limit)]);
    const data = dashboard.page(path, r.days, days, users);
    return sendReport(request, reply, data, (d) => ({ columns: ['date', 'views', 'sessions', 'total_engaged'], rows: d.days.map((x) => [x.date, x.views, x.sessions, x.total_engaged]) }), 'page');
  });

  app.get('/api/reports/course', {
    schema: {
      ...common, summary: 'A course\'s pages in order, with reach and drop-off',
      description: '`pages`: a comma-separated list of paths in course order, or globs (`*` within a segment, `**` across, as trackSpecificPages) whose matches are ordered naturally (/lessons/2 before /lessons/10). Per step: learners (distinct users, anonymous ones by their anonymous id) who saw it, reach (share of the first step\'s learners), continued (of them, who also saw the next step) and drop_off (1 - continued / learners; null on the last step).',
      querystring: withParams({ pages: str }, ['pages']),
      response: {
        200: obj({
          pages: str,
          steps: list({ step: int, path: str, learners: int, sessions: int, average_engaged: n, reach: n, continued: nullable('integer'), drop_off: nullable('number') }),
        }),
        ...errors,
      },
    },
  }, async (request, reply) => {
    const r = parseReportRange(request);
    const pattern = text('pages', (request.query as { pages?: string }).pages, 4096);
    const steps = learning.courseSteps(pattern, pattern.includes('*') ? await store.pagePaths(r) : []);
    const data = { pages: pattern, ...learning.course(steps, await store.courseRows(r, steps)) };
    return sendReport(request, reply, data, (d) => ({
      columns: ['step', 'path', 'learners', 'sessions', 'average_engaged', 'reach', 'continued', 'drop_off'],
      rows: d.steps.map((s) => [s.step, s.path, s.learners, s.sessions, s.average_engaged, s.reach, s.continued, s.drop_off]),
    }), 'course');
  });

  const windowFigures = { eligible_7d: int, returned_7d: int, share_7d: n, eligible_30d: int, returned_30d: int, share_30d: n };
  app.get('/api/reports/returning', {
    schema: {
      ...common, summary: 'Returning learners by the band of their first session',
      description: 'Identified users whose first session (on the site, with the dimension, when asked) started in the range. returned_Nd: of the eligible_Nd users (whose N days have passed, or who already came back), those who started another session within N days of the first. Bands from the least engaged up; "none" below every threshold.',
      querystring: rangeQuery,
      response: { 200: obj({ users: int, ...windowFigures, bands: list({ band: str, users: int, ...windowFigures }) }), ...errors },
    },
  }, async (request, reply) => {
    const r = parseReportRange(request);
    const data = learning.returning(await store.firstSessions(r), now());
    return sendReport(request, reply, data, (d) => ({
      columns: ['band', 'users', 'eligible_7d', 'returned_7d', 'share_7d', 'eligible_30d', 'returned_30d', 'share_30d'],
      rows: [...d.bands, { band: 'all', ...d }].map((b) => [b.band, b.users, b.eligible_7d, b.returned_7d, b.share_7d, b.eligible_30d, b.returned_30d, b.share_30d]),
    }), 'returning');
  });

  app.get('/api/reports/active-users', {
    schema: {
      ...common, summary: 'Daily and weekly active users, identified and anonymous apart',
      description: 'A user is active on the day a session of theirs starts. identified: distinct userIds; anonymous: distinct anonymous ids of sessions without one (browsers, not people). Weeks are ISO weeks from Monday, clipped to the range.',
      querystring: rangeQuery,
      response: {
        200: obj({
          identified: int, anonymous: int,
          days: list({ date: str, identified: int, anonymous: int }),
          weeks: list({ start: str, end: str, identified: int, anonymous: int }),
        }),
        ...errors,
      },
    },
  }, async (request, reply) => {
    const r = parseReportRange(request);
    const data = learning.activeUsers(r.days, await store.activeRows(r));
    return sendReport(request, reply, data, (d) => ({ columns: ['date', 'identified', 'anonymous'], rows: d.days.map((x) => [x.date, x.identified, x.anonymous]) }), 'active-users');
  });
};
