/**
 * The privacy routes over HTTP, on every store: an admin exports and erases a user, then the browser
 * they used before signing in; the export is a JSON attachment; the erasure's log line names the token
 * and the counts, and no log line of these requests holds the person's id. (The store operations
 * themselves, exact to the rollup: privacy.test.ts and clickhouse-privacy.test.ts; read tokens refused:
 * access.test.ts.)
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { build } from '../src/app';
import { loggedUrl } from '../src/ops/request-log';
import { clickhouseStore } from './clickhouse-fixtures';
import { alert, postgresStore, session, sqliteStore, TOKEN, type TestStore } from './fixtures';

const NOW = Date.parse('2026-03-20T12:00:00.000Z');
const auth = { authorization: `Bearer ${TOKEN}` };
const USER = 'ada-lovelace-7';
const BROWSER = 'browser-of-ada-7';

describe('the request log', () => {
  it.each([
    ['/api/users/ada/export', '/api/users/{redacted}/export'],
    ['/api/anonymous/b-1?x=1', '/api/anonymous/{redacted}?x=1'],
    ['/api/users/ada%2Fx', '/api/users/{redacted}'],
    ['/api/reports/summary?user=ada', '/api/reports/summary?user=ada'],
  ])('writes %s as %s', (url, logged) => {
    expect(loggedUrl(url)).toBe(logged);
  });
});

function privacyRoutes(name: string, open: () => Promise<TestStore>) {
  describe(`${name}: erasure and export over HTTP`, () => {
    let t: TestStore | undefined;
    let app: Awaited<ReturnType<typeof build>> | undefined;
    afterEach(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('exports and erases a user, then their browser, and logs the counts but never the person', async () => {
      const lines: string[] = [];
      const stream = new Writable({ write: (chunk, _enc, done) => done(void lines.push(...String(chunk).split('\n').filter(Boolean))) });
      t = await open();
      app = await build({ store: t.store, token: TOKEN, static: false, now: () => NOW, logger: { level: 'info', stream } });
      const ada = (id: string, userId: string | null, startedAt: string) => session({ id, userId, anonymousId: BROWSER, startedAt });
      const sent = await app.inject({ method: 'POST', url: '/collect', payload: [
        ada('p1', null, '2026-03-09T09:00:00.000Z'), ada('p2', USER, '2026-03-10T10:00:00.000Z'), ada('p3', USER, '2026-03-11T10:00:00.000Z'),
        session({ id: 'q1', userId: 'bob', anonymousId: 'browser-of-bob' }), alert({ sessionId: 'p2' }),
      ] });
      expect(sent.json().accepted).toBe(5);
      const call = (method: 'GET' | 'DELETE', url: string) => app!.inject({ method, url, headers: auth });

      const exported = await call('GET', `/api/users/${USER}/export`);
      expect(exported.headers['content-disposition']).toBe('attachment; filename="session-metrics-export.json"');
      expect(exported.json()).toMatchObject({ person: { user_id: USER }, exported_at: '2026-03-20T12:00:00.000Z' });
      expect(exported.json().sessions.map((s: { id: string }) => s.id)).toEqual(['p2', 'p3']);
      expect(exported.json().alerts).toHaveLength(1);

      const erased = await call('DELETE', `/api/users/${USER}`);
      expect(erased.json()).toEqual({ erased: { sessions: 2, records: 2, pages: 2, alerts: 1, attention: 0, meta: 0 }, anonymous_ids: [BROWSER] });
      expect((await call('GET', `/api/users/${USER}/export`)).json().sessions).toEqual([]);
      // What ada did before signing in is under her browser's id, which the erasure answered.
      expect((await call('GET', `/api/anonymous/${BROWSER}/export`)).json().sessions.map((s: { id: string }) => s.id)).toEqual(['p1']);
      expect((await call('DELETE', `/api/anonymous/${BROWSER}`)).json().erased).toMatchObject({ sessions: 1, records: 1, pages: 1 });
      expect((await call('GET', `/api/anonymous/${BROWSER}/export`)).json().sessions).toEqual([]);
      expect((await call('GET', '/api/reports/summary?start=2026-03-01&end=2026-03-31')).json()).toMatchObject({ sessions: 1, users: 1 });

      const erasures = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'erased a person');
      expect(erasures).toEqual([
        expect.objectContaining({ erasure: 'user', token: 'api-token', sessions: 2, alerts: 1 }),
        expect.objectContaining({ erasure: 'anonymous', token: 'api-token', sessions: 1 }),
      ]);
      expect(lines.filter((l) => l.includes('{redacted}')).length).toBeGreaterThanOrEqual(6);
      expect(lines.filter((l) => l.includes('ada-lovelace') || l.includes('browser-of-ada'))).toEqual([]);
    });
  });
}

privacyRoutes('SQLite', sqliteStore);
privacyRoutes('PostgreSQL', postgresStore);
privacyRoutes('ClickHouse', clickhouseStore);
