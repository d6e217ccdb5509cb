/**
 * The store contract: what every Store implementation must do, run against SQLite
 * (store-sqlite.test.ts) and PostgreSQL (store-postgres.test.ts) with the same expectations.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/records';
import { toAlertRow, toSessionRow } from '../src/ingest/rows';
import type { Store } from '../src/store/types';
import { alert, session, type TestStore } from './fixtures';

const T = 1_770_000_000_000;
const rows = (...records: SessionRecord[]) => records.map((r) => toSessionRow(r, T));

export function storeContract(name: string, open: () => Promise<TestStore>) {
  describe(`${name} store contract`, () => {
    let t: TestStore;
    let store: Store;
    beforeEach(async () => {
      t = await open();
      store = t.store;
    });
    afterEach(async () => t.dispose());

    it('migrates idempotently', async () => {
      await store.migrate();
      await store.migrate();
      expect(await store.counts()).toEqual({ sessions: 0, alerts: 0, pages: 0 });
    });

    it('keeps only the highest seq per (siteId, id) and reports what changed', async () => {
      const v2 = session({ id: 'k', seq: 2, durationMs: 200_000, engagedMs: 100_000 });
      const v1 = session({ id: 'k', seq: 1, durationMs: 10_000, engagedMs: 10_000 });
      expect(await store.ingest(rows(v2), [])).toEqual({ sessionsChanged: 1, alertsInserted: 0 });
      expect(await store.ingest(rows(v1), [])).toEqual({ sessionsChanged: 0, alertsInserted: 0 });
      expect(await store.ingest(rows(v2), [])).toEqual({ sessionsChanged: 0, alertsInserted: 0 });
      const v3 = { ...v2, seq: 3, final: true };
      expect(await store.ingest(rows(v3), [])).toEqual({ sessionsChanged: 1, alertsInserted: 0 });
      const stored = await store.getSession('site-a', 'k');
      expect(stored!.seq).toBe(3);
      expect(JSON.parse(stored!.record)).toEqual(v3);
      expect(await store.getSession('site-a', 'missing')).toBeNull();
    });

    it('converges to the same rows whatever the arrival order of concurrent batches', async () => {
      const versions = Array.from({ length: 12 }, (_, i) => session({ id: 'race', seq: i, durationMs: 1000 * (i + 1), engagedMs: 1000 * (i + 1), pages: [] }));
      const shuffled = [...versions].sort(() => Math.random() - 0.5);
      await Promise.all(shuffled.map((v) => store.ingest(rows(v), [])));
      expect((await store.getSession('site-a', 'race'))!.seq).toBe(11);
      expect((await store.perUser({ start: '2026-03-10', end: '2026-03-10' }))[0]!.durationMs).toBe(12_000);
    });

    it('credits each of several concurrent ingests with only its own stored rows', async () => {
      const v2 = session({ id: 'cc', seq: 2 });
      const v1 = { ...v2, seq: 1 };
      const other = session({ id: 'cc-other' });
      const a = toAlertRow(alert({ sessionId: 'cc' }), T);
      const results = await Promise.all([store.ingest(rows(v1), [a]), store.ingest(rows(v2), [a]), store.ingest(rows(other), [])]);
      // v1 may be stored first and then replaced, or never stored: either way v2 and other are in.
      expect(results[1]!.sessionsChanged).toBe(1);
      expect(results[2]!.sessionsChanged).toBe(1);
      expect(results[0]!.alertsInserted + results[1]!.alertsInserted).toBe(1);
      expect((await store.getSession('site-a', 'cc'))!.seq).toBe(2);
      expect(await store.counts()).toEqual({ sessions: 2, alerts: 1, pages: 2 });
    });

    it('keeps per-user figures exact when a snapshot replaces another, also across whole months (rollup)', async () => {
      const anon = session({ id: 'u', seq: 1, userId: null, anonymousId: 'anon-u', startedAt: '2026-04-30T23:00:00.000Z', durationMs: 60_000, engagedMs: 60_000 });
      // Identified later in the session, and longer: the session moves from anon-u to ada.
      const named = { ...anon, seq: 2, userId: 'ada', durationMs: 600_000, engagedMs: 300_000, lastActiveAt: '2026-04-30T23:10:00.000Z' };
      await store.ingest(rows(anon), []);
      await store.ingest(rows(named), []);
      await store.ingest(rows(anon), []);
      const expected = [{ userKey: 'ada', n: 1, weighted: 1, durationMs: 600_000, engagedMs: 300_000 }];
      for (const range of [{ start: '2026-04-01', end: '2026-04-30' }, { start: '2026-01-01', end: '2026-12-31' }, { start: '2026-04-30', end: '2026-05-03' }, { start: '2026-03-15', end: '2026-05-15' }]) {
        expect(await store.perUser(range), JSON.stringify(range)).toEqual(expected);
      }
      expect(await store.perUser({ start: '2026-05-01', end: '2026-05-31' })).toEqual([]);
    });

    it('replaces the page rows of a session with those of the winning snapshot', async () => {
      const s = session({ id: 'pg', seq: 1 });
      await store.ingest(rows(s), []);
      const next = { ...s, seq: 2, pages: [{ ...s.pages[0]!, path: '/a' }, { ...s.pages[0]!, path: '/b' }, { ...s.pages[0]!, path: '/a', views: 2 }] };
      await store.ingest(rows(next), []);
      expect((await store.counts()).pages).toBe(2);
      const pages = await store.pages({ start: '2026-03-10', end: '2026-03-10' }, 10);
      expect(pages.map((p) => [p.path, p.viewsWeighted]).sort()).toEqual([['/a', 3], ['/b', 1]]);
    });

    it('stores an alert once by (siteId, sessionId, threshold, direction)', async () => {
      const a = toAlertRow(alert(), T);
      expect(await store.ingest([], [a, { ...a, direction: 'below' }])).toEqual({ sessionsChanged: 0, alertsInserted: 2 });
      expect(await store.ingest([], [{ ...a, at: T }])).toEqual({ sessionsChanged: 0, alertsInserted: 0 });
      expect((await store.counts()).alerts).toBe(2);
    });

    describe('reports', () => {
      beforeEach(async () => {
        await store.ingest(
          rows(
            session({ id: 'r1', userId: 'ada', startedAt: '2026-03-01T10:00:00.000Z', durationMs: 20_000, engagedMs: 10_000 }),
            session({ id: 'r2', userId: 'ada', startedAt: '2026-03-01T23:59:59.000Z', durationMs: 600_000, engagedMs: 400_000 }),
            session({ id: 'r3', userId: null, anonymousId: 'zed', startedAt: '2026-03-02T00:00:00.000Z', durationMs: 4_000_000, engagedMs: 50_000, sampleRate: 0.5, final: true }),
            session({ id: 'r4', siteId: 'site-b', userId: 'bob', startedAt: '2026-03-03T00:00:00.000Z', durationMs: 120_000, engagedMs: 120_000 }),
            session({ id: 'r5', userId: 'old', startedAt: '2026-02-01T00:00:00.000Z', durationMs: 30_000, engagedMs: 30_000 }),
          ),
          [],
        );
      });
      const march = { start: '2026-03-01', end: '2026-03-31' };

      it('aggregates per user over the inclusive day range, weighting counts by 1/sampleRate', async () => {
        const byUser = Object.fromEntries((await store.perUser(march)).map((r) => [r.userKey, r]));
        expect(byUser).toEqual({
          ada: { userKey: 'ada', n: 2, weighted: 2, durationMs: 620_000, engagedMs: 410_000 },
          zed: { userKey: 'zed', n: 1, weighted: 2, durationMs: 4_000_000, engagedMs: 50_000 },
          bob: { userKey: 'bob', n: 1, weighted: 1, durationMs: 120_000, engagedMs: 120_000 },
        });
        expect((await store.perUser({ start: '2026-03-02', end: '2026-03-02' })).map((r) => r.userKey)).toEqual(['zed']);
        expect((await store.perUser({ ...march, siteId: 'site-b' })).map((r) => r.userKey)).toEqual(['bob']);
      });

      it('summarises sessions, users and short sessions', async () => {
        expect(await store.summary(march)).toEqual({ n: 4, weighted: 5, durationMs: 4_740_000, engagedMs: 580_000, users: 3, shortWeighted: 1 });
        expect(await store.summary({ start: '2025-01-01', end: '2025-01-02' })).toEqual({ n: 0, weighted: 0, durationMs: 0, engagedMs: 0, users: 0, shortWeighted: 0 });
      });

      it('groups by UTC start day', async () => {
        const days = (await store.daily(march)).sort((a, b) => a.day.localeCompare(b.day));
        expect(days.map((d) => [d.day, d.n, d.weighted, d.durationMs])).toEqual([
          ['2026-03-01', 2, 2, 620_000],
          ['2026-03-02', 1, 2, 4_000_000],
          ['2026-03-03', 1, 1, 120_000],
        ]);
      });

      it('counts sessions per duration bucket, lower bound inclusive', async () => {
        expect(await store.durationBuckets(march, [30_000, 120_000, 3_600_000])).toEqual([1, 0, 2, 2]);
      });

      it('sums breaks and their histogram', async () => {
        const b = await store.breaks(march);
        // Fixture breaks: one gap of durationMs - engagedMs per session with a gap.
        expect(b).toEqual({
          n: 4, weighted: 5, breaksWeighted: 4, breaksRaw: 3, totalMsWeighted: 10_000 + 200_000 + 2 * 3_950_000,
          histogram: { lt30s: 1, s30m2: 0, m2m10: 1, ge10m: 2 },
        });
      });

      it('counts sessions per band, null included', async () => {
        const bands = (await store.bands(march)).sort((a, b) => a.minEngagedMs - b.minEngagedMs);
        expect(bands).toEqual([
          { band: null, weighted: 1, minEngagedMs: 10_000 },
          { band: 'casual', weighted: 3, minEngagedMs: 50_000 },
          { band: 'engaged', weighted: 1, minEngagedMs: 400_000 },
        ]);
      });

      it('aggregates dwell time per page, most engaged first, with a limit', async () => {
        await store.ingest(rows(session({ id: 'r6', startedAt: '2026-03-05T00:00:00.000Z', durationMs: 60_000, engagedMs: 60_000, pages: [
          { path: '/other', views: 3, engagedMs: 60_000, firstSeenAt: '2026-03-05T00:00:00.000Z', lastSeenAt: '2026-03-05T00:01:00.000Z', band: 'casual' },
        ] })), []);
        const pages = await store.pages(march, 10);
        expect(pages.map((p) => p.path)).toEqual(['/lesson/1', '/other']);
        expect(pages[0]).toEqual({ path: '/lesson/1', viewsWeighted: 5, sessionsWeighted: 5, engagedMsWeighted: 10_000 + 400_000 + 100_000 + 120_000, n: 4, engagedMs: 580_000 });
        expect(pages[1]).toEqual({ path: '/other', viewsWeighted: 3, sessionsWeighted: 1, engagedMsWeighted: 60_000, n: 1, engagedMs: 60_000 });
        expect((await store.pages(march, 1)).length).toBe(1);
      });

      it('lists identified users inactive since a cutoff, never anonymous ids', async () => {
        const cutoff = Date.parse('2026-03-02T12:00:00.000Z');
        const users = await store.inactiveUsers(cutoff, 100);
        expect(users).toEqual([
          { userId: 'old', lastActiveAt: Date.parse('2026-02-01T00:00:30.000Z'), weighted: 1 },
          { userId: 'ada', lastActiveAt: Date.parse('2026-03-02T00:09:59.000Z'), weighted: 2 },
        ]);
        expect(await store.inactiveUsers(cutoff, 1)).toHaveLength(1);
        expect(await store.inactiveUsers(cutoff, 100, 'site-b')).toEqual([]);
      });

      it('lists sessions active since a time that are not final, newest first', async () => {
        const active = await store.activeSessions(Date.parse('2026-03-01T12:00:00.000Z'), 10);
        // r3 is final; r1 ended before the cutoff.
        expect(active.map((s) => s.id)).toEqual(['r4', 'r2']);
        expect(active[1]).toEqual({
          siteId: 'site-a', id: 'r2', userKey: 'ada', startedAt: Date.parse('2026-03-01T23:59:59.000Z'), lastActiveAt: Date.parse('2026-03-02T00:09:59.000Z'),
          engagedMs: 400_000, durationMs: 600_000, currentPage: '/lesson/1',
        });
      });
    });
  });
}
