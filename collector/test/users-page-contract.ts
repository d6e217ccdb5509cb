/**
 * The paged per-user table (store.perUserPage, perUserTotal, perUserTable, perUserRows) against the whole answer of the
 * same store (store.perUser) sorted and sliced: the same rows, in the same order including ties, and the
 * same totals, for every order, several offsets and searches, and ranges that cut months at their edges
 * (the page reads years, months and days from user_year, user_month and sessions, some of them taken away). Run on every store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/records';
import { collapse, toSessionRow } from '../src/ingest/rows';
import type { DayRange, Store, UserAggregate } from '../src/store/types';
import { session, type TestStore } from './fixtures';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-10T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * 240 sessions over four months and a half, 3 sites, 16 users: durations from a few values and sample
 * rates of 1 and 0.5 so that averages and weighted counts tie; some users anonymous only, and the key
 * 'anon-3' both an anonymous id and, on one session, a user id. Higher seqs move sessions across months.
 */
function world(): { sessions: SessionRecord[]; replaced: SessionRecord[] } {
  const sessions: SessionRecord[] = [];
  let x = 11;
  const rand = () => ((x = (x * 48271) % 2147483647) / 2147483647);
  for (let i = 0; i < 240; i++) {
    const user = i % 16;
    const start = T0 + Math.floor(rand() * 130) * DAY + Math.floor(rand() * DAY);
    const durationMs = [60_000, 120_000, 180_000, 600_000][Math.floor(rand() * 4)]!;
    const userId = i === 17 ? 'anon-3' : user < 10 ? `Learner-${user}` : null;
    sessions.push(session({
      siteId: ['learn', 'learn', 'demo', 'shop'][i % 4]!, id: `u${i}`, seq: 2, userId, anonymousId: `anon-${user}`,
      startedAt: iso(start), durationMs, engagedMs: durationMs / 2, sampleRate: i % 7 === 0 ? 0.5 : 1, final: true, pages: [],
    }));
  }
  const replaced = sessions.slice(0, 8).map((s, k) => ({ ...s, seq: 3, startedAt: iso(Date.parse(s.startedAt) + (k + 1) * 9 * DAY), durationMs: 120_000 }));
  return { sessions, replaced };
}

const RANGES: DayRange[] = [
  { start: '2026-01-15', end: '2026-04-10' },
  { start: '2026-02-01', end: '2026-04-30' },
  { start: '2026-02-10', end: '2026-02-20' },
  { start: '2026-01-31', end: '2026-03-01', siteId: 'learn' },
  { start: '2026-01-01', end: '2026-05-31', siteId: ['learn', 'demo'] },
  { start: '2027-01-01', end: '2027-02-28' },
  // Read as blocks less what lies outside them (store/queries/spans.ts): the year less Jan 1-11, Feb-Mar less Mar 29-31.
  { start: '2026-01-12', end: '2026-12-31', siteId: ['learn', 'shop'] },
  { start: '2026-01-20', end: '2026-03-28' },
];
const ORDERS = [
  { by: 'average_duration', direction: 'desc' }, { by: 'average_duration', direction: 'asc' },
  { by: 'sessions', direction: 'desc' }, { by: 'sessions', direction: 'asc' },
  { by: 'user_id', direction: 'asc' }, { by: 'user_id', direction: 'desc' },
] as const;

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const inScope = (range: DayRange) => (s: SessionRecord) => {
  const day = s.startedAt.slice(0, 10);
  const sites = range.siteId === undefined ? undefined : typeof range.siteId === 'string' ? [range.siteId] : range.siteId;
  return day >= range.start && day <= range.end && (sites === undefined || sites.includes(s.siteId));
};

/** The whole answer's rows in the order asked, ties by user id (byte order). */
function sortedWhole(whole: UserAggregate[], order: (typeof ORDERS)[number]): UserAggregate[] {
  const value = (u: UserAggregate) => (order.by === 'average_duration' ? u.durationMs / u.n : u.weighted);
  return [...whole].sort((a, b) => {
    const d = order.by === 'user_id' ? text(a.userKey, b.userKey) : value(a) - value(b);
    return (order.direction === 'desc' ? -d : d) || (order.by === 'user_id' ? 0 : text(a.userKey, b.userKey));
  });
}

export function usersPageContract(name: string, open: () => Promise<TestStore>) {
  describe(`${name} store: the paged per-user table equals the whole answer sorted and sliced`, () => {
    let t: TestStore;
    let store: Store;
    let sessions: SessionRecord[];
    beforeAll(async () => {
      t = await open();
      store = t.store;
      const data = world();
      await store.ingest(data.sessions.map((s) => toSessionRow(s, 0)), []);
      await store.ingest(data.replaced.map((s) => toSessionRow(s, 0)), []);
      sessions = collapse([...data.sessions, ...data.replaced], []).sessions;
    });
    afterAll(async () => t.dispose());

    it('answers every page, total and stream as the whole answer does', async () => {
      for (const range of RANGES) {
        const identified = new Set(sessions.filter(inScope(range)).filter((s) => s.userId !== null).map((s) => s.userId!));
        const whole = await store.perUser(range);
        for (const search of [undefined, 'learner-', 'ANON', '3', 'none%_']) {
          const matching = whole.filter((u) => search === undefined || u.userKey.toLowerCase().includes(search.toLowerCase()));
          const label = `${JSON.stringify(range)} ${search}`;
          expect(await store.perUserTotal(range, search), `total ${label}`).toEqual({ total: matching.length, identified: matching.filter((u) => identified.has(u.userKey)).length });
          for (const order of ORDERS) {
            const expected = sortedWhole(matching, order).map((u) => ({ ...u, identified: identified.has(u.userKey) }));
            for (const [offset, limit] of [[0, 4], [3, 4], [7, 5], [0, 1000], [40, 10]] as const) {
              const page = await store.perUserPage(range, { search, order, limit, offset });
              expect(page, `page ${label} ${order.by} ${order.direction} ${offset}`).toEqual(expected.slice(offset, offset + limit));
              expect(await store.perUserTable(range, { search, order, limit, offset }), `table ${label} ${order.by} ${order.direction} ${offset}`).toEqual({
                rows: expected.slice(offset, offset + limit), total: matching.length, identified: matching.filter((u) => identified.has(u.userKey)).length,
              });
            }
            const streamed = [];
            for await (const r of store.perUserRows(range, { search, order }, 3)) streamed.push(r);
            expect(streamed, `stream ${label} ${order.by} ${order.direction}`).toEqual(expected);
          }
        }
      }
      // Some 3,000 queries: ClickHouse on two shards takes most of a minute on a busy machine.
    }, 180_000);
  });
}
