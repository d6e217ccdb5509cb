import { describe, expect, it } from 'vitest';
import { account, type Report } from '../../../src/adapters/ledger';
import { uuidFrom } from '../../../src/adapters/key';
import type { MapContext } from '../../../src/adapters/map/properties';
import { GA4_LIMITS, toGa4Event, toGa4MeasurementProtocol } from '../../../src/adapters/map/ga4';
import { toPosthogBatch, toPosthogEvent } from '../../../src/adapters/map/posthog';
import { toSegmentBatch } from '../../../src/adapters/map/segment';
import { toAmplitudeEvent, toAmplitudeHttp } from '../../../src/adapters/map/amplitude';
import { toMixpanelEvent, MIXPANEL_LIMITS } from '../../../src/adapters/map/mixpanel';
import { engagedBucket, toPlausibleEvent, PLAUSIBLE_LIMITS } from '../../../src/adapters/map/plausible';
import { toMatomoCommand, toMatomoParams } from '../../../src/adapters/map/matomo';
import { snapshot } from './records';

const context = (said: string[] = []): MapContext => ({ prefix: 'sm_', sessionEvent: 'sm_session', pageEvent: 'sm_page', say: (m) => said.push(m) });
const finalReport = (over = {}, pages = false): Report[] =>
  account({}, [snapshot(9, 125_000, { final: true, ...over })], { forward: 'final', pages });
/** Meta with `n` keys, the longest values first, to push a vendor over its limits. */
const bigMeta = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => ['d' + i + '_dimension_with_a_rather_long_name', 'v'.repeat(3000)]));

describe('GA4', () => {
  it('a delta event carries sm_engaged_ms, never engagement_time_msec, and no session id', () => {
    const [r] = account({}, [snapshot(3, 42_000)], { forward: 'deltas', pages: false });
    const e = toGa4Event(r!, context());
    expect(e).toEqual({ name: 'sm_session', params: { sm_engaged_ms: 42_000, sm_duration_ms: 47_000, sm_breaks: 1, sm_break_ms: 5_000, sm_pages: 2, sm_band: 'casual' } });
  });

  it('keeps the collection limits: 25 parameters, 40-character names of letters, digits and _, 100-character values; says so', () => {
    const said: string[] = [];
    const [r] = finalReport({ meta: { 'plan-tier': 'pro', ...bigMeta(40) } });
    const e = toGa4Event(r!, context(said));
    const names = Object.keys(e.params);
    expect(names).toHaveLength(GA4_LIMITS.count);
    expect(names.every((n) => /^[A-Za-z]\w{0,39}$/.test(n))).toBe(true);
    expect(Object.values(e.params).every((v) => typeof v != 'string' || v.length <= 100)).toBe(true);
    expect(e.params.sm_plan_tier).toBe('pro');
    expect(e.params.sm_engaged_ms).toBe(125_000);
    expect(said.some((m) => /dropped/.test(m))).toBe(true);
    expect(said.some((m) => /plan-tier sent as sm_plan_tier/.test(m))).toBe(true);
  });

  it('event names too: a long or foreign option becomes a valid GA4 name', () => {
    const [r] = finalReport();
    expect(toGa4Event(r!, { ...context(), sessionEvent: '1 session-metrics engaged session total for reporting' }).name).toBe('session_metrics_engaged_session_total_fo');
  });

  it('Measurement Protocol: one body per client with at most 25 events, each within the limits, timed in microseconds', () => {
    const ledger = {};
    const reports = Array.from({ length: 30 }, (_, i) => account(ledger, [snapshot(1, 1_000 + i, { id: 's' + i, meta: bigMeta(30) })], { forward: 'deltas', pages: false })).flat();
    reports.push(...account(ledger, [snapshot(1, 7_000, { id: 'x', anonymousId: 'anon-2', userId: 'u-7' })], { forward: 'deltas', pages: false }));
    const bodies = toGa4MeasurementProtocol(reports, context());
    expect(bodies.map((b) => [b.client_id, b.user_id, b.events.length])).toEqual([
      ['anon-1', undefined, 25],
      ['anon-1', undefined, 5],
      ['anon-2', 'u-7', 1],
    ]);
    for (const b of bodies)
      for (const e of b.events) {
        expect(e.name.length).toBeLessThanOrEqual(40);
        expect(Object.keys(e.params).length).toBeLessThanOrEqual(25);
        expect(Object.keys(e.params).every((k) => k.length <= 40 && !k.startsWith('ga_') && !k.startsWith('google_'))).toBe(true);
        expect(Object.values(e.params).every((v) => String(v).length <= 100)).toBe(true);
        expect(e.params).not.toHaveProperty('engagement_time_msec');
      }
    expect(bodies[2]!.timestamp_micros).toBe(Date.parse(snapshot(1, 7_000).lastActiveAt) * 1000);
    expect(bodies.flatMap((b) => b.events).reduce((s, e) => s + (e.params.sm_engaged_ms as number), 0)).toBe(30 * 1_000 + 435 + 7_000);
  });
});

describe('de-duplicating vendors: the key is the same UUID for every copy', () => {
  const [r] = finalReport({ userId: 'u-1' });
  const key = uuidFrom('site\ns1\nsession');

  it('PostHog: uuid, timestamp at lastActiveAt, sm_session_id, and $session_id left alone', () => {
    const e = toPosthogEvent(r!, context());
    expect(e).toMatchObject({ event: 'sm_session', uuid: key, timestamp: r!.record.lastActiveAt, properties: { sm_engaged_ms: 125_000, sm_session_id: 's1' } });
    expect(e.properties).not.toHaveProperty('$session_id');
    expect(toPosthogBatch([r!], context(), 'phc_x').batch[0]).toMatchObject({ uuid: key, properties: { distinct_id: 'u-1' } });
  });

  it('Segment: messageId, with the anonymous id and the user id in the HTTP API batch', () => {
    expect(toSegmentBatch([r!], context()).batch[0]).toMatchObject({ type: 'track', event: 'sm_session', messageId: key, anonymousId: 'anon-1', userId: 'u-1' });
  });

  it('Amplitude: insert_id, session_id the ms of startedAt, time the ms of lastActiveAt; no null property', () => {
    const e = toAmplitudeEvent(account({}, [snapshot(9, 1_000, { final: true, meta: { a: null, b: 'x' } })], { forward: 'final', pages: false })[0]!, context());
    expect(e).toMatchObject({ insert_id: key, session_id: Date.parse('2026-01-05T09:00:00.000Z'), time: Date.parse(snapshot(9, 1_000).lastActiveAt) });
    expect(Object.values(e.event_properties)).not.toContain(null);
    expect(e.event_properties.sm_b).toBe('x');
    expect(toAmplitudeHttp([r!], context(), 'k').events[0]).toMatchObject({ device_id: 'anon-1', user_id: 'u-1', insert_id: key });
  });

  it('Mixpanel: $insert_id and a fixed time in seconds; at most 255 properties of 255 characters', () => {
    const said: string[] = [];
    const [big] = finalReport({ meta: bigMeta(300) });
    const e = toMixpanelEvent(big!, context(said));
    expect(e.properties).toMatchObject({ $insert_id: key, time: Date.parse(big!.record.lastActiveAt) / 1000, sm_engaged_ms: 125_000 });
    expect(Object.keys(e.properties).length).toBeLessThanOrEqual(255);
    expect(Object.entries(e.properties).every(([k, v]) => k.length <= MIXPANEL_LIMITS.name && String(v).length <= 255)).toBe(true);
    expect(said.length).toBeGreaterThan(0);
  });

  it('page events get keys of their own, stable too', () => {
    const reports = finalReport({}, true);
    expect(reports.map((x) => toPosthogEvent(x, context()).uuid)).toEqual(['session', 'page:/a', 'page:/b'].map((k) => uuidFrom('site\ns1\n' + k)));
    expect(toPosthogEvent(reports[1]!, context())).toMatchObject({ event: 'sm_page', properties: { sm_page: '/a', sm_engaged_ms: 62_500 } });
  });
});

describe('vendors that can neither de-duplicate nor sum', () => {
  it('Plausible: one event with bucketed, string properties, at most 30', () => {
    const said: string[] = [];
    const [r] = finalReport({ meta: bigMeta(40) });
    const e = toPlausibleEvent(r!, context(said));
    expect(e.name).toBe('sm_session');
    expect(e.props).toMatchObject({ sm_engaged: '2-5m', sm_band: 'casual', sm_breaks: '1', sm_pages: '2' });
    expect(e.props).not.toHaveProperty('sm_session_id');
    expect(Object.keys(e.props)).toHaveLength(PLAUSIBLE_LIMITS.count);
    expect(Object.values(e.props).every((v) => typeof v == 'string' && v.length <= 2000)).toBe(true);
    expect(said.some((m) => /dropped/.test(m))).toBe(true);
  });

  it('engaged-time buckets: lower bound in, upper bound out', () => {
    expect([0, 9_999, 10_000, 59_999, 60_000, 299_999, 300_000, 3_599_999, 3_600_000].map(engagedBucket)).toEqual(['0-10s', '0-10s', '10-30s', '30s-1m', '1-2m', '2-5m', '5-10m', '30-60m', '60m+']);
  });

  it('Matomo: a trackEvent command with the engaged seconds as value, and the tracking API parameters', () => {
    const [r] = finalReport({ userId: 'u-9' });
    const c = { ...context(), category: 'session-metrics' };
    expect(toMatomoCommand(r!, c)).toEqual(['trackEvent', 'session-metrics', 'sm_session', 'casual', 125]);
    const p = toMatomoParams(r!, c);
    expect(p).toMatchObject({ rec: '1', e_c: 'session-metrics', e_a: 'sm_session', e_n: 'casual', e_v: '125', uid: 'u-9', cdt: String(Math.floor(Date.parse(r!.record.lastActiveAt) / 1000)) });
    expect(p._id).toMatch(/^[0-9a-f]{16}$/);
    expect(toMatomoParams(finalReport({ anonymousId: 'anon-1' })[0]!, c)._id).toBe(p._id);
  });
});
