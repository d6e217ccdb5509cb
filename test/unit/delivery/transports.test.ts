import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchTransport } from '../../../src/transports/fetch';
import { beaconTransport } from '../../../src/transports/beacon';
import { customTransport } from '../../../src/transports/custom';
import { memoryTransport } from '../../../src/transports/memory';
import { parseRetryAfter } from '../../../src/transports/retry-after';
import { DeliveryError } from '../../../src/transports/transport';
import { alert, session } from './records';

/** A fetch that answers `status` and records each request. */
function answering(status: number, headers: Record<string, string> = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response(null, { status, headers });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

const records = [session(), alert()];
const alive = { unloading: false };
const hidden = { unloading: true };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('fetchTransport', () => {
  it('POSTs the records as a JSON array in a string body (no CORS preflight) and takes 2xx as delivered', async () => {
    const { calls, fetch } = answering(204);
    await expect(fetchTransport({ url: 'https://rx.test/collect', fetch }).send(records, alive)).resolves.toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://rx.test/collect');
    expect(calls[0]!.init.method).toBe('POST');
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual(records);
    // A string body: the browser labels it text/plain;charset=UTF-8, a CORS-safelisted type.
    expect(typeof calls[0]!.init.body).toBe('string');
    expect(calls[0]!.init.headers).toBeUndefined();
    expect(calls[0]!.init.credentials).toBe('omit');
    expect(calls[0]!.init.keepalive).toBe(false);
  });

  it('asks for keepalive while unloading', async () => {
    const { calls, fetch } = answering(200);
    await fetchTransport({ url: '/c', fetch }).send(records, hidden);
    expect(calls[0]!.init.keepalive).toBe(true);
  });

  it.each([408, 429, 500, 502, 503])('retries on %i', async (status) => {
    const { fetch } = answering(status);
    const error = await Promise.resolve(fetchTransport({ url: '/c', fetch }).send(records, alive)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as DeliveryError).retryable).toBe(true);
    expect((error as DeliveryError).message).toContain(String(status));
  });

  it.each([400, 401, 403, 404, 413, 422])('drops on %i, saying so', async (status) => {
    const { fetch } = answering(status);
    const error = (await Promise.resolve(fetchTransport({ url: '/c', fetch }).send(records, alive)).catch((e: unknown) => e)) as DeliveryError;
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(String(status));
  });

  it('passes Retry-After on as the earliest retry', async () => {
    const { fetch } = answering(503, { 'retry-after': '120' });
    const error = (await Promise.resolve(fetchTransport({ url: '/c', fetch }).send(records, alive)).catch((e: unknown) => e)) as DeliveryError;
    expect(error.retryAfterMs).toBe(120_000);
  });

  it('lets a network error through to be retried', async () => {
    const fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch;
    await expect(fetchTransport({ url: '/c', fetch }).send(records, alive)).rejects.toThrow('Failed to fetch');
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP-dates, and nothing else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    for (const odd of ['Infinity', '1e9', ' ']) expect(parseRetryAfter(odd, now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('beaconTransport', () => {
  it('uses sendBeacon while unloading, in the same call', () => {
    const beacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true);
    const { calls, fetch } = answering(204);
    const result = beaconTransport({ url: '/collect', fetch }).send(records, hidden);
    expect(result).toBe(true);
    expect(beacon).toHaveBeenCalledTimes(1);
    expect(beacon.mock.calls[0]![0]).toBe('/collect');
    expect(JSON.parse(beacon.mock.calls[0]![1] as string)).toEqual(records);
    expect(calls).toHaveLength(0);
  });

  it('falls back to a keepalive fetch when sendBeacon refuses', async () => {
    const sendBeacon = vi.fn(() => false);
    const { calls, fetch } = answering(204);
    await expect(beaconTransport({ url: '/collect', fetch, sendBeacon }).send(records, hidden)).resolves.toBe(true);
    expect(sendBeacon).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.init.keepalive).toBe(true);
  });

  it('falls back to fetch where sendBeacon throws', async () => {
    const sendBeacon = vi.fn(() => {
      throw new TypeError('Illegal invocation');
    });
    const { calls, fetch } = answering(204);
    await beaconTransport({ url: '/collect', fetch, sendBeacon }).send(records, hidden);
    expect(calls).toHaveLength(1);
  });

  it('uses fetch with status handling while the page is alive', async () => {
    const sendBeacon = vi.fn(() => true);
    const { calls, fetch } = answering(503);
    await expect(beaconTransport({ url: '/collect', fetch, sendBeacon }).send(records, alive)).rejects.toMatchObject({ message: 'HTTP 503', retryable: true });
    expect(sendBeacon).not.toHaveBeenCalled();
    expect(calls).toHaveLength(1);
  });
});

describe('customTransport', () => {
  it('wraps a function, sync or async, and passes its answer through', async () => {
    const seen: unknown[] = [];
    const sync = customTransport((r, o) => void seen.push([r, o]), 'mine');
    expect(sync.name).toBe('mine');
    expect(sync.send(records, hidden)).toBeUndefined();
    expect(seen).toEqual([[records, hidden]]);
    const refusing = customTransport(async () => false);
    expect(refusing.name).toBe('custom');
    await expect(refusing.send(records, alive)).resolves.toBe(false);
  });

  it('wraps an object with send(), keeping `this` and its name', () => {
    const host = {
      name: 'parent-frame',
      sent: 0,
      send(r: readonly unknown[]) {
        this.sent += r.length;
        return true;
      },
    };
    const t = customTransport(host);
    expect(t.name).toBe('parent-frame');
    expect(t.send(records, alive)).toBe(true);
    expect(host.sent).toBe(2);
  });

  it('names the problem when given something that cannot send, at send time so records stay queued', () => {
    const t = customTransport(42 as never);
    expect(() => t.send(records, alive)).toThrow(/customTransport: expected a function or an object with a send\(\) method, got number/);
  });
});

describe('memoryTransport', () => {
  it('keeps bodies and records in order until cleared', () => {
    const t = memoryTransport();
    t.send([session({ seq: 1 })], alive);
    t.send([session({ seq: 2 }), alert()], hidden);
    expect(t.bodies).toEqual([[session({ seq: 1 })], [session({ seq: 2 }), alert()]]);
    expect(t.records).toHaveLength(3);
    t.clear();
    expect(t.records).toEqual([]);
    expect(t.bodies).toEqual([]);
  });
});
