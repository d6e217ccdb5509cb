/**
 * The dashboard reports' store contract (store/reports/), run on SQLite and PostgreSQL like
 * store-contract.ts: each figure is checked against a recomputation in plain JS from the records that were
 * ingested, across sites, a `meta` dimension filter, sampling weights and replacements by a higher seq.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord, SessionRecord } from '../../src/core/records';
import { collapse, toAlertRow, toSessionRow } from '../src/ingest/rows';
import { DURATION_BOUNDS_MS } from '../src/store/buckets';
import type { DayRange, Store } from '../src/store/types';
import { alert, session, type TestStore } from './fixtures';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A small generated world: 3 sites, 12 users (4 anonymous), 30 days, plans, lessons, alerts, sampling. */
export function world(): { sessions: SessionRecord[]; alerts: AlertRecord[]; replaced: SessionRecord[] } {
  const sessions: SessionRecord[] = [];
  const alerts: AlertRecord[] = [];
  let x = 7;
  const rand = () => ((x = (x * 48271) % 2147483647) / 2147483647);
  for (let i = 0; i < 160; i++) {
    const user = i % 12;
    const siteId = ['learn', 'learn', 'demo', 'shop'][i % 4]!;
    const start = T0 + Math.floor(rand() * 30) * DAY + Math.floor(rand() * DAY);
    const durationMs = Math.floor(rand() * 2_400_000);
    const engagedMs = Math.floor(durationMs * (0.3 + rand() * 0.7));
    const lessons = Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, k) => k + 1 + Math.floor(rand() * 3));
    const paths = [...new Set(lessons.map((l) => `/lessons/${l}`))];
    const share = engagedMs / paths.length;
    const meta: Record<string, string | number | boolean | null> = {};
    if (i % 5 !== 0) meta.plan = ['free', 'pro', 'team'][user % 3]!;
    if (i % 7 === 0) meta.beta = i % 2 === 0;
    if (i % 11 === 0) meta.cohort = 2026;
    if (i % 13 === 0) meta.empty = null;
    sessions.push(session({
      siteId, id: `w${i}`, seq: 2, userId: user < 8 ? `learner-${user}` : null, anonymousId: `anon-${user}`,
      startedAt: iso(start), durationMs, engagedMs, sampleRate: i % 9 === 0 ? 0.5 : 1, final: true,
      pages: paths.map((path, k) => ({
        path, views: 1 + (k % 2), engagedMs: share,
        firstSeenAt: iso(start + k * 1000), lastSeenAt: iso(start + durationMs - (paths.length - 1 - k) * 1000), band: null,
      })),
      ...(Object.keys(meta).length ? { meta } : {}),
    }));
    if (engagedMs >= 30_000) alerts.push(alert({ siteId, sessionId: `w${i}`, threshold: 'casual', direction: 'above', at: iso(start + 30_000), engagedMs: 30_000 }));
    if (engagedMs < 300_000) alerts.push(alert({ siteId, sessionId: `w${i}`, threshold: 'engaged', direction: 'below', at: iso(start + durationMs), engagedMs }));
  }
  // Higher seqs that change a session's dimensions and pages: the stored meta must follow the winning record.
  const replaced = sessions.slice(0, 6).map((s, k) => ({ ...s, seq: 3, meta: k % 2 === 0 ? { plan: 'enterprise' } : {}, engagedMs: s.engagedMs }));
  return { sessions, alerts, replaced };
}

const RANGES: DayRange[] = [
  { start: '2026-03-01', end: '2026-03-31' },
  { start: '2026-03-05', end: '2026-03-12', siteId: 'learn' },
  { start: '2026-03-01', end: '2026-03-31', meta: { key: 'plan', value: 'pro' } },
  { start: '2026-03-10', end: '2026-03-31', siteId: 'learn', meta: { key: 'plan', value: 'enterprise' } },
  { start: '2026-03-01', end: '2026-03-31', meta: { key: 'beta', value: 'true' } },
  { start: '2026-03-01', end: '2026-03-31', meta: { key: 'cohort', value: '2026' } },
  { start: '2027-01-01', end: '2027-01-31' },
];

const dayOf = (s: SessionRecord) => s.startedAt.slice(0, 10);
const w = (s: SessionRecord) => 1 / s.sampleRate;
const metaValue = (s: SessionRecord, key: string) => {
  const v = s.meta?.[key];
  return v === undefined || v === null ? undefined : String(v);
};
const inScope = (range: Pick<DayRange, 'siteId' | 'meta'>) => (s: SessionRecord) =>
  (range.siteId === undefined || s.siteId === range.siteId) && (!range.meta || metaValue(s, range.meta.key) === range.meta.value);
const inRange = (range: DayRange) => (s: SessionRecord) => dayOf(s) >= range.start && dayOf(s) <= range.end && inScope(range)(s);
const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, b) => a + f(b), 0);
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
const sortBy = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** Deep equality with floats compared to 1e-6 relative (the databases add in another order). */
function same(actual: unknown, expected: unknown, label: string): void {
  if (typeof expected === 'number') expect(typeof actual === 'number' && near(actual, expected), `${label}: ${String(actual)} vs ${expected}`).toBe(true);
  else if (Array.isArray(expected)) {
    expect((actual as unknown[]).length, `${label} length`).toBe(expected.length);
    expected.forEach((e, i) => same((actual as unknown[])[i], e, `${label}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), label).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) same((actual as Record<string, unknown>)[k], v, `${label}.${k}`);
  } else expect(actual, label).toEqual(expected);
}

export function dashboardContract(name: string, open: () => Promise<TestStore>) {
  describe(`${name} store: dashboard reports`, () => {
    let t: TestStore;
    let store: Store;
    let sessions: SessionRecord[];
    let alerts: AlertRecord[];
    beforeAll(async () => {
      t = await open();
      store = t.store;
      const data = world();
      await store.ingest(data.sessions.map((s) => toSessionRow(s, 0)), data.alerts.map((a) => toAlertRow(a, 0)));
      await store.ingest(data.replaced.map((s) => toSessionRow(s, 0)), []);
      sessions = collapse([...data.sessions, ...data.replaced], []).sessions;
      alerts = data.alerts;
    });
    afterAll(async () => t.dispose());

    it('lists every site with its weighted sessions', async () => {
      const expected = [...new Set(sessions.map((s) => s.siteId))].map((siteId) => ({ siteId, weighted: sum(sessions.filter((s) => s.siteId === siteId), w) }));
      same(sortBy(await store.sites(), (s) => s.siteId), sortBy(expected, (s) => s.siteId), 'sites');
    });

    it('answers the rolled-up reports under a dimension filter as a recomputation over the matching sessions', async () => {
      for (const range of RANGES) {
        const label = JSON.stringify(range);
        const mine = sessions.filter(inRange(range));
        const agg = (xs: SessionRecord[]) => ({ n: xs.length, weighted: sum(xs, w), durationMs: sum(xs, (s) => s.durationMs), engagedMs: sum(xs, (s) => s.engagedMs) });
        same(await store.summary(range), {
          ...agg(mine), users: new Set(mine.map((s) => s.userId ?? s.anonymousId)).size, shortWeighted: sum(mine.filter((s) => s.engagedMs < 30_000), w),
        }, `summary ${label}`);
        const days = [...new Set(mine.map(dayOf))].sort();
        same(sortBy(await store.daily(range), (d) => d.day), days.map((day) => ({ day, ...agg(mine.filter((s) => dayOf(s) === day)) })), `daily ${label}`);
        const edges = [0, ...DURATION_BOUNDS_MS, Infinity];
        same(await store.durationBuckets(range, DURATION_BOUNDS_MS), edges.slice(0, -1).map((lo, i) => sum(mine.filter((s) => s.durationMs >= lo && s.durationMs < edges[i + 1]!), w)), `durations ${label}`);
        const h = (b: keyof SessionRecord['breaks']['histogram']) => sum(mine, (s) => s.breaks.histogram[b] * w(s));
        same(await store.breaks(range), {
          n: mine.length, weighted: sum(mine, w), breaksWeighted: sum(mine, (s) => s.breaks.count * w(s)), breaksRaw: sum(mine, (s) => s.breaks.count),
          totalMsWeighted: sum(mine, (s) => s.breaks.totalMs * w(s)), histogram: { '<30s': h('<30s'), '30s-2m': h('30s-2m'), '2m-10m': h('2m-10m'), '>=10m': h('>=10m') },
        }, `breaks ${label}`);
        const bands = [...new Set(mine.map((s) => s.band))];
        same(sortBy(await store.bands(range), (b) => b.band ?? ''), sortBy(bands.map((band) => {
          const xs = mine.filter((s) => s.band === band);
          return { band, weighted: sum(xs, w), minEngagedMs: Math.min(...xs.map((s) => s.engagedMs)) };
        }), (b) => b.band ?? ''), `bands ${label}`);
        const pages = mine.flatMap((s) => s.pages.map((p) => ({ ...p, s })));
        const paths = [...new Set(pages.map((p) => p.path))];
        const expectedPages = paths.map((path) => {
          const xs = pages.filter((p) => p.path === path);
          return { path, viewsWeighted: sum(xs, (p) => p.views * w(p.s)), sessionsWeighted: sum(xs, (p) => w(p.s)), engagedMsWeighted: sum(xs, (p) => Math.round(p.engagedMs) * w(p.s)), n: xs.length, engagedMs: sum(xs, (p) => Math.round(p.engagedMs)) };
        });
        same(sortBy(await store.pages(range, 1000), (p) => p.path), sortBy(expectedPages, (p) => p.path), `pages ${label}`);
        const keys = [...new Set(mine.map((s) => s.userId ?? s.anonymousId))];
        same(sortBy(await store.perUser(range), (u) => u.userKey), sortBy(keys.map((userKey) => ({ userKey, ...agg(mine.filter((s) => (s.userId ?? s.anonymousId) === userKey)) })), (u) => u.userKey), `perUser ${label}`);
      }
    });

    it('counts alerts per day, threshold and direction, and lists the latest with their user', async () => {
      const bySession = new Map(sessions.map((s) => [`${s.siteId}/${s.id}`, s]));
      for (const range of RANGES) {
        const label = JSON.stringify(range);
        const lo = Date.parse(`${range.start}T00:00:00Z`);
        const hi = Date.parse(`${range.end}T00:00:00Z`) + DAY;
        const mine = alerts.filter((a) => {
          const s = bySession.get(`${a.siteId}/${a.sessionId}`)!;
          return Date.parse(a.at) >= lo && Date.parse(a.at) < hi && inScope(range)({ ...s, siteId: a.siteId });
        });
        const groups = new Map<string, { dayIndex: number; threshold: string; direction: string; count: number }>();
        for (const a of mine) {
          const dayIndex = Math.floor(Date.parse(a.at) / DAY);
          const key = `${dayIndex}/${a.threshold}/${a.direction}`;
          const g = groups.get(key) ?? { dayIndex, threshold: a.threshold, direction: a.direction, count: 0 };
          g.count++;
          groups.set(key, g);
        }
        const key = (g: { dayIndex: number; threshold: string; direction: string }) => `${String(g.dayIndex).padStart(8, '0')}/${g.threshold}/${g.direction}`;
        same(sortBy(await store.alertCounts(range), key), sortBy([...groups.values()], key), `alert counts ${label}`);
        const latest = [...mine].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0) || (a.threshold < b.threshold ? -1 : 1)).slice(0, 7);
        same(await store.latestAlerts(range, 7), latest.map((a) => ({
          siteId: a.siteId, sessionId: a.sessionId, threshold: a.threshold, direction: a.direction, at: Date.parse(a.at), engagedMs: Math.round(a.engagedMs),
          userId: bySession.get(`${a.siteId}/${a.sessionId}`)!.userId,
        })), `latest alerts ${label}`);
      }
    });

    it('lists meta keys and the values of one key from the winning record of each session', async () => {
      for (const range of RANGES) {
        const label = JSON.stringify(range);
        const mine = sessions.filter(inRange(range));
        const keys = [...new Set(mine.flatMap((s) => Object.keys(s.meta ?? {}).filter((k) => metaValue(s, k) !== undefined)))];
        same(sortBy(await store.dimensionKeys(range), (k) => k.key), sortBy(keys.map((key) => ({ key, weighted: sum(mine.filter((s) => metaValue(s, key) !== undefined), w) })), (k) => k.key), `keys ${label}`);
        for (const key of ['plan', 'beta', 'cohort']) {
          const values = [...new Set(mine.map((s) => metaValue(s, key)).filter((v): v is string => v !== undefined))];
          const expected = values.map((value) => {
            const xs = mine.filter((s) => metaValue(s, key) === value);
            return { value, n: xs.length, weighted: sum(xs, w), users: new Set(xs.map((s) => s.userId ?? s.anonymousId)).size, engagedMs: sum(xs, (s) => s.engagedMs), engagedMsWeighted: sum(xs, (s) => s.engagedMs * w(s)) };
          });
          same(sortBy(await store.dimensionValues(range, key, 100), (v) => v.value), sortBy(expected, (v) => v.value), `values ${key} ${label}`);
        }
      }
      // The replaced sessions carry their new plan, and the ones whose new record dropped it carry none.
      const enterprise = await store.dimensionValues({ start: '2026-03-01', end: '2026-03-31' }, 'plan', 100);
      expect(enterprise.find((v) => v.value === 'enterprise')?.n).toBe(3);
    });

    it("answers one page's days, entry and exit shares and users as a recomputation", async () => {
      for (const range of RANGES) {
        for (const path of ['/lessons/1', '/lessons/3', '/nowhere']) {
          const label = `${path} ${JSON.stringify(range)}`;
          const views = sessions.filter(inRange(range)).flatMap((s) => s.pages.filter((p) => p.path === path).map((p) => ({ p, s })));
          const days = [...new Set(views.map((v) => dayOf(v.s)))].sort();
          const entry = (v: (typeof views)[number]) => v.s.pages.every((o) => Date.parse(o.firstSeenAt) >= Date.parse(v.p.firstSeenAt));
          const exit = (v: (typeof views)[number]) => v.s.pages.every((o) => Date.parse(o.lastSeenAt) <= Date.parse(v.p.lastSeenAt));
          same(sortBy(await store.pageDays(range, path), (d) => d.day), days.map((day) => {
            const xs = views.filter((v) => dayOf(v.s) === day);
            return {
              day, n: xs.length, weighted: sum(xs, (v) => w(v.s)), viewsWeighted: sum(xs, (v) => v.p.views * w(v.s)), engagedMsWeighted: sum(xs, (v) => Math.round(v.p.engagedMs) * w(v.s)),
              engagedMs: sum(xs, (v) => Math.round(v.p.engagedMs)), entryWeighted: sum(xs.filter(entry), (v) => w(v.s)), exitWeighted: sum(xs.filter(exit), (v) => w(v.s)),
            };
          }), `page days ${label}`);
          const users = [...new Set(views.map((v) => v.s.userId ?? v.s.anonymousId))].map((userKey) => {
            const xs = views.filter((v) => (v.s.userId ?? v.s.anonymousId) === userKey);
            return { userKey, identified: xs.some((v) => v.s.userId !== null), weighted: sum(xs, (v) => w(v.s)), engagedMsWeighted: sum(xs, (v) => Math.round(v.p.engagedMs) * w(v.s)) };
          }).sort((a, b) => b.engagedMsWeighted - a.engagedMsWeighted || (a.userKey < b.userKey ? -1 : 1));
          same(await store.pageUsers(range, path, 5), { users: users.slice(0, 5), total: users.length }, `page users ${label}`);
        }
      }
    });

    it("answers a course's rows, identified users' first and next sessions, and who was active each day", async () => {
      for (const range of RANGES) {
        const label = JSON.stringify(range);
        const mine = sessions.filter(inRange(range));
        expect((await store.pagePaths(range)).sort(), `paths ${label}`).toEqual([...new Set(mine.flatMap((s) => s.pages.map((p) => p.path)))].sort());
        const steps = ['/lessons/1', '/lessons/2', '/lessons/4'];
        const rows = steps.flatMap((path) => {
          const xs = mine.filter((s) => s.pages.some((p) => p.path === path));
          return [...new Set(xs.map((s) => s.userId ?? s.anonymousId))].map((userKey) => {
            const ys = xs.filter((s) => (s.userId ?? s.anonymousId) === userKey);
            return { path, userKey, n: ys.length, weighted: sum(ys, w), engagedMs: sum(ys, (s) => Math.round(s.pages.find((p) => p.path === path)!.engagedMs)) };
          });
        });
        const rowKey = (r: { path: string; userKey: string }) => `${r.path}/${r.userKey}`;
        same(sortBy(await store.courseRows(range, steps), rowKey), sortBy(rows, rowKey), `course ${label}`);

        const scope = sessions.filter(inScope(range)).filter((s) => s.userId !== null);
        const lo = Date.parse(`${range.start}T00:00:00Z`);
        const hi = Date.parse(`${range.end}T00:00:00Z`) + DAY;
        const firsts = [...new Set(scope.map((s) => s.userId!))].flatMap((userId) => {
          const xs = scope.filter((s) => s.userId === userId).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
          const firstAt = Date.parse(xs[0]!.startedAt);
          if (firstAt < lo || firstAt >= hi) return [];
          const next = xs.find((s) => Date.parse(s.startedAt) > firstAt);
          return [{ userId, firstAt, band: xs[0]!.band, firstEngagedMs: xs[0]!.engagedMs, nextAt: next ? Date.parse(next.startedAt) : null }];
        });
        same(sortBy(await store.firstSessions(range), (f) => f.userId), sortBy(firsts, (f) => f.userId), `first sessions ${label}`);

        const active = [...new Set(mine.map((s) => `${dayOf(s)}\u0000${s.userId ?? s.anonymousId}\u0000${s.userId !== null}`))].map((k) => {
          const [day, userKey, identified] = k.split('\u0000');
          return { day: day!, userKey: userKey!, identified: identified === 'true' };
        });
        const activeKey = (r: { day: string; userKey: string }) => `${r.day}/${r.userKey}`;
        same(sortBy(await store.activeRows(range), activeKey), sortBy(active, activeKey), `active ${label}`);
      }
    });

    it('pages the per-user table on the server: search, every order, offset, total, and the stream of all rows', async () => {
      for (const range of RANGES.slice(0, 4)) {
        const mine = sessions.filter(inRange(range));
        const users = [...new Set(mine.map((s) => s.userId ?? s.anonymousId))].map((userKey) => {
          const xs = mine.filter((s) => (s.userId ?? s.anonymousId) === userKey);
          return { userKey, identified: xs.some((s) => s.userId !== null), n: xs.length, weighted: sum(xs, w), durationMs: sum(xs, (s) => s.durationMs), engagedMs: sum(xs, (s) => s.engagedMs) };
        });
        const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
        for (const search of [undefined, 'LEARNER-', 'anon', '1', 'nobody%_']) {
          const matching = users.filter((u) => search === undefined || u.userKey.toLowerCase().includes(search.toLowerCase()));
          same(await store.perUserTotal(range, search), { total: matching.length, identified: matching.filter((u) => u.identified).length }, `total ${search}`);
          for (const by of ['average_duration', 'sessions', 'user_id'] as const) {
            for (const direction of ['asc', 'desc'] as const) {
              const value = (u: (typeof users)[number]) => (by === 'average_duration' ? u.durationMs / u.n : u.weighted);
              const sorted = [...matching].sort((a, b) => {
                const d = by === 'user_id' ? text(a.userKey, b.userKey) : value(a) - value(b);
                return (direction === 'desc' ? -d : d) || (by === 'user_id' ? 0 : text(a.userKey, b.userKey));
              });
              const label = `${JSON.stringify(range)} ${search} ${by} ${direction}`;
              const order = { by, direction };
              same(await store.perUserPage(range, { search, order, limit: 3, offset: 2 }), sorted.slice(2, 5), `page ${label}`);
              const streamed = [];
              for await (const r of store.perUserRows(range, { search, order }, 2)) streamed.push(r);
              same(streamed, sorted, `stream ${label}`);
            }
          }
        }
      }
    });
  });
}
