import { afterEach, describe, expect, it, vi } from 'vitest';
import { wire } from '../../../src/adapters/script/wire';
import type { Transport } from '../../../src/transports/transport';
import { snapshot } from './records';

/** A window as base.min.js finds it before session-metrics.min.js ran: the inline stub with its queue. */
const page = (...queued: unknown[][]) => {
  const w: any = { sessionMetrics: Object.assign(() => {}, { q: queued }) };
  w.sessionMetricsAdapters = vi.fn(async () => []);
  return w;
};
const scriptTag = (attributes: Record<string, string>) => {
  const s = document.createElement('script');
  for (const k in attributes) s.setAttribute(k, attributes[k]!);
  document.head.append(s);
  return s;
};

describe('base.min.js wiring adapters into the tracker session-metrics.min.js will start', () => {
  afterEach(() => {
    document.head.innerHTML = '';
    vi.restoreAllMocks();
  });

  it("a queued init({ adapters }) gets the adapters transport beside its own, and no `adapters` the tracker would call unknown", async () => {
    const own: Transport = { name: 'mine', send: () => {} };
    const w = page(['init', { endpoint: '/collect', transport: own, adapters: ['ga4', 'posthog'] }], ['identify', 'u1']);
    wire(w, document);
    const [[, options]] = w.sessionMetrics.q;
    expect(Object.keys(options)).toEqual(['endpoint', 'transport']);
    expect(options.transport.map((t: Transport) => t.name)).toEqual(['mine', 'adapters']);
    const records = [snapshot(1, 1_000)];
    await options.transport[1].send(records, { unloading: true });
    expect(w.sessionMetricsAdapters).toHaveBeenCalledWith('ga4,posthog', records, { unloading: true });
    expect(w.sessionMetrics.q[1]).toEqual(['identify', 'u1']);
  });

  it('an init through the stub after base.min.js ran is wired too, and queued in order', () => {
    const w = page();
    wire(w, document);
    w.sessionMetrics('init', { endpoint: '/collect', adapters: 'matomo' });
    w.sessionMetrics('flush');
    expect(Array.from(w.sessionMetrics.q, (a: any) => a[0])).toEqual(['init', 'flush']);
    expect(w.sessionMetrics.q[0][1].transport.map((t: Transport) => t.name)).toEqual(['adapters']);
  });

  it('a tag with data-endpoint and data-adapters: its init moves to the head of the queue, read as the tag reads it, with the transport', () => {
    const tag = scriptTag({ 'data-endpoint': '/collect', 'data-site-id': '42', 'data-flush-interval': '5', 'data-adapters': 'ga4, posthog' });
    const w = page(['identify', 'u1']);
    wire(w, document);
    expect(tag.hasAttribute('data-endpoint')).toBe(false);
    const [[name, options], next] = w.sessionMetrics.q;
    expect(name).toBe('init');
    expect(options).toMatchObject({ endpoint: '/collect', siteId: '42', flushInterval: 5 });
    expect(options).not.toHaveProperty('adapters');
    expect(options.transport.map((t: Transport) => t.name)).toEqual(['adapters']);
    expect(next).toEqual(['identify', 'u1']);
  });

  it('after session-metrics.min.js ran it changes nothing and says why, when a tag asks for adapters', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    scriptTag({ 'data-endpoint': '/collect', 'data-adapters': 'ga4' });
    const started = () => {};
    const w: any = { SessionMetrics: {}, sessionMetrics: started };
    wire(w, document);
    expect(w.sessionMetrics).toBe(started);
    expect(warn).toHaveBeenCalledWith('[session-metrics]', expect.stringContaining('base.min.js must run before session-metrics.min.js'));
  });
});
