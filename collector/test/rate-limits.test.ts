/**
 * Separate rate limits (issue 10, point 6): ingest per address and per site, the API per token, and failed
 * authentications per address, each its own bucket; the 429 names its limit and variable, carries
 * Retry-After, and CORS exposes it to the page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hashToken } from '../src/access';
import { build } from '../src/app';
import type { RateLimitOptions } from '../src/rate-limits';
import { session, sqliteStore, type TestStore } from './fixtures';

const ADMIN = 'admin-token-0123456789';
const OTHER = 'other-token-0123456789';
let clock = Date.parse('2026-03-11T12:00:00.000Z');
let t: TestStore;
let app: Awaited<ReturnType<typeof build>>;

async function start(rateLimit: RateLimitOptions) {
  t = await sqliteStore();
  app = await build({
    store: t.store,
    tokens: [
      { grant: { name: 'ops', scope: 'admin' }, sha256: Buffer.from(hashToken(ADMIN), 'hex') },
      { grant: { name: 'team', scope: 'admin' }, sha256: Buffer.from(hashToken(OTHER), 'hex') },
    ],
    metricsToken: 'metrics-token-0123456789',
    static: false,
    now: () => clock,
    rateLimit: { ingestPerAddress: false, ingestPerSite: false, apiPerToken: false, authFailures: false, ...rateLimit },
  });
}
afterEach(async () => {
  await app.close();
  await t.dispose();
});

const ingest = (records: unknown[], remoteAddress = '10.0.0.1') =>
  app.inject({ method: 'POST', url: '/collect', remoteAddress, headers: { 'content-type': 'text/plain', origin: 'https://docs.example.com' }, payload: JSON.stringify(records) });
const report = (token = ADMIN, remoteAddress = '10.0.0.1') =>
  app.inject({ method: 'GET', url: '/api/reports/summary?start=2026-03-01&end=2026-03-31', remoteAddress, headers: { authorization: `Bearer ${token}` } });

describe('rate limits', () => {
  it('limits ingest per address with a 429 naming the limit, Retry-After exposed to the page, and the window as set', async () => {
    await start({ ingestPerAddress: 3 });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await ingest([session()])).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    clock += 37_000;
    const res = await ingest([session()]);
    expect(res.statusCode).toBe(429);
    expect(res.json().error).toMatchObject({ code: 'SM_RATE_LIMITED', message: 'too many POST /collect requests from this address: at most 3 per minute (SM_RATE_LIMIT); retry after 23 s' });
    expect(res.headers['retry-after']).toBe('23');
    expect(res.headers['access-control-allow-origin']).toBe('https://docs.example.com');
    expect(String(res.headers['access-control-expose-headers']).toLowerCase()).toContain('retry-after');
    // Another address has its own bucket; the busy address's dashboard is not locked out.
    expect((await ingest([session()], '10.0.0.2')).statusCode).toBe(200);
    expect((await report()).statusCode).toBe(200);
    clock += 23_000;
    expect((await ingest([session()])).statusCode).toBe(200);
  });

  it('limits ingest per site: a busy site is refused, another site and the dashboard are not', async () => {
    await start({ ingestPerSite: 2 });
    const a = () => ingest([session({ siteId: 'busy' })], `10.1.0.${Math.floor(Math.random() * 200)}`);
    expect([(await a()).statusCode, (await a()).statusCode]).toEqual([200, 200]);
    const refused = await a();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toBe("too many POST /collect requests for site 'busy': at most 2 per minute (SM_SITE_RATE_LIMIT); retry after 60 s");
    expect(refused.headers['retry-after']).toBe('60');
    expect((await ingest([session({ siteId: 'quiet' })])).statusCode).toBe(200);
    expect((await report()).statusCode).toBe(200);
    // Nothing of the refused request was stored: the SDK sends it again after Retry-After.
    expect((await t.store.counts()).sessions).toBe(3);
  });

  it('limits the API per token, and neither ingest nor another token shares its bucket', async () => {
    await start({ apiPerToken: 3, ingestPerAddress: 3 });
    for (let i = 0; i < 3; i++) expect((await report()).statusCode).toBe(200);
    const refused = await report();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toBe("too many API requests with token 'ops': at most 3 per minute (SM_REPORT_RATE_LIMIT); retry after 60 s");
    expect(refused.headers['retry-after']).toBe('60');
    expect((await report(OTHER)).statusCode).toBe(200);
    expect((await ingest([session()])).statusCode).toBe(200);
  });

  it('counts failed authentications per address and then refuses that address, even with a right token, until the window ends', async () => {
    await start({ authFailures: 5 });
    const codes: number[] = [];
    for (let i = 0; i < 1300; i++) codes.push((await report(`wrong-token-${i}-0123456789`)).statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(1295);
    const refused = await report();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toBe('too many failed authentications from this address: at most 5 per 10 minutes (SM_AUTH_FAILURE_LIMIT); retry after 600 s');
    expect(refused.headers['retry-after']).toBe('600');
    const metrics = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.0.0.1', headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(metrics.statusCode).toBe(429);
    // Another address, and the same one after the window, are let through.
    expect((await report(ADMIN, '10.0.0.9')).statusCode).toBe(200);
    clock += 600_000;
    expect((await report()).statusCode).toBe(200);
    // A missing header guesses nothing and is not counted; wrong metrics tokens are.
    for (let i = 0; i < 10; i++) expect((await app.inject({ method: 'GET', url: '/api/access', remoteAddress: '10.0.0.7' })).statusCode).toBe(401);
    expect((await report(ADMIN, '10.0.0.7')).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.0.0.7', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
    expect((await report(ADMIN, '10.0.0.7')).statusCode).toBe(429);
  });

  it('counts IPv6 addresses per /64', async () => {
    await start({ ingestPerAddress: 2 });
    expect((await ingest([session()], '2001:db8:1:2::1')).statusCode).toBe(200);
    expect((await ingest([session()], '2001:db8:1:2::ffff')).statusCode).toBe(200);
    expect((await ingest([session()], '2001:db8:1:2:abcd::9')).statusCode).toBe(429);
    expect((await ingest([session()], '2001:db8:1:3::1')).statusCode).toBe(200);
  });
});
