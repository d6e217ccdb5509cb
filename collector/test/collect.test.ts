import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../src/app';
import { parseSites } from '../src/sites';
import { alert, session, sqliteStore, TOKEN, type TestStore } from './fixtures';

let t: TestStore;
let app: Awaited<ReturnType<typeof build>>;

beforeEach(async () => {
  t = await sqliteStore();
  app = await build({ store: t.store, token: TOKEN, static: false });
});
afterEach(async () => {
  await app.close();
  await t.dispose();
});

const post = (payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/collect', headers: { 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });

describe('POST /collect', () => {
  it('stores a batch sent as application/json and answers after the commit', async () => {
    const s = session({ id: 'a1' });
    const res = await post([s, alert({ sessionId: 'a1' })]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accepted: 2, rejected: [] });
    expect(await t.store.counts()).toEqual({ sessions: 1, alerts: 1, pages: 1 });
    expect(JSON.parse((await t.store.getSession('site-a', 'a1'))!.record)).toEqual(s);
  });

  it('accepts text/plain bodies, as navigator.sendBeacon sends them', async () => {
    const res = await post([session({ id: 'b1' })], { 'content-type': 'text/plain;charset=UTF-8' });
    expect(res.statusCode).toBe(200);
    expect((await t.store.counts()).sessions).toBe(1);
  });

  it('keeps the highest seq per (siteId, id): replays and out-of-order arrivals change nothing', async () => {
    const v3 = session({ id: 'c1', seq: 3, durationMs: 300_000, engagedMs: 200_000 });
    const v1 = { ...v3, seq: 1, durationMs: 60_000, engagedMs: 60_000, lastActiveAt: '2026-03-10T10:01:00.000Z' };
    expect((await post([v3])).statusCode).toBe(200);
    expect((await post([v1])).statusCode).toBe(200);
    expect((await post([v3])).statusCode).toBe(200);
    const stored = await t.store.getSession('site-a', 'c1');
    expect(stored!.seq).toBe(3);
    expect(JSON.parse(stored!.record).durationMs).toBe(300_000);
    // The same session id on another site is another session.
    await post([{ ...v1, siteId: 'site-b' }]);
    expect((await t.store.counts()).sessions).toBe(2);
  });

  it('within one batch, the highest seq wins whatever the order', async () => {
    const a = session({ id: 'd1', seq: 5, durationMs: 500_000, engagedMs: 100_000 });
    const b = { ...a, seq: 2, durationMs: 20_000, engagedMs: 20_000, lastActiveAt: '2026-03-10T10:00:20.000Z' };
    await post([a, b]);
    expect((await t.store.getSession('site-a', 'd1'))!.seq).toBe(5);
  });

  it('replaces the page rows with those of the newer snapshot', async () => {
    const s1 = session({ id: 'p1', seq: 1 });
    const s2 = { ...s1, seq: 2, pages: [...s1.pages, { ...s1.pages[0]!, path: '/lesson/2' }] };
    await post([s1]);
    await post([s2]);
    await post([s1]);
    expect((await t.store.counts()).pages).toBe(2);
  });

  it('stores an alert once by its key', async () => {
    const a = alert({ sessionId: 'x' });
    await post([a, a]);
    await post([a, { ...a, at: '2026-03-10T11:00:00.000Z' }]);
    await post([{ ...a, direction: 'below' }]);
    expect((await t.store.counts()).alerts).toBe(2);
  });

  it('stores the valid records of a mixed batch and says which were rejected and why', async () => {
    const good = session({ id: 'm1' });
    const res = await post([
      good,
      { ...session(), durationMs: -5 },
      { ...session(), v: 2 },
      { ...session(), type: 'pageview' },
      { ...session(), engagedMs: 999_999, durationMs: 1000 },
      { ...session(), userId: undefined },
      'not a record',
      { ...session(), startedAt: '2026-02-30T10:00:00.000Z' },
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [1, 'SM_INVALID_RECORD'],
      [2, 'SM_UNSUPPORTED_VERSION'],
      [3, 'SM_UNKNOWN_TYPE'],
      [4, 'SM_INCONSISTENT_RECORD'],
      [5, 'SM_INVALID_RECORD'],
      [6, 'SM_INVALID_RECORD'],
      [7, 'SM_INCONSISTENT_RECORD'],
    ]);
    expect(body.rejected[0].message).toBe('record 1: durationMs must be >= 0');
    expect(body.rejected[3].message).toBe('record 4: engagedMs 999999 is greater than durationMs 1000');
    expect(body.rejected[4].message).toBe("record 5: record must have required property 'userId'");
    expect(body.rejected[5].message).toBe('record 6: must be an object, got string');
    expect(body.rejected[6].message).toBe("record 7: startedAt '2026-02-30T10:00:00.000Z' is not a real date");
    expect((await t.store.counts()).sessions).toBe(1);
  });

  it('does not coerce types: a null duration is rejected, not stored as 0', async () => {
    const res = await post([{ ...session(), durationMs: null }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('SM_BATCH_REJECTED');
    expect(res.json().rejected[0].message).toBe('record 0: durationMs must be number');
  });

  it('answers 400 with codes for bodies that are not a batch', async () => {
    const notArray = await post({ records: [] });
    expect(notArray.statusCode).toBe(400);
    expect(notArray.json().error.code).toBe('SM_NOT_A_BATCH');
    const badJson = await post('[{"v":1,', { 'content-type': 'text/plain' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.code).toBe('SM_BAD_JSON');
    const badJson2 = await post('[{"v":1,');
    expect(badJson2.json().error.code).toBe('SM_BAD_JSON');
    const empty = await post('');
    expect(empty.json().error.code).toBe('SM_BAD_JSON');
  });

  it('refuses bodies over 64 KiB with 413 and unknown content types with 415', async () => {
    const big = Array.from({ length: 200 }, () => session({ meta: { note: 'x'.repeat(400) } }));
    const res = await post(big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('SM_BODY_TOO_LARGE');
    const xml = await post('<records/>', { 'content-type': 'application/xml' });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe('SM_UNSUPPORTED_MEDIA_TYPE');
    expect((await t.store.counts()).sessions).toBe(0);
  });

  it('rejects unknown sites and foreign origins when sites are configured, and answers CORS only for configured origins', async () => {
    await app.close();
    const sites = parseSites(JSON.stringify({ docs: { origins: ['https://docs.example.com'] }, open: {} }));
    app = await build({ store: t.store, token: TOKEN, sites, static: false });
    const res = await post(
      [session({ siteId: 'docs', id: 'ok' }), session({ siteId: 'nope' }), session({ siteId: 'open', id: 'o1' })],
      { origin: 'https://docs.example.com' },
    );
    expect(res.headers['access-control-allow-origin']).toBe('https://docs.example.com');
    expect(res.json().accepted).toBe(2);
    expect(res.json().rejected).toEqual([{ index: 1, code: 'SM_UNKNOWN_SITE', message: "record 1: siteId 'nope' is not a configured site" }]);
    const foreign = await post([session({ siteId: 'docs' })], { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().rejected[0].code).toBe('SM_ORIGIN_NOT_ALLOWED');

    await app.close();
    app = await build({ store: t.store, token: TOKEN, sites: parseSites('{"docs":{"origins":["https://docs.example.com"]}}'), static: false });
    const preflight = (origin: string) =>
      app.inject({ method: 'OPTIONS', url: '/collect', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect((await preflight('https://docs.example.com')).headers['access-control-allow-origin']).toBe('https://docs.example.com');
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });
});
