import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLSThresholds, FCPThresholds, INPThresholds, LCPThresholds, TTFBThresholds } from 'web-vitals';
import { build } from '../src/app';
import { VITAL_THRESHOLDS, weightedQuantile } from '../src/reports/attention';
import { attentionSessions } from './attention-contract';
import { session, sqliteStore, TOKEN, type TestStore } from './fixtures';

let t: TestStore;
let app: Awaited<ReturnType<typeof build>>;
const auth = { authorization: `Bearer ${TOKEN}` };
const post = (payload: unknown) => app.inject({ method: 'POST', url: '/collect', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
const get = (url: string, headers: Record<string, string> = auth) => app.inject({ method: 'GET', url, headers });
const Q = 'path=%2Flesson%2F%3Aid&start=2026-03-01&end=2026-03-31';

beforeAll(async () => {
  t = await sqliteStore();
  app = await build({ store: t.store, token: TOKEN, static: false });
  expect((await post(attentionSessions())).json()).toEqual({ accepted: 5, rejected: [] });
});
afterAll(async () => {
  await app.close();
  await t.dispose();
});

describe('attention fields on POST /collect', () => {
  const withPage = (fields: Record<string, unknown>) => {
    const s = session();
    return { ...s, pages: [{ ...s.pages[0]!, ...fields }] };
  };
  const rejection = async (fields: Record<string, unknown>) => {
    const res = await post([withPage(fields)]);
    return (res.json() as { rejected: Array<{ code: string; message: string }> }).rejected[0];
  };

  it('refuses figures no browser measures, naming the field', async () => {
    expect(await rejection({ scroll: { depth: 1.5, reachedMs: {} } })).toEqual({ index: 0, code: 'SM_INVALID_RECORD', message: 'record 0: pages.0.scroll.depth must be <= 1' });
    expect((await rejection({ vitals: { LCP: -3 } }))?.message).toBe('record 0: pages.0.vitals.LCP must be >= 0');
    expect((await rejection({ sections: { intro: [1000] } }))?.message).toBe('record 0: pages.0.sections.intro must NOT have fewer than 2 items');
    expect((await rejection({ media: { a: { watchedMs: 1, durationMs: 2, completion: 2, ended: false } } }))?.message).toBe('record 0: pages.0.media.a.completion must be <= 1');
    expect((await rejection({ scroll: { depth: 0.5, reachedMs: { 33: 10 } } }))?.message).toBe('record 0: pages.0.scroll.reachedMs must NOT have additional properties');
    expect((await rejection({ media: { a: { watchedMs: 1 } } }))?.message).toBe("record 0: pages.0.media.a must have required property 'durationMs'");
  });

  it('keeps a vital it does not know in the raw record', async () => {
    const s = withPage({ vitals: { LCP: 1000, FID: 12 } });
    expect((await post([s])).json()).toEqual({ accepted: 1, rejected: [] });
    expect(JSON.parse((await t.store.getSession(s.siteId, s.id))!.record).pages[0].vitals).toEqual({ LCP: 1000, FID: 12 });
  });
});

describe('GET /api/reports/attention/*', () => {
  it('answers each figure as JSON', async () => {
    const vitals = (await get(`/api/reports/attention/vitals?${Q}`)).json();
    expect(vitals.path).toBe('/lesson/:id');
    expect(vitals.vitals.map((v: { name: string }) => v.name)).toEqual(['LCP', 'INP', 'CLS', 'FCP', 'TTFB']);
    expect(vitals.vitals[1]).toEqual({ name: 'INP', unit: 'ms', views: 8, p75: 640, good: 0.25, needs_improvement: 0.25, poor: 0.5 });
    expect((await get(`/api/reports/attention/scroll?${Q}`)).json().marks[1]).toEqual({ depth: 50, views: 4, share: 0.5, average_seconds_to_reach: 5.7 });
    expect((await get(`/api/reports/attention/sections?${Q}`)).json().sections[0]).toEqual({
      name: 'video', views: 4, reach: 0.5, total_engaged: 236, average_engaged: 65.3, average_first_seen: 6.3,
    });
    expect((await get(`/api/reports/attention/media?${Q}`)).json().media[0]).toEqual({
      name: 'lecture-1', plays: 4, total_watched: 1380, average_watched: 380, average_duration: 600, average_completion: 0.633, ended_share: 0.25,
    });
  });

  it('takes the dashboard\'s dimension filter, meta_key and meta_value, as every range report', async () => {
    // v1 and v4 have plan pro (LCP 1200 and 2500), v2 plan free (LCP 3100, weight 2).
    const lcp = async (q: string) => (await get(`/api/reports/attention/vitals?${Q}${q}`)).json().vitals[0];
    expect(await lcp('&meta_key=plan&meta_value=pro')).toEqual({ name: 'LCP', unit: 'ms', views: 2, p75: 2500, good: 1, needs_improvement: 0, poor: 0 });
    expect(await lcp('&meta_key=plan&meta_value=free')).toMatchObject({ views: 2, p75: 3100 });
    expect((await get(`/api/reports/attention/scroll?${Q}&meta_key=plan&meta_value=free`)).json().views).toBe(2);
    const half = await get(`/api/reports/attention/media?${Q}&meta_key=plan`);
    expect(half.statusCode).toBe(400);
    expect(half.json().error.message).toContain('meta_value');
  });

  it('answers CSV with Accept: text/csv', async () => {
    const res = await get(`/api/reports/attention/scroll?${Q}`, { ...auth, accept: 'text/csv' });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.body).toBe(
      'path,depth_percent,views,share,average_seconds_to_reach\r\n/lesson/:id,25,8,1,0.5\r\n/lesson/:id,50,4,0.5,5.7\r\n/lesson/:id,75,2,0.25,6\r\n/lesson/:id,100,1,0.125,15\r\n',
    );
    const media = await get(`/api/reports/attention/media?${Q}`, { ...auth, accept: 'text/csv' });
    expect(media.body.split('\r\n')[2]).toBe('/lesson/:id,live-stream,4,120,30,,,0');
  });

  it('needs the report token, a page and a valid range', async () => {
    expect((await get(`/api/reports/attention/vitals?${Q}`, {})).statusCode).toBe(401);
    const noPath = await get('/api/reports/attention/sections?start=2026-03-01&end=2026-03-31');
    expect(noPath.statusCode).toBe(400);
    expect(noPath.json().error.message).toContain('path');
    const reversed = await get('/api/reports/attention/media?path=%2F&start=2026-03-31&end=2026-03-01');
    expect(reversed.json().error).toEqual({ code: 'SM_RANGE_REVERSED', message: 'start 2026-03-31 is after end 2026-03-01', request_id: reversed.headers['x-request-id'] });
  });
});

describe('vital ratings and p75', () => {
  it("uses web-vitals' own thresholds", () => {
    expect(VITAL_THRESHOLDS).toEqual({ LCP: LCPThresholds, INP: INPThresholds, CLS: CLSThresholds, FCP: FCPThresholds, TTFB: TTFBThresholds });
  });

  it('reads the p75 from the weighted distribution, nearest rank', () => {
    const one = (value: number, weighted = 1) => ({ value, weighted });
    expect(weightedQuantile([one(4), one(1), one(3), one(2)], 0.75)).toBe(3);
    expect(weightedQuantile([one(1, 1), one(2, 1), one(10, 2)], 0.75)).toBe(10);
    expect(weightedQuantile([one(1, 3), one(10, 1)], 0.75)).toBe(1);
    // Weights that add up with float error (1/0.3 three times) still find the exact rank.
    expect(weightedQuantile([one(5, 1 / 0.3), one(6, 1 / 0.3), one(7, 1 / 0.3), one(8, 1 / 0.3)], 0.75)).toBe(7);
    expect(weightedQuantile([], 0.75)).toBeNull();
  });
});
