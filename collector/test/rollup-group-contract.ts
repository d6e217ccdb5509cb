/**
 * The rollups of one group commit (issue 14: the SQLite writer sums a transaction's differences and applies
 * them once per rollup row; PostgreSQL writes a group with one statement per table): one session written
 * several times in one transaction, up and down in seq, across days, users, bands and sites, a page dropped
 * and brought back, and records refused (a lower seq, a full site-day) leave every rollup equal to its
 * recomputation. Run against every store (store-sqlite.test.ts, store-postgres.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/records';
import { toSessionRow } from '../src/ingest/rows';
import { session, type TestStore } from './fixtures';
import { expectInactiveMatchesSessions, expectRollupMatchesSessions } from './store-contract';

const T = 1_770_000_000_000;
const rows = (...records: SessionRecord[]) => records.map((r) => toSessionRow(r, T));
const page = (path: string, engagedMs: number, at: string) => ({ path, views: 1, engagedMs, firstSeenAt: at, lastSeenAt: at, band: null });

/** Version `seq` of one session: it moves day, user, band and pages as seq grows. */
function version(seq: number, over: Partial<SessionRecord> = {}): SessionRecord {
  const startedAt = seq % 3 === 0 ? '2026-03-11T08:00:00.000Z' : '2026-03-10T08:00:00.000Z';
  const engagedMs = 20_000 + 90_000 * seq;
  const pages = [page('/a', engagedMs / 2, startedAt), ...(seq % 2 === 0 ? [] : [page('/b', engagedMs / 4, startedAt)]), page(`/c${seq % 2}`, 1_000, startedAt)];
  return { ...session({ startedAt, durationMs: engagedMs + 60_000, engagedMs, sampleRate: seq % 2 === 0 ? 0.5 : 1, userId: seq >= 4 ? 'ada' : null, pages }), id: 'g1', anonymousId: 'anon-g1', seq, ...over };
}

export function rollupGroupContract(name: string, open: () => Promise<TestStore>) {
  describe(`${name}: rollups of one group commit equal their recomputation`, () => {
    let t: TestStore;
    beforeEach(async () => {
      t = await open();
    });
    afterEach(async () => t.dispose());

    it('after one session written several times in one ingest and in concurrent ones, up and down in seq, across days, users, bands and pages', async () => {
      await t.store.ingest(rows(version(1), session({ id: 'other', userId: 'ada' })), []);
      await t.store.ingest(rows(version(2), version(3), version(2), version(5), version(4)), []);
      await expectRollupMatchesSessions(t.store, t.raw);
      await expectInactiveMatchesSessions(t.store, t.raw);
      // Concurrent ingests: one group commit in SQLite, whatever order they are written in.
      await Promise.all([6, 9, 7, 8, 8, 6].map((seq) => t.store.ingest(rows(version(seq)), [])));
      await expectRollupMatchesSessions(t.store, t.raw);
      await expectInactiveMatchesSessions(t.store, t.raw);
      const stored = await t.raw({ sql: "SELECT seq FROM sessions WHERE id = 'g1'", params: [] });
      expect(Number(stored[0]!.seq)).toBe(9);
    });

    it('after records refused over quota in the same group as the records written, which change no rollup', async () => {
      const limits = { sessionsPerSiteDay: 2 };
      const results = await Promise.all([
        t.store.ingest(rows(version(1)), [], limits),
        t.store.ingest(rows(session({ id: 'q1' }), session({ id: 'q2' }), session({ id: 'q3' })), [], limits),
        t.store.ingest(rows(version(2), session({ id: 'q4', startedAt: '2026-03-12T08:00:00.000Z' })), [], limits),
      ]);
      expect(results.reduce((n, r) => n + (r.overQuota?.length ?? 0), 0)).toBe(2);
      expect((await t.store.counts()).sessions).toBe(3);
      await expectRollupMatchesSessions(t.store, t.raw);
      await expectInactiveMatchesSessions(t.store, t.raw);
    });
  });
}
