/**
 * Property (issue 10): whatever JSON an anonymous sender posts to /collect (valid batches, batches with
 * one field broken, and arbitrary JSON or text) the collector never answers 5xx, and after every run the
 * rollup tables equal their recomputation from the stored sessions, row by row, and the rolled-up reports
 * their direct computation. On SQLite and PostgreSQL, one store per suite so that runs replace, identify
 * and move each other's sessions. Run counts keep the whole file well under a minute.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/records';
import { build } from '../src/app';
import { MIN_SAMPLE_RATE } from '../src/ingest/schemas';
import { expectRollupMatchesSessions, expectRollupTablesMatchSessions } from './store-contract';
import { postgresStore, session, sqliteStore, TOKEN, type TestStore } from './fixtures';

const T = Date.parse('2026-03-12T12:00:00.000Z');
const DAY = 86_400_000;

/** A consistent session over a small space of ids, sites, users and days, so that runs collide. */
const validSession = fc
  .record({
    id: fc.constantFrom('s0', 's1', 's2', 's3', 's4', 's5'),
    siteId: fc.constantFrom('site-a', 'site-b'),
    seq: fc.integer({ min: 0, max: 6 }),
    userId: fc.constantFrom(null, 'ada', 'bob', 'cy \uD83D\uDE00'),
    sampleRate: fc.oneof(fc.constantFrom(1, 0.5, 0.3, 0.7, 0.25, MIN_SAMPLE_RATE), fc.double({ min: MIN_SAMPLE_RATE, max: 1, noNaN: true })),
    startMs: fc.integer({ min: T - 40 * DAY, max: T - 1000 }),
    durationMs: fc.oneof(fc.integer({ min: 0, max: 4_000_000 }), fc.double({ min: 0, max: 4_000_000, noNaN: true })),
    engagedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    final: fc.boolean(),
  })
  .map(({ id, siteId, seq, userId, sampleRate, startMs, durationMs, engagedShare, final }): SessionRecord => {
    const lastActiveAt = Math.min(startMs + Math.ceil(durationMs), T);
    const span = lastActiveAt - startMs;
    return session({ id, siteId, seq, userId, anonymousId: `anon-${id}`, sampleRate, final, startedAt: new Date(startMs).toISOString(), lastActiveAt: new Date(lastActiveAt).toISOString(), durationMs: span, engagedMs: Math.floor(span * engagedShare) });
  });

/** A valid session with one thing broken: a field replaced by any JSON, removed, or made hostile. */
const nearlyValid = fc.tuple(validSession, fc.constantFrom('siteId', 'id', 'seq', 'userId', 'sampleRate', 'startedAt', 'lastActiveAt', 'durationMs', 'engagedMs', 'breaks', 'pages', 'band', 'final', 'meta', 'extra'), fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(undefined, 1e-308, 5e-324, -1, 1e300, '\u0000', 'a\uD800', '9999-12-31T23:59:59.000Z', '2026-02-30T00:00:00.000Z', Number.MAX_SAFE_INTEGER + 2),
  fc.constant(JSON.parse(`${'['.repeat(40)}0${']'.repeat(40)}`)),
)).map(([s, field, value]) => {
  const r: Record<string, unknown> = { ...s };
  if (value === undefined) delete r[field];
  else r[field] = value;
  return r;
});

const hostileItem = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.record({ v: fc.constant(1), type: fc.constantFrom('session', 'alert'), siteId: fc.string() }, { requiredKeys: [] }));

const batch = fc.array(fc.oneof({ weight: 4, arbitrary: validSession }, { weight: 3, arbitrary: nearlyValid }, { weight: 1, arbitrary: hostileItem }), { maxLength: 8 });
/** A body as sent: a batch as JSON, or any JSON at all, or text that may not be JSON. */
const body = fc.oneof({ weight: 8, arbitrary: batch.map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') }, { weight: 1, arbitrary: fc.string() });

for (const [name, open, runs] of [['SQLite', sqliteStore, 40], ['PostgreSQL', postgresStore, 25]] as const) {
  describe(`POST /collect property, ${name}`, () => {
    let t: TestStore;
    let app: Awaited<ReturnType<typeof build>>;
    beforeAll(async () => {
      t = await open();
      app = await build({ store: t.store, token: TOKEN, static: false, rateLimit: false, now: () => T });
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it(`never answers 5xx, and every rollup equals its recomputation after each run (${runs} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(body, fc.constantFrom('application/json', 'text/plain;charset=UTF-8')), { minLength: 1, maxLength: 4 }), async (requests) => {
          for (const [payload, type] of requests) {
            const res = await app.inject({ method: 'POST', url: '/collect', headers: { 'content-type': type }, payload });
            expect(res.statusCode, `${res.statusCode} ${res.body} for ${payload.slice(0, 300)}`).toBeLessThan(500);
            if (res.statusCode === 200) {
              const sent = JSON.parse(payload) as unknown[];
              const { accepted, rejected } = res.json() as { accepted: number; rejected: unknown[] };
              expect(accepted + rejected.length).toBe(sent.length);
            }
          }
          await expectRollupTablesMatchSessions(t.raw);
        }),
        { numRuns: runs },
      );
      // The reports too, once over everything the runs stored.
      await expectRollupMatchesSessions(t.store, t.raw);
      expect((await t.store.counts()).sessions).toBeGreaterThan(0);
    });
  });
}
