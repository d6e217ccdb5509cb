/**
 * /api/live under clients that stop reading (issue 10, point 5), with real sockets: the bytes the
 * collector holds for them stay bounded, they are disconnected once they have read nothing for the stall
 * bound, a client that reads goes on receiving, and one token may hold only so many streams.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../src/access';
import { build } from '../src/app';
import { session, sqliteStore, type TestStore } from './fixtures';

const NOW = Date.parse('2026-03-20T12:00:00.000Z');
const ADMIN = 'admin-token-0123456789';
const READER = 'reader-token-0123456789';
let t: TestStore;
let app: Awaited<ReturnType<typeof build>>;
let base: string;

async function start(bounds: { maxUnsentBytes: number; maxStallMs: number }) {
  await app.close();
  app = await build({
    store: t.store,
    tokens: [
      { grant: { name: 'ops', scope: 'admin' }, sha256: Buffer.from(hashToken(ADMIN), 'hex') },
      { grant: { name: 'docs', scope: 'read', sites: ['site-a'] }, sha256: Buffer.from(hashToken(READER), 'hex') },
    ],
    static: false,
    rateLimit: false,
    now: () => NOW,
    live: { heartbeatMs: 600_000, coalesceMs: 10, maxPerToken: 4, ...bounds },
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
}

beforeEach(async () => {
  t = await sqliteStore();
  app = await build({ store: t.store, token: ADMIN, static: false });
  await start({ maxUnsentBytes: 4 << 20, maxStallMs: 60_000 });
});
afterEach(async () => {
  await app.close();
  await t.dispose();
});

const port = () => Number(new URL(base).port);
const active = (i: number, seq = 1) =>
  session({ id: `big-${i}`, seq, userId: `user-${i}-${'u'.repeat(200)}`, startedAt: '2026-03-20T11:58:00.000Z', durationMs: 60_000 + seq, engagedMs: 30_000, pages: [{ path: `/${'p'.repeat(1500)}/${i}`, views: 1, engagedMs: 30_000, firstSeenAt: '2026-03-20T11:58:00.000Z', lastSeenAt: '2026-03-20T11:59:00.000Z', band: null }] });
const collect = (records: unknown[]) => fetch(`${base}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(records) });
async function gauge(name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)![1]);
}

/** A raw HTTP client of the stream that reads its headers and then nothing more. */
function stopsReading(token = ADMIN): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port(), '127.0.0.1', () => socket.write(`GET /api/live HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`));
    socket.once('data', () => {
      socket.pause();
      resolve(socket);
    });
    socket.on('error', () => {});
  });
}

/** A client that reads everything, counting the snapshots it gets. */
function reads(token = ADMIN) {
  const state = { events: 0, closed: false, controller: new AbortController() };
  void fetch(`${base}/api/live`, { headers: { authorization: `Bearer ${token}` }, signal: state.controller.signal }).then(async (res) => {
    const decoder = new TextDecoder();
    for await (const chunk of res.body!) state.events += decoder.decode(chunk as Uint8Array, { stream: true }).split('event: active').length - 1;
  }).catch(() => {}).finally(() => (state.closed = true));
  return state;
}

describe('GET /api/live backpressure', () => {
  it.each([
    ['has read nothing for the stall bound', { maxUnsentBytes: 4 << 20, maxStallMs: 1_500 }],
    ['holds more unsent bytes than the bound', { maxUnsentBytes: 8 << 10, maxStallMs: 600_000 }],
  ])('holds a bounded number of bytes for clients that stop reading, drops one that %s, and keeps serving a reader', async (_, bounds) => {
    await start(bounds);
    // 500 active sessions of about 2 KB each: every snapshot is about 1 MB.
    for (let b = 0; b < 25; b++) expect((await collect(Array.from({ length: 20 }, (_, i) => active(b * 20 + i)))).status).toBe(200);
    const stalled = await Promise.all([stopsReading(), stopsReading(), stopsReading()]);
    const reader = reads();
    const rssBefore = process.memoryUsage().rss;
    let peakUnsent = 0;
    // Ingests that change a session, each followed by a snapshot to every stream, for 4 s.
    const started = Date.now();
    for (let seq = 2; Date.now() - started < 4_000; seq++) {
      await collect([active(seq % 500, seq)]);
      await new Promise((r) => setTimeout(r, 20));
      if (seq % 10 === 0) peakUnsent = Math.max(peakUnsent, await gauge('sm_live_unsent_bytes'));
    }
    const rssAfter = process.memoryUsage().rss;
    // Each stalled stream holds at most Node's high-water mark and the one snapshot written last (about
    // 1 MB); without the bound the three held every snapshot sent (hundreds of MB in 4 s).
    expect(peakUnsent).toBeLessThan(3 * 1.2e6);
    expect(rssAfter - rssBefore).toBeLessThan(100 * 2 ** 20);
    expect(await gauge('sm_live_dropped_total')).toBe(3);
    expect(await gauge('sm_live_clients')).toBe(1);
    expect(reader.closed).toBe(false);
    const seen = reader.events;
    await collect([active(1, 100_000)]);
    await expect.poll(() => reader.events, { timeout: 5_000 }).toBeGreaterThan(seen);
    reader.controller.abort();
    for (const s of stalled) s.destroy();
  });

  it('refuses a token its fifth stream with a 429 naming the cap, and counts each token apart', async () => {
    const held = await Promise.all([stopsReading(), stopsReading(), stopsReading(), stopsReading()]);
    const fifth = await fetch(`${base}/api/live`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(fifth.status).toBe(429);
    expect((await fifth.json()).error).toMatchObject({
      code: 'SM_TOO_MANY_STREAMS',
      message: "token 'ops' already holds 4 live streams, the most one token may hold (SM_LIVE_STREAMS); close one (another dashboard tab) first",
    });
    // Another token's streams are its own.
    const other = reads(READER);
    await expect.poll(() => other.events).toBeGreaterThan(0);
    // One closed, one may open again.
    held.pop()!.destroy();
    await expect.poll(() => gauge('sm_live_clients')).toBe(4);
    const again = reads();
    await expect.poll(() => again.events).toBeGreaterThan(0);
    other.controller.abort();
    again.controller.abort();
    for (const s of held) s.destroy();
  });
});
