import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../src/app';
import { session, sqliteStore, TOKEN, type TestStore } from './fixtures';

const NOW = Date.parse('2026-03-20T12:00:00.000Z');
let t: TestStore;
let app: Awaited<ReturnType<typeof build>>;
let base: string;

async function start(heartbeatMs: number) {
  app = await build({ store: t.store, token: TOKEN, static: false, now: () => NOW, live: { heartbeatMs, coalesceMs: 20 } });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
}

beforeEach(async () => {
  t = await sqliteStore();
  // No heartbeat within a test unless it asks: every event then comes from an ingest.
  await start(600_000);
});
afterEach(async () => {
  await app.close();
  await t.dispose();
});

/** Reads `event: active` messages from the stream, as the dashboard does (fetch + reader). */
async function open(query = '') {
  const res = await fetch(`${base}/api/live${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    res,
    async next(): Promise<{ at: string; sessions: Array<Record<string, unknown>> }> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          if (lines[0] === 'event: active') return JSON.parse(lines[1]!.slice('data: '.length));
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

const collect = (records: unknown[]) => fetch(`${base}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(records) });

describe('GET /api/live', () => {
  it('sends active sessions on connect and after ingests that change them', async () => {
    await collect([
      session({ id: 'now', userId: 'ada', startedAt: '2026-03-20T11:50:00.000Z', durationMs: 540_000, engagedMs: 300_000 }),
      session({ id: 'old', startedAt: '2026-03-20T11:00:00.000Z', durationMs: 60_000 }),
    ]);
    const live = await open();
    expect(live.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const first = await live.next();
    expect(first).toEqual({
      at: '2026-03-20T12:00:00.000Z',
      sessions: [{ site_id: 'site-a', session_id: 'now', user_id: 'ada', anonymous_id: null, started_at: '2026-03-20T11:50:00.000Z', last_active_at: '2026-03-20T11:59:00.000Z', engaged_seconds: 300, duration_seconds: 540, page: '/lesson/1', meta: {} }],
    });

    const s = session({ id: 'new', startedAt: '2026-03-20T11:58:00.000Z', durationMs: 100_000 });
    expect((await collect([s])).status).toBe(200);
    const second = await live.next();
    expect(second.sessions.map((x) => x.session_id)).toEqual(['new', 'now']);

    // A final record takes the session out of the live view.
    await collect([{ ...s, seq: 2, final: true }]);
    expect((await live.next()).sessions.map((x) => x.session_id)).toEqual(['now']);
    await live.cancel();
  });

  it('keeps only the sessions of `site` and of a `meta` value when asked, as the dashboard filters every panel', async () => {
    await collect([
      session({ id: 'pro', startedAt: '2026-03-20T11:55:00.000Z', durationMs: 60_000, meta: { plan: 'pro' } }),
      session({ id: 'free', startedAt: '2026-03-20T11:56:00.000Z', durationMs: 60_000, meta: { plan: 'free' } }),
      session({ id: 'pro-b', siteId: 'site-b', startedAt: '2026-03-20T11:57:00.000Z', durationMs: 60_000, meta: { plan: 'pro' } }),
    ]);
    const ids = async (query: string) => {
      const live = await open(query);
      const snapshot = await live.next();
      await live.cancel();
      return snapshot.sessions.map((x) => x.session_id);
    };
    expect(await ids('')).toEqual(['pro-b', 'free', 'pro']);
    expect(await ids('?meta_key=plan&meta_value=pro')).toEqual(['pro-b', 'pro']);
    expect(await ids('?site=site-a&meta_key=plan&meta_value=pro')).toEqual(['pro']);
    expect(await ids('?site=site-b')).toEqual(['pro-b']);
    const live = await open('?meta_key=plan&meta_value=pro');
    await live.next();
    await collect([session({ id: 'pro-2', startedAt: '2026-03-20T11:58:00.000Z', durationMs: 60_000, meta: { plan: 'pro' } }), session({ id: 'free-2', startedAt: '2026-03-20T11:58:30.000Z', durationMs: 60_000, meta: { plan: 'free' } })]);
    expect((await live.next()).sessions.map((x) => [x.session_id, x.meta])).toEqual([['pro-2', { plan: 'pro' }], ['pro-b', { plan: 'pro' }], ['pro', { plan: 'pro' }]]);
    await live.cancel();
    const half = await fetch(`${base}/api/live?meta_key=plan`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(half.status).toBe(400);
    expect((await half.json()).error.message).toContain('meta_value');
  });

  it('repeats the snapshot as a heartbeat when nothing changes', async () => {
    await app.close();
    await start(150);
    await collect([session({ id: 'hb', startedAt: '2026-03-20T11:58:00.000Z', durationMs: 60_000 })]);
    const live = await open();
    const events = [await live.next(), await live.next(), await live.next()];
    expect(events.map((e) => e.sessions.map((x) => x.session_id))).toEqual([['hb'], ['hb'], ['hb']]);
    await live.cancel();
  });

  it('does not hold up shutdown: close ends open streams', async () => {
    const live = await open();
    await live.next();
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(live.next()).rejects.toThrow();
  });
});
