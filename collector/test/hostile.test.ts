/**
 * Hostile input (issue 10): what an anonymous sender can put in POST /collect must not break a report,
 * lose a valid record or reach a store unchecked. Against both stores, through the real app.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../src/app';
import { MIN_SAMPLE_RATE } from '../src/ingest/schemas';
import { expectRollupMatchesSessions } from './store-contract';
import { postgresStore, session, sqliteStore, TOKEN, type TestStore } from './fixtures';

const T = Date.parse('2026-03-11T00:00:00.000Z');

for (const [name, open] of [['SQLite', sqliteStore], ['PostgreSQL', postgresStore]] as const) {
  describe(`hostile input, ${name}`, () => {
    let t: TestStore;
    let app: Awaited<ReturnType<typeof build>>;
    beforeEach(async () => {
      t = await open();
      app = await build({ store: t.store, token: TOKEN, static: false, rateLimit: false, now: () => T });
    });
    afterEach(async () => {
      await app.close();
      await t.dispose();
    });

    const post = (payload: unknown) =>
      app.inject({ method: 'POST', url: '/collect', headers: { 'content-type': 'application/json' }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
    const report = (path: string) => app.inject({ method: 'GET', url: `/api/reports/${path}?start=2026-01-01&end=2026-12-31`, headers: { authorization: `Bearer ${TOKEN}` } });

    it(`refuses a sampleRate below ${MIN_SAMPLE_RATE} with a 400 naming the field, and the reports stay whole (point 1)`, async () => {
      for (const sampleRate of [1e-308, 5e-324, 1e-300, MIN_SAMPLE_RATE / 2]) {
        const res = await post([session({ id: `tiny-${sampleRate}`, sampleRate }), session({ id: `tiny2-${sampleRate}`, sampleRate })]);
        expect(res.statusCode, String(sampleRate)).toBe(400);
        expect(res.json().error.code).toBe('SM_BATCH_REJECTED');
        expect(res.json().rejected[0]).toEqual({ index: 0, code: 'SM_INVALID_RECORD', message: `record 0: sampleRate must be >= ${MIN_SAMPLE_RATE}` });
      }
      expect((await post([session({ id: 'at-bound', sampleRate: MIN_SAMPLE_RATE })])).statusCode).toBe(200);
      for (const path of ['summary', 'daily', 'durations', 'breaks', 'bands']) expect((await report(path)).statusCode, path).toBe(200);
      expect((await report('summary')).json().sessions).toBe(1000);
    });

    it('counts six sessions as six after one at the least sampleRate is replaced at seq 2 by sampleRate 1 (point 1)', async () => {
      const normal = Array.from({ length: 5 }, (_, i) => session({ id: `n${i}` }));
      const light = session({ id: 'light', sampleRate: MIN_SAMPLE_RATE });
      expect((await post([...normal, light])).statusCode).toBe(200);
      expect((await report('summary')).json().sessions).toBe(1005);
      expect((await post([{ ...light, seq: 2, sampleRate: 1 }])).statusCode).toBe(200);
      expect((await t.store.counts()).sessions).toBe(6);
      expect((await report('summary')).json().sessions).toBe(6);
      await expectRollupMatchesSessions(t.store, t.raw);
    });
  });
}
