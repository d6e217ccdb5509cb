/**
 * The distinct-users rollup (migration 011: user_day, day_users, site_day_users) behind summary.users,
 * for every store: after inserts, replacements that change a session's user or day, and concurrent
 * out-of-order arrivals, the users of every range of a set of days, over all sites and per site, equal
 * those counted from the sessions the store should hold (the highest seq of each), computed here.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/records';
import { toSessionRow } from '../src/ingest/rows';
import type { Store } from '../src/store/types';
import { session, type TestStore } from './fixtures';

const DAYS = ['2026-03-01', '2026-03-02', '2026-03-09', '2026-03-10', '2026-03-31', '2026-04-01', '2026-04-20'];
const SITES = [undefined, 'site-a', 'site-b'];

/** Users (userId, else anonymousId) of the newest snapshot of each session that started in [start, end]. */
function expectedUsers(stored: Iterable<SessionRecord>, start: string, end: string, siteId?: string): number {
  const users = new Set<string>();
  for (const s of stored) {
    const day = s.startedAt.slice(0, 10);
    if (day >= start && day <= end && (siteId === undefined || s.siteId === siteId)) users.add(s.userId ?? s.anonymousId);
  }
  return users.size;
}

async function expectUsersExact(store: Store, stored: Iterable<SessionRecord>) {
  const list = [...stored];
  for (const [i, start] of DAYS.entries()) {
    for (const end of DAYS.slice(i)) {
      for (const siteId of SITES) {
        const label = `${start}..${end} ${siteId ?? 'all sites'}`;
        expect((await store.summary({ start, end, siteId })).users, label).toBe(expectedUsers(list, start, end, siteId));
      }
    }
  }
}

/** The newest (highest seq) of each (siteId, id): what the store keeps. */
function newest(records: SessionRecord[]) {
  const m = new Map<string, SessionRecord>();
  for (const r of records) {
    const k = `${r.siteId}\u0000${r.id}`;
    if (!m.has(k) || m.get(k)!.seq < r.seq) m.set(k, r);
  }
  return m.values();
}

export function distinctUsersContract(name: string, open: () => Promise<TestStore>) {
  describe(`${name}: distinct-users rollup (day_users) equals the users counted from the stored sessions`, () => {
    let t: TestStore;
    beforeEach(async () => {
      t = await open();
    });
    afterEach(async () => t.dispose());

    const at = (day: string, h = 10) => `${day}T${String(h).padStart(2, '0')}:00:00.000Z`;
    // ada on both sites and several days (twice on one), bob twice a day, anonymous visitors, cy on site-b.
    const mix = () => [
      session({ id: 'd1', userId: 'ada', startedAt: at('2026-03-01') }),
      session({ id: 'd2', userId: 'ada', startedAt: at('2026-03-01', 20) }),
      session({ id: 'd3', userId: 'ada', startedAt: at('2026-03-10') }),
      session({ id: 'd4', siteId: 'site-b', userId: 'ada', startedAt: at('2026-03-09') }),
      session({ id: 'd5', siteId: 'site-b', userId: 'ada', startedAt: at('2026-04-01') }),
      session({ id: 'd6', userId: 'bob', startedAt: at('2026-03-02') }),
      session({ id: 'd7', userId: 'bob', startedAt: at('2026-03-02', 23) }),
      session({ id: 'd8', userId: 'bob', startedAt: at('2026-03-31') }),
      session({ id: 'd9', userId: null, anonymousId: 'anon-x', startedAt: at('2026-03-09') }),
      session({ id: 'd10', userId: null, anonymousId: 'anon-y', startedAt: at('2026-03-10') }),
      session({ id: 'd11', siteId: 'site-b', userId: 'cy', startedAt: at('2026-03-31') }),
      session({ id: 'd12', siteId: 'site-b', userId: 'cy', startedAt: at('2026-04-20') }),
    ];
    const rows = (records: SessionRecord[]) => records.map((r) => toSessionRow(r, 0));

    it('after inserts, batched and one by one', async () => {
      const [first, ...rest] = mix();
      await t.store.ingest(rows([first!]), []);
      await t.store.ingest(rows(rest), []);
      await expectUsersExact(t.store, mix());
    });

    it('after replacements that identify anonymous visitors, change users and move sessions across days', async () => {
      await t.store.ingest(rows(mix()), []);
      const later = mix().map((s, i) => ({
        ...s,
        seq: 2,
        // anon-x becomes ada (who was already active that day on site-b), anon-y becomes dan; bob's d7 becomes cy's.
        userId: s.id === 'd9' ? 'ada' : s.id === 'd10' ? 'dan' : s.id === 'd7' ? 'cy' : s.userId,
        // Every third session moves a day later, so days empty, fill and change neighbours.
        startedAt: i % 3 === 0 ? new Date(Date.parse(s.startedAt) + 86_400_000).toISOString() : s.startedAt,
      }));
      await t.store.ingest(rows(later.slice(0, 5)), []);
      await expectUsersExact(t.store, newest([...mix(), ...later.slice(0, 5)]));
      await t.store.ingest(rows(later.slice(5)), []);
      await expectUsersExact(t.store, later);
      // And back: the first snapshots' days and users return with a higher seq.
      const back = mix().map((s) => ({ ...s, seq: 3 }));
      await t.store.ingest(rows(back), []);
      await expectUsersExact(t.store, back);
    });

    it('after out-of-order, duplicate and concurrent arrivals that change users and days', async () => {
      const users = ['ada', 'bob', null, 'cy'];
      const versions = mix().flatMap((s, i) =>
        [1, 2, 3, 4].map((seq) => ({
          ...s,
          seq,
          userId: users[(i + seq) % 4]!,
          startedAt: at(DAYS[(i * 5 + seq * 3) % DAYS.length]!, 1 + ((i + seq) % 20)),
        })),
      );
      const shuffled = [...versions, ...versions].sort(() => Math.random() - 0.5);
      const batches: SessionRecord[][] = [];
      for (let i = 0; i < shuffled.length; i += 4) batches.push([...newest(shuffled.slice(i, i + 4))]);
      await Promise.all(batches.map((b) => t.store.ingest(rows(b), [])));
      await expectUsersExact(t.store, newest(versions));
    });
  });
}
