import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/app';
import { session, sqliteStore, TOKEN, type TestStore } from './fixtures';

const NOW = Date.parse('2026-03-20T12:00:00.000Z');
let t: TestStore;
let app: Awaited<ReturnType<typeof build>>;
const auth = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  t = await sqliteStore();
  app = await build({ store: t.store, token: TOKEN, static: false, now: () => NOW });
  const res = await app.inject({
    method: 'POST',
    url: '/collect',
    payload: [
      session({ id: 'a', userId: 'ada', startedAt: '2026-03-01T10:00:00.000Z', durationMs: 20_000, engagedMs: 10_000 }),
      session({ id: 'b', userId: 'ada', startedAt: '2026-03-01T12:00:00.000Z', durationMs: 600_000, engagedMs: 400_000 }),
      session({ id: 'c', userId: null, anonymousId: 'zed', startedAt: '2026-03-03T00:00:00.000Z', durationMs: 4_000_000, engagedMs: 50_000, sampleRate: 0.5 }),
      session({ id: 'd', userId: '=HYPERLINK("x")', startedAt: '2026-03-03T05:00:00.000Z', durationMs: 30_000, engagedMs: 30_000,
        pages: [{ path: '/a,b', views: 2, engagedMs: 30_000, firstSeenAt: '2026-03-03T05:00:00.000Z', lastSeenAt: '2026-03-03T05:00:30.000Z', band: 'casual' }] }),
      session({ id: 'e', userId: 'bob', startedAt: '2026-03-19T12:00:00.000Z', durationMs: 60_000, engagedMs: 60_000 }),
    ],
  });
  expect(res.json()).toEqual({ accepted: 5, rejected: [] });
});
afterAll(async () => {
  await app.close();
  await t.dispose();
});

const get = (url: string, headers: Record<string, string> = auth) => app.inject({ method: 'GET', url, headers });

describe('GET /api/reports', () => {
  it('summary', async () => {
    const res = await get('/api/reports/summary?start=2026-03-01&end=2026-03-03');
    expect(res.json()).toEqual({ sessions: 5, users: 3, average_duration: 1162.5, average_engaged: 122.5, short_share: 0.2 });
  });

  it('daily has every day of the range, zeros where no session started', async () => {
    const res = await get('/api/reports/daily?start=2026-02-28&end=2026-03-03');
    const day = (date: string) => ({ date, end: date, complete: true });
    expect(res.json()).toEqual({
      interval: 'day',
      days: [
        { ...day('2026-02-28'), sessions: 0, average_duration: 0, average_engaged: 0 },
        { ...day('2026-03-01'), sessions: 2, average_duration: 310, average_engaged: 205 },
        { ...day('2026-03-02'), sessions: 0, average_duration: 0, average_engaged: 0 },
        { ...day('2026-03-03'), sessions: 3, average_duration: 2015, average_engaged: 40 },
      ],
    });
  });

  it('daily by week and month: sums per period, clipped to the range, partial periods and today marked incomplete', async () => {
    // Weeks from Monday: 2026-02-23..03-01 (cut by the range: starts 02-28), 03-02..03-08, ..., 03-16..03-22 (holds today, 03-20).
    const weeks = (await get('/api/reports/daily?start=2026-02-28&end=2026-03-22&interval=week')).json();
    expect(weeks.days.map((d: { date: string; end: string; complete: boolean; sessions: number }) => [d.date, d.end, d.complete, d.sessions])).toEqual([
      ['2026-02-28', '2026-03-01', false, 2],
      ['2026-03-02', '2026-03-08', true, 3],
      ['2026-03-09', '2026-03-15', true, 0],
      ['2026-03-16', '2026-03-22', false, 1],
    ]);
    // The week of 03-02 holds c (weight 2, 4000 s) and d (30 s): a mean over its 2 stored sessions.
    expect(weeks.days[1]).toMatchObject({ average_duration: 2015, average_engaged: 40 });
    const months = (await get('/api/reports/daily?start=2026-02-01&end=2026-03-31&interval=month')).json();
    expect(months.days).toEqual([
      { date: '2026-02-01', end: '2026-02-28', complete: true, sessions: 0, average_duration: 0, average_engaged: 0 },
      // a 20 s, b 600 s, c 4000 s, d 30 s, e 60 s: (20 + 600 + 4000 + 30 + 60) / 5 = 942.
      { date: '2026-03-01', end: '2026-03-31', complete: false, sessions: 6, average_duration: 942, average_engaged: 110 },
    ]);
    expect((await get('/api/reports/daily?start=2026-02-01&end=2026-03-31&interval=year')).statusCode).toBe(400);
  });

  it('durations: the fixed histogram buckets', async () => {
    const res = await get('/api/reports/durations?start=2026-03-01&end=2026-03-31');
    expect(res.json().buckets).toEqual([
      { label: '<30s', min_seconds: 0, max_seconds: 30, sessions: 1 },
      { label: '30s-2m', min_seconds: 30, max_seconds: 120, sessions: 2 },
      { label: '2m-5m', min_seconds: 120, max_seconds: 300, sessions: 0 },
      { label: '5m-15m', min_seconds: 300, max_seconds: 900, sessions: 1 },
      { label: '15m-30m', min_seconds: 900, max_seconds: 1800, sessions: 0 },
      { label: '30m-1h', min_seconds: 1800, max_seconds: 3600, sessions: 0 },
      { label: '>=1h', min_seconds: 3600, max_seconds: null, sessions: 2 },
    ]);
  });

  it('breaks', async () => {
    const res = await get('/api/reports/breaks?start=2026-03-01&end=2026-03-31');
    expect(res.json()).toEqual({ sessions: 6, breaks: 4, total_seconds: 10 + 200 + 2 * 3950, average_per_session: 0.6, histogram: { '<30s': 1, '30s-2m': 0, '2m-10m': 1, '>=10m': 2 } });
  });

  it('bands, lowest first, null as "none"', async () => {
    const res = await get('/api/reports/bands?start=2026-03-01&end=2026-03-31');
    expect(res.json()).toEqual({ bands: [{ band: 'none', sessions: 1, min_engaged_seconds: 10 }, { band: 'casual', sessions: 4, min_engaged_seconds: 30 }, { band: 'engaged', sessions: 1, min_engaged_seconds: 400 }] });
  });

  it('pages, by total engaged time', async () => {
    const res = await get('/api/reports/pages?start=2026-03-01&end=2026-03-31');
    expect(res.json()).toEqual({
      pages: [
        { path: '/lesson/1', views: 5, sessions: 5, total_engaged: 570, average_engaged: 130 },
        { path: '/a,b', views: 2, sessions: 1, total_engaged: 30, average_engaged: 30 },
      ],
    });
    expect((await get('/api/reports/pages?start=2026-03-01&end=2026-03-31&limit=1')).json().pages).toHaveLength(1);
    expect((await get('/api/reports/pages?start=2026-03-01&end=2026-03-31&limit=x')).json().error.code).toBe('SM_VALIDATION');
  });

  it('inactive users, from the injected clock', async () => {
    const res = await get('/api/reports/inactive-users?days=7');
    expect(res.json()).toEqual({
      users: [
        { user_id: 'ada', last_active_at: '2026-03-01T12:10:00.000Z', sessions: 2 },
        { user_id: '=HYPERLINK("x")', last_active_at: '2026-03-03T05:00:30.000Z', sessions: 1 },
      ],
    });
    expect((await get('/api/reports/inactive-users?days=0')).json().users.map((u: { user_id: string }) => u.user_id)).toContain('bob');
    const bad = await get('/api/reports/inactive-users?days=-1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toEqual({ code: 'SM_VALIDATION', message: 'days must be a whole number, got "-1"' });
  });

  it('every report answers CSV, and formula-like cells are defused', async () => {
    const csv = (url: string) => get(url, { ...auth, accept: 'text/csv' });
    const pages = await csv('/api/reports/pages?start=2026-03-01&end=2026-03-31');
    expect(pages.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(pages.body).toBe('path,views,sessions,total_engaged,average_engaged\r\n/lesson/1,5,5,570,130\r\n"/a,b",2,1,30,30\r\n');
    const users = await csv('/api/reports/inactive-users?days=7');
    expect(users.body.split('\r\n')[2]).toBe(`"'=HYPERLINK(""x"")",2026-03-03T05:00:30.000Z,1`);
    expect((await csv('/api/reports/summary?start=2026-03-01&end=2026-03-03')).body).toBe('sessions,users,average_duration,average_engaged,short_share\r\n5,3,1162.5,122.5,0.2\r\n');
    expect((await csv('/api/reports/breaks?start=2026-03-01&end=2026-03-31')).body.split('\r\n')[0]).toBe('sessions,breaks,total_seconds,average_per_session,breaks_<30s,breaks_30s-2m,breaks_2m-10m,breaks_>=10m');
    for (const r of ['daily', 'durations', 'bands']) {
      const res = await csv(`/api/reports/${r}?start=2026-03-01&end=2026-03-02`);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.body.split('\r\n').length).toBeGreaterThan(2);
    }
    // JSON stays the default when the client prefers it.
    expect((await get('/api/reports/bands?start=2026-03-01&end=2026-03-02', { ...auth, accept: 'application/json, text/csv;q=0.5' })).headers['content-type']).toContain('application/json');
  });

  it('every report is a 401 without the token and a 400 on bad dates', async () => {
    for (const r of ['summary', 'daily', 'durations', 'breaks', 'bands', 'pages']) {
      const anon = await get(`/api/reports/${r}?start=2026-03-01&end=2026-03-02`, {});
      expect(anon.statusCode).toBe(401);
      expect(anon.json().error.code).toBe('SM_UNAUTHORIZED');
      const reversed = await get(`/api/reports/${r}?start=2026-03-02&end=2026-03-01`);
      expect(reversed.json().error).toEqual({ code: 'SM_RANGE_REVERSED', message: 'start 2026-03-02 is after end 2026-03-01' });
      const missing = await get(`/api/reports/${r}?start=2026-03-02`);
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.message).toContain('end');
    }
    expect((await get('/api/reports/inactive-users?days=3', {})).statusCode).toBe(401);
    expect((await get('/api/live', {})).statusCode).toBe(401);
    const long = await get('/api/reports/daily?start=2000-01-01&end=2026-01-01');
    expect(long.json().error.code).toBe('SM_RANGE_TOO_LONG');
  });
});

describe('OpenAPI', () => {
  it('documents every route from its schemas', async () => {
    const doc = (await get('/openapi.json', {})).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/collect', '/api/session-duration', '/api/reports/summary', '/api/reports/daily', '/api/reports/durations', '/api/reports/breaks', '/api/reports/bands', '/api/reports/pages', '/api/reports/inactive-users', '/api/live']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/session-duration'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(JSON.stringify(doc.components.schemas)).toContain('anonymousId');
    expect((await get('/docs/', {})).statusCode).toBe(200);
  });

  it('answers unknown routes with a coded 404', async () => {
    const res = await get('/nope', {});
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'SM_NOT_FOUND', message: 'no route GET /nope' } });
  });
});
