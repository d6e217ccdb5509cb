import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchLive, type LiveSnapshot, type LiveStatus } from '../../../collector/dashboard/src/watchLive';

// A fake clock: retries and the silence timeout run in exact, simulated milliseconds.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const snapshot = (sessions: number): LiveSnapshot => ({
  at: '2026-03-10T12:00:00.000Z',
  sessions: Array.from({ length: sessions }, (_, i) => ({
    session_id: `s${i}`,
    user_id: null,
    started_at: '2026-03-10T11:58:00.000Z',
    last_active_at: '2026-03-10T11:59:59.000Z',
    engaged_seconds: 100,
    duration_seconds: 119,
    page: '/lesson/1',
  })),
});

/** A `text/event-stream` response whose body the test writes to. */
function streamResponse() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

/** Moves the clock a millisecond at a time (running what is due, and the promises it settles) until `check` holds. */
const until = async (check: () => boolean, withinMs = 1000) => {
  for (let i = 0; i < withinMs && !check(); i++) await vi.advanceTimersByTimeAsync(1);
  expect(check()).toBe(true);
};

describe('watchLive', () => {
  it('sends the bearer token and hands every "active" event to onSnapshot', async () => {
    const stream = streamResponse();
    const calls: { url: string; init: RequestInit }[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return stream.response;
    }) as unknown as typeof globalThis.fetch;
    const snapshots: LiveSnapshot[] = [];
    const statuses: LiveStatus[] = [];
    const stop = watchLive({ token: 'tok', baseUrl: 'http://c.example/', fetch, onSnapshot: (s) => snapshots.push(s), onStatus: (s) => statuses.push(s) });

    await until(() => statuses.includes('open'));
    expect(calls[0]!.url).toBe('http://c.example/api/live');
    expect((calls[0]!.init.headers as Record<string, string>).Authorization).toBe('Bearer tok');

    stream.write(`event: active\ndata: ${JSON.stringify(snapshot(1))}\n\n: heartbeat\n\nevent: other\ndata: {}\n\n`);
    stream.write(`event: active\ndata: ${JSON.stringify(snapshot(2)).slice(0, 20)}`);
    await until(() => snapshots.length === 1);
    stream.write(`${JSON.stringify(snapshot(2)).slice(20)}\n\n`);
    await until(() => snapshots.length === 2);
    expect(snapshots.map((s) => s.sessions.length)).toEqual([1, 2]);

    stop();
    expect(statuses.at(-1)).toBe('stopped');
    expect((calls[0]!.init.signal as AbortSignal).aborted).toBe(true);
  });

  it('reconnects with growing delays after the stream ends or the collector is down', async () => {
    const attempts: number[] = [];
    const streams: ReturnType<typeof streamResponse>[] = [];
    const fetch = (async () => {
      attempts.push(Date.now());
      if (attempts.length === 2) throw new TypeError('Failed to fetch');
      const stream = streamResponse();
      streams.push(stream);
      return stream.response;
    }) as unknown as typeof globalThis.fetch;
    const statuses: LiveStatus[] = [];
    const stop = watchLive({ token: 't', fetch, onSnapshot: () => {}, onStatus: (s) => statuses.push(s), retryMs: 20, random: () => 1 });

    await until(() => streams.length === 1 && statuses.includes('open'));
    const endedAt = Date.now();
    streams[0]!.end();
    await until(() => attempts.length === 3);
    // 1st retry 20 ms after the stream ended, 2nd (after the refused connection) 40 ms later.
    expect([attempts[1]! - endedAt, attempts[2]! - attempts[1]!]).toEqual([20, 40]);
    expect(statuses.filter((s) => s === 'retrying')).toHaveLength(2);
    stop();
  });

  it('treats a silent stream as dead and reconnects', async () => {
    let attempts = 0;
    const fetch = (async () => {
      attempts += 1;
      return streamResponse().response; // never writes: a socket a proxy left open
    }) as unknown as typeof globalThis.fetch;
    const started = Date.now();
    const stop = watchLive({ token: 't', fetch, onSnapshot: () => {}, retryMs: 5, silenceMs: 30, random: () => 1 });
    await until(() => attempts >= 1);
    await until(() => attempts >= 2);
    // 30 ms of silence, then the 5 ms retry delay.
    expect(Date.now() - started).toBe(35);
    stop();
  });

  it('stops and reports a refused token instead of retrying', async () => {
    let attempts = 0;
    const fetch = (async () => {
      attempts += 1;
      return new Response(JSON.stringify({ error: { code: 'SM_UNAUTHORIZED', message: 'the bearer token is not valid' } }), { status: 401 });
    }) as unknown as typeof globalThis.fetch;
    const refused: { code: string; message: string }[] = [];
    watchLive({ token: 'wrong', fetch, onSnapshot: () => {}, retryMs: 1, onUnauthorized: (e) => refused.push({ code: e.code, message: e.message }) });
    await until(() => refused.length === 1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(attempts).toBe(1);
    expect(refused).toEqual([{ code: 'SM_UNAUTHORIZED', message: 'the bearer token is not valid' }]);
  });
});
