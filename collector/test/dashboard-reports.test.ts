/**
 * The dashboard's reports through the routes (app.inject over SQLite): figures worked out by hand from the
 * records below, CSV, the dimension filter on every existing report, and 400s that name the parameter.
 * The stores' figures against recomputations are in dashboard-contract.ts, on both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/app';
import { parseSites } from '../src/sites';
import { alert, session, sqliteStore, TOKEN, type TestStore } from './fixtures';

const NOW = Date.parse('2026-03-20T12:00:00.000Z');
let t: TestStore;
let app: Awaited<ReturnType<typeof build>>;
const auth = { authorization: `Bearer ${TOKEN}` };
const page = (path: string, engagedMs: number, first: string, last: string) => ({ path, views: 1, engagedMs, firstSeenAt: first, lastSeenAt: last, band: null });

beforeAll(async () => {
  t = await sqliteStore();
  app = await build({ store: t.store, token: TOKEN, static: false, now: () => NOW });
  const res = await app.inject({
    method: 'POST',
    url: '/collect',
    payload: [
      // ada: lessons 1 then 2 on 03-02 (engaged), back on 03-05; bob: lesson 1 only (casual), never back; zed anonymous on the demo site.
      session({ id: 'a1', userId: 'ada', siteId: 'learn', startedAt: '2026-03-02T10:00:00.000Z', durationMs: 600_000, engagedMs: 400_000, band: 'engaged', meta: { plan: 'pro' },
        pages: [page('/lessons/1', 300_000, '2026-03-02T10:00:00.000Z', '2026-03-02T10:05:00.000Z'), page('/lessons/2', 100_000, '2026-03-02T10:05:00.000Z', '2026-03-02T10:10:00.000Z')] }),
      session({ id: 'a2', userId: 'ada', siteId: 'learn', startedAt: '2026-03-05T10:00:00.000Z', durationMs: 60_000, engagedMs: 60_000, band: 'casual', meta: { plan: 'pro' },
        pages: [page('/lessons/10', 60_000, '2026-03-05T10:00:00.000Z', '2026-03-05T10:01:00.000Z')] }),
      session({ id: 'b1', userId: 'bob', siteId: 'learn', startedAt: '2026-03-03T09:00:00.000Z', durationMs: 120_000, engagedMs: 40_000, band: 'casual', meta: { plan: 'free' },
        pages: [page('/lessons/1', 40_000, '2026-03-03T09:00:00.000Z', '2026-03-03T09:02:00.000Z')] }),
      session({ id: 'z1', userId: null, anonymousId: 'zed', siteId: 'demo', startedAt: '2026-03-03T12:00:00.000Z', durationMs: 30_000, engagedMs: 20_000, band: null,
        pages: [page('/', 20_000, '2026-03-03T12:00:00.000Z', '2026-03-03T12:00:30.000Z')] }),
      alert({ siteId: 'learn', sessionId: 'a1', threshold: 'casual', direction: 'above', at: '2026-03-02T10:00:30.000Z', engagedMs: 30_000 }),
      alert({ siteId: 'learn', sessionId: 'a1', threshold: 'engaged', direction: 'above', at: '2026-03-02T10:05:00.000Z', engagedMs: 300_000 }),
      alert({ siteId: 'learn', sessionId: 'b1', threshold: 'casual', direction: 'above', at: '2026-03-03T09:00:30.000Z', engagedMs: 30_000 }),
      alert({ siteId: 'learn', sessionId: 'b1', threshold: 'engaged', direction: 'below', at: '2026-03-03T09:02:00.000Z', engagedMs: 40_000 }),
    ],
  });
  expect(res.json()).toMatchObject({ accepted: 8 });
});
afterAll(async () => {
  await app.close();
  await t.dispose();
});

const get = (url: string, headers: Record<string, string> = auth) => app.inject({ method: 'GET', url, headers });
const MARCH = 'start=2026-03-01&end=2026-03-07';

describe('dashboard reports', () => {
  it('lists the sites, most sessions first', async () => {
    expect((await get('/api/reports/sites')).json()).toEqual({ sites: [{ site_id: 'learn', sessions: 3 }, { site_id: 'demo', sessions: 1 }] });
  });

  it('lists a configured site (SM_SITES) that has sent nothing yet, with no sessions', async () => {
    const configured = await build({ store: t.store, token: TOKEN, static: false, now: () => NOW, sites: parseSites('{"learn": {}, "demo": {}, "shop": {}}') });
    try {
      const res = await configured.inject({ method: 'GET', url: '/api/reports/sites', headers: auth });
      expect(res.json()).toEqual({ sites: [{ site_id: 'learn', sessions: 3 }, { site_id: 'demo', sessions: 1 }, { site_id: 'shop', sessions: 0 }] });
    } finally {
      await configured.close();
    }
  });

  it('counts alerts per day and per threshold and direction, and lists the latest first', async () => {
    const body = (await get(`/api/reports/alerts?${MARCH}&limit=2`)).json();
    expect(body.alerts).toBe(4);
    expect(body.days.filter((d: { alerts: number }) => d.alerts > 0)).toEqual([
      { date: '2026-03-02', alerts: 2, above: 2, below: 0 },
      { date: '2026-03-03', alerts: 2, above: 1, below: 1 },
    ]);
    expect(body.days).toHaveLength(7);
    expect(body.thresholds).toEqual([
      { threshold: 'casual', direction: 'above', alerts: 2 },
      { threshold: 'engaged', direction: 'above', alerts: 1 },
      { threshold: 'engaged', direction: 'below', alerts: 1 },
    ]);
    expect(body.latest).toEqual([
      { at: '2026-03-03T09:02:00.000Z', site_id: 'learn', session_id: 'b1', threshold: 'engaged', direction: 'below', engaged_seconds: 40, user_id: 'bob' },
      { at: '2026-03-03T09:00:30.000Z', site_id: 'learn', session_id: 'b1', threshold: 'casual', direction: 'above', engaged_seconds: 30, user_id: 'bob' },
    ]);
    expect((await get(`/api/reports/alerts?${MARCH}&meta_key=plan&meta_value=pro`)).json().alerts).toBe(2);
    const csv = await get(`/api/reports/alerts?${MARCH}`, { ...auth, accept: 'text/csv' });
    expect(csv.body.split('\r\n').slice(0, 4)).toEqual(['date,alerts,above,below', '2026-03-01,0,0,0', '2026-03-02,2,2,0', '2026-03-03,2,1,1']);
  });

  it('lists meta keys, and the values of one with sessions, users, share and engaged time', async () => {
    expect((await get(`/api/reports/dimensions?${MARCH}`)).json()).toEqual({ keys: [{ key: 'plan', sessions: 3 }] });
    expect((await get(`/api/reports/dimensions?${MARCH}&key=plan`)).json()).toEqual({
      key: 'plan',
      values: [
        { value: 'pro', sessions: 2, users: 1, share: 0.5, total_engaged: 460, average_engaged: 230 },
        { value: 'free', sessions: 1, users: 1, share: 0.25, total_engaged: 40, average_engaged: 40 },
      ],
      other_sessions: 1,
    });
  });

  it('filters every existing report by a dimension value', async () => {
    const pro = 'meta_key=plan&meta_value=pro';
    expect((await get(`/api/reports/summary?${MARCH}&${pro}`)).json()).toEqual({ sessions: 2, users: 1, average_duration: 330, average_engaged: 230, short_share: 0 });
    expect((await get(`/api/reports/daily?${MARCH}&${pro}`)).json().days.map((d: { sessions: number }) => d.sessions)).toEqual([0, 1, 0, 0, 1, 0, 0]);
    expect((await get(`/api/reports/pages?${MARCH}&${pro}`)).json().pages.map((p: { path: string }) => p.path)).toEqual(['/lessons/1', '/lessons/2', '/lessons/10']);
    expect((await get(`/api/reports/bands?${MARCH}&${pro}`)).json().bands.map((b: { band: string }) => b.band)).toEqual(['casual', 'engaged']);
    expect((await get(`/api/reports/durations?${MARCH}&${pro}`)).json().buckets.map((b: { sessions: number }) => b.sessions)).toEqual([0, 1, 0, 1, 0, 0, 0]);
    expect((await get(`/api/reports/breaks?${MARCH}&${pro}`)).json().sessions).toBe(2);
    const users = await app.inject({ method: 'POST', url: '/api/session-duration', headers: auth, payload: { start_date: '2026-03-01', end_date: '2026-03-07', meta_key: 'plan', meta_value: 'free' } });
    expect(users.json()).toEqual({ results: [{ user_id: 'bob', average_duration: 120, sessions: 1, average_engaged: 40 }] });
    expect((await get(`/api/reports/summary?${MARCH}&meta_key=plan`)).json().error.message).toMatch(/meta_value/);
  });

  it("answers one page's trend, entry and exit shares and users", async () => {
    const body = (await get(`/api/reports/page?${MARCH}&path=${encodeURIComponent('/lessons/1')}`)).json();
    // a1 saw /lessons/1 first and /lessons/2 after it; b1 saw only /lessons/1: 2 entries, 1 exit of 2.
    expect(body).toMatchObject({ path: '/lessons/1', views: 2, sessions: 2, total_engaged: 340, average_engaged: 170, entry_share: 1, exit_share: 0.5, user_count: 2 });
    expect(body.users).toEqual([
      { user_id: 'ada', identified: true, sessions: 1, total_engaged: 300 },
      { user_id: 'bob', identified: true, sessions: 1, total_engaged: 40 },
    ]);
    expect(body.days.slice(1, 3)).toEqual([{ date: '2026-03-02', views: 1, sessions: 1, total_engaged: 300 }, { date: '2026-03-03', views: 1, sessions: 1, total_engaged: 40 }]);
    expect((await get(`/api/reports/page?${MARCH}`)).json().error.message).toMatch(/path/);
  });

  it('orders a course by a glob naturally, or as listed, with reach and drop-off', async () => {
    const glob = (await get(`/api/reports/course?${MARCH}&site=learn&pages=${encodeURIComponent('/lessons/*')}`)).json();
    expect(glob.steps).toEqual([
      // ada and bob saw lesson 1; only ada saw 2 (bob dropped off: 1 of 2); ada saw 10 later.
      { step: 1, path: '/lessons/1', learners: 2, sessions: 2, average_engaged: 170, reach: 1, continued: 1, drop_off: 0.5 },
      { step: 2, path: '/lessons/2', learners: 1, sessions: 1, average_engaged: 100, reach: 0.5, continued: 1, drop_off: 0 },
      { step: 3, path: '/lessons/10', learners: 1, sessions: 1, average_engaged: 60, reach: 0.5, continued: null, drop_off: null },
    ]);
    const listed = (await get(`/api/reports/course?${MARCH}&pages=${encodeURIComponent('/lessons/2, /lessons/1')}`)).json();
    expect(listed.steps.map((s: { path: string; learners: number }) => [s.path, s.learners])).toEqual([['/lessons/2', 1], ['/lessons/1', 2]]);
  });

  it('answers returning learners by the band of their first session, and active users apart', async () => {
    // ada (first session engaged) came back after 3 days; bob (casual) never did, and his 7 days have passed.
    expect((await get(`/api/reports/returning?${MARCH}`)).json()).toEqual({
      users: 2, eligible_7d: 2, returned_7d: 1, share_7d: 0.5, eligible_30d: 1, returned_30d: 1, share_30d: 1,
      bands: [
        // bob's 30 days (to 04-02) have not passed on 03-20, so he is not judged yet for 30 days.
        { band: 'casual', users: 1, eligible_7d: 1, returned_7d: 0, share_7d: 0, eligible_30d: 0, returned_30d: 0, share_30d: 0 },
        { band: 'engaged', users: 1, eligible_7d: 1, returned_7d: 1, share_7d: 1, eligible_30d: 1, returned_30d: 1, share_30d: 1 },
      ],
    });
    const active = (await get(`/api/reports/active-users?${MARCH}`)).json();
    expect(active).toMatchObject({ identified: 2, anonymous: 1 });
    expect(active.days.slice(1, 5)).toEqual([
      { date: '2026-03-02', identified: 1, anonymous: 0 },
      { date: '2026-03-03', identified: 1, anonymous: 1 },
      { date: '2026-03-04', identified: 0, anonymous: 0 },
      { date: '2026-03-05', identified: 1, anonymous: 0 },
    ]);
    // 2026-03-01 is a Sunday: its ISO week is cut to one day; the next runs Monday 03-02 to the range's end.
    expect(active.weeks).toEqual([
      { start: '2026-03-01', end: '2026-03-01', identified: 0, anonymous: 0 },
      { start: '2026-03-02', end: '2026-03-07', identified: 2, anonymous: 1 },
    ]);
  });

  it('needs the bearer token', async () => {
    for (const path of ['sites', `alerts?${MARCH}`, `dimensions?${MARCH}`, `page?${MARCH}&path=/`, `course?${MARCH}&pages=/`, `returning?${MARCH}`, `active-users?${MARCH}`]) {
      expect((await get(`/api/reports/${path}`, {})).statusCode, path).toBe(401);
    }
  });
});
