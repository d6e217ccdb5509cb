/**
 * Hostile input (issue 10): what an anonymous sender can put in POST /collect must not break a report,
 * lose a valid record or reach a store unchecked. Against both stores, through the real app.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../src/app';
import { toSessionRow } from '../src/ingest/rows';
import { MIN_SAMPLE_RATE } from '../src/ingest/schemas';
import { createLiveHub } from '../src/live';
import { MAX_CLOCK_SKEW_MS } from '../src/ingest/validate';
import { MAX_RECORD_DEPTH } from '../src/ingest/wellformed';
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
    it('rejects a NUL or a lone surrogate in any string or key, alone, and stores the rest of the batch (point 2)', async () => {
      const bad: Array<[string, Record<string, unknown>, string]> = [
        ['userId', { userId: 'ada\u0000' }, 'record 0: userId contains U+0000 (NUL), which the collector refuses in any string'],
        ['id', { id: 'x\u0000y' }, 'record 0: id contains U+0000 (NUL), which the collector refuses in any string'],
        ['siteId', { siteId: '\u0000' }, 'record 0: siteId contains U+0000 (NUL), which the collector refuses in any string'],
        ['path', { pages: [{ ...session().pages[0]!, path: '/a\u0000' }] }, 'record 0: pages.0.path contains U+0000 (NUL), which the collector refuses in any string'],
        ['anonymousId', { anonymousId: 'a\uD800' }, 'record 0: anonymousId contains a lone surrogate (U+D800), which is not Unicode text'],
        ['meta key', { meta: { 'k\uDC00': 'v' } }, 'record 0: a key in meta contains a lone surrogate (U+DC00), which is not Unicode text'],
        ['unknown field', { extra: { deeper: ['\u0000'] } }, 'record 0: extra.deeper.0 contains U+0000 (NUL), which the collector refuses in any string'],
      ];
      for (const [label, over, message] of bad) {
        const good = session({ id: `good-${label}` });
        const res = await post([{ ...session({ id: `bad-${label}` }), ...over }, good]);
        expect(res.statusCode, label).toBe(200);
        expect(res.json(), label).toEqual({ accepted: 1, rejected: [{ index: 0, code: 'SM_INVALID_RECORD', message }] });
        expect(await t.store.getSession('site-a', good.id), label).not.toBeNull();
      }
      // A pair of surrogates is one character (an emoji), and is kept as sent.
      expect((await post([session({ id: 'emoji', userId: 'ada \uD83D\uDE00' })])).json()).toEqual({ accepted: 1, rejected: [] });
      expect((await t.store.perUser({ start: '2026-03-10', end: '2026-03-10' })).map((u) => u.userKey)).toContain('ada \uD83D\uDE00');
    });

    it(`rejects a record nested deeper than ${MAX_RECORD_DEPTH} levels alone with its reason, and stores the valid records of its batch (point 2)`, async () => {
      const good = session({ id: 'beside-deep' });
      const deep = JSON.stringify({ ...session({ id: 'deep' }), extra: 0 }).replace('"extra":0', `"extra":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`);
      const res = await post(`[${JSON.stringify(good)},${deep}]`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ accepted: 1, rejected: [{ index: 1, code: 'SM_INVALID_RECORD', message: `record 1: extra${'.a'.repeat(MAX_RECORD_DEPTH - 1)} is nested deeper than ${MAX_RECORD_DEPTH} levels` }] });
      expect(await t.store.getSession('site-a', 'beside-deep')).not.toBeNull();
      expect(await t.store.getSession('site-a', 'deep')).toBeNull();
      // Alone in its batch it is a 400, not a 500.
      const alone = await post(`[${deep}]`);
      expect(alone.statusCode).toBe(400);
      expect(alone.json().error.code).toBe('SM_BATCH_REJECTED');
    });

    it(`refuses an instant more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of the collector's clock, and the live view never shows one (point 2, 5)`, async () => {
      const ahead = new Date(T + MAX_CLOCK_SKEW_MS + 1000).toISOString();
      const res = await post([session({ id: 'y9999', startedAt: '2026-03-10T23:00:00.000Z', lastActiveAt: '9999-12-31T23:59:59.000Z', durationMs: 60_000 }), session({ id: 'ahead', startedAt: '2026-03-10T23:59:00.000Z', lastActiveAt: ahead, durationMs: 60_000 })]);
      expect(res.statusCode).toBe(400);
      expect(res.json().rejected.map((r: { message: string }) => r.message)).toEqual([
        `record 0: lastActiveAt 9999-12-31T23:59:59.000Z is more than 5 minutes ahead of the collector's clock (${new Date(T).toISOString()})`,
        `record 1: lastActiveAt ${ahead} is more than 5 minutes ahead of the collector's clock (${new Date(T).toISOString()})`,
      ]);
      // Within the skew is accepted; a row stored before this rule (written to the store directly) is not "active now".
      const soon = new Date(T + MAX_CLOCK_SKEW_MS - 1000).toISOString();
      expect((await post([session({ id: 'soon', startedAt: new Date(T - 60_000).toISOString(), lastActiveAt: soon, durationMs: 60_000 + MAX_CLOCK_SKEW_MS - 1000 })])).statusCode).toBe(200);
      await t.store.ingest([toSessionRow(session({ id: 'legacy-9999', startedAt: new Date(T - 60_000).toISOString(), lastActiveAt: '9999-12-31T23:59:59.000Z', durationMs: 60_000 }), T)], []);
      const live = await createLiveHub({ store: t.store, now: () => T }).snapshot();
      expect(live.sessions.map((s) => s.session_id)).toEqual(['soon']);
    });
  });
}
