/**
 * The store contract: what every Store implementation must do, run against SQLite
 * (store-sqlite.test.ts) and PostgreSQL (store-postgres.test.ts) with the same expectations.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/records';
import { type SessionRow, toAlertRow, toSessionRow } from '../src/ingest/rows';
import { MIN_SAMPLE_RATE } from '../src/ingest/schemas';
import { DURATION_BOUNDS_MS } from '../src/store/buckets';
import * as q from '../src/store/queries/index';
import type { DayRange, Store } from '../src/store/types';
import { asLines, direct, rollupTables } from './direct-queries';
import { alert, session, type TestStore } from './fixtures';

/** The session columns and values as the schema before migration 006 had them (no integer weight yet). */
export const LEGACY_COLUMNS = q.SESSION_COLUMNS.filter((c) => c !== 'weight_micro' && c !== 'break_total_ms_weighted');
export const legacyValues = (row: SessionRow) => {
  const values = q.sessionValues(row);
  return LEGACY_COLUMNS.map((c) => values[q.SESSION_COLUMNS.indexOf(c)]);
};

const T = 1_770_000_000_000;
const rows = (...records: SessionRecord[]) => records.map((r) => toSessionRow(r, T));

const RANGES: DayRange[] = [
  { start: '2026-01-01', end: '2026-12-31' },
  // The per-user figures as a block less what lies outside it (store/queries/spans.ts): the year less Jan 1-5, March less Mar 1-3.
  { start: '2026-01-06', end: '2026-12-31' },
  { start: '2026-03-04', end: '2026-03-31', siteId: 'site-a' },
  { start: '2026-03-01', end: '2026-03-31' },
  { start: '2026-03-10', end: '2026-03-10' },
  { start: '2026-03-11', end: '2026-04-02', siteId: 'site-b' },
  { start: '2026-03-01', end: '2026-12-31', siteId: 'site-a' },
  { start: '2027-01-01', end: '2027-01-31' },
];
/** Exactly equal: the rollups hold integers (migration 006), so no tolerance is needed or given. */
const same = (actual: unknown, expected: unknown, label: string): void => {
  expect(actual, label).toEqual(expected);
};
const byDay = <T extends { day: string }>(r: T[]) => [...r].sort((a, b) => a.day.localeCompare(b.day));
const byUser = <T extends { userKey: string }>(r: T[]) => [...r].sort((a, b) => (a.userKey < b.userKey ? -1 : 1));
const byPath = <T extends { path: string }>(r: T[]) => [...r].sort((a, b) => (a.path < b.path ? -1 : 1));
const byBand = <T extends { band: string | null }>(r: T[]) => [...r].sort((a, b) => (a.band ?? '\u0000').localeCompare(b.band ?? '\u0000'));

/** Every rollup table equals its recomputation from sessions, row by row and exactly (direct-queries.ts `rollupTables`). */
export async function expectRollupTablesMatchSessions(raw: TestStore['raw']) {
  for (const { table, stored, recomputed } of rollupTables) {
    expect(asLines(await raw(stored)), table).toEqual(asLines(await raw(recomputed)));
  }
}

/**
 * Every rollup table equals its recomputation, and every rolled-up report its direct computation over
 * sessions (direct-queries.ts `direct`), for several ranges.
 */
export async function expectRollupMatchesSessions(store: Store, raw: TestStore['raw']) {
  await expectRollupTablesMatchSessions(raw);
  for (const range of RANGES) {
    const label = JSON.stringify(range);
    const users = await raw(direct.distinctUsers(range));
    same(await store.summary(range), q.map.summary((await raw(direct.summary(range)))[0], users[0]), `summary ${label}`);
    same(byDay(await store.daily(range)), byDay((await raw(direct.daily(range))).map(q.map.daily)), `daily ${label}`);
    const bounds = DURATION_BOUNDS_MS;
    same(await store.durationBuckets(range, bounds), q.map.durationBuckets((await raw(direct.durationBuckets(range, bounds)))[0], bounds.length + 1), `durations ${label}`);
    same(await store.breaks(range), q.map.breaks((await raw(direct.breaks(range)))[0]), `breaks ${label}`);
    same(byBand(await store.bands(range)), byBand((await raw(direct.bands(range))).map(q.map.bands)), `bands ${label}`);
    same(byPath(await store.pages(range, 1000)), byPath((await raw(direct.pages(range, 1000))).map(q.map.pages)), `pages ${label}`);
    same(byUser(await store.perUser(range)), byUser((await raw(direct.perUser(range))).map(q.map.perUser)), `per user ${label}`);
  }
}

const INACTIVE_CUTOFFS = ['2026-01-01', '2026-03-02', '2026-03-10T10:01:00.000Z', '2026-04-01', '2026-06-01', '2027-01-01'].map((d) => Date.parse(d));

/**
 * inactive-users from the per (site, user) rollup (migration 005, site_user) equals the same list grouped
 * from sessions (direct-queries.ts `direct.inactiveUsers`), for several cutoffs, sites and limits.
 */
export async function expectInactiveMatchesSessions(store: Store, raw: TestStore['raw']) {
  for (const cutoff of INACTIVE_CUTOFFS) {
    for (const siteId of [undefined, 'site-a', 'site-b']) {
      for (const limit of [100, 1]) {
        const label = `inactive-users ${new Date(cutoff).toISOString()} ${siteId ?? 'all sites'} limit ${limit}`;
        same(await store.inactiveUsers(cutoff, limit, siteId), (await raw(direct.inactiveUsers(cutoff, limit, siteId))).map(q.map.inactive), label);
      }
    }
  }
}

/**
 * After migrations 004 and 005 ran over sessions stored before them: their backfills equal the direct
 * computation, and so do their triggers once every session is replaced by a higher seq with a longer
 * duration, and (site_user) once a session is deleted: `remove` deletes one session row as an operator would.
 */
export async function expectBackfillThenTriggers(
  store: Store,
  raw: TestStore['raw'],
  before: readonly SessionRecord[],
  remove: (siteId: string, id: string) => Promise<void>,
) {
  await store.migrate();
  expect((await store.summary({ start: '2026-01-01', end: '2026-12-31' })).n).toBe(before.length);
  await expectRollupMatchesSessions(store, raw);
  await expectInactiveMatchesSessions(store, raw);
  expect((await store.inactiveUsers(Date.parse('2027-01-01'), 100)).map((u) => u.userId).sort()).toEqual(['ada', 'bob', 'cy']);
  // Sent again at a higher seq, a session stored with a sampleRate below the bound (before 006) is repaired.
  const again = (s: SessionRecord) => ({ ...session({ ...s, durationMs: s.durationMs + 700_000, engagedMs: s.engagedMs, sampleRate: Math.max(s.sampleRate, MIN_SAMPLE_RATE) }), seq: 2, id: s.id, anonymousId: s.anonymousId });
  await store.ingest(before.map((s) => toSessionRow(again(s), 0)), []);
  await expectRollupMatchesSessions(store, raw);
  await expectInactiveMatchesSessions(store, raw);
  // f5 holds ada's latest activity on site-a: deleted, it is read again from f3; f6, bob's only session on site-b, empties his row.
  await remove('site-a', 'f5');
  await remove('site-b', 'f6');
  await expectInactiveMatchesSessions(store, raw);
  await expectRollupMatchesSessions(store, raw);
  const last = (id: string) => Date.parse(before.find((s) => s.id === id)!.lastActiveAt);
  expect(await store.inactiveUsers(Date.parse('2027-01-01'), 100, 'site-a')).toEqual([
    { userId: 'bob', lastActiveAt: last('f7'), weighted: 1 },
    { userId: 'ada', lastActiveAt: last('f3'), weighted: 1 },
  ]);
  expect(await store.inactiveUsers(Date.parse('2027-01-01'), 100, 'site-b')).toEqual([{ userId: 'cy', lastActiveAt: last('f4'), weighted: 1 }]);
}

/**
 * Sessions over several days, sites, users, bands, buckets and sample rates, for the backfill tests of
 * migrations 004 to 006; before 006, also one stored with a sampleRate far below the bound (as the
 * collector accepted then), which 006 counts at the bound.
 */
export const backfillSessions = (version: number): SessionRecord[] => [
  ...(version === 6 ? [session({ id: 'f8', siteId: 'site-c', startedAt: '2026-03-10T09:00:00.000Z', sampleRate: 1e-300 })] : []),
  session({ id: 'f1', startedAt: '2026-03-10T10:00:00.000Z', durationMs: 10_000, engagedMs: 5_000, sampleRate: 0.1 }),
  session({ id: 'f2', startedAt: '2026-03-10T23:00:00.000Z', durationMs: 200_000, engagedMs: 40_000, sampleRate: 0.3 }),
  session({ id: 'f3', startedAt: '2026-03-11T00:00:00.000Z', durationMs: 4_000_000, engagedMs: 400_000, userId: 'ada' }),
  session({ id: 'f4', siteId: 'site-b', startedAt: '2026-03-12T00:00:00.000Z', durationMs: 900_000, engagedMs: 29_999, band: 'host-named', userId: 'cy' }),
  session({ id: 'f5', startedAt: '2026-06-15T12:00:00.000Z', durationMs: 1_800_000, engagedMs: 1_000_000, sampleRate: 0.5, userId: 'ada' }),
  session({ id: 'f6', siteId: 'site-b', startedAt: '2026-04-01T08:00:00.000Z', durationMs: 60_000, engagedMs: 60_000, sampleRate: 0.25, userId: 'bob' }),
  session({ id: 'f7', startedAt: '2026-02-20T08:00:00.000Z', durationMs: 30_000, engagedMs: 20_000, userId: 'bob' }),
];

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
      // A page kept (updated in place, migration 015), one dropped, one added; then the session moves a day.
      const third = { ...next, seq: 3, sampleRate: 0.5, pages: [{ ...s.pages[0]!, path: '/b', views: 4 }, { ...s.pages[0]!, path: '/c' }] };
      await store.ingest(rows(third), []);
      expect((await store.pages({ start: '2026-03-10', end: '2026-03-10' }, 10)).map((p) => [p.path, p.viewsWeighted]).sort()).toEqual([['/b', 8], ['/c', 2]]);
      await expectRollupTablesMatchSessions(t.raw);
      const moved = { ...third, seq: 4, startedAt: new Date(Date.parse(third.startedAt) + 86_400_000).toISOString(), lastActiveAt: new Date(Date.parse(third.lastActiveAt) + 86_400_000).toISOString() };
      await store.ingest(rows(moved), []);
      expect(await store.pages({ start: '2026-03-10', end: '2026-03-10' }, 10)).toEqual([]);
      await expectRollupTablesMatchSessions(t.raw);
    });

    it('stores text exactly, quotes, backslashes, braces, commas, NULL-like words and non-ASCII included (PostgreSQL sends each column as one array)', async () => {
      const odd = ['/a"b\\c', '/{x},{y}', '/NULL', '/ü, "ß"\'s'];
      const s = session({ id: 'odd "id", {1}', userId: 'NULL', pages: odd.map((path) => ({ path, views: 1, engagedMs: 1000, firstSeenAt: '2026-03-10T10:00:00.000Z', lastSeenAt: '2026-03-10T10:00:01.000Z', band: null })) });
      expect(await store.ingest(rows(s), [toAlertRow(alert({ sessionId: s.id, threshold: 'a,"b"' }), T)])).toEqual({ sessionsChanged: 1, alertsInserted: 1 });
      expect(JSON.parse((await store.getSession('site-a', s.id))!.record)).toEqual(s);
      expect((await store.pages({ start: '2026-03-10', end: '2026-03-10' }, 10)).map((p) => p.path).sort()).toEqual([...odd].sort());
      expect((await store.perUser({ start: '2026-03-10', end: '2026-03-10' })).map((u) => u.userKey)).toEqual(['NULL']);
    });

    it('stores an alert once by (siteId, sessionId, threshold, direction)', async () => {
      const a = toAlertRow(alert(), T);
      expect(await store.ingest([], [a, { ...a, direction: 'below' }])).toEqual({ sessionsChanged: 0, alertsInserted: 2 });
      expect(await store.ingest([], [{ ...a, at: T }])).toEqual({ sessionsChanged: 0, alertsInserted: 0 });
      expect((await store.counts()).alerts).toBe(2);
    });

    it('keeps weighted counts exact through replacements that change the sample rate (issue 10, point 1)', async () => {
      // Weights whose floats do not cancel: 1/0.7 and 1/0.3 are not representable, 1/0.001 dwarfs them.
      const rates = [0.7, 0.3, 0.001, 0.9, 0.001, 0.7];
      const first = rates.map((sampleRate, i) => session({ id: `w${i}`, sampleRate, durationMs: 60_000 * (i + 1), userId: i % 2 ? 'ada' : null }));
      await store.ingest(rows(...first), []);
      // Sent again at a higher seq with sampleRate 1, each session weighs 1: six sessions, weighted six.
      await store.ingest(rows(...first.map((s) => ({ ...s, seq: 2, sampleRate: 1 }))), []);
      const year = { start: '2026-01-01', end: '2026-12-31' };
      const summary = await store.summary(year);
      expect([summary.n, summary.weighted, summary.shortWeighted]).toEqual([6, 6, 0]);
      expect((await store.breaks(year)).weighted).toBe(6);
      expect((await store.durationBuckets(year, DURATION_BOUNDS_MS)).reduce((a, b) => a + b, 0)).toBe(6);
      expect((await store.bands(year)).map((b) => b.weighted)).toEqual([6]);
      expect((await store.perUser(year)).map((u) => u.weighted).sort()).toEqual([1, 1, 1, 3]);
      expect(await store.inactiveUsers(Date.parse('2027-01-01'), 10)).toEqual([expect.objectContaining({ userId: 'ada', weighted: 3 })]);
      await expectRollupMatchesSessions(store, t.raw);
    });

    describe('daily rollup (site_day, site_day_band) equals the direct computation over sessions', () => {
      const expectRollupExact = () => expectRollupMatchesSessions(store, t.raw);

      const day = (d: string, h = 10) => `2026-${d}T${String(h).padStart(2, '0')}:00:00.000Z`;
      const mix = () => [
        session({ id: 'a1', startedAt: day('03-10'), durationMs: 10_000, engagedMs: 5_000, sampleRate: 0.1 }),
        session({ id: 'a2', startedAt: day('03-10', 23), durationMs: 45_000, engagedMs: 40_000, sampleRate: 0.3 }),
        session({ id: 'a3', startedAt: day('03-10', 0), durationMs: 200_000, engagedMs: 150_000 }),
        session({ id: 'a4', startedAt: day('03-11'), durationMs: 700_000, engagedMs: 320_000, sampleRate: 0.7 }),
        session({ id: 'a5', startedAt: day('03-31', 23), durationMs: 1_000_000, engagedMs: 1_000_000, userId: 'ada' }),
        session({ id: 'a6', startedAt: day('04-01', 0), durationMs: 2_000_000, engagedMs: 20_000, userId: 'ada' }),
        session({ id: 'a7', startedAt: day('06-15'), durationMs: 3_600_000, engagedMs: 600_000, sampleRate: 0.25 }),
        session({ id: 'a8', startedAt: day('06-15'), durationMs: 0, engagedMs: 0 }),
        session({ id: 'b1', siteId: 'site-b', startedAt: day('03-10'), durationMs: 30_000, engagedMs: 30_000 }),
        session({ id: 'b2', siteId: 'site-b', startedAt: day('03-12'), durationMs: 5_000_000, engagedMs: 300_000, sampleRate: 0.5 }),
        session({ id: 'b3', siteId: 'site-b', startedAt: day('04-02'), durationMs: 119_999, engagedMs: 29_999, band: 'host-named' }),
      ].map((s, i) => (i % 2 === 0 ? s : { ...s, pages: [...s.pages, { ...s.pages[0]!, path: `/p/${i % 3}`, views: i, engagedMs: Math.floor(s.engagedMs / 2) }] }));

      /** A later snapshot of s: breaks, pages, band and lastActiveAt follow from the new times (fixtures.session). */
      const again = (s: SessionRecord, over: Partial<SessionRecord> & { durationMs: number; engagedMs: number }) =>
        session({ id: s.id, siteId: s.siteId, userId: s.userId, anonymousId: s.anonymousId, startedAt: s.startedAt, sampleRate: s.sampleRate, ...over });

      it('after inserts, batched and one by one', async () => {
        const [first, ...rest] = mix();
        await store.ingest(rows(first!), []);
        await store.ingest(rows(...rest), []);
        await expectRollupExact();
        expect((await store.bands({ start: '2026-01-01', end: '2026-12-31' })).map((b) => b.band).sort()).toEqual(['casual', 'engaged', 'host-named', null].sort());
      });

      it('after replacements by a higher seq that move sessions across days, bands, buckets and sites, and emptied groups', async () => {
        await store.ingest(rows(...mix()), []);
        const later = mix().map((s, i) => {
          const durationMs = (s.durationMs + 37_000 * (i + 1)) % 4_000_000;
          const engagedMs = Math.min(durationMs, s.engagedMs + 250_000);
          return again(s, {
            seq: 2, durationMs, engagedMs,
            // Every third session moves to the next day; a1 (the only 5 s session) leaves its band group.
            startedAt: i % 3 === 0 ? new Date(Date.parse(s.startedAt) + 86_400_000).toISOString() : s.startedAt,
            sampleRate: i % 2 === 0 ? 1 : s.sampleRate,
          });
        });
        await store.ingest(rows(...later), []);
        await expectRollupExact();
        // Shrinks too (a host may correct a snapshot): the least engaged time of a group is read again.
        const shrunk = later.map((s) => again(s, { seq: 3, durationMs: 1_000, engagedMs: 1_000 }));
        await store.ingest(rows(...shrunk.slice(0, 6)), []);
        await expectRollupExact();
        await store.ingest(rows(...shrunk.slice(6)), []);
        await expectRollupExact();
        expect((await store.bands({ start: '2026-01-01', end: '2026-12-31' })).map((b) => [b.band, b.minEngagedMs])).toEqual([[null, 1_000]]);
      });

      it('after replacements that keep site, day and user (one difference per rollup row, migration 014) while the band, the sample rate, the least engaged time and the latest activity change', async () => {
        const x1 = session({ id: 'x1', userId: 'ada', startedAt: day('03-10', 9), durationMs: 40_000, engagedMs: 35_000, sampleRate: 0.5 });
        const x2 = session({ id: 'x2', userId: 'ada', startedAt: day('03-10', 11), durationMs: 900_000, engagedMs: 50_000 });
        const x3 = session({ id: 'x3', userId: 'ada', startedAt: day('03-10', 12), durationMs: 800_000, engagedMs: 400_000 });
        await store.ingest(rows(x1, x2, x3), []);
        // x1 held its band's least engaged time and leaves the band (casual -> engaged) at another sample rate;
        // x2, ada's latest activity, shrinks so that x3's is the latest; x3 stays in its band with less engaged time.
        await store.ingest(rows(again(x1, { seq: 2, durationMs: 700_000, engagedMs: 350_000, sampleRate: 0.25 }), again(x2, { seq: 2, durationMs: 60_000, engagedMs: 40_000 })), []);
        await store.ingest(rows(again(x3, { seq: 2, durationMs: 800_000, engagedMs: 300_000 })), []);
        await expectRollupExact();
        await expectInactiveMatchesSessions(store, t.raw);
        const year = { start: '2026-01-01', end: '2026-12-31' };
        expect((await store.bands(year)).map((b) => [b.band, b.minEngagedMs]).sort()).toEqual([['casual', 40_000], ['engaged', 300_000]]);
        expect(await store.inactiveUsers(Date.parse('2027-01-01'), 10)).toEqual([{ userId: 'ada', lastActiveAt: Date.parse(day('03-10', 12)) + 800_000, weighted: 6 }]);
      });

      it('after out-of-order, duplicate and concurrent arrivals', async () => {
        const versions = mix().flatMap((s, i) =>
          [1, 2, 3, 4].map((seq) => {
            const durationMs = s.durationMs + 50_000 * seq * (i % 4);
            const engagedMs = Math.min(durationMs, s.engagedMs + 70_000 * seq);
            return again(s, { seq, durationMs, engagedMs });
          }),
        );
        const shuffled = [...versions, ...versions].sort(() => Math.random() - 0.5);
        // Some in batches (one per transaction in PostgreSQL, one group commit in SQLite), some alone, all at once.
        const batches: SessionRecord[][] = [];
        for (let i = 0; i < shuffled.length; ) {
          const size = 1 + (i % 3);
          const batch: SessionRecord[] = [];
          for (const v of shuffled.slice(i, i + size)) if (!batch.some((b) => b.siteId === v.siteId && b.id === v.id)) batch.push(v);
          batches.push(batch);
          i += size;
        }
        await Promise.all(batches.map((b) => store.ingest(rows(...b), [])));
        await store.ingest(rows(...versions.filter((v) => v.seq === 2)), []);
        await expectRollupExact();
        const all = await store.summary({ start: '2026-01-01', end: '2026-12-31' });
        expect(all.n).toBe(mix().length);
        expect((await store.counts()).sessions).toBe(mix().length);
      });
    });

    describe('inactive-users rollup (site_user) equals the direct computation over sessions', () => {
      const at = (d: string) => `2026-${d}T10:00:00.000Z`;
      const ms = (d: string, plus: number) => Date.parse(at(d)) + plus;
      const expectInactiveExact = () => expectInactiveMatchesSessions(store, t.raw);

      it('after inserts, identify, a change of user, a replacement that moves the latest activity back, and an emptied user', async () => {
        const i1 = session({ id: 'i1', userId: 'ada', startedAt: at('03-01'), durationMs: 60_000, sampleRate: 0.5 });
        const i2 = session({ id: 'i2', userId: 'ada', startedAt: at('03-20'), durationMs: 600_000 });
        const i3 = session({ id: 'i3', userId: 'bob', startedAt: at('03-05'), durationMs: 120_000, sampleRate: 0.25 });
        const i4 = session({ id: 'i4', userId: null, startedAt: at('03-25'), durationMs: 60_000 });
        const i5 = session({ id: 'i5', siteId: 'site-b', userId: 'ada', startedAt: at('02-01'), durationMs: 60_000 });
        const i6 = session({ id: 'i6', siteId: 'site-b', userId: 'cy', startedAt: at('02-10'), durationMs: 60_000 });
        await store.ingest(rows(i1, i2, i3), []);
        await store.ingest(rows(i4), []);
        await store.ingest(rows(i5, i6), []);
        await expectInactiveExact();
        expect(await store.inactiveUsers(Date.parse('2026-04-01'), 100)).toEqual([
          { userId: 'cy', lastActiveAt: ms('02-10', 60_000), weighted: 1 },
          { userId: 'bob', lastActiveAt: ms('03-05', 120_000), weighted: 4 },
          { userId: 'ada', lastActiveAt: ms('03-20', 600_000), weighted: 4 },
        ]);
        // Identified later: the anonymous session becomes bob's latest.
        await store.ingest(rows({ ...i4, seq: 2, userId: 'bob' }), []);
        await expectInactiveExact();
        expect((await store.inactiveUsers(Date.parse('2026-04-01'), 100, 'site-a')).find((u) => u.userId === 'bob')).toEqual({ userId: 'bob', lastActiveAt: ms('03-25', 60_000), weighted: 5 });
        // ada's latest session on site-a was cy's after all: ada's latest there is read again (i1).
        await store.ingest(rows({ ...i2, seq: 2, userId: 'cy' }), []);
        await expectInactiveExact();
        // A later snapshot moves bob's latest session back before his other one: his latest is read again (i3).
        await store.ingest(rows(session({ id: 'i4', anonymousId: i4.anonymousId, seq: 3, userId: 'bob', startedAt: at('03-02'), durationMs: 60_000 })), []);
        await expectInactiveExact();
        // cy's only session on site-b turns anonymous: the row is emptied and skipped, cy stays for site-a.
        await store.ingest(rows({ ...i6, seq: 2, userId: null }), []);
        await expectInactiveExact();
        expect(await store.inactiveUsers(Date.parse('2026-04-01'), 100)).toEqual([
          { userId: 'ada', lastActiveAt: ms('03-01', 60_000), weighted: 3 },
          { userId: 'bob', lastActiveAt: ms('03-05', 120_000), weighted: 5 },
          { userId: 'cy', lastActiveAt: ms('03-20', 600_000), weighted: 1 },
        ]);
        expect(await store.inactiveUsers(Date.parse('2026-04-01'), 100, 'site-b')).toEqual([{ userId: 'ada', lastActiveAt: ms('02-01', 60_000), weighted: 1 }]);
        expect(await store.inactiveUsers(Date.parse('2026-03-10'), 1)).toEqual([{ userId: 'ada', lastActiveAt: ms('03-01', 60_000), weighted: 3 }]);
      });

      it('after out-of-order, duplicate and concurrent arrivals that change users', async () => {
        const users = ['ada', 'bob', null, 'cy'];
        const versions = Array.from({ length: 8 }, (_, i) =>
          [1, 2, 3, 4].map((seq) =>
            session({
              id: `o${i}`, anonymousId: `anon-o${i}`, siteId: i % 3 === 0 ? 'site-b' : 'site-a', seq, userId: users[(i + seq) % 4],
              startedAt: at(`03-${String(1 + ((i * 7 + seq * 5) % 28)).padStart(2, '0')}`), durationMs: 10_000 * (i + 1) * seq, sampleRate: seq % 2 ? 1 : 0.5,
            }),
          ),
        ).flat();
        const shuffled = [...versions, ...versions].sort(() => Math.random() - 0.5);
        await Promise.all(shuffled.map((v) => store.ingest(rows(v), [])));
        await expectInactiveExact();
        expect((await store.counts()).sessions).toBe(8);
      });
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
          histogram: { '<30s': 1, '30s-2m': 0, '2m-10m': 1, '>=10m': 2 },
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
          siteId: 'site-a', id: 'r2', userKey: 'ada', userId: 'ada', startedAt: Date.parse('2026-03-01T23:59:59.000Z'), lastActiveAt: Date.parse('2026-03-02T00:09:59.000Z'),
          engagedMs: 400_000, durationMs: 600_000, currentPage: '/lesson/1', meta: {},
        });
      });

      it('lists the active sessions with their meta dimensions as text, for the live view\'s filter', async () => {
        await store.ingest(rows(
          session({ id: 'm1', startedAt: '2026-03-05T10:00:00.000Z', durationMs: 60_000, meta: { plan: 'pro', seats: 3, trial: false, gone: null } }),
          session({ id: 'm2', siteId: 'site-b', startedAt: '2026-03-05T10:00:30.000Z', durationMs: 60_000, meta: { plan: 'free' } }),
        ), []);
        const active = await store.activeSessions(Date.parse('2026-03-05T00:00:00.000Z'), 10);
        expect(active.map((s) => [s.id, s.meta])).toEqual([['m2', { plan: 'free' }], ['m1', { plan: 'pro', seats: '3', trial: 'false' }]]);
      });
    });
  });
}
