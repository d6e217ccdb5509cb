import type { AlertRecord, SessionRecord } from '../../../src/core/records';

/** A valid version-1 session snapshot; `over` sets what a test cares about. */
export function session(over: Partial<SessionRecord> = {}): SessionRecord {
  return {
    v: 1,
    type: 'session',
    siteId: 'site',
    id: 'sess-1',
    seq: 1,
    userId: null,
    anonymousId: 'anon-1',
    startedAt: '2026-01-01T00:00:00.000Z',
    lastActiveAt: '2026-01-01T00:01:00.000Z',
    durationMs: 60_000,
    engagedMs: 50_000,
    breaks: { count: 0, totalMs: 10_000, longestMs: 0, histogram: { '<30s': 0, '30s-2m': 0, '2m-10m': 0, '>=10m': 0 } },
    pages: [],
    band: 'casual',
    sampleRate: 1,
    final: false,
    ...over,
  };
}

export function alert(over: Partial<AlertRecord> = {}): AlertRecord {
  return {
    v: 1,
    type: 'alert',
    siteId: 'site',
    sessionId: 'sess-1',
    threshold: 'engaged',
    direction: 'above',
    at: '2026-01-01T00:05:00.000Z',
    engagedMs: 300_000,
    ...over,
  };
}
