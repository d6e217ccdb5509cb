/**
 * The per-site-day session quota (issue 10, point 7), on every store: new sessions past it are refused
 * with SM_QUOTA_EXCEEDED naming the site, the day and the variable; sessions already stored keep being
 * updated, other days and sites are untouched, the rollups still equal a recomputation, and concurrent
 * requests (and, on PostgreSQL, two collectors writing at once) cannot pass it together.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../src/app';
import { toSessionRow } from '../src/ingest/rows';
import { MAX_SITE_DAY_SESSIONS } from '../src/ingest/quota';
import { openPostgresStore } from '../src/store/postgres';
import { clickhouseStore } from './clickhouse-fixtures';
import { databaseUrl, postgresStore, session, sqliteStore, TOKEN, type TestStore } from './fixtures';
import { expectRollupMatchesSessions } from './store-contract';

const T = Date.parse('2026-03-11T12:00:00.000Z');
const day = (d: string, over: Parameters<typeof session>[0] = {}) => session({ startedAt: `${d}T10:00:00.000Z`, ...over });

for (const [name, open] of [['SQLite', sqliteStore], ['PostgreSQL', postgresStore], ['ClickHouse', () => clickhouseStore()]] as const) {
  describe(`per-site-day session quota, ${name}`, () => {
    let t: TestStore;
    let app: Awaited<ReturnType<typeof build>>;
    beforeEach(async () => {
      t = await open();
      app = await build({ store: t.store, token: TOKEN, static: false, rateLimit: false, now: () => T, sessionsPerSiteDay: 3 });
    });
    afterEach(async () => {
      await app.close();
      await t.dispose();
    });
    const post = (records: unknown[]) => app.inject({ method: 'POST', url: '/collect', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(records) });

    it('refuses new sessions past the quota by name, and keeps updating the ones stored', async () => {
      const first = [day('2026-03-10', { id: 'a' }), day('2026-03-10', { id: 'b' }), day('2026-03-10', { id: 'c' })];
      expect((await post(first)).json()).toEqual({ accepted: 3, rejected: [] });
      const res = await post([
        day('2026-03-10', { id: 'd' }),
        { ...first[0]!, seq: 2, durationMs: 300_000, lastActiveAt: '2026-03-10T10:05:00.000Z' },
        day('2026-03-11', { id: 'next-day' }),
        day('2026-03-10', { id: 'other-site', siteId: 'site-b' }),
        day('2026-03-10', { id: 'e' }),
      ]);
      expect(res.statusCode).toBe(200);
      const message = (i: number) =>
        `record ${i}: site 'site-a' already holds 3 sessions that started on 2026-03-10, its quota (SM_SITE_DAY_SESSIONS); new sessions of that day are refused, those already stored are still updated`;
      expect(res.json()).toEqual({ accepted: 3, rejected: [{ index: 0, code: 'SM_QUOTA_EXCEEDED', message: message(0) }, { index: 4, code: 'SM_QUOTA_EXCEEDED', message: message(4) }] });
      expect(await t.store.getSession('site-a', 'd')).toBeNull();
      expect((await t.store.getSession('site-a', 'a'))!.seq).toBe(2);
      expect((await t.store.counts()).sessions).toBe(5);
      const summary = await t.store.summary({ start: '2026-03-10', end: '2026-03-10', siteId: 'site-a' });
      expect(summary.n).toBe(3);
      expect(summary.durationMs).toBe(300_000 + 2 * 120_000);
      await expectRollupMatchesSessions(t.store, t.raw);

      // A batch of nothing but refused sessions is a 400 whose first problem is the quota.
      const alone = await post([day('2026-03-10', { id: 'f' })]);
      expect(alone.statusCode).toBe(400);
      expect(alone.json().error).toMatchObject({ code: 'SM_BATCH_REJECTED', message: `no record of the batch was valid; first problem: ${message(0)}` });
      const metrics = await (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/^sm_ingest_records_total\{outcome="rejected",code="SM_QUOTA_EXCEEDED"\} 3$/m);
    });

    it('counts the sessions of one batch and of concurrent requests against the quota exactly', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, r) => post([day('2026-03-10', { id: `r${r}-0` }), day('2026-03-10', { id: `r${r}-1` })])));
      expect(results.reduce((n, res) => n + (res.statusCode === 200 ? res.json().accepted : 0), 0)).toBe(3);
      expect((await t.store.counts()).sessions).toBe(3);
      await expectRollupMatchesSessions(t.store, t.raw);
    });

    it(`refuses a quota above ${MAX_SITE_DAY_SESSIONS}, the most the exact sums of migration 006 hold`, async () => {
      await expect(build({ store: t.store, token: TOKEN, static: false, sessionsPerSiteDay: MAX_SITE_DAY_SESSIONS + 1 })).rejects.toThrow(`sessionsPerSiteDay must be a whole number from 1 to ${MAX_SITE_DAY_SESSIONS}, got 900001`);
    });
  });
}

describe('per-site-day session quota, two PostgreSQL collectors at once', () => {
  it('lets the two together store no more than the quota', async () => {
    const t = await postgresStore();
    const second = await openPostgresStore({ url: databaseUrl(), schema: t.schema });
    try {
      // The site-day's row exists (its first rows cannot be locked before they are written).
      await t.store.ingest([toSessionRow(day('2026-03-10', { id: 'seed' }), T)], [], { sessionsPerSiteDay: 50 });
      const write = (store: typeof second, w: number) =>
        Promise.all(Array.from({ length: 20 }, (_, i) => store.ingest([0, 1, 2].map((k) => toSessionRow(day('2026-03-10', { id: `w${w}-${i}-${k}` }), T)), [], { sessionsPerSiteDay: 50 })));
      const [a, b] = await Promise.all([write(t.store, 1), write(second, 2)]);
      const stored = [...a, ...b].reduce((n, r) => n + r.sessionsChanged, 0);
      const refused = [...a, ...b].reduce((n, r) => n + (r.overQuota?.length ?? 0), 0);
      expect(stored).toBe(49);
      expect(refused).toBe(120 - 49);
      expect((await t.store.counts()).sessions).toBe(50);
      await expectRollupMatchesSessions(t.store, t.raw);
    } finally {
      await second.close();
      await t.dispose();
    }
  });
});
