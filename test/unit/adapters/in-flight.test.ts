import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { adapterTransport, type Deliver } from '../../../src/adapters/adapter';
import { plausibleAdapter, type PlausibleTrack } from '../../../src/adapters/plausible';
import type { KeyValue } from '../../../src/browser/storage';
import type { WireRecord } from '../../../src/core/records';
import { snapshot } from './records';

const memory = (): KeyValue => {
  const data: Record<string, string> = {};
  return { get: (k) => data[k] ?? null, set: (k, v) => void (data[k] = v) };
};

/**
 * The delivery layer chains a tab's normal sends, but a hide sends the page's newest records at once
 * (src/delivery/lane.ts, `_flush(true)`), while a normal send of the same records may still wait for
 * the vendor. Those two sends must not both report what neither has committed yet.
 */
describe('a send while the same tab\'s previous send still waits for the vendor', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-01-05T10:00:00.000Z') }));
  afterEach(() => vi.useRealTimers());

  /** A vendor that answers each call after 1 s, with the next status given (200 when none is left). */
  const slowPlausible = (statuses: number[] = []) => {
    const events: string[] = [];
    const track: PlausibleTrack = (name, o) => {
      const status = statuses.shift() ?? 200;
      setTimeout(() => (status < 300 && events.push(name), o.callback({ status })), 1_000);
    };
    return { events, track };
  };

  it('a hide during the final record\'s request does not send it again (Plausible counts what it gets)', async () => {
    const { events, track } = slowPlausible();
    const t = plausibleAdapter({ track, storage: memory() });
    const final = snapshot(7, 42_000, { final: true });
    const normal = t.send([final], { unloading: false });
    await vi.advanceTimersByTimeAsync(300);
    const hide = t.send([final], { unloading: true });
    await vi.advanceTimersByTimeAsync(3_000);
    await Promise.all([normal, hide]);
    expect(events).toEqual(['sm_session']);
  });

  it('when the request in flight fails, the send after it reports the session, once', async () => {
    const { events, track } = slowPlausible([503]);
    const t = plausibleAdapter({ track, storage: memory() });
    const final = snapshot(7, 42_000, { final: true });
    const normal = Promise.resolve(t.send([final], { unloading: false })).catch((e) => e);
    await vi.advanceTimersByTimeAsync(300);
    const hide = t.send([final], { unloading: true });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await normal).toBeInstanceOf(Error);
    await hide;
    expect(events).toEqual(['sm_session']);
  });

  it('deltas to a vendor that answers later add up to the engaged time once, through seq 10, then 9, then 10 again', async () => {
    const summed: number[] = [];
    const deliver: Deliver = (reports) => new Promise((done) => setTimeout(() => done(summed.push(...reports.map((r) => r.valueMs))), 1_000));
    const t = adapterTransport('slow', { storage: memory() }, 'deltas', deliver);
    const sends: unknown[] = [t.send([snapshot(10, 50_000)], { unloading: false })];
    await vi.advanceTimersByTimeAsync(200);
    sends.push(t.send([snapshot(9, 40_000), snapshot(10, 50_000)] as WireRecord[], { unloading: true }));
    await vi.advanceTimersByTimeAsync(200);
    sends.push(t.send([snapshot(11, 65_000, { final: true })], { unloading: false }));
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(sends);
    expect(summed).toEqual([50_000, 15_000]);
  });
});
