/**
 * The privacy lifecycle on both stores: erasure by user and by browser, export, and retention. After
 * each, every rollup is compared with a recomputation from the rows that remain (site_day and
 * site_day_band through store-contract.ts; user_month, user_year and site_user here), so a share left behind or
 * taken twice fails.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/records';
import { toAlertRow, toSessionRow } from '../src/ingest/rows';
import { KEPT_ROLLUPS, SESSION_TABLES } from '../src/store/erasure';
import type { Store } from '../src/store/types';
import { alert, postgresStore, session, sqliteStore, type TestStore } from './fixtures';
import { asLines, rollupTables } from './direct-queries';
import { documentedSqlTables } from './privacy-page';
import { expectInactiveMatchesSessions, expectRollupMatchesSessions, expectRollupTablesMatchSessions } from './store-contract';

const T = 1_770_000_000_000;

/** Rows of the personal rollups (user_month, user_year, site_user) that a replacement or a deletion left empty: they still name someone. */
async function emptyPersonalRows(raw: TestStore['raw']) {
  const r = await raw({
    sql: 'SELECT (SELECT COUNT(*) FROM user_month WHERE sessions <= 0) + (SELECT COUNT(*) FROM user_year WHERE sessions <= 0) + (SELECT COUNT(*) FROM site_user WHERE sessions <= 0) AS c',
    params: [],
  });
  return Number(r[0]!.c);
}

/** The named rollup tables equal their recomputation from the sessions that remain, exactly (direct-queries.ts). */
async function expectTablesMatch(raw: TestStore['raw'], tables: string[]) {
  for (const { table, stored, recomputed } of rollupTables.filter((r) => tables.includes(r.table))) {
    expect(asLines(await raw(stored)), table).toEqual(asLines(await raw(recomputed)));
  }
}

async function expectEveryRollupExact(store: Store, raw: TestStore['raw']) {
  await expectRollupTablesMatchSessions(raw);
  await expectRollupMatchesSessions(store, raw);
  await expectInactiveMatchesSessions(store, raw);
}

/**
 * Two people and a bystander over two sites, several days and months, sampled weights, pages, alerts,
 * replacements by a higher seq and an identify that moves a session from a browser to a user.
 */
function population(): { sessions: SessionRecord[][]; alerts: ReturnType<typeof alert>[] } {
  const ada = (id: string, startedAt: string, over: Partial<SessionRecord> = {}) =>
    session({ id, startedAt, userId: 'ada', anonymousId: 'browser-ada', durationMs: 400_000, engagedMs: 320_000, ...over });
  const before = session({ id: 'ada-pre', startedAt: '2026-03-10T09:00:00.000Z', userId: null, anonymousId: 'browser-ada', durationMs: 50_000, engagedMs: 40_000 });
  const identified = { ...before, seq: 2, userId: 'ada', durationMs: 90_000, engagedMs: 70_000, lastActiveAt: '2026-03-10T09:01:30.000Z' };
  const bob = (id: string, startedAt: string, over: Partial<SessionRecord> = {}) =>
    session({ id, startedAt, userId: 'bob', anonymousId: 'browser-bob', durationMs: 200_000, engagedMs: 150_000, sampleRate: 0.25, ...over });
  // Page attention (migration 008) on one of ada's sessions and on one of bob's.
  const withAttention = (s: SessionRecord): SessionRecord => ({
    ...s,
    meta: { plan: 'pro' },
    pages: s.pages.map((p) => ({ ...p, vitals: { LCP: 1200, CLS: 0.02 }, scroll: { depth: 0.8, reachedMs: { 25: 0, 50: 4000 } } })),
  });
  const anon = session({ id: 'stranger', startedAt: '2026-03-10T11:00:00.000Z', anonymousId: 'browser-x', durationMs: 20_000, engagedMs: 20_000 });
  return {
    sessions: [
      [ada('a1', '2026-03-10T10:00:00.000Z'), ada('a2', '2026-03-31T23:30:00.000Z', { siteId: 'site-b' }), ada('a3', '2026-04-02T08:00:00.000Z'), before],
      [identified, withAttention({ ...ada('a1', '2026-03-10T10:00:00.000Z'), seq: 3, durationMs: 500_000, engagedMs: 450_000, lastActiveAt: '2026-03-10T10:08:20.000Z' })],
      [withAttention(bob('b1', '2026-03-10T10:30:00.000Z')), bob('b2', '2026-04-02T09:00:00.000Z', { siteId: 'site-b' }), bob('b3', '2026-02-01T09:00:00.000Z'), anon],
    ],
    alerts: [
      alert({ sessionId: 'a1', threshold: 'casual' }),
      alert({ sessionId: 'a1', threshold: 'engaged', engagedMs: 300_000 }),
      alert({ sessionId: 'b1', threshold: 'casual' }),
      alert({ sessionId: 'ada-pre', threshold: 'casual', at: '2026-03-10T09:00:40.000Z' }),
    ],
  };
}

async function seed(store: Store) {
  const p = population();
  for (const batch of p.sessions) await store.ingest(batch.map((s) => toSessionRow(s, T)), []);
  await store.ingest([], p.alerts.map((a) => toAlertRow(a, T)));
}

const ids = async (raw: TestStore['raw'], table: string, column = 'id') =>
  (await raw({ sql: `SELECT ${column} AS x FROM ${table} ORDER BY ${column}`, params: [] })).map((r) => String(r.x));

function privacyContract(name: string, open: () => Promise<TestStore>) {
  describe(`${name}: erasure, export and retention`, () => {
    let t: TestStore;
    beforeEach(async () => {
      t = await open();
      await seed(t.store);
    });
    afterEach(async () => t.dispose());

    it('knows every table that holds rows of a session: a new one must be added to SESSION_TABLES', async () => {
      const tables =
        t.store.kind === 'sqlite'
          ? await t.raw({ sql: "SELECT m.name AS t FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'session_id'", params: [] })
          : await t.raw({ sql: "SELECT table_name AS t FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'session_id'", params: [] });
      const covered = [SESSION_TABLES.alerts, SESSION_TABLES.pages, ...SESSION_TABLES.attention, SESSION_TABLES.meta, SESSION_TABLES.webhooks, SESSION_TABLES.relays];
      expect(tables.map((r) => String(r.t)).sort()).toEqual([...covered].sort());
    });

    it('has exactly the tables docs/privacy.md describes, each with what it holds and whether it is personal', async () => {
      const tables =
        t.store.kind === 'sqlite'
          ? await t.raw({ sql: "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", params: [] })
          : await t.raw({ sql: "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", params: [] });
      expect(tables.map((r) => String(r.t)).sort()).toEqual(documentedSqlTables());
    });

    it('erases every session, record, page row and alert of a user and their share of every rollup', async () => {
      await expectEveryRollupExact(t.store, t.raw);
      const r = await t.store.erase({ userId: 'ada' });
      expect(r).toEqual({ sessions: 4, records: 4, pages: 4, alerts: 3, attention: 3, meta: 1, anonymousIds: ['browser-ada'] });
      expect(await ids(t.raw, 'session_meta', 'session_id')).toEqual(['b1']);
      expect(await ids(t.raw, 'page_vitals', 'session_id')).toEqual(['b1', 'b1']);
      expect(await ids(t.raw, 'page_scroll', 'session_id')).toEqual(['b1']);
      expect(await ids(t.raw, 'sessions')).toEqual(['b1', 'b2', 'b3', 'stranger']);
      expect(await ids(t.raw, 'session_records')).toEqual(['b1', 'b2', 'b3', 'stranger']);
      expect(await ids(t.raw, 'session_pages', 'session_id')).toEqual(['b1', 'b2', 'b3', 'stranger']);
      expect(await ids(t.raw, 'alerts', 'session_id')).toEqual(['b1']);
      expect((await t.store.perUser({ start: '2026-01-01', end: '2026-12-31' })).map((u) => u.userKey).sort()).toEqual(['bob', 'browser-x']);
      await expectEveryRollupExact(t.store, t.raw);
      expect(await emptyPersonalRows(t.raw)).toBe(0);
      // Idempotent.
      expect(await t.store.erase({ userId: 'ada' })).toEqual({ sessions: 0, records: 0, pages: 0, alerts: 0, attention: 0, meta: 0, anonymousIds: [] });
    });

    it('erases a browser by anonymousId, including its sessions that carry a userId, and no one else', async () => {
      await t.store.ingest([toSessionRow(session({ id: 'ada-phone', userId: 'ada', anonymousId: 'phone-ada', startedAt: '2026-03-10T12:00:00.000Z' }), T)], []);
      const r = await t.store.erase({ anonymousId: 'browser-ada' });
      expect(r).toMatchObject({ sessions: 4, records: 4, alerts: 3, anonymousIds: [] });
      expect(await ids(t.raw, 'sessions')).toEqual(['ada-phone', 'b1', 'b2', 'b3', 'stranger']);
      await expectEveryRollupExact(t.store, t.raw);
      // ada's other device keeps her in the per-user rollups with that one session.
      const ada = (await t.store.perUser({ start: '2026-03-01', end: '2026-03-31' })).find((u) => u.userKey === 'ada');
      expect(ada).toMatchObject({ n: 1 });
    });

    it('exports everything stored about a user: rows, raw records, pages, alerts and rollup rows', async () => {
      const e = await t.store.exportPerson({ userId: 'ada' }, Date.parse('2026-05-01T00:00:00.000Z'));
      expect(e.person).toEqual({ user_id: 'ada' });
      expect(e.exported_at).toBe('2026-05-01T00:00:00.000Z');
      expect(e.sessions.map((s) => s.id)).toEqual(['ada-pre', 'a1', 'a2', 'a3']);
      const a1 = e.sessions.find((s) => s.id === 'a1')!;
      expect(a1).toMatchObject({ site_id: 'site-a', seq: 3, user_id: 'ada', anonymous_id: 'browser-ada', duration_ms: 500_000, engaged_ms: 450_000 });
      expect(a1.record).toMatchObject({ id: 'a1', seq: 3, userId: 'ada', durationMs: 500_000 });
      expect(e.pages.map((p) => p.session_id).sort()).toEqual(['a1', 'a2', 'a3', 'ada-pre']);
      expect(e.attention.page_vitals!.map((v) => `${String(v.session_id)}:${String(v.name)}`).sort()).toEqual(['a1:CLS', 'a1:LCP']);
      expect(e.attention.page_scroll!.map((v) => [v.session_id, v.depth])).toEqual([['a1', 0.8]]);
      expect(e.meta.map((m) => [m.session_id, m.key, m.value])).toEqual([['a1', 'plan', 'pro']]);
      expect(e.alerts.map((a) => `${String(a.session_id)}:${String(a.threshold)}`).sort()).toEqual(['a1:casual', 'a1:engaged', 'ada-pre:casual']);
      expect(e.rollups.user_month.map((m) => `${String(m.month)}:${String(m.site_id)}:${m.sessions as number}`).sort()).toEqual(['2026-03:site-a:2', '2026-03:site-b:1', '2026-04:site-a:1']);
      expect(e.rollups.user_year.map((m) => `${String(m.year)}:${String(m.site_id)}:${m.sessions as number}`).sort()).toEqual(['2026:site-a:3', '2026:site-b:1']);
      expect(e.rollups.site_user.map((u) => [u.site_id, u.sessions])).toEqual([['site-a', 3], ['site-b', 1]]);
      expect(JSON.stringify(e)).not.toContain('bob');
      const none = await t.store.exportPerson({ userId: 'nobody' }, T);
      expect([none.sessions, none.pages, none.alerts, none.rollups.user_month, none.rollups.user_year, none.rollups.site_user]).toEqual([[], [], [], [], [], []]);
    });

    it('retention removes sessions that started before the day with their rows, keeps the rollups without a person and empties the personal ones', async () => {
      const year = { start: '2026-01-01', end: '2026-12-31' };
      const keptTables = async () => {
        const out: Record<string, string[]> = {};
        for (const { table, stored } of rollupTables.filter((r) => (KEPT_ROLLUPS as readonly string[]).includes(r.table))) out[table] = asLines(await t.raw(stored));
        return out;
      };
      const siteLevel = async () => ({ daily: await t.store.daily(year), bands: await t.store.bands(year), breaks: await t.store.breaks(year), pages: await t.store.pages(year, 100) });
      const [keptBefore, siteLevelBefore, summaryBefore] = [await keptTables(), await siteLevel(), await t.store.summary(year)];
      expect(Object.keys(keptBefore).sort()).toEqual(['site_day', 'site_day_band', 'site_day_page']);
      const r = await t.store.removeBefore('2026-04-01', Date.parse('2026-04-01'));
      expect(r.days).toEqual(['2026-02-01', '2026-03-10', '2026-03-31']);
      expect(r).toMatchObject({ sessions: 6, records: 6, pages: 6, alerts: 4, attention: 6, meta: 2 });
      expect(await ids(t.raw, 'sessions')).toEqual(['a3', 'b2']);
      expect(await ids(t.raw, 'session_pages', 'session_id')).toEqual(['a3', 'b2']);
      expect(await ids(t.raw, 'alerts', 'session_id')).toEqual([]);
      expect(await ids(t.raw, 'page_vitals', 'session_id')).toEqual([]);
      // Kept, row for row: per site and day, and per site, day and page path; no person in them. The
      // reports over the removed days still answer from them, pages included.
      expect(await keptTables()).toEqual(keptBefore);
      expect(await siteLevel()).toEqual(siteLevelBefore);
      const summary = await t.store.summary(year);
      expect({ ...summary, users: 0 }).toEqual({ ...summaryBefore, users: 0 });
      // Distinct users cannot be kept without who they were: the users of the retained days (ada, bob).
      expect([summaryBefore.users, summary.users]).toEqual([3, 2]);
      // Taken out: the per-user rollups hold only what remains, and no emptied row keeps a user id.
      await expectTablesMatch(t.raw, ['user_month', 'user_year', 'site_user', 'user_day', 'day_users', 'site_day_users']);
      expect(await emptyPersonalRows(t.raw)).toBe(0);
      expect((await t.store.perUser(year)).map((u) => u.userKey).sort()).toEqual(['ada', 'bob']);
      await expectInactiveMatchesSessions(t.store, t.raw);
      // Nothing left to remove.
      expect(await t.store.removeBefore('2026-04-01', Date.parse('2026-04-01'))).toEqual({ days: [], sessions: 0, records: 0, pages: 0, alerts: 0, attention: 0, meta: 0 });
    });
  });
}

privacyContract('SQLite', sqliteStore);
privacyContract('PostgreSQL', postgresStore);
