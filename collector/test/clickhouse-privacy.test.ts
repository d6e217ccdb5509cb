/**
 * Erasure, export and retention on the ClickHouse store, held to the SQLite store given the same
 * records and the same operations: the same counts, and afterwards every report equal (retention also
 * on two shards, where its kept rows are written through the Distributed tables).
 */
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/records';
import { toAlertRow, toSessionRow } from '../src/ingest/rows';
import { DURATION_BOUNDS_MS } from '../src/store/buckets';
import type { Store } from '../src/store/types';
import { clickhouseCluster, clickhouseStore, clickhouseUrl } from './clickhouse-fixtures';
import { alert, session } from './fixtures';
import { namedInSection } from './privacy-page';
import { clickHouseHttp } from '../src/store/clickhouse/http';

const T = 1_770_000_000_000;
const YEAR = { start: '2026-01-01', end: '2026-12-31' };
const MARCH = { start: '2026-03-01', end: '2026-03-31' };

function population(): { batches: SessionRecord[][]; alerts: ReturnType<typeof alert>[] } {
  const ada = (id: string, startedAt: string, over: Partial<SessionRecord> = {}) =>
    session({ id, startedAt, userId: 'ada', anonymousId: 'browser-ada', durationMs: 400_000, engagedMs: 320_000, ...over });
  const before = session({ id: 'ada-pre', startedAt: '2026-03-10T09:00:00.000Z', userId: null, anonymousId: 'browser-ada', durationMs: 50_000, engagedMs: 40_000 });
  const bob = (id: string, startedAt: string, over: Partial<SessionRecord> = {}) =>
    session({ id, startedAt, userId: 'bob', anonymousId: 'browser-bob', durationMs: 200_000, engagedMs: 150_000, sampleRate: 0.25, ...over });
  const withAttention = (s: SessionRecord): SessionRecord => ({
    ...s, meta: { plan: 'pro' }, pages: s.pages.map((p) => ({ ...p, vitals: { LCP: 1200, CLS: 0.02 }, scroll: { depth: 0.8, reachedMs: { 25: 0, 50: 4000 } } })),
  });
  return {
    batches: [
      [ada('a1', '2026-03-10T10:00:00.000Z'), ada('a2', '2026-03-31T23:30:00.000Z', { siteId: 'site-b' }), ada('a3', '2026-04-02T08:00:00.000Z'), before],
      [{ ...before, seq: 2, userId: 'ada', durationMs: 90_000, engagedMs: 70_000, lastActiveAt: '2026-03-10T09:01:30.000Z' },
        withAttention({ ...ada('a1', '2026-03-10T10:00:00.000Z'), seq: 3, durationMs: 500_000, engagedMs: 450_000, lastActiveAt: '2026-03-10T10:08:20.000Z' })],
      [withAttention(bob('b1', '2026-03-10T10:30:00.000Z')), bob('b2', '2026-04-02T09:00:00.000Z', { siteId: 'site-b' }), bob('b3', '2026-02-01T09:00:00.000Z'),
        session({ id: 'stranger', startedAt: '2026-03-10T11:00:00.000Z', anonymousId: 'browser-x', durationMs: 20_000, engagedMs: 20_000 })],
    ],
    alerts: [alert({ sessionId: 'a1', threshold: 'casual' }), alert({ sessionId: 'a1', threshold: 'engaged', engagedMs: 300_000 }), alert({ sessionId: 'b1', threshold: 'casual' }),
      alert({ sessionId: 'ada-pre', threshold: 'casual', at: '2026-03-10T09:00:40.000Z' })],
  };
}

async function seeded(options: { cluster?: string } = {}) {
  const t = await clickhouseStore(options);
  const p = population();
  for (const batch of p.batches) await t.store.ingest(batch.map((s) => toSessionRow(s, T)), []);
  await t.store.ingest([], p.alerts.map((a) => toAlertRow(a, T)));
  return t;
}

const sortBy = <R>(rows: R[], key: (r: R) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

/** Every report of the two stores, side by side; `users` of summary apart where retention drops them differently. */
async function reports(store: Store) {
  return {
    summary: await store.summary(YEAR),
    daily: sortBy(await store.daily(YEAR), (d) => d.day),
    durations: await store.durationBuckets(YEAR, DURATION_BOUNDS_MS),
    breaks: await store.breaks(YEAR),
    bands: sortBy(await store.bands(YEAR), (b) => b.band ?? ''),
    perUser: sortBy(await store.perUser(YEAR), (u) => u.userKey),
    perUserMarch: sortBy(await store.perUser(MARCH), (u) => u.userKey),
    pages: await store.pages(YEAR, 100),
    inactive: await store.inactiveUsers(Date.parse('2027-01-01'), 100),
    counts: await store.counts(),
  };
}

describe('ClickHouse store: erasure, export and retention', () => {
  it('has only tables that docs/privacy.md describes', async () => {
    const t = await clickhouseStore();
    try {
      const tables = await clickHouseHttp({ url: clickhouseUrl(), database: t.database }).rows<{ name: string }>(`SELECT name FROM system.tables WHERE database = '${t.database}'`);
      expect(tables.length).toBeGreaterThan(5);
      const named = namedInSection();
      expect(tables.map((r) => r.name).filter((n) => !named.has(n))).toEqual([]);
    } finally {
      await t.dispose();
    }
  });

  it('erases a user as SQLite does, and every report then equals SQLite\'s', async () => {
    const t = await seeded();
    try {
      const [mine, theirs] = await Promise.all([t.store.erase({ userId: 'ada' }), t.oracle.erase({ userId: 'ada' })]);
      expect(mine).toEqual(theirs);
      expect(mine.sessions).toBe(4);
      expect(await reports(t.store)).toEqual(await reports(t.oracle));
      expect(JSON.stringify(await t.store.exportPerson({ userId: 'ada' }, T))).not.toContain('"a1"');
      expect(await t.store.erase({ userId: 'ada' })).toEqual({ sessions: 0, records: 0, pages: 0, alerts: 0, attention: 0, meta: 0, anonymousIds: [] });
    } finally {
      await t.dispose();
    }
  });

  it('erases a browser by anonymous id, with its identified sessions, as SQLite does', async () => {
    const t = await seeded();
    try {
      expect(await t.store.erase({ anonymousId: 'browser-ada' })).toEqual(await t.oracle.erase({ anonymousId: 'browser-ada' }));
      expect(await reports(t.store)).toEqual(await reports(t.oracle));
    } finally {
      await t.dispose();
    }
  });

  it('exports the same sessions, records, pages, alerts, dimensions and attention figures of a user as SQLite', async () => {
    const t = await seeded();
    try {
      const at = Date.parse('2026-05-01T00:00:00.000Z');
      const [mine, theirs] = await Promise.all([t.store.exportPerson({ userId: 'ada' }, at), t.oracle.exportPerson({ userId: 'ada' }, at)]);
      expect(mine.person).toEqual(theirs.person);
      expect(mine.exported_at).toBe(theirs.exported_at);
      expect(mine.sessions.map((s) => [s.id, s.seq, s.user_id, s.duration_ms, s.record])).toEqual(theirs.sessions.map((s) => [s.id, s.seq, s.user_id, s.duration_ms, s.record]));
      const pageKey = (p: Record<string, unknown>) => `${String(p.session_id)} ${String(p.path)} ${String(p.views)} ${String(p.engaged_ms)}`;
      expect(mine.pages.map(pageKey).sort()).toEqual(theirs.pages.map(pageKey).sort());
      const alertKey = (a: Record<string, unknown>) => `${String(a.session_id)} ${String(a.threshold)} ${String(a.direction)} ${String(a.at)}`;
      expect(mine.alerts.map(alertKey).sort()).toEqual(theirs.alerts.map(alertKey).sort());
      expect(mine.meta.map((m) => [m.session_id, m.key, m.value])).toEqual(theirs.meta.map((m) => [m.session_id, m.key, m.value]));
      for (const table of ['page_vitals', 'page_scroll']) {
        expect(mine.attention[table]!.map((r) => `${String(r.session_id)} ${String(r.name ?? r.depth)}`).sort(), table).toEqual(
          theirs.attention[table]!.map((r) => `${String(r.session_id)} ${String(r.name ?? r.depth)}`).sort(),
        );
      }
      expect(JSON.stringify(mine)).not.toContain('bob');
    } finally {
      await t.dispose();
    }
  });

  it('retention removes what SQLite removes and keeps the same site-level and page figures, on one server and on two shards', async () => {
    for (const cluster of [undefined, clickhouseCluster()]) {
      const t = await seeded({ cluster });
      try {
        const pagesBefore = await t.store.pages(YEAR, 100);
        const [mine, theirs] = await Promise.all([t.store.removeBefore('2026-04-01', Date.parse('2026-04-01')), t.oracle.removeBefore('2026-04-01', Date.parse('2026-04-01'))]);
        expect(mine).toEqual(theirs);
        const [a, b] = [await reports(t.store), await reports(t.oracle)];
        expect({ ...a, summary: { ...a.summary, users: 0 } }).toEqual({ ...b, summary: { ...b.summary, users: 0 } });
        expect(a.pages).toEqual(pagesBefore);
        expect(await t.store.removeBefore('2026-04-01', Date.parse('2026-04-01'))).toEqual({ days: [], sessions: 0, records: 0, pages: 0, alerts: 0, attention: 0, meta: 0 });
      } finally {
        await t.dispose();
      }
    }
  });
});
