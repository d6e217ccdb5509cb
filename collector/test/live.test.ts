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
async function open() {
  const res = await fetch(`${base}/api/live`, { headers: { authorization: `Bearer ${TOKEN}` } });
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
      sessions: [{ session_id: 'now', site_id: 'site-a', user_id: 'ada', anonymous_id: null, started_at: '2026-03-20T11:50:00.000Z', last_active_at: '2026-03-20T11:59:00.000Z', engaged_seconds: 300, duration_seconds: 540, page: '/lesson/1' }],
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
