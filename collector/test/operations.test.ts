/**
 * Operations, on every store: liveness and readiness, Prometheus metrics and their token, the request
 * id in answers, error bodies and log lines, and the retention schedule as the app runs it and as it
 * repeats.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { build } from '../src/app';
import { toSessionRow } from '../src/ingest/rows';
import { startRetention } from '../src/retention';
import { clickHouseHttp } from '../src/store/clickhouse/http';
import { clickhouseStore, clickhouseUrl, dropDatabase } from './clickhouse-fixtures';
import { alert, postgresStore, session, sqliteStore, TOKEN, type TestStore } from './fixtures';

const NOW = Date.parse('2026-03-20T12:00:00.000Z');
const auth = { authorization: `Bearer ${TOKEN}` };

let t: (TestStore & { database?: string }) | undefined;
let app: Awaited<ReturnType<typeof build>> | undefined;
afterEach(async () => {
  await app?.close();
  await t?.dispose();
  app = t = undefined;
});

/** The instant /readyz last wrote, read from the store's own database (ClickHouse's `raw` reads its SQLite oracle). */
async function checkedAt(t: TestStore & { database?: string }): Promise<number> {
  const sql = 'SELECT max(checked_at) AS checked_at FROM health_check WHERE id = 1';
  const rows = t.store.kind === 'clickhouse' ? await clickHouseHttp({ url: clickhouseUrl(), database: t.database! }).rows(sql) : await t.raw({ sql, params: [] });
  return Number(rows[0]?.checked_at);
}

/** The store stops taking writes: closed, or for ClickHouse (whose HTTP client a close does not stop) its database dropped. */
async function takeAway(t: TestStore & { database?: string }) {
  if (t.store.kind === 'clickhouse') await dropDatabase(clickhouseUrl(), t.database!);
  else await t.store.close();
}

function operationsContract(name: string, open: () => Promise<TestStore & { database?: string }>) {
  describe(`${name}: /healthz and /readyz`, () => {
    it('answers live and ready after a committed write, and not ready once the store is gone', async () => {
      t = await open();
      app = await build({ store: t.store, token: TOKEN, static: false, now: () => NOW });
      expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
      const ready = await app.inject('/readyz');
      expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready', store: t.store.kind }]);
      expect(Math.abs((await checkedAt(t)) - Date.now())).toBeLessThan(60_000);
      await takeAway(t);
      const down = await app.inject('/readyz');
      expect(down.statusCode).toBe(503);
      expect(down.json().error).toMatchObject({ code: 'SM_NOT_READY', request_id: down.headers['x-request-id'] });
      expect(down.json().error.message).toMatch(new RegExp(`^the ${t.store.kind} store cannot be written: `));
      expect((await app.inject('/healthz')).statusCode).toBe(200);
    });
  });

  describe(`${name}: /metrics`, () => {
    const metric = (text: string, line: string) => {
      const found = text.split('\n').find((l) => l.startsWith(`${line} `));
      return found === undefined ? undefined : Number(found.slice(line.length + 1));
    };

    it('counts ingest requests and records by code, commit latency, pending writes, live clients and report latency by route', async () => {
      t = await open();
      app = await build({ store: t.store, token: TOKEN, static: false, now: () => NOW });
      await app.inject({ method: 'POST', url: '/collect', payload: [session({ id: 'm1' }), session({ id: 'm2', siteId: '' }), alert({ sessionId: 'm1' }), { v: 2 }] });
      await app.inject({ method: 'POST', url: '/collect', payload: [{ v: 2 }] });
      await app.inject({ method: 'GET', url: '/api/reports/summary?start=2026-03-01&end=2026-03-31', headers: auth });
      await app.inject({ method: 'GET', url: '/api/reports/summary?start=2026-03-31&end=2026-03-01', headers: auth });
      const res = await app.inject('/metrics');
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = res.body;
      expect(metric(text, 'sm_ingest_requests_total{status="200"}')).toBe(1);
      expect(metric(text, 'sm_ingest_requests_total{status="400"}')).toBe(1);
      expect(metric(text, 'sm_ingest_records_total{outcome="accepted",code=""}')).toBe(2);
      expect(metric(text, 'sm_ingest_records_total{outcome="rejected",code="SM_UNSUPPORTED_VERSION"}')).toBe(2);
      expect(metric(text, 'sm_ingest_records_total{outcome="rejected",code="SM_INVALID_RECORD"}')).toBe(1);
      expect(metric(text, 'sm_store_commit_seconds_count')).toBe(1);
      expect(metric(text, 'sm_store_pending_writes')).toBe(0);
      expect(metric(text, 'sm_live_clients')).toBe(0);
      expect(metric(text, 'sm_report_duration_seconds_count{route="/api/reports/summary",status="200"}')).toBe(1);
      expect(metric(text, 'sm_report_duration_seconds_count{route="/api/reports/summary",status="400"}')).toBe(1);
      expect(text).toContain('sm_process_cpu_seconds_total');
    });

    it('counts the ingests waiting for their commit while they wait, and times each commit', async () => {
      t = await open();
      // The store's commits are held back until `release`, so the waiting ingests are certain to be seen.
      let release = () => {};
      const held = new Promise<void>((r) => (release = r));
      const real = t.store;
      const store = { ...real, ingest: async (...args: Parameters<typeof real.ingest>) => { await held; return real.ingest(...args); } };
      app = await build({ store, token: TOKEN, static: false, now: () => NOW });
      const posts = [1, 2, 3].map((i) => app!.inject({ method: 'POST', url: '/collect', payload: [session({ id: `w${i}` })] }));
      for (let i = 0; i < 200 && metric((await app.inject('/metrics')).body, 'sm_store_pending_writes') !== 3; i++) await new Promise((r) => setTimeout(r, 5));
      expect(metric((await app.inject('/metrics')).body, 'sm_store_pending_writes')).toBe(3);
      release();
      expect((await Promise.all(posts)).map((r) => r.statusCode)).toEqual([200, 200, 200]);
      const text = (await app.inject('/metrics')).body;
      expect([metric(text, 'sm_store_pending_writes'), metric(text, 'sm_store_commit_seconds_count')]).toEqual([0, 3]);
      expect((await real.counts()).sessions).toBe(3);
    });

    it('counts open live streams', async () => {
      t = await open();
      app = await build({ store: t.store, token: TOKEN, static: false, now: () => NOW });
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const controller = new AbortController();
      const stream = await fetch(`${base}/api/live`, { headers: auth, signal: controller.signal });
      await stream.body!.getReader().read();
      expect(metric((await app.inject('/metrics')).body, 'sm_live_clients')).toBe(1);
      controller.abort();
    });

    it('needs the metrics token when one is set', async () => {
      t = await open();
      app = await build({ store: t.store, token: TOKEN, static: false, now: () => NOW, metricsToken: 'metrics-token-0123456789' });
      expect((await app.inject('/metrics')).json().error.code).toBe('SM_UNAUTHORIZED');
      expect((await app.inject({ url: '/metrics', headers: auth })).statusCode).toBe(401);
      const ok = await app.inject({ url: '/metrics', headers: { authorization: 'Bearer metrics-token-0123456789' } });
      expect([ok.statusCode, ok.body.includes('sm_ingest_requests_total')]).toEqual([200, true]);
    });
  });

  describe(`${name}: request id`, () => {
    it('is answered in x-request-id, written into every error body and every log line of the request', async () => {
      const lines: Array<Record<string, unknown>> = [];
      const stream = new Writable({
        write(chunk, _enc, done) {
          for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
          done();
        },
      });
      t = await open();
      app = await build({ store: t.store, token: TOKEN, static: false, now: () => NOW, logger: { level: 'info', stream } });
      const given = await app.inject({ url: '/api/reports/summary?start=x&end=y', headers: { ...auth, 'x-request-id': 'lb-1234.abc' } });
      expect(given.headers['x-request-id']).toBe('lb-1234.abc');
      expect(given.json().error).toMatchObject({ code: 'SM_BAD_DATE', request_id: 'lb-1234.abc' });

      const made = await app.inject({ method: 'POST', url: '/collect', payload: [{ v: 2 }], headers: { 'x-request-id': 'not a valid id' } });
      const id = made.headers['x-request-id'] as string;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(made.json()).toMatchObject({ error: { code: 'SM_BATCH_REJECTED', request_id: id }, rejected: [{ code: 'SM_UNSUPPORTED_VERSION' }] });
      expect((await app.inject('/nowhere')).json().error.request_id).toMatch(/^[0-9a-f-]{36}$/);

      const ofRequest = lines.filter((l) => l.req !== undefined || l.res !== undefined || l.reqId !== undefined);
      expect(ofRequest.length).toBeGreaterThanOrEqual(6);
      expect(ofRequest.every((l) => typeof l.reqId === 'string')).toBe(true);
      expect(ofRequest.filter((l) => l.reqId === 'lb-1234.abc').length).toBeGreaterThanOrEqual(2);
    });
  });

  describe(`${name}: retention schedule`, () => {
    it('removes the sessions older than the retention days once the app is ready, and keeps the recent ones', async () => {
      t = await open();
      const old = session({ id: 'old', startedAt: '2026-01-05T10:00:00.000Z' });
      const recent = session({ id: 'recent', startedAt: '2026-03-19T10:00:00.000Z' });
      app = await build({ store: t.store, token: TOKEN, static: false, now: () => NOW });
      await app.inject({ method: 'POST', url: '/collect', payload: [old, recent] });
      await app.close();
      app = await build({ store: t.store, token: TOKEN, static: false, now: () => NOW, retentionDays: 30 });
      await app.ready();
      for (let i = 0; i < 500 && (await t.store.counts()).sessions !== 1; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await t.store.getSession('site-a', 'old')).toBeNull();
      expect(await t.store.getSession('site-a', 'recent')).not.toBeNull();
    });

    it('runs again at every interval with the day of that run, logging what each removed, until stopped', async () => {
      t = await open();
      const store = t.store;
      await store.ingest([toSessionRow(session({ id: 'march', startedAt: '2026-03-02T10:00:00.000Z' }), NOW)], []);
      let now = NOW;
      const logged: Array<Record<string, unknown>> = [];
      const log = { info: (o: object) => logged.push(o as Record<string, unknown>), error: (o: object) => logged.push({ failed: o }) };
      const retention = startRetention({ store, days: 30, now: () => now, log, everyMs: 20 });
      try {
        expect((await retention.first)?.sessions).toBe(0);
        expect(await store.getSession('site-a', 'march')).not.toBeNull();
        now = Date.parse('2026-04-10T00:00:00.000Z');
        for (let i = 0; i < 500 && !logged.some((l) => l.sessions === 1); i++) await new Promise((r) => setTimeout(r, 10));
        expect(await store.getSession('site-a', 'march')).toBeNull();
        expect(logged[0]).toMatchObject({ retention_days: 30, before: '2026-02-18', sessions: 0 });
        expect(logged.find((l) => l.sessions === 1)).toMatchObject({ before: '2026-03-11', days_removed: 1, records: 1, pages: 1 });
      } finally {
        await retention.stop();
      }
      const runs = logged.length;
      await new Promise((r) => setTimeout(r, 60));
      expect(logged.length).toBe(runs);
      expect(logged.some((l) => 'failed' in l)).toBe(false);
    });
  });
}

operationsContract('SQLite', sqliteStore);
operationsContract('PostgreSQL', postgresStore);
operationsContract('ClickHouse', clickhouseStore);
