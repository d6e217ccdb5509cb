/**
 * Scoped tokens (access.ts, SM_TOKENS): configuration errors, hashes only, an admin token for every
 * route, read tokens limited to their sites on every report, the live view, the dashboard's site list
 * and /api/access, on every store (each store applies the site list in its own queries).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGrant, hashToken, loadTokens, parseTokens, readableSites } from '../src/access';
import { build } from '../src/app';
import { clickhouseStore } from './clickhouse-fixtures';
import { postgresStore, session, sqliteStore, type TestStore } from './fixtures';

const NOW = Date.parse('2026-03-20T12:00:00.000Z');
const ADMIN = 'admin-token-0123456789abcdef';
const DOCS = 'docs-reader-token-0123456789';
const BOTH = 'both-reader-token-0123456789';
const NEW = 'new-site-reader-token-012345';
const config = JSON.stringify({
  ops: { sha256: hashToken(ADMIN), scope: 'admin' },
  docs: { sha256: hashToken(DOCS), scope: 'read', sites: ['docs'] },
  both: { sha256: hashToken(BOTH).toUpperCase(), scope: 'read', sites: ['docs', 'blog'] },
  new: { sha256: hashToken(NEW), scope: 'read', sites: ['docs', 'wiki'] },
});

describe('SM_TOKENS', () => {
  it('holds hashes only, never a token, and finds the grant of a presented token', () => {
    const entries = parseTokens(config);
    expect(JSON.stringify(entries.map((e) => ({ ...e, sha256: e.sha256.toString('hex') })))).not.toContain(DOCS);
    expect(findGrant(entries, DOCS)).toEqual({ name: 'docs', scope: 'read', sites: ['docs'] });
    expect(findGrant(entries, BOTH)).toEqual({ name: 'both', scope: 'read', sites: ['docs', 'blog'] });
    expect(findGrant(entries, ADMIN)).toEqual({ name: 'ops', scope: 'admin' });
    expect(findGrant(entries, `${DOCS}x`)).toBeNull();
    expect(loadTokens(undefined)).toBeNull();
    expect(loadTokens('/etc/sm-tokens.json', (p) => (p === '/etc/sm-tokens.json' ? config : '')).length).toBe(4);
  });

  it.each([
    ['{', /SM_TOKENS is not valid JSON/],
    ['{}', /at least one token/],
    ['{"a": {"scope": "admin"}}', /token 'a' needs "sha256": the 64 hex digits/],
    [`{"a": {"sha256": "${hashToken(ADMIN)}", "scope": "root"}}`, /token 'a' scope must be "admin" or "read", got "root"/],
    [`{"a": {"sha256": "${hashToken(ADMIN)}", "scope": "read"}}`, /read token 'a' needs "sites"/],
    [`{"a": {"sha256": "${hashToken(ADMIN)}", "scope": "admin", "sites": ["x"]}}`, /token 'a' is admin, which reads every site/],
    [`{"a": {"sha256": "${hashToken(ADMIN)}", "scope": "admin"}, "b": {"sha256": "${hashToken(ADMIN)}", "scope": "admin"}}`, /token 'b' has the same hash/],
  ])('rejects %s', (text, message) => {
    expect(() => parseTokens(text)).toThrow(message);
  });

  it('limits a report to the sites a read token may read', () => {
    const docs = { name: 'docs', scope: 'read' as const, sites: ['docs', 'blog'] };
    expect(readableSites({ name: 'ops', scope: 'admin' }, undefined)).toBeUndefined();
    expect(readableSites({ name: 'ops', scope: 'admin' }, 'x')).toEqual(['x']);
    expect(readableSites(docs, undefined)).toEqual(['docs', 'blog']);
    expect(readableSites(docs, 'blog')).toEqual(['blog']);
    expect(() => readableSites(docs, 'shop')).toThrow("token 'docs' may not read site 'shop'; it may read 'docs', 'blog'");
  });
});

function scopedRoutes(name: string, open: () => Promise<TestStore>) {
  describe(`${name}: routes with scoped tokens`, () => {
    let t: TestStore;
    let app: Awaited<ReturnType<typeof build>>;
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const get = (url: string, token: string) => app.inject({ method: 'GET', url, headers: as(token) });

    beforeAll(async () => {
      t = await open();
      app = await build({ store: t.store, tokens: parseTokens(config), static: false, now: () => NOW });
      const at = (siteId: string, id: string, userId: string, engagedMs: number) =>
        session({ siteId, id, userId, startedAt: '2026-03-10T10:00:00.000Z', durationMs: 100_000, engagedMs, lastActiveAt: '2026-03-10T10:01:40.000Z' });
      const res = await app.inject({ method: 'POST', url: '/collect', payload: [at('docs', 'd1', 'ada', 10_000), at('blog', 'b1', 'bob', 40_000), at('shop', 's1', 'cy', 90_000)] });
      expect(res.json().accepted).toBe(3);
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    const range = 'start=2026-03-01&end=2026-03-31';

    it('a report over all sites by a read token covers only its sites', async () => {
      expect((await get(`/api/reports/summary?${range}`, ADMIN)).json().sessions).toBe(3);
      expect((await get(`/api/reports/summary?${range}`, DOCS)).json()).toMatchObject({ sessions: 1, users: 1, average_engaged: 10 });
      expect((await get(`/api/reports/summary?${range}`, BOTH)).json()).toMatchObject({ sessions: 2, users: 2, average_engaged: 25 });
      expect((await get(`/api/reports/daily?${range}`, BOTH)).json().days.find((d: { date: string }) => d.date === '2026-03-10').sessions).toBe(2);
      expect((await get(`/api/reports/pages?${range}`, DOCS)).json().pages).toEqual([expect.objectContaining({ sessions: 1, total_engaged: 10 })]);
      expect((await get('/api/reports/inactive-users?days=1', BOTH)).json().users.map((u: { user_id: string }) => u.user_id)).toEqual(['ada', 'bob']);
      const perUser = await app.inject({ method: 'POST', url: '/api/session-duration', headers: as(BOTH), payload: { start_date: '2026-03-01', end_date: '2026-03-31' } });
      expect(perUser.json().results.map((r: { user_id: string }) => r.user_id)).toEqual(['ada', 'bob']);
      expect((await get(`/api/reports/bands?${range}`, DOCS)).json().bands.reduce((n: number, b: { sessions: number }) => n + b.sessions, 0)).toBe(1);
    });

    it('asking for another site is a 403 SM_SITE_FORBIDDEN that names it, on every report', async () => {
      for (const url of [`/api/reports/summary?${range}&site=shop`, `/api/reports/durations?${range}&site=shop`, '/api/reports/inactive-users?days=1&site=shop', `/api/reports/attention/vitals?path=%2F&${range}&site=shop`]) {
        const res = await get(url, DOCS);
        expect([res.statusCode, res.json().error.code], url).toEqual([403, 'SM_SITE_FORBIDDEN']);
        expect(res.json().error.message).toBe("token 'docs' may not read site 'shop'; it may read 'docs'");
      }
      const body = await app.inject({ method: 'POST', url: '/api/session-duration', headers: as(DOCS), payload: { start_date: '2026-03-01', end_date: '2026-03-31', site_id: 'blog' } });
      expect(body.statusCode).toBe(403);
      expect((await get(`/api/reports/summary?${range}&site=blog`, BOTH)).json().sessions).toBe(1);
      expect((await get(`/api/reports/summary?${range}&site=shop`, ADMIN)).json().sessions).toBe(1);
    });

    it('only an admin token erases or exports; a read token gets 403 SM_FORBIDDEN', async () => {
      for (const [method, url] of [['DELETE', '/api/users/ada'], ['DELETE', '/api/anonymous/x'], ['GET', '/api/users/ada/export']] as const) {
        const res = await app.inject({ method, url, headers: as(DOCS) });
        expect([res.statusCode, res.json().error.code], url).toEqual([403, 'SM_FORBIDDEN']);
      }
      expect((await get('/api/users/ada/export', ADMIN)).json().sessions).toHaveLength(1);
      expect((await app.inject({ method: 'DELETE', url: '/api/users/nobody', headers: as(ADMIN) })).json()).toEqual({ erased: { sessions: 0, records: 0, pages: 0, alerts: 0, attention: 0, meta: 0 }, anonymous_ids: [] });
    });

    it('tells a client what its token may read, and refuses unknown tokens', async () => {
      expect((await get('/api/access', BOTH)).json()).toEqual({ token: 'both', scope: 'read', sites: ['docs', 'blog'] });
      expect((await get('/api/access', ADMIN)).json()).toEqual({ token: 'ops', scope: 'admin', sites: null });
      expect((await get('/api/access', 'not-a-token-0123456789')).statusCode).toBe(401);
      expect((await get('/api/reports/sites', BOTH)).json().sites.map((x: { site_id: string }) => x.site_id).sort()).toEqual(['blog', 'docs']);
      expect((await get('/api/reports/sites', ADMIN)).json().sites).toHaveLength(3);
      // A site the token may read that has sent nothing yet is listed too, with no sessions.
      expect((await get('/api/reports/sites', NEW)).json().sites).toEqual([{ site_id: 'docs', sessions: 1 }, { site_id: 'wiki', sessions: 0 }]);
    });

    it('streams only the sessions of its sites to a read token', async () => {
      const live = await build({ store: t.store, tokens: parseTokens(config), static: false, now: () => Date.parse('2026-03-10T10:02:00.000Z') });
      const base = await live.listen({ port: 0, host: '127.0.0.1' });
      try {
        const read = async (token: string) => {
          const res = await fetch(`${base}/api/live`, { headers: as(token) });
          const reader = res.body!.getReader();
          let text = '';
          while (!text.includes('event: active')) text += new TextDecoder().decode((await reader.read()).value);
          while (!text.slice(text.indexOf('event: active')).includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
          await reader.cancel();
          const data = text.slice(text.indexOf('event: active')).split('\n')[1]!.slice('data: '.length);
          return (JSON.parse(data) as { sessions: Array<{ site_id: string }> }).sessions.map((s) => s.site_id).sort();
        };
        expect(await read(ADMIN)).toEqual(['blog', 'docs', 'shop']);
        expect(await read(BOTH)).toEqual(['blog', 'docs']);
      } finally {
        await live.close();
      }
    });
  });
}

scopedRoutes('SQLite', sqliteStore);
scopedRoutes('PostgreSQL', postgresStore);
scopedRoutes('ClickHouse', clickhouseStore);
