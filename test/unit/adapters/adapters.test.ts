import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { posthogAdapter } from '../../../src/adapters/posthog';
import { ga4Adapter } from '../../../src/adapters/ga4';
import { plausibleAdapter, type PlausibleTrack } from '../../../src/adapters/plausible';
import { otlpAdapter } from '../../../src/adapters/otlp';
import type { Transport } from '../../../src/transports/transport';
import { safeStorage, type KeyValue } from '../../../src/browser/storage';
import { uuidFrom } from '../../../src/adapters/key';
import type { WireRecord } from '../../../src/core/records';
import { referenceLogs, referenceMetrics } from '../../e2e/adapters/otlp-reference';
import { snapshot } from './records';

/** One storage, as the tabs of a site share localStorage. */
const sharedStorage = (): KeyValue => {
  const data: Record<string, string> = {};
  return { get: (k) => data[k] ?? null, set: (k, v) => void (data[k] = v) };
};
// A send runs in a microtask after the one before it (src/adapters/adapter.ts): each is awaited.
const send = async (t: Transport, records: WireRecord[], unloading = false) => t.send(records, { unloading });

describe('an adapter in several tabs, reloads and retries', () => {
  it('two tabs and a reload sharing storage report the final session once (PostHog)', async () => {
    const storage = sharedStorage();
    const captured: unknown[][] = [];
    const posthog = { capture: (...a: unknown[]) => void captured.push(a) };
    const tabA = posthogAdapter({ posthog, storage });
    const tabB = posthogAdapter({ posthog, storage });
    await send(tabA, [snapshot(3, 30_000)]);
    await send(tabB, [snapshot(4, 41_000, { final: true })]);
    await send(tabA, [snapshot(4, 41_000, { final: true })]);
    const reloaded = posthogAdapter({ posthog, storage });
    await send(reloaded, [snapshot(4, 41_000, { final: true })]);
    expect(captured).toEqual([
      ['sm_session', expect.objectContaining({ sm_engaged_ms: 41_000, sm_session_id: 's1' }), { uuid: uuidFrom('site\ns1\nsession'), timestamp: new Date(snapshot(4, 41_000).lastActiveAt) }],
    ]);
  });

  it('a vendor that is not loaded fails the send (the delivery layer retries), and the retry reports it', async () => {
    const storage = sharedStorage();
    const t = posthogAdapter({ storage });
    await expect(send(t, [snapshot(2, 5_000, { final: true })])).rejects.toThrow('posthog is not loaded');
    const captured: unknown[] = [];
    (globalThis as any).posthog = { capture: (e: string) => captured.push(e) };
    try {
      await send(t, [snapshot(2, 5_000, { final: true })]);
      await send(t, [snapshot(2, 5_000, { final: true })]);
    } finally {
      delete (globalThis as any).posthog;
    }
    expect(captured).toEqual(['sm_session']);
  });

  it('with storage blocked the ledger lives in memory and still reports nothing twice (GA4 deltas)', async () => {
    const blocked = safeStorage(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    const commands: unknown[][] = [];
    const t = ga4Adapter({ storage: blocked, gtag: (...c) => void commands.push(c) });
    for (const r of [snapshot(1, 10_000), snapshot(3, 25_000), snapshot(2, 20_000), snapshot(3, 25_000), snapshot(4, 26_000, { final: true })]) await send(t, [r]);
    expect(commands.map((c) => [c[0], c[1], (c[2] as any).sm_engaged_ms])).toEqual([
      ['event', 'sm_session', 10_000],
      ['event', 'sm_session', 15_000],
      ['event', 'sm_session', 1_000],
    ]);
  });

  it('GA4 without gtag queues `arguments` objects in dataLayer, as gtag.js expects them', async () => {
    const t = ga4Adapter({ storage: sharedStorage() });
    await send(t, [snapshot(1, 3_000)]);
    const entry = (globalThis as any).dataLayer.pop();
    delete (globalThis as any).dataLayer;
    expect(Object.prototype.toString.call(entry)).toBe('[object Arguments]');
    expect(Array.from(entry)).toEqual(['event', 'sm_session', expect.objectContaining({ sm_engaged_ms: 3_000 })]);
  });

  it('Plausible: a failed request leaves the send failed and the ledger unwritten; the retry sends it once', async () => {
    const storage = sharedStorage();
    const answers = [{ status: 503 }, { status: 202 }];
    const sent: string[] = [];
    const track: PlausibleTrack = (name, o) => (sent.push(name), o.callback(answers.shift()));
    const t = plausibleAdapter({ track, storage });
    const final = snapshot(5, 70_000, { final: true });
    await expect(send(t, [final])).rejects.toThrow('503');
    await send(t, [final]);
    await send(t, [final]);
    expect(sent).toEqual(['sm_session', 'sm_session']);
  });
});

describe('OTLP', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-01-05T10:00:00.000Z') }));
  afterEach(() => vi.useRealTimers());

  const receiver = (statuses: number[], retryAfter?: string) => {
    const bodies: { url: string; body: any }[] = [];
    const fetch = async (url: string, init: RequestInit) => {
      bodies.push({ url, body: JSON.parse(init.body as string) });
      const status = statuses.shift() ?? 200;
      return new Response(null, { status, headers: retryAfter ? { 'retry-after': retryAfter } : {} });
    };
    return { bodies, fetch: fetch as unknown as typeof globalThis.fetch };
  };

  it('one log record per final session, equal to what @opentelemetry/otlp-transformer writes', async () => {
    const { bodies, fetch } = receiver([]);
    const t = otlpAdapter({ endpoint: 'http://otel.test:4318/', fetch, storage: sharedStorage() });
    const a = snapshot(6, 90_000, { final: true, userId: 'u-1', meta: { plan: 'pro', trial: false, none: null } });
    const b = snapshot(2, 4_000, { final: true, id: 's2' });
    await send(t, [snapshot(3, 20_000), a, b]);
    expect(bodies.map((x) => x.url)).toEqual(['http://otel.test:4318/v1/logs']);
    expect(bodies[0]!.body).toEqual(referenceLogs([a, b], Date.now()));
  });

  it('retries 429, 502, 503 and 504 after Retry-After, drops on other statuses, and sends the same body again', async () => {
    for (const status of [429, 502, 503, 504]) {
      const { bodies, fetch } = receiver([status], '7');
      const t = otlpAdapter({ endpoint: 'http://otel.test', fetch, storage: sharedStorage() });
      const error = await Promise.resolve(send(t, [snapshot(1, 1_000, { final: true })])).catch((e) => e);
      // What the delivery layer reads of a failed send (src/delivery/lane.ts): retry, and when.
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ retryable: true, retryAfterMs: 7_000 });
      await send(t, [snapshot(1, 1_000, { final: true })]);
      await send(t, [snapshot(1, 1_000, { final: true })]);
      expect(bodies).toHaveLength(2);
      expect(bodies[1]!.body).toEqual(bodies[0]!.body);
    }
    const { fetch } = receiver([400]);
    const error = await Promise.resolve(send(otlpAdapter({ endpoint: 'http://otel.test', fetch, storage: sharedStorage() }), [snapshot(1, 1_000, { final: true })])).catch((e) => e);
    expect(error).toMatchObject({ retryable: false, message: 'HTTP 400' });
  });

  it('metrics: the cumulative engaged time per page name, no session id, equal to the transformer\'s', async () => {
    const { bodies, fetch } = receiver([]);
    const storage = sharedStorage();
    const t = otlpAdapter({ endpoint: 'http://otel.test', fetch, storage, metrics: true });
    const start = Date.now();
    await send(t, [snapshot(2, 10_000, { final: true })]);
    vi.advanceTimersByTime(60_000);
    await send(t, [snapshot(3, 30_000, { final: true, id: 's2' })]);
    const metrics = bodies.filter((x) => x.url.endsWith('/v1/metrics'));
    expect(metrics).toHaveLength(2);
    expect(metrics[1]!.body).toEqual(referenceMetrics({ '/a': 5_000 + 15_000, '/b': 5_000 + 15_000 }, start, Date.now(), 'anon-1'));
    expect(JSON.stringify(metrics[1]!.body)).not.toContain('session.id');
    // The logs stay one per session (no page logs unless asked).
    expect(bodies.filter((x) => x.url.endsWith('/v1/logs')).map((x) => x.body.resourceLogs[0].scopeLogs[0].logRecords.length)).toEqual([1, 1]);
  });
});
