/**
 * Several collector processes on one database: two collectors (each its own build() and store
 * connection, as two processes would have) write the same sessions at once, and the reports are
 * exact; the live view of one shows what the other ingested, long before its heartbeat. On every
 * store: one SQLite file, one PostgreSQL schema, one ClickHouse database.
 */
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/records';
import { build } from '../src/app';
import { openClickHouseStore } from '../src/store/clickhouse';
import { openPostgresStore } from '../src/store/postgres';
import { openSqliteStore } from '../src/store/sqlite';
import type { Store } from '../src/store/types';
import { clickhouseUrl, dropDatabase, testDatabase } from './clickhouse-fixtures';
import { databaseUrl, dropSchema, session, sqliteStore, TOKEN } from './fixtures';

const NOW = Date.parse('2026-03-20T12:00:00.000Z');

interface Shared {
  /** A second connection to the same database, as another process opens it. */
  open(): Promise<Store>;
  first: Store;
  dispose(): Promise<void>;
}

const stores: Record<string, () => Promise<Shared>> = {
  SQLite: async () => {
    const t = await sqliteStore();
    return { first: t.store, open: async () => openSqliteStore({ file: t.file }), dispose: t.dispose };
  },
  PostgreSQL: async () => {
    const schema = `sm_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const first = await openPostgresStore({ url: databaseUrl(), schema });
    await first.migrate();
    return { first, open: async () => openPostgresStore({ url: databaseUrl(), schema }), dispose: async () => { await first.close(); await dropSchema(schema); } };
  },
  ClickHouse: async () => {
    const database = testDatabase();
    const first = await openClickHouseStore({ url: clickhouseUrl(), database });
    await first.migrate();
    return { first, open: async () => openClickHouseStore({ url: clickhouseUrl(), database }), dispose: async () => { await first.close(); await dropDatabase(clickhouseUrl(), database); } };
  },
};

async function collector(store: Store) {
  // The heartbeat is an hour: any event a test sees comes from an ingest, here or in the other collector.
  const app = await build({ store, token: TOKEN, static: false, now: () => NOW, rateLimit: false, live: { heartbeatMs: 3_600_000, coalesceMs: 20 } });
  return { app, base: await app.listen({ port: 0, host: '127.0.0.1' }) };
}

const collect = (base: string, records: unknown[]) =>
  fetch(`${base}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(records) }).then((r) => r.status);

async function liveEvents(base: string, onEvent: (sessions: Array<Record<string, unknown>>) => void) {
  const res = await fetch(`${base}/api/live`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const [event, data] = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        if (event === 'event: active') onEvent(JSON.parse(data!.slice('data: '.length)).sessions);
      }
    }
  })();
  return () => reader.cancel();
}

const until = async (check: () => boolean, ms: number) => {
  for (const t0 = Date.now(); Date.now() - t0 < ms; ) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
};

for (const [name, open] of Object.entries(stores)) {
  describe(`two collectors on one ${name} database`, () => {
    it('store every session once, at its highest seq, whatever collector each snapshot reached, and each shows the other\'s ingest live', async () => {
      const shared = await open();
      const second = await shared.open();
      const a = await collector(shared.first);
      const b = await collector(second);
      let seenByB: string[] = [];
      let events = 0;
      const stopLive = await liveEvents(b.base, (sessions) => {
        events++;
        seenByB = sessions.map((s) => String(s.session_id));
      });
      try {
        // The live stream of b is open (its first snapshot is empty): now a ingests.
        expect(await until(() => events === 1, 5000)).toBe(true);
        expect(seenByB).toEqual([]);
        const live = session({ id: 'live-1', startedAt: '2026-03-20T11:55:00.000Z', durationMs: 240_000, engagedMs: 200_000 });
        expect(await collect(a.base, [live])).toBe(200);
        expect(await until(() => seenByB.includes('live-1'), 5000)).toBe(true);

        // 30 sessions, each sent at seqs 1..4 in a shuffled order, alternately to a and to b, all at once.
        const versions: SessionRecord[] = [];
        for (let i = 0; i < 30; i++) {
          for (let seq = 1; seq <= 4; seq++) {
            versions.push(session({ id: `c${i}`, anonymousId: `anon-c${i}`, seq, startedAt: '2026-03-10T10:00:00.000Z', durationMs: 60_000 * seq, engagedMs: 30_000 * seq + i }));
          }
        }
        const order = versions.map((v, k) => ({ v, k: (k * 7919) % versions.length })).sort((x, y) => x.k - y.k).map((x) => x.v);
        const statuses = await Promise.all(order.map((v, k) => collect(k % 2 === 0 ? a.base : b.base, [v])));
        expect(statuses.every((s) => s === 200)).toBe(true);
        const day = { start: '2026-03-10', end: '2026-03-10' };
        for (const store of [shared.first, second]) {
          const summary = await store.summary(day);
          expect(summary.n).toBe(30);
          expect(summary.engagedMs).toBe(Array.from({ length: 30 }, (_, i) => 120_000 + i).reduce((x, y) => x + y, 0));
        }
      } finally {
        stopLive();
        await a.app.close();
        await b.app.close();
        await second.close();
        await shared.dispose();
      }
    });
  });
}
