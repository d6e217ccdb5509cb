import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/app';
import { session, sqliteStore, TOKEN, type TestStore } from './fixtures';

let t: TestStore;
let app: Awaited<ReturnType<typeof build>>;

beforeAll(async () => {
  t = await sqliteStore();
  app = await build({ store: t.store, token: TOKEN, static: false });
  const res = await app.inject({
    method: 'POST',
    url: '/collect',
    payload: [
      session({ userId: 'ada', startedAt: '2026-03-01T23:59:00.000Z', durationMs: 60_000, engagedMs: 30_000 }),
      session({ userId: 'ada', startedAt: '2026-03-02T08:00:00.000Z', durationMs: 120_050, engagedMs: 60_000 }),
      // Starts on 3 March (UTC) though it ends on the 4th: it belongs to the 3rd.
      session({ userId: null, anonymousId: 'anon-z', startedAt: '2026-03-03T23:50:00.000Z', durationMs: 1_200_000, engagedMs: 600_000 }),
      session({ userId: 'bob', startedAt: '2026-03-04T00:00:00.000Z', durationMs: 10_000, engagedMs: 10_000 }),
      session({ userId: 'ada', startedAt: '2026-02-28T12:00:00.000Z', durationMs: 999_000, engagedMs: 1000 }),
    ],
  });
  expect(res.statusCode).toBe(200);
});
afterAll(async () => {
  await app.close();
  await t.dispose();
});

const ask = (payload: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  app.inject({ method: 'POST', url: '/api/session-duration', headers, payload: payload as object });

describe('POST /api/session-duration', () => {
  it('averages duration and engaged time per user over sessions that started in the inclusive UTC range', async () => {
    const res = await ask({ start_date: '2026-03-01', end_date: '2026-03-03' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      results: [
        { user_id: 'ada', average_duration: 90, sessions: 2, average_engaged: 45 },
        { user_id: 'anon-z', average_duration: 1200, sessions: 1, average_engaged: 600 },
      ],
    });
  });

  it('rounds seconds to 0.1', async () => {
    const res = await ask({ start_date: '2026-03-02', end_date: '2026-03-02' });
    expect(res.json().results).toEqual([{ user_id: 'ada', average_duration: 120.1, sessions: 1, average_engaged: 60 }]);
  });

  it('answers an empty list for a range without sessions', async () => {
    expect((await ask({ start_date: '2025-01-01', end_date: '2025-01-31' })).json()).toEqual({ results: [] });
  });

  it('answers CSV when asked', async () => {
    const res = await ask({ start_date: '2026-03-01', end_date: '2026-03-04' }, { authorization: `Bearer ${TOKEN}`, accept: 'text/csv' });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.body).toBe('user_id,average_duration,sessions,average_engaged\r\nada,90,2,45\r\nanon-z,1200,1,600\r\nbob,10,1,10\r\n');
  });

  it('is a 401 with a JSON error without a valid bearer token', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-xxxxxxxxxxxx' }, { authorization: TOKEN }]) {
      const res = await ask({ start_date: '2026-03-01', end_date: '2026-03-03' }, headers);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('SM_UNAUTHORIZED');
    }
  });

  it.each([
    [{ start_date: '2026/03/01', end_date: '2026-03-03' }, 'SM_BAD_DATE', 'start_date must be a date written YYYY-MM-DD, got "2026/03/01"'],
    [{ start_date: '2026-03-01', end_date: 'yesterday' }, 'SM_BAD_DATE', 'end_date must be a date written YYYY-MM-DD, got "yesterday"'],
    [{ start_date: '2026-02-30', end_date: '2026-03-03' }, 'SM_BAD_DATE', 'start_date 2026-02-30 is not a calendar date: February 2026 has 28 days'],
    [{ start_date: '2026-01-01', end_date: '2026-13-01' }, 'SM_BAD_DATE', 'end_date 2026-13-01 is not a calendar date: month 13 does not exist'],
    [{ start_date: '2026-03-04', end_date: '2026-03-01' }, 'SM_RANGE_REVERSED', 'start_date 2026-03-04 is after end_date 2026-03-01'],
  ])('%j is a 400 %s that says which field and why', async (payload, code, message) => {
    const res = await ask(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code, message } });
  });

  it('is a 400 naming the missing field', async () => {
    const res = await ask({ start_date: '2026-03-01' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('SM_VALIDATION');
    expect(res.json().error.message).toContain("end_date");
  });

  it('accepts the leap day of a leap year', async () => {
    expect((await ask({ start_date: '2028-02-29', end_date: '2028-02-29' })).statusCode).toBe(200);
  });
});

describe('POST /api/session-duration, paged', () => {
  const range = { start_date: '2026-03-01', end_date: '2026-03-04' };
  it('answers one page ordered as asked, with the total of matching users and how many are identified', async () => {
    // ada 2 sessions (90 s), anon-z 1 (1200 s, anonymous), bob 1 (10 s).
    const res = await ask({ ...range, limit: 2 });
    expect(res.json()).toEqual({
      results: [
        { user_id: 'anon-z', average_duration: 1200, sessions: 1, average_engaged: 600, identified: false },
        { user_id: 'ada', average_duration: 90, sessions: 2, average_engaged: 45, identified: true },
      ],
      total: 3, identified_users: 2, anonymous_users: 1, limit: 2, offset: 0,
    });
    const next = await ask({ ...range, limit: 2, offset: 2 });
    expect(next.json().results.map((r: { user_id: string }) => r.user_id)).toEqual(['bob']);
    const bySessions = await ask({ ...range, order: { by: 'sessions', direction: 'desc' } });
    expect(bySessions.json().results.map((r: { user_id: string }) => r.user_id)).toEqual(['ada', 'anon-z', 'bob']);
    const byId = await ask({ ...range, order: { by: 'user_id' } });
    expect(byId.json().results.map((r: { user_id: string }) => r.user_id)).toEqual(['ada', 'anon-z', 'bob']);
    const shortest = await ask({ ...range, order: { by: 'average_duration', direction: 'asc' }, limit: 1 });
    expect(shortest.json().results.map((r: { user_id: string }) => r.user_id)).toEqual(['bob']);
  });

  it('searches user ids, ASCII case-insensitive, with LIKE characters taken literally', async () => {
    expect((await ask({ ...range, search: 'A' })).json()).toMatchObject({ total: 2, identified_users: 1, anonymous_users: 1 });
    expect((await ask({ ...range, search: '%' })).json()).toMatchObject({ results: [], total: 0 });
  });

  it('streams every matching row as CSV, in the order asked', async () => {
    const res = await ask({ ...range, order: { by: 'user_id', direction: 'desc' } }, { authorization: `Bearer ${TOKEN}`, accept: 'text/csv' });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.body).toBe('user_id,average_duration,sessions,average_engaged,identified\r\nbob,10,1,10,true\r\nanon-z,1200,1,600,false\r\nada,90,2,45,true\r\n');
  });

  it('refuses a bad page, order or dimension filter with a message naming it', async () => {
    const bad = async (extra: object) => (await ask({ ...range, ...extra })).json().error.message as string;
    expect(await bad({ limit: 0 })).toMatch(/limit/);
    expect(await bad({ limit: 1001 })).toMatch(/limit/);
    expect(await bad({ offset: -1 })).toMatch(/offset/);
    expect(await bad({ order: { by: 'name' } })).toMatch(/by/);
    expect(await bad({ meta_key: 'plan' })).toMatch(/meta_value/);
  });
});
