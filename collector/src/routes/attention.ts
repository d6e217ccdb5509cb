/**
 * GET /api/reports/attention/{vitals,scroll,sections,media}: the attention figures of one page over a
 * date range (docs/attention.md), under the report token like every report. Query: `path` (the page
 * record's path, required), `start`, `end` (YYYY-MM-DD, inclusive, UTC), `site` and the dimension filter
 * `meta_key` + `meta_value` (optional, as every range report: routes/query.ts). JSON, or CSV with
 * `Accept: text/csv`.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { readableSites } from '../access';
import { errorSchema } from '../errors';
import * as compute from '../reports/attention';
import { parseRange } from '../reports/dates';
import { sendReport } from '../reports/respond';
import type { PageRange } from '../store/attention/read';
import type { Store } from '../store/types';
import { parseMeta, rangeProperties } from './query';

const pageQuery = {
  type: 'object',
  required: ['path', 'start', 'end'],
  properties: {
    path: { type: 'string', minLength: 1, maxLength: 2048, description: 'The page: the path of its page records (after the pageName mapping)' },
    ...rangeProperties,
  },
} as const;

const n = { type: 'number' } as const;
const nullableN = { type: ['number', 'null'] } as const;
const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;
const obj = (properties: Record<string, unknown>) => ({ type: 'object', required: Object.keys(properties), properties });
const list = (items: Record<string, unknown>) => ({ type: 'array', items: obj(items) });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };
const common = { tags: ['reports'], security: [{ bearerAuth: [] }], querystring: pageQuery };

function pageRange(request: FastifyRequest): PageRange {
  const q = request.query as { path: string; start: string; end: string; site?: string; meta_key?: string; meta_value?: string };
  const r = parseRange('start', q.start, 'end', q.end);
  return { path: q.path, start: r.start, end: r.end, siteId: readableSites(request.grant, q.site), meta: parseMeta(q.meta_key, q.meta_value) };
}

export const attentionRoutes: FastifyPluginAsync<{ store: Store }> = async (app, { store }) => {
  app.get('/api/reports/attention/vitals', {
    schema: {
      ...common, summary: "A page's web-vitals: p75 and ratings",
      description: "Per vital (LCP, INP, CLS, FCP, TTFB; ms, CLS a unitless score): the p75 over the page's views that measured it and the shares rated good / needs improvement / poor by web-vitals' own thresholds. null where no view measured it.",
      response: { 200: obj({ path: str, vitals: list({ name: str, unit: str, views: int, p75: nullableN, good: nullableN, needs_improvement: nullableN, poor: nullableN }) }), ...errors },
    },
  }, async (request, reply) => {
    const r = pageRange(request);
    const data = compute.vitals(r.path, await store.attention.vitals(r));
    return sendReport(request, reply, data, (d) => ({
      columns: ['path', 'name', 'unit', 'views', 'p75', 'good', 'needs_improvement', 'poor'],
      rows: d.vitals.map((v) => [d.path, v.name, v.unit, v.views, v.p75, v.good, v.needs_improvement, v.poor]),
    }), 'attention-vitals');
  });

  app.get('/api/reports/attention/scroll', {
    schema: {
      ...common, summary: "A page's scroll depth",
      description: 'Of the page views with a scroll measurement: the mean deepest share of the document seen (0..1), and per mark 25/50/75/100 % the views that reached it, their share, and the mean seconds after the view began until it was reached.',
      response: { 200: obj({ path: str, views: int, average_depth: nullableN, marks: list({ depth: int, views: int, share: nullableN, average_seconds_to_reach: nullableN }) }), ...errors },
    },
  }, async (request, reply) => {
    const r = pageRange(request);
    const data = compute.scroll(r.path, await store.attention.scroll(r));
    return sendReport(request, reply, data, (d) => ({
      columns: ['path', 'depth_percent', 'views', 'share', 'average_seconds_to_reach'],
      rows: d.marks.map((m) => [d.path, m.depth, m.views, m.share, m.average_seconds_to_reach]),
    }), 'attention-scroll');
  });

  app.get('/api/reports/attention/sections', {
    schema: {
      ...common, summary: "A page's sections: reach and engaged time",
      description: 'Per data-sm-section name: the views that saw it, its reach (share of the page views with the attention plugin), its engaged time in view (total and mean per view that saw it, seconds) and the mean seconds until first seen. Sorted by total engaged time.',
      response: {
        200: obj({ path: str, views: int, sections: list({ name: str, views: int, reach: nullableN, total_engaged: n, average_engaged: nullableN, average_first_seen: nullableN }) }),
        ...errors,
      },
    },
  }, async (request, reply) => {
    const r = pageRange(request);
    const [views, rows] = await Promise.all([store.attention.scroll(r), store.attention.sections(r)]);
    const data = compute.sections(r.path, views, rows);
    return sendReport(request, reply, data, (d) => ({
      columns: ['path', 'section', 'views', 'reach', 'total_engaged', 'average_engaged', 'average_first_seen'],
      rows: d.sections.map((s) => [d.path, s.name, s.views, s.reach, s.total_engaged, s.average_engaged, s.average_first_seen]),
    }), 'attention-sections');
  });

  app.get('/api/reports/attention/media', {
    schema: {
      ...common, summary: "A page's media: plays, watched time, completion",
      description: 'Per medium (data-sm-media, or the path of its source): plays (page views that played some of it), watched seconds (the union of the ranges played: total and mean per play), mean duration, mean completion (0..1) and the share of plays that reached the end.',
      response: {
        200: obj({
          path: str,
          media: list({ name: str, plays: int, total_watched: n, average_watched: nullableN, average_duration: nullableN, average_completion: nullableN, ended_share: nullableN }),
        }),
        ...errors,
      },
    },
  }, async (request, reply) => {
    const r = pageRange(request);
    const data = compute.media(r.path, await store.attention.media(r));
    return sendReport(request, reply, data, (d) => ({
      columns: ['path', 'medium', 'plays', 'total_watched', 'average_watched', 'average_duration', 'average_completion', 'ended_share'],
      rows: d.media.map((m) => [d.path, m.name, m.plays, m.total_watched, m.average_watched, m.average_duration, m.average_completion, m.ended_share]),
    }), 'attention-media');
  });
};
